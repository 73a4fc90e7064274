output "bucket_name" {
  description = "Bucket to upload the built site to (aws s3 sync ... s3://BUCKET/)."
  value       = module.bucket.id
}

output "distribution_id" {
  description = "CloudFront distribution ID (for cache invalidations after a deploy)."
  value       = aws_cloudfront_distribution.this.id
}

output "distribution_domain_name" {
  description = "CloudFront domain name (the alias target of domain_name)."
  value       = aws_cloudfront_distribution.this.domain_name
}

output "distribution_hosted_zone_id" {
  description = "Hosted zone ID for alias records to the distribution."
  value       = aws_cloudfront_distribution.this.hosted_zone_id
}

output "url" {
  description = "URL of the site."
  value       = "https://${var.domain_name}"
}
