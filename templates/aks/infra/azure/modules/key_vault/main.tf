# Key Vault for the ingress's TLS certificate: import or issue the certificate here (infra/azure/README.md) and
# the application routing add-on serves it. Access is Azure RBAC only; soft delete and purge protection keep a
# deleted certificate recoverable for 90 days. The cluster reaches the vault through a private endpoint; from
# outside only the allowed addresses can.
resource "azurerm_key_vault" "this" {
  # checkov:skip=CKV_AZURE_189: public access is on only while key_vault_allowed_cidrs lists addresses (to import the certificate) and then only for them (network_acls default Deny); the cluster uses the private endpoint.
  name                          = var.name
  location                      = var.location
  resource_group_name           = var.resource_group_name
  tenant_id                     = var.tenant_id
  sku_name                      = "standard"
  enable_rbac_authorization     = true
  purge_protection_enabled      = true
  soft_delete_retention_days    = 90
  public_network_access_enabled = length(var.allowed_cidrs) > 0
  tags                          = var.tags

  network_acls {
    default_action = "Deny"
    bypass         = "AzureServices"
    ip_rules       = var.allowed_cidrs
  }
}

resource "azurerm_role_assignment" "certificate_readers" {
  for_each = var.certificate_readers

  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = each.value
}

resource "azurerm_private_dns_zone" "this" {
  name                = "privatelink.vaultcore.azure.net"
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "this" {
  name                  = "${var.name}-vault"
  resource_group_name   = var.resource_group_name
  private_dns_zone_name = azurerm_private_dns_zone.this.name
  virtual_network_id    = var.vnet_id
  tags                  = var.tags
}

resource "azurerm_private_endpoint" "this" {
  name                = "${var.name}-vault"
  location            = var.location
  resource_group_name = var.resource_group_name
  subnet_id           = var.private_endpoint_subnet_id
  tags                = var.tags

  private_service_connection {
    name                           = "vault"
    private_connection_resource_id = azurerm_key_vault.this.id
    subresource_names              = ["vault"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "vault"
    private_dns_zone_ids = [azurerm_private_dns_zone.this.id]
  }
}
