variable "identifier" {
  description = "DB instance identifier, e.g. churn-predictor-prod."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the database."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets (two AZs) for the DB subnet group."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "Customer managed key for storage, Performance Insights, the master secret and the log groups."
  type        = string
}

variable "engine_version" {
  description = "PostgreSQL major version; minor versions are upgraded automatically in the maintenance window."
  type        = string
  default     = "17"
}

variable "instance_class" {
  description = "DB instance class, e.g. db.t4g.small."
  type        = string
}

variable "allocated_storage_gb" {
  description = "Initial gp3 storage in GB (storage autoscaling raises it up to max_allocated_storage_gb)."
  type        = number
  default     = 20
}

variable "max_allocated_storage_gb" {
  description = "Storage autoscaling ceiling in GB."
  type        = number
  default     = 100
}

variable "database_name" {
  description = "Name of the application database."
  type        = string
  default     = "app"
}

variable "master_username" {
  description = "Master user name; its password is generated and rotated by RDS in Secrets Manager."
  type        = string
  default     = "app_admin"
}

variable "multi_az" {
  description = "Run a synchronous standby in a second AZ."
  type        = bool
}

variable "deletion_protection" {
  description = "Refuse deletion of the instance (and take a final snapshot when it is deleted anyway)."
  type        = bool
}

variable "backup_retention_days" {
  description = "Automated backup retention (1-35 days)."
  type        = number
}

variable "client_security_group_ids" {
  description = "Security groups allowed to connect on the PostgreSQL port."
  type        = list(string)
}

variable "log_retention_days" {
  description = "Retention of the exported PostgreSQL log groups."
  type        = number
}
