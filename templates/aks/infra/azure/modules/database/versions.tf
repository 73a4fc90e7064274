terraform {
  # 1.11: write-only arguments (administrator_password_wo), so the generated password never reaches the state.
  required_version = ">= 1.11"

  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
      # administrator_password_wo, including when it turns on password authentication of an existing server.
      version = "~> 4.0, >= 4.30"
    }
    random = {
      source = "hashicorp/random"
      # 3.7: the ephemeral random_password.
      version = "~> 3.7"
    }
  }
}
