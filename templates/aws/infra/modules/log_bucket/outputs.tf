output "id" {
  description = "Bucket name (known once the bucket policy allows log delivery, so load balancers can use it)."
  value       = aws_s3_bucket_policy.this.bucket
}

output "arn" {
  description = "Bucket ARN."
  value       = aws_s3_bucket.this.arn
}

output "domain_name" {
  description = "Bucket domain name (the form CloudFront logging expects), once ACLs and the policy are in place."
  value       = aws_s3_bucket.this.bucket_domain_name

  depends_on = [aws_s3_bucket_ownership_controls.this, aws_s3_bucket_policy.this]
}
