output "state_bucket" {
  description = "Bucket that holds the state of the environment roots."
  value       = module.state_bucket.id
}

output "kms_key_arn" {
  description = "Key that encrypts the state."
  value       = module.kms.key_arn
}

output "backend_hcl" {
  description = "backend.hcl for an environment root (replace ENV by dev or prod)."
  value       = <<-EOT
    bucket       = "${module.state_bucket.id}"
    key          = "${var.project}/ENV/terraform.tfstate"
    region       = "${var.region}"
    encrypt      = true
    kms_key_id   = "${module.kms.alias_name}"
    use_lockfile = true
  EOT
}
