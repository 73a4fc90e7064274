variable "name" {
  description = "Key Vault name: 3-24 letters, digits and hyphens, globally unique."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the vault."
  type        = string
}

variable "tenant_id" {
  description = "Microsoft Entra tenant of the vault."
  type        = string
}

variable "certificate_readers" {
  description = "Principals (object ids) that read certificates, by a fixed key (the app routing add-on)."
  type        = map(string)
}

variable "allowed_cidrs" {
  description = "Public addresses allowed to reach the vault, for importing the TLS certificate (the cluster uses the private endpoint)."
  type        = list(string)
  default     = []
}

variable "vnet_id" {
  description = "Virtual network linked to the private DNS zone."
  type        = string
}

variable "private_endpoint_subnet_id" {
  description = "Subnet of the private endpoint."
  type        = string
}

variable "tags" {
  description = "Tags of the resources."
  type        = map(string)
  default     = {}
}
