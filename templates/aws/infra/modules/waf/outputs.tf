output "web_acl_arn" {
  description = "Web ACL ARN (for associations and CloudFront web_acl_id)."
  value       = aws_wafv2_web_acl.this.arn
}

output "log_group_name" {
  description = "Log group of the WAF logs."
  value       = module.log_group.name
}
