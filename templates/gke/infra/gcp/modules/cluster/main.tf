# GKE Autopilot: Google runs the nodes (sizing, patching, upgrades, security hardening) and bills the pods'
# resource requests. The cluster is private: nodes have no public addresses, and the control plane is reached
# only through its DNS endpoint, which checks IAM (container.clusters.connect) on every request; the IP
# endpoints are disabled. Workload Identity, Shielded nodes and network policy enforcement (Dataplane V2) are
# always on in Autopilot.

# The nodes' own service account: logs, metrics and image pulls only (never the Compute Engine default account,
# which has Editor on the project).
resource "google_service_account" "nodes" {
  account_id   = var.node_service_account_id
  display_name = "GKE nodes of ${var.name}"
}

resource "google_project_iam_member" "nodes" {
  project = var.project_id
  role    = "roles/container.defaultNodeServiceAccount"
  member  = "serviceAccount:${google_service_account.nodes.email}"
}

resource "google_container_cluster" "this" {
  # checkov:skip=CKV_GCP_12: Autopilot always enforces NetworkPolicy with GKE Dataplane V2; the network_policy block configures Calico on Standard clusters and is not accepted by Autopilot.
  # checkov:skip=CKV_GCP_61: Autopilot manages node networking and does not offer intranode visibility; the subnet's VPC flow logs are on (modules/network).
  # checkov:skip=CKV_GCP_69: Autopilot always runs the GKE metadata server (Workload Identity is always on); there is no node_config to set it in.
  # checkov:skip=CKV_GCP_20: the IP endpoints are disabled (control_plane_endpoints_config), so there is nothing for authorised networks to restrict; the only endpoint is the DNS endpoint, which authorises every request with IAM.
  # checkov:skip=CKV_GCP_65: Google Groups for RBAC needs a Google Workspace or Cloud Identity domain; set authenticator_groups_config once you have a gke-security-groups group (infra/gcp/README.md).
  name     = var.name
  location = var.region

  enable_autopilot    = true
  deletion_protection = var.deletion_protection

  network    = var.network_id
  subnetwork = var.subnetwork_id

  ip_allocation_policy {
    cluster_secondary_range_name  = var.pods_range_name
    services_secondary_range_name = var.services_range_name
  }

  # No client certificates: every kubectl request authenticates with Google IAM.
  master_auth {
    client_certificate_config {
      issue_client_certificate = false
    }
  }

  private_cluster_config {
    enable_private_nodes = true
  }

  control_plane_endpoints_config {
    dns_endpoint_config {
      allow_external_traffic = true
    }
    ip_endpoints_config {
      enabled = false
    }
  }

  workload_identity_config {
    workload_pool = "${var.project_id}.svc.id.goog"
  }

  cluster_autoscaling {
    auto_provisioning_defaults {
      service_account = google_service_account.nodes.email
      oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
    }
  }

  release_channel {
    channel = var.release_channel
  }

  # Only images the project's Binary Authorization policy admits (the default policy admits all; tighten it to
  # attested images from your registry).
  binary_authorization {
    evaluation_mode = "PROJECT_SINGLETON_POLICY_ENFORCE"
  }

  dynamic "database_encryption" {
    for_each = var.secrets_kms_key == "" ? [] : [var.secrets_kms_key]
    content {
      state    = "ENCRYPTED"
      key_name = database_encryption.value
    }
  }

  # Automatic upgrades happen at weekends, in a 6-hour window.
  maintenance_policy {
    recurring_window {
      start_time = "2025-01-04T02:00:00Z"
      end_time   = "2025-01-04T08:00:00Z"
      recurrence = "FREQ=WEEKLY;BYDAY=SA,SU"
    }
  }

  logging_config {
    enable_components = ["SYSTEM_COMPONENTS", "WORKLOADS"]
  }

  monitoring_config {
    enable_components = ["SYSTEM_COMPONENTS"]
    managed_prometheus {
      enabled = true
    }
  }

  resource_labels = var.labels

  depends_on = [google_project_iam_member.nodes]
}
