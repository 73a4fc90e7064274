variable "bucket_name" {
  description = "Globally unique bucket name."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer managed key for default encryption (SSE-KMS with an S3 bucket key)."
  type        = string
}

variable "access_log_bucket" {
  description = "Name of the bucket that receives this bucket's server access logs (a log_bucket module)."
  type        = string
}

variable "noncurrent_version_days" {
  description = "Days a replaced or deleted object version is kept before it expires."
  type        = number
  default     = 90
}

variable "policy_statements" {
  description = "Extra bucket policy statements (e.g. CloudFront origin access); TLS-only access is always enforced."
  type        = any
  default     = []
}

variable "force_destroy" {
  description = "Allow terraform destroy to delete a non-empty bucket (dev only)."
  type        = bool
  default     = false
}
