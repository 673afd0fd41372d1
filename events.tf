# Crawl when data arrives. S3 -> EventBridge -> SQS -> trigger Lambda (event source mapping with
# partial batch responses). The handler acknowledges a message only once a crawl started after it,
# so a burst causes one crawl and an upload during a crawl causes the next one.
#
# Queue arithmetic (queues.tf creates the queues): a message that arrives during a crawl is reported as a failure and reappears
# after the visibility timeout V. It must survive until a crawl can start for it, i.e. through
# ceil(max_crawl_seconds / V) receives, so max_receive_count = that + 3 (slack for throttling and
# a crawl that starts late). Retention must cover max_receive_count x V plus the batching window.

locals {
  event_trigger_on = var.event_trigger != null
  event_mode       = var.crawler.recrawl_behavior == "CRAWL_EVENT_MODE"

  new_objects_queue     = "${var.name}-new-objects"
  new_objects_queue_arn = "${local.sqs_arn_prefix}:${local.new_objects_queue}"
  new_objects_rule      = "${var.name}-new-objects"
  new_objects_rule_arn  = "arn:${local.partition}:events:${local.region}:${local.account_id}:rule/${local.new_objects_rule}"

  _visibility_timeout = local.event_trigger_on ? coalesce(var.event_trigger.visibility_timeout_seconds, max(300, 6 * var.trigger.timeout)) : 0
  _max_receive_count  = local.event_trigger_on ? coalesce(var.event_trigger.max_receive_count, ceil(var.event_trigger.max_crawl_minutes * 60 / max(local._visibility_timeout, 1)) + 3) : 0
  _message_retention  = local.event_trigger_on ? min(1209600, max(var.event_trigger.message_retention_seconds, local._max_receive_count * local._visibility_timeout + var.event_trigger.batching_window_seconds)) : 0

  crawled_prefixes = [for t in var.crawler.targets : t.prefix]

  crawler_events_queue     = "${var.name}-crawler-s3-events"
  crawler_events_queue_arn = "${local.sqs_arn_prefix}:${local.crawler_events_queue}"
  crawler_events_dlq_arn   = "${local.crawler_events_queue_arn}-dlq"
}

# A bucket has exactly one notification configuration: this resource owns it.
resource "aws_s3_bucket_notification" "data" {
  count       = local.event_trigger_on || local.event_mode ? 1 : 0
  bucket      = local.data_bucket_name
  eventbridge = local.event_trigger_on

  dynamic "queue" {
    for_each = local.event_mode ? var.crawler.targets : []
    content {
      queue_arn     = aws_sqs_queue.work["crawler_events"].arn
      events        = ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]
      filter_prefix = queue.value.prefix == "" ? null : queue.value.prefix
    }
  }

  depends_on = [module.data_bucket, aws_sqs_queue_policy.crawler_events]
}

resource "aws_cloudwatch_event_rule" "new_objects" {
  count       = local.event_trigger_on ? 1 : 0
  name        = local.new_objects_rule
  description = "Object Created under the crawled prefixes of ${local.data_bucket_name}."
  tags        = var.tags

  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail = merge(
      { bucket = { name = [local.data_bucket_name] } },
      # The whole bucket is crawled when a prefix is "": then every key matches.
      contains(local.crawled_prefixes, "") ? {} : { object = { key = [for p in local.crawled_prefixes : { prefix = p }] } },
    )
  })
}

resource "aws_cloudwatch_event_target" "new_objects" {
  count     = local.event_trigger_on ? 1 : 0
  rule      = aws_cloudwatch_event_rule.new_objects[0].name
  target_id = "new-objects-queue"
  arn       = aws_sqs_queue.work["new_objects"].arn
}

data "aws_iam_policy_document" "new_objects_queue" {
  count = local.event_trigger_on ? 1 : 0

  statement {
    sid       = "EventBridgeRuleSends"
    actions   = ["sqs:SendMessage"]
    resources = [local.new_objects_queue_arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.new_objects_rule_arn]
    }
  }
}

resource "aws_sqs_queue_policy" "new_objects" {
  count     = local.event_trigger_on ? 1 : 0
  queue_url = aws_sqs_queue.work["new_objects"].id
  policy    = data.aws_iam_policy_document.new_objects_queue[0].json
}

resource "aws_lambda_event_source_mapping" "new_objects" {
  count                              = local.event_trigger_on ? 1 : 0
  event_source_arn                   = aws_sqs_queue.work["new_objects"].arn
  function_name                      = aws_lambda_function.trigger.arn
  batch_size                         = var.event_trigger.batch_size
  maximum_batching_window_in_seconds = var.event_trigger.batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.event_trigger.maximum_concurrency
  }

  depends_on = [aws_iam_role_policy.trigger]
}

# --- Glue event mode: the crawler reads S3 event notifications from its own queue ---
data "aws_iam_policy_document" "crawler_events_queue" {
  count = local.event_mode ? 1 : 0

  statement {
    sid       = "DataBucketSends"
    actions   = ["sqs:SendMessage"]
    resources = [local.crawler_events_queue_arn]

    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.data_bucket_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_sqs_queue_policy" "crawler_events" {
  count     = local.event_mode ? 1 : 0
  queue_url = aws_sqs_queue.work["crawler_events"].id
  policy    = data.aws_iam_policy_document.crawler_events_queue[0].json
}
