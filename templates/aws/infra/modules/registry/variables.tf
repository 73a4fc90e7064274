variable "name" {
  description = "Repository name, e.g. churn-predictor-prod."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer managed key that encrypts the images."
  type        = string
}

variable "keep_images" {
  description = "How many tagged images to keep (older ones expire; untagged ones after 7 days)."
  type        = number
  default     = 30
}

variable "force_delete" {
  description = "Allow terraform destroy to delete a repository that still holds images (dev only)."
  type        = bool
  default     = false
}
