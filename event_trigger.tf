# Crawl when data arrives (event_trigger, opt-in). S3 -> EventBridge rule -> SQS queue -> the
# trigger function (event source mapping with partial batch responses). The handler acknowledges a
# message only once a crawl started after it, so a burst causes one crawl and an upload during a
# crawl causes the next one. The data bucket's EventBridge switch is in bucket.tf.
#
# Queue arithmetic: a message that arrives during a crawl is reported as a failure and reappears
# after the visibility timeout V. It must survive until a crawl can start for it, i.e. through
# ceil(max_crawl_seconds / V) receives, so max_receive_count = that + 3 (slack for throttling and
# a crawl that starts late). Retention must cover max_receive_count x V plus the batching window.

locals {
  _queue_name             = "${var.name}-new-objects"
  event_trigger_queue_arn = "${local.sqs_arn}:${local._queue_name}"
  _rule_name              = "${var.name}-new-objects"
  _rule_arn               = "arn:${format(local.arn_prefix, "events")}:rule/${local._rule_name}"

  _visibility_timeout = local.event_trigger_on ? coalesce(var.event_trigger.visibility_timeout_seconds, max(300, 6 * var.trigger.timeout)) : 0
  _max_receive_count  = local.event_trigger_on ? coalesce(var.event_trigger.max_receive_count, ceil(var.event_trigger.max_crawl_minutes * 60 / max(local._visibility_timeout, 1)) + 3) : 0
  _message_retention  = local.event_trigger_on ? min(1209600, max(var.event_trigger.message_retention_seconds, local._max_receive_count * local._visibility_timeout + var.event_trigger.batching_window_seconds)) : 0
}

resource "aws_cloudwatch_event_rule" "new_objects" {
  count       = local.event_trigger_on ? 1 : 0
  name        = local._rule_name
  description = "Object Created under the crawled prefixes of ${local.data_bucket_name}."
  tags        = var.tags

  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail = merge(
      { bucket = { name = [local.data_bucket_name] } },
      # The whole bucket is crawled when a prefix is "": then every key matches.
      local.crawls_whole_bucket ? {} : { object = { key = [for p in local.crawled_prefixes : { prefix = p }] } },
    )
  })
}

resource "aws_cloudwatch_event_target" "new_objects" {
  count     = local.event_trigger_on ? 1 : 0
  rule      = aws_cloudwatch_event_rule.new_objects[0].name
  target_id = "new-objects-queue"
  arn       = module.event_trigger_queue[0].arn
}

module "event_trigger_queue" {
  source = "./modules/queue"
  count  = local.event_trigger_on ? 1 : 0

  name                       = local._queue_name
  visibility_timeout_seconds = local._visibility_timeout
  message_retention_seconds  = local._message_retention
  dead_letter                = { max_receive_count = local._max_receive_count }
  kms_key                    = var.kms_key
  account_id                 = local.account_id
  partition                  = local.partition
  region                     = local.region
  tags                       = var.tags
}

data "aws_iam_policy_document" "new_objects_queue" {
  count = local.event_trigger_on ? 1 : 0

  statement {
    sid       = "EventBridgeRuleSends"
    actions   = ["sqs:SendMessage"]
    resources = [local.event_trigger_queue_arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local._rule_arn]
    }
  }
}

resource "aws_sqs_queue_policy" "new_objects" {
  count     = local.event_trigger_on ? 1 : 0
  queue_url = module.event_trigger_queue[0].url
  policy    = data.aws_iam_policy_document.new_objects_queue[0].json
}

resource "aws_lambda_event_source_mapping" "new_objects" {
  count                              = local.event_trigger_on ? 1 : 0
  event_source_arn                   = module.event_trigger_queue[0].arn
  function_name                      = aws_lambda_function.trigger.arn
  batch_size                         = var.event_trigger.batch_size
  maximum_batching_window_in_seconds = var.event_trigger.batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.event_trigger.maximum_concurrency
  }

  lifecycle {
    precondition {
      condition     = local._visibility_timeout >= var.trigger.timeout
      error_message = "event_trigger.visibility_timeout_seconds (${local._visibility_timeout}) must be at least trigger.timeout (${var.trigger.timeout}), or messages would be redelivered while the function still works on them."
    }
  }

  depends_on = [aws_iam_role_policy.trigger]
}
