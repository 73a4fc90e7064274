variable "zone_name" {
  description = "Existing public Route 53 hosted zone that holds domain_name (looked up by name, not created)."
  type        = string
}

variable "domain_name" {
  description = "Host name to certify and point at the service, e.g. api.example.com."
  type        = string
}

variable "alias_record_types" {
  description = "Alias records to create for domain_name: [\"A\"] for a load balancer, [\"A\", \"AAAA\"] for CloudFront, [] for none."
  type        = list(string)
  default     = ["A"]
}

variable "alias_target" {
  description = "DNS name and hosted zone ID of the load balancer or CloudFront distribution."
  type = object({
    name    = string
    zone_id = string
  })
  default = null
}
