# Azure Database for PostgreSQL flexible server with private access (VNet integration): the server has an
# address in its delegated subnet only, and its name resolves through a private DNS zone. TLS is required
# (require_secure_transport). People log in with Microsoft Entra (the administrator group). The API logs in as its
# own least-privilege role `api` with a password that lives only in the cluster's Kubernetes Secret; the
# administrator group creates that role once with SQL (see infra/azure/README.md), so that password never passes
# through Terraform.
#
# Password authentication needs a password administrator (`pgadmin`). Its password is generated during apply and
# sent write-only: it is never stored in the state or the plan, and nobody knows it (Entra administrators can
# reset it with `az postgres flexible-server update --admin-password` if it is ever needed).
ephemeral "random_password" "administrator" {
  length      = 40
  special     = false
  min_upper   = 2
  min_lower   = 2
  min_numeric = 2
}

resource "azurerm_private_dns_zone" "this" {
  name                = "${var.name}.private.postgres.database.azure.com"
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "this" {
  name                  = "${var.name}-postgres"
  resource_group_name   = var.resource_group_name
  private_dns_zone_name = azurerm_private_dns_zone.this.name
  virtual_network_id    = var.vnet_id
  tags                  = var.tags
}

resource "azurerm_postgresql_flexible_server" "this" {
  name                          = var.name
  location                      = var.location
  resource_group_name           = var.resource_group_name
  version                       = "17"
  sku_name                      = var.sku_name
  storage_mb                    = 32768
  auto_grow_enabled             = true
  delegated_subnet_id           = var.subnet_id
  private_dns_zone_id           = azurerm_private_dns_zone.this.id
  public_network_access_enabled = false
  backup_retention_days         = var.backup_days
  geo_redundant_backup_enabled  = var.high_availability
  zone                          = "1"
  tags                          = var.tags

  administrator_login               = "pgadmin"
  administrator_password_wo         = ephemeral.random_password.administrator.result # pragma: allowlist secret (a reference, not a secret)
  administrator_password_wo_version = 1

  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = true # pragma: allowlist secret (a setting, not a secret)
    tenant_id                     = var.tenant_id
  }

  dynamic "high_availability" {
    for_each = var.high_availability ? [1] : []
    content {
      mode                      = "ZoneRedundant"
      standby_availability_zone = "2"
    }
  }

  maintenance_window {
    day_of_week  = 0
    start_hour   = 3
    start_minute = 0
  }

  depends_on = [azurerm_private_dns_zone_virtual_network_link.this]
}

resource "azurerm_postgresql_flexible_server_active_directory_administrator" "this" {
  server_name         = azurerm_postgresql_flexible_server.this.name
  resource_group_name = var.resource_group_name
  tenant_id           = var.tenant_id
  object_id           = var.admin.object_id
  principal_name      = var.admin.principal_name
  principal_type      = var.admin.principal_type
}

resource "azurerm_postgresql_flexible_server_database" "this" {
  name      = var.database_name
  server_id = azurerm_postgresql_flexible_server.this.id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

# Connection and checkpoint logging for audits, connection throttling against password-spraying.
resource "azurerm_postgresql_flexible_server_configuration" "this" {
  for_each = {
    log_checkpoints              = "on"
    log_connections              = "on"
    log_disconnections           = "on"
    "connection_throttle.enable" = "on"
    require_secure_transport     = "on"
  }

  name      = each.key
  server_id = azurerm_postgresql_flexible_server.this.id
  value     = each.value
}

resource "azurerm_monitor_diagnostic_setting" "this" {
  name                       = "logs"
  target_resource_id         = azurerm_postgresql_flexible_server.this.id
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_log {
    category_group = "allLogs"
  }
}
