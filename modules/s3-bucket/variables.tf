variable "abort_incomplete_multipart_upload_days" {
  description = "Days after which incomplete multipart uploads are aborted."
  type        = number
  nullable    = false
}

variable "access_log" {
  description = "Server access logging target: `bucket` (name) and `prefix`. Null disables access logging."
  type = object({
    bucket = string
    prefix = optional(string, "")
  })
  default = null
}

variable "expiration_days" {
  description = "Days after which current objects expire. Null keeps objects forever."
  type        = number
  default     = null
}

variable "force_destroy" {
  description = "Allow Terraform to delete the bucket while it still holds objects."
  type        = bool
  nullable    = false
}

variable "kms_key" {
  description = "KMS key for SSE-KMS (with an S3 bucket key), as `{ arn = ... }`. Null uses SSE-S3."
  type = object({
    arn = string
  })
  default = null
}

variable "name" {
  description = "Bucket name."
  type        = string
  nullable    = false
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which noncurrent object versions expire. Null keeps them."
  type        = number
  default     = null
}

variable "tags" {
  description = "Tags for the bucket."
  type        = map(string)
  nullable    = false
}
