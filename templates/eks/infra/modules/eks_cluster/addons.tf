# Managed add-ons: EKS installs and patches them; `aws eks describe-addon-versions` lists newer versions (pin one in
# addon_versions to upgrade on the next apply). The networking add-ons come first, so nodes join a working
# network; CoreDNS, the Metrics Server (for the HorizontalPodAutoscaler) and Container Insights need nodes.

locals {
  addons_before_nodes = {
    # Network policies are enforced by the VPC CNI's network policy agent: the manifests deny all traffic by
    # default and allow only what the service needs.
    "vpc-cni"                = jsonencode({ enableNetworkPolicy = "true" })
    "kube-proxy"             = null
    "eks-pod-identity-agent" = null
  }
  addons_after_nodes = {
    "coredns"        = null
    "metrics-server" = null
  }
}

resource "aws_eks_addon" "before_nodes" {
  for_each = local.addons_before_nodes

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = lookup(var.addon_versions, each.key, null)
  configuration_values        = each.value
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"
}

resource "aws_eks_addon" "after_nodes" {
  for_each = local.addons_after_nodes

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = lookup(var.addon_versions, each.key, null)
  configuration_values        = each.value
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"

  depends_on = [aws_eks_node_group.this]
}

# Container Insights: the CloudWatch agent and Fluent Bit ship container logs and metrics to the
# /aws/containerinsights/<cluster>/* log groups (created first, with retention and encryption, in main.tf).
resource "aws_eks_addon" "cloudwatch" {
  count = var.container_insights ? 1 : 0

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = "amazon-cloudwatch-observability"
  addon_version               = lookup(var.addon_versions, "amazon-cloudwatch-observability", null)
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"

  pod_identity_association {
    role_arn        = aws_iam_role.pod["cloudwatch"].arn
    service_account = "cloudwatch-agent"
  }

  depends_on = [aws_eks_node_group.this, aws_eks_addon.before_nodes, module.container_insights_logs]
}
