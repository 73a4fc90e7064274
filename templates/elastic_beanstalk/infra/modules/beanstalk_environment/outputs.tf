output "application_name" {
  description = "Elastic Beanstalk application (releases are its application versions)."
  value       = aws_elastic_beanstalk_application.this.name
}

output "environment_name" {
  description = "Elastic Beanstalk environment."
  value       = aws_elastic_beanstalk_environment.this.name
}

output "environment_cname" {
  description = "Host name Elastic Beanstalk gave the environment (ENV.REGION.elasticbeanstalk.com)."
  value       = aws_elastic_beanstalk_environment.this.cname
}

output "endpoint_url" {
  description = "The load balancer's DNS name, or the single instance's address."
  value       = aws_elastic_beanstalk_environment.this.endpoint_url
}

output "solution_stack_name" {
  description = "Platform version the environment was created with (managed updates move it forward)."
  value       = data.aws_elastic_beanstalk_solution_stack.docker.name
}

output "instance_security_group_id" {
  description = "Security group of the instances (allow it on databases and other back ends)."
  value       = aws_security_group.instance.id
}

output "instance_role_arn" {
  description = "Role the instances and the application run as."
  value       = aws_iam_role.instance.arn
}

output "service_role_arn" {
  description = "Role Elastic Beanstalk uses for health reporting."
  value       = aws_iam_role.service.arn
}
