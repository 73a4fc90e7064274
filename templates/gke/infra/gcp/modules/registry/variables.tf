variable "name" {
  description = "Repository id."
  type        = string
}

variable "region" {
  description = "Region of the repository (the cluster's)."
  type        = string
}

variable "readers" {
  description = "Members that may pull images, by a fixed key (the cluster's node service account)."
  type        = map(string)
}

variable "kms_key" {
  description = "Cloud KMS key that encrypts the images; empty keeps Google's default encryption."
  type        = string
  default     = ""
}

variable "labels" {
  description = "Labels of the repository."
  type        = map(string)
  default     = {}
}
