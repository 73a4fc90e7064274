variable "alias" {
  description = "Alias name without the alias/ prefix, e.g. churn-predictor-prod."
  type        = string
}

variable "description" {
  description = "What the key protects."
  type        = string
}

variable "deletion_window_in_days" {
  description = "Waiting period before a scheduled key deletion (7-30 days)."
  type        = number
  default     = 30
}

variable "allow_cloudfront" {
  description = "Let CloudFront distributions of this account decrypt (S3 origin with origin access control and SSE-KMS)."
  type        = bool
  default     = false
}

variable "allow_alarm_publishing" {
  description = "Let CloudWatch alarms and AWS Budgets publish to SNS topics encrypted with this key."
  type        = bool
  default     = true
}
