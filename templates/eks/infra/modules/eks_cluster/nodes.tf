# Managed node groups (Amazon Linux 2023) in the private subnets. Nodes join through the access entry EKS creates
# for the node role. The launch template requires IMDSv2 with a hop limit of 1, so pods cannot borrow the node's
# role through the instance metadata service (they get their own through EKS Pod Identity), and encrypts the
# root volume.

data "aws_iam_policy_document" "node_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name_prefix        = "eks-node-"
  description        = "Nodes of the EKS cluster ${var.name}"
  assume_role_policy = data.aws_iam_policy_document.node_assume.json
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = toset([
    "AmazonEKSWorkerNodePolicy",
    # The VPC CNI (aws-node, host network) assigns pod addresses with the node's role.
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryPullOnly",
  ])

  role       = aws_iam_role.node.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value}"
}

locals {
  gpu_labels = { "k8s.amazonaws.com/accelerator" = "nvidia" }
}

resource "aws_launch_template" "node" {
  for_each = var.node_groups

  name_prefix            = "${var.name}-${each.key}-"
  description            = "Nodes of ${var.name} (${each.key})"
  update_default_version = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required" # pragma: allowlist secret (IMDSv2 only, not a token value)
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = each.value.disk_size_gb
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = "${var.name}-${each.key}" }
  }

  tag_specifications {
    resource_type = "volume"
    tags          = { Name = "${var.name}-${each.key}" }
  }
}

resource "aws_eks_node_group" "this" {
  for_each = var.node_groups

  cluster_name           = aws_eks_cluster.this.name
  node_group_name_prefix = "${each.key}-"
  node_role_arn          = aws_iam_role.node.arn
  subnet_ids             = var.subnet_ids

  ami_type       = each.value.gpu ? "AL2023_x86_64_NVIDIA" : "AL2023_x86_64_STANDARD"
  capacity_type  = "ON_DEMAND"
  instance_types = each.value.instance_types

  scaling_config {
    min_size     = each.value.min_size
    max_size     = each.value.max_size
    desired_size = each.value.desired_size
  }

  update_config {
    max_unavailable = 1
  }

  launch_template {
    id      = aws_launch_template.node[each.key].id
    version = aws_launch_template.node[each.key].latest_version
  }

  # GPU nodes: only pods that tolerate the taint (the GPU replicas) run there; the label is the one the manifests
  # select and the one the Cluster Autoscaler recognises as a GPU node.
  labels = each.value.gpu ? local.gpu_labels : {}

  dynamic "taint" {
    for_each = each.value.gpu ? [1] : []

    content {
      key    = "nvidia.com/gpu"
      effect = "NO_SCHEDULE"
    }
  }

  node_repair_config {
    enabled = true
  }

  lifecycle {
    create_before_destroy = true
    # The Cluster Autoscaler (if installed, see infra/README.md) owns the current size.
    ignore_changes = [scaling_config[0].desired_size]
  }

  depends_on = [
    aws_iam_role_policy_attachment.node,
    aws_eks_addon.before_nodes,
  ]
}
