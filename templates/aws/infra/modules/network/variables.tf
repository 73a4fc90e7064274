variable "name" {
  description = "Name prefix for the network resources, e.g. churn-predictor-prod."
  type        = string
}

variable "cidr_block" {
  description = "VPC CIDR (a /16 leaves room for four /20 subnets per tier)."
  type        = string
}

variable "availability_zones" {
  description = "Two availability zone names to use, e.g. [\"eu-west-1a\", \"eu-west-1b\"]; empty: the first two of the region's zones a, b and c."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.availability_zones) == 0 || length(var.availability_zones) == 2
    error_message = "availability_zones must list exactly two zones (or none)."
  }
}

variable "nat_gateway_count" {
  description = "NAT gateways: 0 (VPC endpoints only, no internet egress from private subnets), 1 (cheap) or 2 (one per AZ)."
  type        = number

  validation {
    condition     = contains([0, 1, 2], var.nat_gateway_count)
    error_message = "nat_gateway_count must be 0, 1 or 2."
  }
}

variable "interface_endpoints" {
  description = "AWS services reached through interface VPC endpoints in the private subnets (empty: none)."
  type        = list(string)
  default     = []
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow log group."
  type        = number
}

variable "kms_key_arn" {
  description = "Customer managed key for the flow log group."
  type        = string
}
