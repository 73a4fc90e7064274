# Three identities. The service role is what Elastic Beanstalk itself uses to watch the environment's health
# (and to expire old application versions); managed platform updates run as AWS's service-linked role. The
# instance role is what the instances and the application's AWS SDK calls run as.

data "aws_iam_policy_document" "service_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["elasticbeanstalk.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["elasticbeanstalk"]
    }
  }
}

resource "aws_iam_role" "service" {
  name_prefix        = "eb-service-"
  description        = "Elastic Beanstalk service role of ${var.name}"
  assume_role_policy = data.aws_iam_policy_document.service_assume.json
}

# AWS's policy for enhanced health reporting (read-only calls on the environment's resources).
resource "aws_iam_role_policy_attachment" "service_health" {
  role       = aws_iam_role.service.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSElasticBeanstalkEnhancedHealth"
}

data "aws_iam_policy_document" "service" {
  statement {
    sid       = "ExpireApplicationVersions"
    actions   = ["elasticbeanstalk:DeleteApplicationVersion"]
    resources = ["arn:${local.partition}:elasticbeanstalk:${local.region}:${local.account_id}:applicationversion/${var.name}/*"]
  }
}

resource "aws_iam_role_policy" "service" {
  name   = "application-version-lifecycle"
  role   = aws_iam_role.service.id
  policy = data.aws_iam_policy_document.service.json
}

data "aws_iam_policy_document" "instance_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "instance" {
  name_prefix        = "eb-instance-"
  description        = "Instances and application of ${var.name}"
  assume_role_policy = data.aws_iam_policy_document.instance_assume.json
}

resource "aws_iam_instance_profile" "instance" {
  name = "${var.name}-eb"
  role = aws_iam_role.instance.name
}

# AWS's minimal instance policy for the web server tier: Elastic Beanstalk's own buckets (elasticbeanstalk-*),
# its log groups (/aws/elasticbeanstalk*), enhanced health statistics and X-Ray; nothing of the application.
resource "aws_iam_role_policy_attachment" "instance_web_tier" {
  role       = aws_iam_role.instance.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AWSElasticBeanstalkWebTier"
}

locals {
  secret_arns = distinct(concat( # pragma: allowlist secret (ARNs of Secrets Manager secrets, no values)
    var.readable_secret_arns,
    [for value in values(var.secrets) : join(":", slice(split(":", value), 0, 7))],
  ))
  decrypt_services = concat(
    ["s3.${local.region}.amazonaws.com"],
    length(local.secret_arns) > 0 ? ["secretsmanager.${local.region}.amazonaws.com"] : [],
  )
}

# What this application needs on top: its image, its bundles, its model artefacts, secrets and endpoint.
data "aws_iam_policy_document" "instance" {
  statement {
    sid       = "PullImage"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [var.ecr_repository_arn]
  }

  # GetAuthorizationToken has no resource-level permissions; the token only works with the statement above.
  statement {
    sid       = "RegistryLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "ReadBundles"
    actions   = ["s3:GetObject"]
    resources = ["arn:${local.partition}:s3:::${var.bundle_bucket}/${var.bundle_prefix}*"]
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

  # The database secret (read by the application, so a rotation needs no restart) and the environment secrets
  # Elastic Beanstalk fills in when an instance starts.
  dynamic "statement" {
    for_each = length(local.secret_arns) > 0 ? [1] : []

    content {
      sid       = "ReadSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = local.secret_arns
    }
  }

  statement {
    sid       = "DecryptThroughS3AndSecretsManager"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = local.decrypt_services
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
