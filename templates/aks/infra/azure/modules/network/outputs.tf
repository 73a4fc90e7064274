output "vnet_id" {
  description = "ID of the virtual network."
  value       = azurerm_virtual_network.this.id
}

output "nodes_subnet_id" {
  description = "Subnet of the cluster's nodes."
  value       = azurerm_subnet.nodes.id
}

output "private_endpoints_subnet_id" {
  description = "Subnet of the private endpoints (registry, Key Vault)."
  value       = azurerm_subnet.private_endpoints.id
}

output "database_subnet_id" {
  description = "Subnet delegated to PostgreSQL flexible server (empty without a database)."
  value       = var.database_subnet ? azurerm_subnet.database[0].id : ""
}

output "egress_ip" {
  description = "Public address all outbound traffic of the nodes leaves from."
  value       = azurerm_public_ip.nat.ip_address
}
