variable "name" {
  description = "Name of the key ring and key (project and environment)."
  type        = string
}

variable "region" {
  description = "Region of the key ring (the data's region)."
  type        = string
}

variable "encrypters" {
  description = "Service agents that encrypt and decrypt with the key, by a fixed key (registry, database, cluster)."
  type        = map(string)
}
