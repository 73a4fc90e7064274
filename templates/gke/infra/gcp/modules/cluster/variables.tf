variable "name" {
  description = "Cluster name (at most 40 characters)."
  type        = string
}

variable "project_id" {
  description = "Google Cloud project of the cluster."
  type        = string
}

variable "region" {
  description = "Region of the (regional) cluster: the control plane and nodes span its zones."
  type        = string
}

variable "network_id" {
  description = "VPC network of the cluster."
  type        = string
}

variable "subnetwork_id" {
  description = "Subnet of the nodes."
  type        = string
}

variable "pods_range_name" {
  description = "Secondary range for pod addresses."
  type        = string
}

variable "services_range_name" {
  description = "Secondary range for service addresses."
  type        = string
}

variable "node_service_account_id" {
  description = "Account id (6-30 characters) of the nodes' own least-privilege service account."
  type        = string
}

variable "release_channel" {
  description = "GKE release channel: REGULAR or STABLE."
  type        = string
}

variable "deletion_protection" {
  description = "Refuse `terraform destroy` of the cluster."
  type        = bool
}

variable "secrets_kms_key" {
  description = "Cloud KMS key for application-layer encryption of Kubernetes Secrets; empty keeps Google's default encryption."
  type        = string
  default     = ""
}

variable "labels" {
  description = "Labels for the cluster's resources."
  type        = map(string)
  default     = {}
}
