variable "name" {
  description = "Prefix of every resource name (project and environment)."
  type        = string
}

variable "region" {
  description = "Region of the subnet, router and NAT."
  type        = string
}

variable "cidr" {
  description = "Address range of the environment (a /16): nodes, pods, services and the proxy-only subnet are carved from it."
  type        = string
}

variable "nat" {
  description = "Give private nodes internet egress through Cloud NAT. False keeps Google APIs only (Private Google Access)."
  type        = bool
}

variable "proxy_only_subnet" {
  description = "Create the proxy-only subnet an internal Application Load Balancer needs."
  type        = bool
  default     = false
}
