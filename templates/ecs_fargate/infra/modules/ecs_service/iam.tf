# Two roles, each with only what it needs. The execution role is used by ECS to start the task (pull the
# image, write logs, inject secrets); the task role is what the application's AWS SDK calls run as.

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:*"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name_prefix        = "ecs-exec-"
  description        = "ECS task execution role of ${var.name}"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid = "PullImage"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = [var.ecr_repository_arn]
  }

  # GetAuthorizationToken has no resource-level permissions; the token only works with the statement above.
  statement {
    sid       = "RegistryLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${var.log_group_arn}:*"]
  }

  dynamic "statement" {
    for_each = length(var.secrets) > 0 ? [1] : []

    content {
      sid       = "InjectSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = distinct([for value in values(var.secrets) : join(":", slice(split(":", value), 0, 7))])
    }
  }

  dynamic "statement" {
    for_each = length(var.secrets) > 0 ? [1] : []

    content {
      sid       = "DecryptSecrets"
      actions   = ["kms:Decrypt"]
      resources = [var.kms_key_arn]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${local.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "start-task"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

resource "aws_iam_role" "task" {
  name_prefix        = "ecs-task-"
  description        = "Application role of ${var.name}"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

locals {
  task_needs_policy = var.grant_model_read || length(var.readable_secret_arns) > 0 || length(var.sagemaker_endpoint_arns) > 0
  decrypt_services = concat(
    var.grant_model_read ? ["s3.${local.region}.amazonaws.com"] : [],
    length(var.readable_secret_arns) > 0 ? ["secretsmanager.${local.region}.amazonaws.com"] : [],
  )
}

data "aws_iam_policy_document" "task" {
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

  dynamic "statement" {
    for_each = length(var.readable_secret_arns) > 0 ? [1] : []

    content {
      sid       = "ReadApplicationSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = var.readable_secret_arns
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

resource "aws_iam_role_policy" "task" {
  count = local.task_needs_policy ? 1 : 0

  name   = "application"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}
