output "login_server" {
  description = "Registry host: docker push <login_server>/<image>:<tag>."
  value       = azurerm_container_registry.this.login_server
}

output "name" {
  description = "Registry name (az acr login --name)."
  value       = azurerm_container_registry.this.name
}
