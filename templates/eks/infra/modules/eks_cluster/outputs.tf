output "cluster_name" {
  description = "Cluster name (aws eks update-kubeconfig --name ...)."
  value       = aws_eks_cluster.this.name
}

output "cluster_arn" {
  description = "Cluster ARN."
  value       = aws_eks_cluster.this.arn
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint (private unless public_access_cidrs is set)."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_security_group_id" {
  description = "Security group EKS created for the control plane and the nodes; pods use it too (database access)."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "node_role_arn" {
  description = "Role of the nodes."
  value       = aws_iam_role.node.arn
}

output "app_role_arn" {
  description = "Role the application's pods get through EKS Pod Identity."
  value       = aws_iam_role.pod["app"].arn
}

output "load_balancer_controller_role_arn" {
  description = "Role of the AWS Load Balancer Controller (service account kube-system/aws-load-balancer-controller)."
  value       = aws_iam_role.pod["lb-controller"].arn
}

output "cluster_autoscaler_role_arn" {
  description = "Role of the Cluster Autoscaler (service account kube-system/cluster-autoscaler)."
  value       = aws_iam_role.pod["autoscaler"].arn
}

output "node_group_names" {
  description = "Managed node groups: key => EKS name."
  value       = { for key, group in aws_eks_node_group.this : key => group.node_group_name }
}
