output "private_ip" {
  description = "Private address of the instance (DB_HOST)."
  value       = google_sql_database_instance.this.private_ip_address
}

output "instance_name" {
  description = "Name of the instance."
  value       = google_sql_database_instance.this.name
}

output "connection_name" {
  description = "project:region:instance, for the Cloud SQL connectors and Auth Proxy."
  value       = google_sql_database_instance.this.connection_name
}

output "database_name" {
  description = "The service's database (DB_NAME)."
  value       = google_sql_database.this.name
}
