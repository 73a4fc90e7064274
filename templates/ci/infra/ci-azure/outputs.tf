output "client_ids" {
  description = "Set each as AZURE_CLIENT_ID of the environment of the same name (with AZURE_TENANT_ID and AZURE_SUBSCRIPTION_ID)."
  value       = { for env, identity in azurerm_user_assigned_identity.deploy : env => identity.client_id }
}

output "tenant_id" {
  description = "AZURE_TENANT_ID."
  value       = one(distinct([for identity in azurerm_user_assigned_identity.deploy : identity.tenant_id]))
}

output "principal_ids" {
  description = "Add each to cluster_admin_object_ids of infra/azure/environments/ENV, so the pipeline can run kubectl (az aks command invoke)."
  value       = { for env, identity in azurerm_user_assigned_identity.deploy : env => identity.principal_id }
}
