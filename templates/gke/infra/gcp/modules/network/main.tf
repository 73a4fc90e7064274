# A custom-mode VPC with one subnet for the cluster. Node addresses come from the primary range, pods and
# services from secondary ranges (VPC-native cluster). Nodes have private addresses only: Google APIs are
# reached through Private Google Access, the internet (when allowed) through Cloud NAT.
locals {
  nodes_cidr    = cidrsubnet(var.cidr, 4, 0)  # x.x.0.0/20
  services_cidr = cidrsubnet(var.cidr, 4, 1)  # x.x.16.0/20
  proxy_cidr    = cidrsubnet(var.cidr, 7, 16) # x.x.32.0/23
  pods_cidr     = cidrsubnet(var.cidr, 2, 2)  # x.x.128.0/18
}

resource "google_compute_network" "this" {
  name                    = var.name
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"
}

# Nothing reaches the network unless a rule allows it. GKE adds the rules the cluster needs (control plane,
# load balancer health checks); this rule makes the default explicit and logs what it drops.
resource "google_compute_firewall" "deny_all_ingress" {
  name        = "${var.name}-deny-all-ingress"
  network     = google_compute_network.this.id
  direction   = "INGRESS"
  priority    = 65534
  description = "Deny all ingress not allowed by a higher-priority rule"

  deny {
    protocol = "all"
  }

  source_ranges = ["0.0.0.0/0"]

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_subnetwork" "nodes" {
  name                     = "${var.name}-nodes"
  region                   = var.region
  network                  = google_compute_network.this.id
  ip_cidr_range            = local.nodes_cidr
  private_ip_google_access = true

  secondary_ip_range {
    range_name    = "pods"
    ip_cidr_range = local.pods_cidr
  }

  secondary_ip_range {
    range_name    = "services"
    ip_cidr_range = local.services_cidr
  }

  # VPC flow logs: who talked to whom, for incident investigation.
  log_config {
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

# Internal Application Load Balancers run their proxies in this subnet.
resource "google_compute_subnetwork" "proxy_only" {
  count = var.proxy_only_subnet ? 1 : 0

  name          = "${var.name}-proxy-only"
  region        = var.region
  network       = google_compute_network.this.id
  ip_cidr_range = local.proxy_cidr
  purpose       = "REGIONAL_MANAGED_PROXY"
  role          = "ACTIVE"
}

resource "google_compute_router" "this" {
  count = var.nat ? 1 : 0

  name    = "${var.name}-router"
  region  = var.region
  network = google_compute_network.this.id
}

resource "google_compute_router_nat" "this" {
  count = var.nat ? 1 : 0

  name                               = "${var.name}-nat"
  router                             = google_compute_router.this[0].name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "LIST_OF_SUBNETWORKS"

  subnetwork {
    name                    = google_compute_subnetwork.nodes.id
    source_ip_ranges_to_nat = ["ALL_IP_RANGES"]
  }

  log_config {
    enable = true
    filter = "ERRORS_ONLY"
  }
}
