variable "name" {
  description = "Server name: 3-63 lowercase letters, digits and hyphens, globally unique (<name>.postgres.database.azure.com)."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the server."
  type        = string
}

variable "tenant_id" {
  description = "Microsoft Entra tenant for database authentication."
  type        = string
}

variable "subnet_id" {
  description = "Subnet delegated to PostgreSQL flexible server."
  type        = string
}

variable "vnet_id" {
  description = "Virtual network linked to the server's private DNS zone."
  type        = string
}

variable "database_name" {
  description = "Name of the service's database."
  type        = string
}

variable "sku_name" {
  description = "Compute tier and size, e.g. B_Standard_B1ms or GP_Standard_D2ds_v5."
  type        = string
}

variable "high_availability" {
  description = "A zone-redundant standby with automatic failover."
  type        = bool
}

variable "backup_days" {
  description = "Days of point-in-time restore (7-35)."
  type        = number
}

variable "admin" {
  description = "Microsoft Entra administrator of the server: a group is best (object_id, principal_name, principal_type Group/User/ServicePrincipal)."
  type        = object({ object_id = string, principal_name = string, principal_type = string })
}

variable "tags" {
  description = "Tags of the resources."
  type        = map(string)
  default     = {}
}

variable "log_analytics_workspace_id" {
  description = "Log Analytics workspace that receives the server's logs."
  type        = string
}
