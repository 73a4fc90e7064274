# What the GKE Ingress's global external Application Load Balancer uses besides the cluster: a static address
# (point the domain's DNS record at it), the TLS policy and the Cloud Armor policy. The manifests refer to them
# by name (k8s/overlays/*/cluster-values.yaml).

resource "google_compute_global_address" "ingress" {
  name = "${var.name}-ingress"
}

# TLS 1.2 or newer with the RESTRICTED cipher profile (no CBC ciphers).
resource "google_compute_ssl_policy" "this" {
  count = var.tls ? 1 : 0

  name            = "${var.name}-tls"
  profile         = "RESTRICTED"
  min_tls_version = "TLS_1_2"
}

resource "google_compute_security_policy" "this" {
  count = var.cloud_armor ? 1 : 0

  name        = "${var.name}-armor"
  description = "Web application firewall of ${var.name}"
  type        = "CLOUD_ARMOR"

  adaptive_protection_config {
    layer_7_ddos_defense_config {
      enable = true
    }
  }

  # OWASP Top 10 preconfigured rules (ModSecurity CRS 3.3), sensitivity 1 (fewest false positives).
  dynamic "rule" {
    for_each = {
      1000 = "sqli-v33-stable"
      1001 = "xss-v33-stable"
      1002 = "lfi-v33-stable"
      1003 = "rfi-v33-stable"
      1004 = "rce-v33-stable"
      1005 = "methodenforcement-v33-stable"
      1006 = "scannerdetection-v33-stable"
      1007 = "protocolattack-v33-stable"
      1008 = "sessionfixation-v33-stable"
    }
    content {
      action      = "deny(403)"
      priority    = rule.key
      description = "Block ${rule.value}"
      match {
        expr {
          expression = "evaluatePreconfiguredWaf('${rule.value}', {'sensitivity': 1})"
        }
      }
    }
  }

  # Log4Shell (CVE-2021-44228) and similar remote code execution probes.
  rule {
    action      = "deny(403)"
    priority    = 1100
    description = "Block Log4j exploit attempts"
    match {
      expr {
        expression = "evaluatePreconfiguredWaf('cve-canary')"
      }
    }
  }

  # Throttle any single client address that floods the API.
  rule {
    action      = "throttle"
    priority    = 2000
    description = "Rate limit per client address"
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
    rate_limit_options {
      conform_action = "allow"
      exceed_action  = "deny(429)"
      enforce_on_key = "IP"
      rate_limit_threshold {
        count        = var.rate_limit_per_minute
        interval_sec = 60
      }
    }
  }

  rule {
    action      = "allow"
    priority    = 2147483647
    description = "Default: allow"
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
  }
}
