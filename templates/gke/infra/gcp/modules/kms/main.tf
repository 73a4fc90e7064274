# A customer-managed encryption key (CMEK) for the images, the database and the cluster's Secrets: you control
# its rotation, its access and can revoke it. Key rings and keys cannot be deleted in Cloud KMS, so the key is
# also protected from `terraform destroy` (see infra/gcp/README.md, "Tear down").
resource "google_kms_key_ring" "this" {
  name     = var.name
  location = var.region
}

resource "google_kms_crypto_key" "this" {
  name            = var.name
  key_ring        = google_kms_key_ring.this.id
  purpose         = "ENCRYPT_DECRYPT"
  rotation_period = "7776000s" # 90 days

  lifecycle {
    prevent_destroy = true
  }
}

resource "google_kms_crypto_key_iam_member" "encrypters" {
  for_each = var.encrypters

  crypto_key_id = google_kms_crypto_key.this.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:${each.value}"
}
