terraform {
  # Tested with Terraform 1.11 and OpenTofu 1.8+ (see README, "Compatibility").
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0, < 7.0"
    }
  }
}
