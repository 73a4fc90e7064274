# Two roles, each with only what it needs. The access role is used by App Runner to pull the image from
# this environment's repository; the instance role is what the application's AWS SDK calls run as.

resource "aws_iam_role" "access" {
  name_prefix = "apprunner-access-"
  description = "App Runner image pull role of ${var.name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "build.apprunner.amazonaws.com" }
        Action    = "sts:AssumeRole"
      },
    ]
  })
}

data "aws_iam_policy_document" "access" {
  statement {
    sid       = "PullImage"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:DescribeImages", "ecr:GetDownloadUrlForLayer"]
    resources = [var.ecr_repository_arn]
  }

  # GetAuthorizationToken has no resource-level permissions; the token only works with the statement above.
  statement {
    sid       = "RegistryLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "access" {
  name   = "pull-image"
  role   = aws_iam_role.access.id
  policy = data.aws_iam_policy_document.access.json
}

data "aws_iam_policy_document" "instance_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["tasks.apprunner.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "instance" {
  name_prefix        = "apprunner-app-"
  description        = "Application role of ${var.name}"
  assume_role_policy = data.aws_iam_policy_document.instance_assume.json
}

locals {
  secret_arns = distinct(concat( # pragma: allowlist secret (ARNs of Secrets Manager secrets, no values)
    var.readable_secret_arns,
    [for value in values(var.secrets) : join(":", slice(split(":", value), 0, 7))],
  ))
  decrypt_services = concat(
    var.grant_model_read ? ["s3.${local.region}.amazonaws.com"] : [],
    length(local.secret_arns) > 0 ? ["secretsmanager.${local.region}.amazonaws.com"] : [],
  )
}

data "aws_iam_policy_document" "instance" {
  # X-Ray tracing of the observability configuration; these calls have no resource-level permissions.
  statement {
    sid       = "WriteTraces"
    actions   = ["xray:GetSamplingRules", "xray:GetSamplingStatisticSummaries", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = var.grant_model_read ? [1] : []

    content {
      sid       = "ReadModelArtefacts"
      actions   = ["s3:GetObject"]
      resources = ["${var.model_bucket_arn}/${var.model_prefix}*"]
    }
  }

  dynamic "statement" {
    for_each = var.grant_model_read ? [1] : []

    content {
      sid       = "ListModelArtefacts"
      actions   = ["s3:ListBucket"]
      resources = [var.model_bucket_arn]

      condition {
        test     = "StringLike"
        variable = "s3:prefix"
        values   = ["${var.model_prefix}*"]
      }
    }
  }

  # The database secret (read by the application, so a rotation needs no restart) and the secrets App Runner
  # injects from runtime_environment_secrets (read with this role too).
  dynamic "statement" {
    for_each = length(local.secret_arns) > 0 ? [1] : []

    content {
      sid       = "ReadSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = local.secret_arns
    }
  }

  dynamic "statement" {
    for_each = length(local.decrypt_services) > 0 ? [1] : []

    content {
      sid       = "DecryptThroughS3AndSecretsManager"
      actions   = ["kms:Decrypt"]
      resources = [var.kms_key_arn]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = local.decrypt_services
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.sagemaker_endpoint_arns) > 0 ? [1] : []

    content {
      sid       = "InvokeModelEndpoint"
      actions   = ["sagemaker:InvokeEndpoint"]
      resources = var.sagemaker_endpoint_arns
    }
  }
}

resource "aws_iam_role_policy" "instance" {
  name   = "application"
  role   = aws_iam_role.instance.id
  policy = data.aws_iam_policy_document.instance.json
}
