# EKS Pod Identity: each Kubernetes service account that calls AWS gets its own IAM role, handed out by the
# eks-pod-identity-agent add-on. A role trusts only this cluster, namespace and service account (session tags).

locals {
  pod_roles = merge(
    {
      app = {
        namespace       = var.app_namespace
        service_account = var.app_service_account
        description     = "Application pods of ${var.name}"
      }
      lb-controller = {
        namespace       = "kube-system"
        service_account = "aws-load-balancer-controller"
        description     = "AWS Load Balancer Controller of ${var.name}"
      }
      autoscaler = {
        namespace       = "kube-system"
        service_account = "cluster-autoscaler"
        description     = "Cluster Autoscaler of ${var.name}"
      }
    },
    var.container_insights ? {
      cloudwatch = {
        namespace       = "amazon-cloudwatch"
        service_account = "cloudwatch-agent"
        description     = "CloudWatch agent (Container Insights) of ${var.name}"
      }
    } : {},
  )
}

data "aws_iam_policy_document" "pod_assume" {
  for_each = local.pod_roles

  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/eks-cluster-name"
      values   = [var.name]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/kubernetes-namespace"
      values   = [each.value.namespace]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/kubernetes-service-account"
      values   = [each.value.service_account]
    }
  }
}

resource "aws_iam_role" "pod" {
  for_each = local.pod_roles

  name_prefix        = "eks-${each.key}-"
  description        = each.value.description
  assume_role_policy = data.aws_iam_policy_document.pod_assume[each.key].json
}

# The application: what the caller allows (model artefacts, the database secret, the SageMaker endpoint).
resource "aws_iam_role_policy" "app" {
  name   = "application"
  role   = aws_iam_role.pod["app"].id
  policy = var.app_policy_json
}

# The AWS Load Balancer Controller's published IAM policy (docs/install/iam_policy.json of
# kubernetes-sigs/aws-load-balancer-controller), kept verbatim in the JSON file next to this one; only the
# partition is adapted. Its write actions are limited to resources tagged elbv2.k8s.aws/cluster.
resource "aws_iam_role_policy" "lb_controller" {
  name   = "aws-load-balancer-controller"
  role   = aws_iam_role.pod["lb-controller"].id
  policy = replace(file("${path.module}/aws_load_balancer_controller_policy.json"), "arn:aws:", "arn:${local.partition}:")
}

# The Cluster Autoscaler resizes only this cluster's managed node groups (EKS tags their Auto Scaling groups).
data "aws_iam_policy_document" "autoscaler" {
  statement {
    sid = "ResizeThisClustersNodeGroups"
    actions = [
      "autoscaling:SetDesiredCapacity",
      "autoscaling:TerminateInstanceInAutoScalingGroup",
    ]
    resources = ["arn:${local.partition}:autoscaling:${local.region}:${local.account_id}:autoScalingGroup:*:autoScalingGroupName/eks-*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/k8s.io/cluster-autoscaler/${var.name}"
      values   = ["owned"]
    }
  }

  statement {
    sid       = "ReadNodeGroups"
    actions   = ["eks:DescribeNodegroup"]
    resources = ["arn:${local.partition}:eks:${local.region}:${local.account_id}:nodegroup/${var.name}/*/*"]
  }

  # Describe calls that AWS does not scope to resources.
  statement {
    sid = "DescribeCapacity"
    actions = [
      "autoscaling:DescribeAutoScalingGroups",
      "autoscaling:DescribeAutoScalingInstances",
      "autoscaling:DescribeLaunchConfigurations",
      "autoscaling:DescribeScalingActivities",
      "autoscaling:DescribeTags",
      "ec2:DescribeImages",
      "ec2:DescribeInstanceTypes",
      "ec2:DescribeLaunchTemplateVersions",
      "ec2:GetInstanceTypesFromInstanceRequirements",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "autoscaler" {
  name   = "cluster-autoscaler"
  role   = aws_iam_role.pod["autoscaler"].id
  policy = data.aws_iam_policy_document.autoscaler.json
}

resource "aws_iam_role_policy_attachment" "cloudwatch" {
  count = var.container_insights ? 1 : 0

  role       = aws_iam_role.pod["cloudwatch"].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/CloudWatchAgentServerPolicy"
}

# The add-on (addons.tf) associates the CloudWatch agent's role itself.
resource "aws_eks_pod_identity_association" "this" {
  for_each = { for key, role in local.pod_roles : key => role if key != "cloudwatch" }

  cluster_name    = aws_eks_cluster.this.name
  namespace       = each.value.namespace
  service_account = each.value.service_account
  role_arn        = aws_iam_role.pod[each.key].arn

  depends_on = [aws_eks_addon.before_nodes]
}
