terraform {
  # Tested with Terraform 1.11.4 and hashicorp/aws 5.100.0 only (README, "Compatibility").
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
    }
  }
}
