variable "name" {
  description = "Instance name."
  type        = string
}

variable "region" {
  description = "Region of the instance."
  type        = string
}

variable "network_id" {
  description = "VPC network the instance gets its private address in."
  type        = string
}

variable "private_services_cidr" {
  description = "Range reserved for Google-managed services (Cloud SQL) in the VPC (a /20)."
  type        = string
}

variable "database_name" {
  description = "Name of the service's database."
  type        = string
}

variable "iam_users" {
  description = "Service accounts (emails) that log in with IAM database authentication, by a fixed key. The API itself logs in with its own password role (see infra/gcp/README.md)."
  type        = map(string)
  default     = {}
}

variable "tier" {
  description = "Machine tier, e.g. db-custom-1-3840."
  type        = string
}

variable "high_availability" {
  description = "A standby in another zone with automatic failover (REGIONAL)."
  type        = bool
}

variable "backup_days" {
  description = "Automated backups kept."
  type        = number
}

variable "deletion_protection" {
  description = "Refuse deletion of the instance (Terraform and the API)."
  type        = bool
}

variable "kms_key" {
  description = "Cloud KMS key for customer-managed encryption; empty keeps Google's default encryption."
  type        = string
  default     = ""
}

variable "labels" {
  description = "Labels of the instance."
  type        = map(string)
  default     = {}
}
