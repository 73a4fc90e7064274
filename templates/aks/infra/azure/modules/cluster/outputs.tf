output "name" {
  description = "Cluster name."
  value       = azurerm_kubernetes_cluster.this.name
}

output "id" {
  description = "Cluster resource id."
  value       = azurerm_kubernetes_cluster.this.id
}

output "oidc_issuer_url" {
  description = "OIDC issuer of the cluster's service account tokens (workload identity federation)."
  value       = azurerm_kubernetes_cluster.this.oidc_issuer_url
}

output "kubelet_object_id" {
  description = "Object id of the kubelet identity (pulls images)."
  value       = azurerm_kubernetes_cluster.this.kubelet_identity[0].object_id
}

output "app_routing_object_id" {
  description = "Object id of the application routing add-on's identity (reads TLS certificates from Key Vault)."
  value       = azurerm_kubernetes_cluster.this.web_app_routing[0].web_app_routing_identity[0].object_id
}

output "log_analytics_workspace_id" {
  description = "Log Analytics workspace of the cluster."
  value       = azurerm_log_analytics_workspace.this.id
}
