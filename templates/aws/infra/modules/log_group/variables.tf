variable "name" {
  description = "Log group name."
  type        = string
}

variable "retention_in_days" {
  description = "How long CloudWatch Logs keeps events (a CloudWatch-valid value)."
  type        = number
}

variable "kms_key_arn" {
  description = "Customer managed key that encrypts the log group (its policy must allow logs.<region>.amazonaws.com)."
  type        = string
}
