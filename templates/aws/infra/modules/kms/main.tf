# One customer managed key per environment (and one for the state bucket). Services that act for a caller
# (S3, ECR, RDS, Secrets Manager, Performance Insights) use it through IAM permissions of that caller; the
# statements below are only for services that write with their own identity.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  base_statements = [
    {
      # Without this the key becomes unmanageable; IAM policies in the account decide who may use it.
      Sid       = "AccountAdministration"
      Effect    = "Allow"
      Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    },
    {
      Sid       = "CloudWatchLogs"
      Effect    = "Allow"
      Principal = { Service = "logs.${local.region}.amazonaws.com" }
      Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
      Resource  = "*"
      Condition = {
        ArnLike = {
          "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*"
        }
      }
    },
  ]

  alarm_statements = [for statement in [
    {
      Sid       = "CloudWatchAlarmsToEncryptedTopics"
      Effect    = "Allow"
      Principal = { Service = "cloudwatch.amazonaws.com" }
      Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
      Resource  = "*"
    },
    {
      Sid       = "BudgetsToEncryptedTopics"
      Effect    = "Allow"
      Principal = { Service = "budgets.amazonaws.com" }
      Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
      Resource  = "*"
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
      }
    },
  ] : statement if var.allow_alarm_publishing]

  cloudfront_statements = [for statement in [
    {
      Sid       = "CloudFrontOriginAccessControl"
      Effect    = "Allow"
      Principal = { Service = "cloudfront.amazonaws.com" }
      Action    = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"]
      Resource  = "*"
      Condition = {
        StringLike = {
          "aws:SourceArn" = "arn:${local.partition}:cloudfront::${local.account_id}:distribution/*"
        }
      }
    },
  ] : statement if var.allow_cloudfront]
}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat(local.base_statements, local.alarm_statements, local.cloudfront_statements)
  })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}
