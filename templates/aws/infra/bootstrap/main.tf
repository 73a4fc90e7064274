# Remote state for every environment root: one versioned, KMS-encrypted, private, TLS-only bucket with
# access logging. Locking uses S3 native lock files (use_lockfile = true in backend.hcl), so there is no
# DynamoDB table.

data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
}

module "kms" {
  source = "../modules/kms"

  alias                  = "${var.project}-tfstate"
  description            = "${var.project}: Terraform state"
  allow_alarm_publishing = false
}

module "logs_bucket" {
  source = "../modules/log_bucket"

  bucket_name     = "${var.project}-tflogs-${local.account_id}"
  expiration_days = var.log_retention_days
}

module "state_bucket" {
  source = "../modules/s3_bucket"

  bucket_name             = "${var.project}-tfstate-${local.account_id}"
  kms_key_arn             = module.kms.key_arn
  access_log_bucket       = module.logs_bucket.id
  noncurrent_version_days = 365
}
