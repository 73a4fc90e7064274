variable "bucket_name" {
  description = "Globally unique bucket name."
  type        = string
}

variable "expiration_days" {
  description = "Days access logs are kept."
  type        = number
}

variable "allow_alb_logs" {
  description = "Let Elastic Load Balancing deliver access logs under the alb/ prefix."
  type        = bool
  default     = false
}

variable "allow_cloudfront_logs" {
  description = "Enable ACLs (BucketOwnerPreferred) so CloudFront standard logging can deliver under cloudfront/."
  type        = bool
  default     = false
}

variable "force_destroy" {
  description = "Allow terraform destroy to delete a non-empty bucket (dev only)."
  type        = bool
  default     = false
}
