# AKS, private: the API server has a private address in the VNet only (no public FQDN), nodes have no public
# addresses. kubectl authenticates with Microsoft Entra ID and is authorised by Azure RBAC; local accounts are
# off. Reach the API server from inside the VNet, or with `az aks command invoke` (infra/azure/README.md).
# Workload identity (OIDC issuer + webhook), Azure Policy, Defender, Key Vault secrets provider and the
# application routing add-on (managed NGINX ingress) are enabled. Cilium enforces network policies.

resource "azurerm_log_analytics_workspace" "this" {
  name                = var.name
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = "PerGB2018"
  retention_in_days   = var.log_retention_days
  tags                = var.tags
}

# The control plane's identity: it manages the load balancers and routes in the cluster's subnet.
resource "azurerm_user_assigned_identity" "cluster" {
  name                = "${var.name}-cluster"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_role_assignment" "cluster_network" {
  scope                = var.nodes_subnet_id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_user_assigned_identity.cluster.principal_id
}

resource "azurerm_kubernetes_cluster" "this" {
  # checkov:skip=CKV_AZURE_117: node OS disks are ephemeral and encrypted at host with platform keys, and no data is stored on nodes; the data stores are encrypted at rest. Add a disk encryption set when your policy requires customer-managed keys for node disks.
  name                = var.name
  location            = var.location
  resource_group_name = var.resource_group_name
  dns_prefix          = var.name
  sku_tier            = var.sku_tier
  tags                = var.tags

  private_cluster_enabled             = true
  private_dns_zone_id                 = "System"
  private_cluster_public_fqdn_enabled = false

  local_account_disabled            = true
  role_based_access_control_enabled = true
  azure_active_directory_role_based_access_control {
    azure_rbac_enabled = true
    tenant_id          = var.tenant_id
  }

  oidc_issuer_enabled       = true
  workload_identity_enabled = true
  azure_policy_enabled      = true

  # Patch versions and node images are upgraded automatically, in the weekend windows below.
  automatic_upgrade_channel    = "patch"
  node_os_upgrade_channel      = "NodeImage"
  image_cleaner_enabled        = true
  image_cleaner_interval_hours = 48

  maintenance_window_auto_upgrade {
    frequency   = "Weekly"
    interval    = 1
    duration    = 4
    day_of_week = "Saturday"
    start_time  = "02:00"
    utc_offset  = "+00:00"
  }

  maintenance_window_node_os {
    frequency   = "Weekly"
    interval    = 1
    duration    = 4
    day_of_week = "Sunday"
    start_time  = "02:00"
    utc_offset  = "+00:00"
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.cluster.id]
  }

  # System pods only (CoreDNS, metrics, add-ons); the API runs on the `app` pool.
  default_node_pool {
    name                         = "system"
    vm_size                      = "Standard_D4ds_v5"
    vnet_subnet_id               = var.nodes_subnet_id
    zones                        = ["1", "2", "3"]
    auto_scaling_enabled         = true
    min_count                    = var.system_node_count.min
    max_count                    = var.system_node_count.max
    max_pods                     = 110
    only_critical_addons_enabled = true
    os_disk_type                 = "Ephemeral"
    os_disk_size_gb              = 128
    host_encryption_enabled      = true
    temporary_name_for_rotation  = "systemtmp"

    upgrade_settings {
      max_surge = "33%"
    }
  }

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_data_plane  = "cilium"
    network_policy      = "cilium"
    load_balancer_sku   = "standard"
    outbound_type       = "userAssignedNATGateway"
  }

  oms_agent {
    log_analytics_workspace_id      = azurerm_log_analytics_workspace.this.id
    msi_auth_for_monitoring_enabled = true
  }

  microsoft_defender {
    log_analytics_workspace_id = azurerm_log_analytics_workspace.this.id
  }

  key_vault_secrets_provider {
    secret_rotation_enabled = true # pragma: allowlist secret (a setting, not a secret)
  }

  web_app_routing {
    dns_zone_ids = []
  }

  depends_on = [azurerm_role_assignment.cluster_network]
}

resource "azurerm_kubernetes_cluster_node_pool" "app" {
  name                        = "app"
  kubernetes_cluster_id       = azurerm_kubernetes_cluster.this.id
  mode                        = "User"
  vm_size                     = var.app_vm_size
  vnet_subnet_id              = var.nodes_subnet_id
  zones                       = ["1", "2", "3"]
  auto_scaling_enabled        = true
  min_count                   = var.app_node_count.min
  max_count                   = var.app_node_count.max
  max_pods                    = 110
  os_disk_type                = "Ephemeral"
  os_disk_size_gb             = 128
  host_encryption_enabled     = true
  temporary_name_for_rotation = "apptmp"
  tags                        = var.tags

  upgrade_settings {
    max_surge = "33%"
  }
}

# NVIDIA GPUs for the model (drivers installed by AKS). Tainted, so only pods that tolerate
# nvidia.com/gpu (the API with components/gpu) land here; scales to zero when none runs.
resource "azurerm_kubernetes_cluster_node_pool" "gpu" {
  count = var.gpu_vm_size == "" ? 0 : 1

  name                        = "gpu"
  kubernetes_cluster_id       = azurerm_kubernetes_cluster.this.id
  mode                        = "User"
  vm_size                     = var.gpu_vm_size
  vnet_subnet_id              = var.nodes_subnet_id
  auto_scaling_enabled        = true
  min_count                   = var.gpu_node_count.min
  max_count                   = var.gpu_node_count.max
  max_pods                    = 110
  node_taints                 = ["nvidia.com/gpu=present:NoSchedule"]
  os_disk_type                = "Managed"
  host_encryption_enabled     = true
  temporary_name_for_rotation = "gputmp"
  tags                        = var.tags

  upgrade_settings {
    max_surge = "1"
  }
}

resource "azurerm_role_assignment" "admins" {
  for_each = toset(var.admin_object_ids)

  scope                = azurerm_kubernetes_cluster.this.id
  role_definition_name = "Azure Kubernetes Service RBAC Cluster Admin"
  principal_id         = each.value
}
