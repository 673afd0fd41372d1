# Every queue the module creates, encrypted alike: with kms_key when given, SSE-SQS otherwise.
# Dead-letter queues (the trigger's failure destination among them) are one resource and work
# queues another, so every redrive policy points at a queue that already exists.

locals {
  # key -> queue name. Each holds work that was never done; notifications.tf alarms on all of them.
  _dead_letter_queues = merge(
    { trigger_failures = local.failures_queue },
    local.event_trigger_on ? { new_objects = "${local.new_objects_queue}-dlq" } : {},
    local.event_mode ? { crawler_events = "${local.crawler_events_queue}-dlq" } : {},
  )

  _work_queues = merge(
    local.event_trigger_on ? {
      new_objects = {
        name              = local.new_objects_queue
        visibility        = local._visibility_timeout
        retention         = local._message_retention
        max_receive_count = local._max_receive_count
      }
    } : {},
    local.event_mode ? {
      crawler_events = {
        name              = local.crawler_events_queue
        visibility        = 30
        retention         = 1209600
        max_receive_count = 5
      }
    } : {},
  )
}

resource "aws_sqs_queue" "dead_letter" {
  for_each                          = local._dead_letter_queues
  name                              = each.value
  message_retention_seconds         = 1209600
  kms_master_key_id                 = local.kms_key_arn
  kms_data_key_reuse_period_seconds = local.use_kms ? 300 : null
  sqs_managed_sse_enabled           = local.use_kms ? null : true
  tags                              = var.tags
}

resource "aws_sqs_queue" "work" {
  for_each                          = local._work_queues
  name                              = each.value.name
  visibility_timeout_seconds        = each.value.visibility
  message_retention_seconds         = each.value.retention
  kms_master_key_id                 = local.kms_key_arn
  kms_data_key_reuse_period_seconds = local.use_kms ? 300 : null
  sqs_managed_sse_enabled           = local.use_kms ? null : true
  tags                              = var.tags

  # The DLQ ARN is built from its name so the redrive policy is known at plan time.
  redrive_policy = jsonencode({
    deadLetterTargetArn = "${local.sqs_arn_prefix}:${local._dead_letter_queues[each.key]}"
    maxReceiveCount     = each.value.max_receive_count
  })

  lifecycle {
    precondition {
      condition     = each.value.visibility >= var.trigger.timeout || each.key != "new_objects"
      error_message = "event_trigger.visibility_timeout_seconds (${each.value.visibility}) must be at least trigger.timeout (${var.trigger.timeout}), or messages would be redelivered while the function still works on them."
    }
  }

  depends_on = [aws_sqs_queue.dead_letter]
}
