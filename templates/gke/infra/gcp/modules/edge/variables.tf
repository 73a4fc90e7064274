variable "name" {
  description = "Prefix of the resource names (project and environment)."
  type        = string
}

variable "tls" {
  description = "Create the SSL policy the HTTPS front end uses (a domain is configured)."
  type        = bool
}

variable "cloud_armor" {
  description = "Create the Cloud Armor security policy (web application firewall) for the backend."
  type        = bool
}

variable "rate_limit_per_minute" {
  description = "Requests per minute one client address may send before it is throttled (Cloud Armor)."
  type        = number
  default     = 6000
}
