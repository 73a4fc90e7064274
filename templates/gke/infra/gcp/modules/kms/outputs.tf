output "key_id" {
  description = "ID of the crypto key."
  value       = google_kms_crypto_key.this.id
}
