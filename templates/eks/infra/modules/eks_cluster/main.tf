# The EKS control plane: private API endpoint (public access only from listed addresses), Kubernetes Secrets
# envelope-encrypted with the environment's key, every control-plane log type in an encrypted log group, and
# access through EKS access entries (authentication mode API: no aws-auth ConfigMap).

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name

  public_endpoint = length(var.public_access_cidrs) > 0
}

# EKS would create this log group itself, unencrypted and kept forever; creating it first sets both.
module "control_plane_logs" {
  source = "../log_group"

  name              = "/aws/eks/${var.name}/cluster"
  retention_in_days = var.log_retention_days
  kms_key_arn       = var.kms_key_arn
}

# The same for the log groups of Container Insights (application = the containers' stdout and stderr).
module "container_insights_logs" {
  source   = "../log_group"
  for_each = var.container_insights ? toset(["application", "dataplane", "host", "performance"]) : toset([])

  name              = "/aws/containerinsights/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_arn       = var.kms_key_arn
}

data "aws_iam_policy_document" "cluster_assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name_prefix        = "eks-cluster-"
  description        = "EKS control plane of ${var.name}"
  assume_role_policy = data.aws_iam_policy_document.cluster_assume.json
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
}

# Envelope encryption: the control plane wraps the data keys of Kubernetes Secrets with this key only.
data "aws_iam_policy_document" "cluster_kms" {
  statement {
    sid       = "EncryptKubernetesSecrets"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "cluster_kms" {
  name   = "encrypt-secrets"
  role   = aws_iam_role.cluster.id
  policy = data.aws_iam_policy_document.cluster_kms.json
}

resource "aws_eks_cluster" "this" {
  name     = var.name
  role_arn = aws_iam_role.cluster.arn
  version  = var.kubernetes_version

  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  # The VPC CNI, kube-proxy and CoreDNS come as managed add-ons (addons.tf), not as unmanaged defaults.
  bootstrap_self_managed_addons = false

  access_config {
    authentication_mode = "API"
    # The identity that runs the first apply (a person or the CI deploy role) gets cluster-admin through an
    # access entry, so it can install the load balancer controller and deploy; cluster_admin_arns adds others.
    bootstrap_cluster_creator_admin_permissions = true
  }

  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = local.public_endpoint
    public_access_cidrs     = local.public_endpoint ? var.public_access_cidrs : null
  }

  encryption_config {
    resources = ["secrets"]

    provider {
      key_arn = var.kms_key_arn
    }
  }

  upgrade_policy {
    support_type = var.support_type
  }

  depends_on = [
    aws_iam_role_policy_attachment.cluster,
    aws_iam_role_policy.cluster_kms,
    module.control_plane_logs,
  ]
}

# --- people and pipelines: EKS access entries -------------------------------------------------------

resource "aws_eks_access_entry" "admin" {
  for_each = toset(var.cluster_admin_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  type          = "STANDARD"
}

resource "aws_eks_access_policy_association" "admin" {
  for_each = toset(var.cluster_admin_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_eks_access_entry.admin[each.value].principal_arn
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }
}
