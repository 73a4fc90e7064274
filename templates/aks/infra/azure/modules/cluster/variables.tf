variable "name" {
  description = "Cluster name (project and environment)."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the cluster."
  type        = string
}

variable "tenant_id" {
  description = "Microsoft Entra tenant that authenticates kubectl users."
  type        = string
}

variable "nodes_subnet_id" {
  description = "Subnet of the nodes."
  type        = string
}

variable "sku_tier" {
  description = "AKS tier: Free (no SLA) or Standard (99.95 % API server SLA with zones)."
  type        = string
}

variable "system_node_count" {
  description = "Minimum and maximum size of the system node pool."
  type        = object({ min = number, max = number })
}

variable "app_vm_size" {
  description = "VM size of the node pool that runs the API."
  type        = string
}

variable "app_node_count" {
  description = "Minimum and maximum size of the API's node pool."
  type        = object({ min = number, max = number })
}

variable "gpu_vm_size" {
  description = "VM size of the GPU node pool; empty for none."
  type        = string
  default     = ""
}

variable "gpu_node_count" {
  description = "Minimum and maximum size of the GPU node pool."
  type        = object({ min = number, max = number })
  default     = { min = 0, max = 1 }
}

variable "log_retention_days" {
  description = "Days the Log Analytics workspace keeps container and control plane logs (30-730)."
  type        = number
}

variable "admin_object_ids" {
  description = "Microsoft Entra users or groups (object ids) that administer the cluster with kubectl."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags of the resources."
  type        = map(string)
  default     = {}
}
