# The role SageMaker runs the model as: pull this image, read the model artefact, write the endpoint's logs
# and metrics, and (only when used) manage its network interfaces in the subnets and write data capture.

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "execution" {
  name_prefix        = "sagemaker-"
  description        = "SageMaker execution role of the ${var.name} endpoint"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "PullImage"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [local.image_repository_arn]
  }

  # GetAuthorizationToken has no resource-level permissions; the token only works with the statement above.
  statement {
    sid       = "RegistryLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "ReadModelArtefacts"
    actions   = ["s3:GetObject"]
    resources = ["${var.model_bucket_arn}/${var.model_prefix}*"]
  }

  statement {
    sid       = "DecryptModelArtefacts"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }

  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
    resources = [module.log_group.arn, "${module.log_group.arn}:*"]
  }

  # PutMetricData has no resource-level permissions; the condition limits it to SageMaker's namespaces.
  statement {
    sid       = "PublishMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "cloudwatch:namespace"
      values   = ["/aws/sagemaker/*", "AWS/SageMaker"]
    }
  }

  dynamic "statement" {
    for_each = var.data_capture ? [1] : []

    content {
      sid       = "WriteDataCapture"
      actions   = ["s3:PutObject"]
      resources = ["${var.model_bucket_arn}/${var.data_capture_prefix}*"]
    }
  }

  dynamic "statement" {
    for_each = var.data_capture ? [1] : []

    content {
      sid       = "EncryptDataCapture"
      actions   = ["kms:Encrypt", "kms:GenerateDataKey"]
      resources = [var.kms_key_arn]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.region}.amazonaws.com"]
      }
    }
  }

  # With subnets, SageMaker attaches network interfaces there as this role.
  dynamic "statement" {
    for_each = local.in_vpc ? [1] : []

    content {
      sid     = "ManageNetworkInterfaces"
      actions = ["ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission"]
      resources = concat(
        ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*"],
        [for id in var.subnet_ids : "arn:${local.partition}:ec2:${local.region}:${local.account_id}:subnet/${id}"],
        [for id in var.security_group_ids : "arn:${local.partition}:ec2:${local.region}:${local.account_id}:security-group/${id}"],
      )
    }
  }

  # Describe calls have no resource-level permissions.
  dynamic "statement" {
    for_each = local.in_vpc ? [1] : []

    content {
      sid       = "DescribeNetwork"
      actions   = ["ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "serve-model"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}
