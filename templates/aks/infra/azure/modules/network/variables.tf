variable "name" {
  description = "Prefix of every resource name (project and environment)."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the network."
  type        = string
}

variable "cidr" {
  description = "Address space of the environment's virtual network (a /16)."
  type        = string
}

variable "database_subnet" {
  description = "Create the subnet delegated to Azure Database for PostgreSQL flexible server."
  type        = bool
  default     = false
}

variable "public_ingress" {
  description = "Allow HTTP(S) from the internet to the ingress load balancer."
  type        = bool
}

variable "tags" {
  description = "Tags of the resources."
  type        = map(string)
  default     = {}
}
