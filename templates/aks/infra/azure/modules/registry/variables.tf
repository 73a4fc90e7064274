variable "name" {
  description = "Registry name: 5-50 letters and digits, globally unique."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the registry."
  type        = string
}

variable "pull_principal_ids" {
  description = "Principals (object ids) that pull images, by a fixed key (the kubelet identity)."
  type        = map(string)
}

variable "vnet_id" {
  description = "Virtual network linked to the private DNS zone (regulated data only)."
  type        = string
  default     = ""
}

variable "private_endpoint_subnet_id" {
  description = "Subnet of the private endpoint (regulated data only)."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags of the resources."
  type        = map(string)
  default     = {}
}
