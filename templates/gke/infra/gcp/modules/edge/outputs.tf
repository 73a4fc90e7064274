output "ingress_ip" {
  description = "Static address of the load balancer: the domain's DNS A record points here."
  value       = google_compute_global_address.ingress.address
}

output "ingress_ip_name" {
  description = "Name of the static address (the Ingress annotation)."
  value       = google_compute_global_address.ingress.name
}

output "ssl_policy_name" {
  description = "Name of the SSL policy (FrontendConfig), empty without TLS."
  value       = var.tls ? google_compute_ssl_policy.this[0].name : ""
}

output "security_policy_name" {
  description = "Name of the Cloud Armor policy (BackendConfig), empty without one."
  value       = var.cloud_armor ? google_compute_security_policy.this[0].name : ""
}
