variable "name" {
  description = "Web ACL name, e.g. churn-predictor-prod-api."
  type        = string
}

variable "scope" {
  description = "REGIONAL (load balancer, App Runner) or CLOUDFRONT (the provider must be in us-east-1)."
  type        = string

  validation {
    condition     = contains(["REGIONAL", "CLOUDFRONT"], var.scope)
    error_message = "scope must be REGIONAL or CLOUDFRONT."
  }
}

variable "rate_limit_per_5_min" {
  description = "Requests one IP address may send in 5 minutes before it is blocked."
  type        = number
  default     = 2000
}

variable "kms_key_arn" {
  description = "Customer managed key (in the provider's region) for the WAF log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the WAF log group."
  type        = number
}
