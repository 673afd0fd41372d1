variable "account_id" {
  description = "Account of the queues (their ARNs are built from names)."
  type        = string
  nullable    = false
}

variable "dead_letter" {
  description = "A dead-letter queue `<name>-dlq` that receives a message after `max_receive_count` receives. Null: none (the queue is itself a dead-letter queue)."
  type = object({
    max_receive_count = number
  })
  default = null
}

variable "kms_key" {
  description = "KMS key as `{ arn = ... }` (SSE-KMS); null uses SSE-SQS."
  type = object({
    arn = string
  })
  default = null
}

variable "message_retention_seconds" {
  description = "How long the queue keeps a message."
  type        = number
  nullable    = false
}

variable "name" {
  description = "Queue name."
  type        = string
  nullable    = false
}

variable "partition" {
  description = "AWS partition of the queues."
  type        = string
  nullable    = false
}

variable "region" {
  description = "Region of the queues."
  type        = string
  nullable    = false
}

variable "tags" {
  description = "Tags for the queues."
  type        = map(string)
  nullable    = false
}

variable "visibility_timeout_seconds" {
  description = "How long a received message stays invisible."
  type        = number
  default     = 30
  nullable    = false
}
