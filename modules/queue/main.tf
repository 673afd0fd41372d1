# An SQS queue and, when asked, its dead-letter queue, encrypted alike: with kms_key when given,
# SSE-SQS otherwise. Every queue of the module is one of these, so they cannot drift apart.

locals {
  dead_letter_name = "${var.name}-dlq"
  # Built from the name so that a redrive policy (and any IAM policy) is known at plan time.
  dead_letter_arn = "arn:${var.partition}:sqs:${var.region}:${var.account_id}:${local.dead_letter_name}"
}

resource "aws_sqs_queue" "dead_letter" {
  count                             = var.dead_letter == null ? 0 : 1
  name                              = local.dead_letter_name
  message_retention_seconds         = 1209600
  kms_master_key_id                 = try(var.kms_key.arn, null)
  kms_data_key_reuse_period_seconds = var.kms_key == null ? null : 300
  sqs_managed_sse_enabled           = var.kms_key == null ? true : null
  tags                              = var.tags
}

resource "aws_sqs_queue" "this" {
  name                              = var.name
  visibility_timeout_seconds        = var.visibility_timeout_seconds
  message_retention_seconds         = var.message_retention_seconds
  kms_master_key_id                 = try(var.kms_key.arn, null)
  kms_data_key_reuse_period_seconds = var.kms_key == null ? null : 300
  sqs_managed_sse_enabled           = var.kms_key == null ? true : null
  tags                              = var.tags

  redrive_policy = var.dead_letter == null ? null : jsonencode({
    deadLetterTargetArn = local.dead_letter_arn
    maxReceiveCount     = var.dead_letter.max_receive_count
  })

  depends_on = [aws_sqs_queue.dead_letter]
}
