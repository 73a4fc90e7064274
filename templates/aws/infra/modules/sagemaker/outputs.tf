output "endpoint_name" {
  description = "Endpoint name (SAGEMAKER_ENDPOINT_NAME of the API)."
  value       = aws_sagemaker_endpoint.this.name
}

output "endpoint_arn" {
  description = "Endpoint ARN (the API's role may invoke only this)."
  value       = aws_sagemaker_endpoint.this.arn
}

output "execution_role_arn" {
  description = "Role SageMaker runs the model as."
  value       = aws_iam_role.execution.arn
}

output "log_group_name" {
  description = "Log group of the model container."
  value       = module.log_group.name
}
