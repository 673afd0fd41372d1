variable "name" {
  description = "Name prefix for every resource."
  type        = string
  default     = "catalog-access"
}

variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "us-east-1"
}
