output "log_group_names" {
  description = "Created log groups: key => name."
  value       = { for key, group in module.log_groups : key => group.name }
}

output "log_group_arns" {
  description = "Created log groups: key => ARN."
  value       = { for key, group in module.log_groups : key => group.arn }
}

output "alarm_topic_arn" {
  description = "SNS topic that receives alarms and budget alerts."
  value       = aws_sns_topic.alarms.arn
}
