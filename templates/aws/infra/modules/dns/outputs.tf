output "certificate_arn" {
  description = "ARN of the validated certificate (use it only after validation, as this output does)."
  value       = aws_acm_certificate_validation.this.certificate_arn
}

output "zone_id" {
  description = "Hosted zone ID."
  value       = data.aws_route53_zone.this.zone_id
}

output "fqdn" {
  description = "The certified host name."
  value       = var.domain_name
}
