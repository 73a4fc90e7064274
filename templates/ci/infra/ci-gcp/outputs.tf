output "workload_identity_provider" {
  description = "Set as GCP_WORKLOAD_IDENTITY_PROVIDER in the CI system (the same for every environment)."
  value       = google_iam_workload_identity_pool_provider.ci.name
}

output "service_accounts" {
  description = "Set each as GCP_SERVICE_ACCOUNT of the environment of the same name."
  value       = { for env, account in google_service_account.deploy : env => account.email }
}
