output "fqdn" {
  description = "Host name of the server (DB_HOST), resolvable inside the VNet only."
  value       = azurerm_postgresql_flexible_server.this.fqdn
}

output "database_name" {
  description = "The service's database (DB_NAME)."
  value       = azurerm_postgresql_flexible_server_database.this.name
}
