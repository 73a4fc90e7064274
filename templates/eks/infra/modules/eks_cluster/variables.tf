variable "name" {
  description = "Cluster name (also the prefix of its node groups and log groups), e.g. churn-predictor-prod."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane and the nodes, e.g. 1.35."
  type        = string

  validation {
    condition     = can(regex("^1\\.[0-9]+$", var.kubernetes_version))
    error_message = "kubernetes_version must be a minor version such as 1.35."
  }
}

variable "support_type" {
  description = "STANDARD: when the version's 14 months of standard support end, EKS upgrades the cluster. EXTENDED: 12 more months at six times the control-plane price."
  type        = string
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "EXTENDED"], var.support_type)
    error_message = "support_type must be STANDARD or EXTENDED."
  }
}

variable "subnet_ids" {
  description = "Private subnets (two AZs) of the control plane's network interfaces and of the nodes."
  type        = list(string)
}

variable "public_access_cidrs" {
  description = "Addresses that may reach the Kubernetes API from the internet (e.g. your VPN's egress /32). Empty: the API endpoint is private to the VPC."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.public_access_cidrs : can(cidrhost(cidr, 0)) && !endswith(cidr, "/0")])
    error_message = "public_access_cidrs must be CIDR blocks narrower than /0."
  }
}

variable "cluster_admin_arns" {
  description = "IAM roles or users given cluster-admin through EKS access entries (the identity that creates the cluster already is one)."
  type        = list(string)
  default     = []
}

variable "kms_key_arn" {
  description = "Customer managed key: envelope encryption of Kubernetes Secrets and of the control-plane log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the control-plane log group."
  type        = number
}

variable "node_groups" {
  description = "Managed node groups: name => settings. gpu = true uses the AL2023 NVIDIA AMI, labels the nodes k8s.amazonaws.com/accelerator=nvidia and taints them nvidia.com/gpu:NoSchedule."
  type = map(object({
    instance_types = list(string)
    min_size       = number
    max_size       = number
    desired_size   = number
    disk_size_gb   = number
    gpu            = bool
  }))

  validation {
    condition     = alltrue([for group in values(var.node_groups) : group.min_size <= group.desired_size && group.desired_size <= group.max_size])
    error_message = "Every node group needs min_size <= desired_size <= max_size."
  }
}

variable "app_namespace" {
  description = "Namespace of the application's service account."
  type        = string
}

variable "app_service_account" {
  description = "Service account the application's pods run as; EKS Pod Identity gives it the app role."
  type        = string
}

variable "app_policy_json" {
  description = "IAM policy (JSON) of the application's role: what the pods may do in AWS."
  type        = string
}

variable "addon_versions" {
  description = "Pinned add-on versions: add-on name => version (aws eks describe-addon-versions). Unlisted add-ons get the default version for the cluster's Kubernetes version when they are created."
  type        = map(string)
  default     = {}
}

variable "container_insights" {
  description = "Install the amazon-cloudwatch-observability add-on: container logs and metrics to CloudWatch (Container Insights)."
  type        = bool
  default     = true
}
