output "network_id" {
  description = "ID of the VPC network."
  value       = google_compute_network.this.id
}

output "subnetwork_id" {
  description = "ID of the cluster's subnet."
  value       = google_compute_subnetwork.nodes.id
}

output "pods_range_name" {
  description = "Name of the secondary range for pod addresses."
  value       = "pods"
}

output "services_range_name" {
  description = "Name of the secondary range for service addresses."
  value       = "services"
}
