terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
      # The CloudFront log bucket (and AWS WAF for CloudFront, when used) live in us-east-1.
      configuration_aliases = [aws.us_east_1]
    }
  }
}
