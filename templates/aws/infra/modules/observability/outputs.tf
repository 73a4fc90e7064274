output "alarm_topic_arn" {
  description = "SNS topic that receives alarms and budget alerts."
  value       = aws_sns_topic.alarms.arn
}
