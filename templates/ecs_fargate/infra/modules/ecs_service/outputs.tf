output "cluster_name" {
  description = "ECS cluster name."
  value       = aws_ecs_cluster.this.name
}

output "service_name" {
  description = "ECS service name."
  value       = aws_ecs_service.this.name
}

output "task_definition_family" {
  description = "Task definition family (CI registers new revisions of it)."
  value       = aws_ecs_task_definition.this.family
}

output "container_name" {
  description = "Name of the application container in the task definition."
  value       = local.container_name
}

output "alb_arn" {
  description = "Load balancer ARN."
  value       = aws_lb.this.arn
}

output "alb_arn_suffix" {
  description = "Load balancer ARN suffix (CloudWatch dimension)."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arn_suffix" {
  description = "Target group ARN suffix (CloudWatch dimension)."
  value       = aws_lb_target_group.this.arn_suffix
}

output "alb_dns_name" {
  description = "DNS name of the load balancer (the alias/CNAME target of the API host name)."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Hosted zone ID of the load balancer (for alias records)."
  value       = aws_lb.this.zone_id
}

output "task_security_group_id" {
  description = "Security group of the tasks (allow it on databases and other back ends)."
  value       = aws_security_group.task.id
}

output "task_role_arn" {
  description = "Role the application runs as."
  value       = aws_iam_role.task.arn
}

output "execution_role_arn" {
  description = "Role ECS uses to start the tasks."
  value       = aws_iam_role.execution.arn
}
