# Know when a crawl failed: Glue crawler state changes and CloudWatch alarms go to one SNS topic.

locals {
  notify            = var.notifications != null
  create_topic      = local.notify && try(var.notifications.topic_arn, null) == null
  topic_name        = "${var.name}-crawl-alerts"
  topic_arn         = local.create_topic ? "arn:${local.partition}:sns:${local.region}:${local.account_id}:${local.topic_name}" : try(var.notifications.topic_arn, null)
  crawl_states_rule = "${var.name}-crawl-state"
  alarms            = local.notify && try(var.notifications.alarms, false)
  alerts_topic_arn  = local.create_topic ? aws_sns_topic.alerts[0].arn : local.topic_arn
  oldest_age_alarm  = local.notify && local.event_trigger_on ? coalesce(var.notifications.oldest_message_age_seconds, 2 * 60 * var.event_trigger.max_crawl_minutes) : 0

  # Alarms: the trigger failed; a dead-letter queue holds work that was never done; new objects
  # have waited longer than any crawl should take.
  _alarms = !local.alarms ? {} : merge(
    {
      trigger_errors = {
        name        = "${local.function_name}-errors"
        description = "The ${local.function_name} function failed: the crawler may not have started."
        namespace   = "AWS/Lambda"
        metric      = "Errors"
        dimensions  = { FunctionName = local.function_name }
        statistic   = "Sum"
        threshold   = 1
      }
    },
    { for key, queue in local._dead_letter_queues : "dead_letters_${key}" => {
      name        = "${queue}-not-empty"
      description = "Messages in ${queue}: work that was never done. Inspect, fix, then redrive."
      namespace   = "AWS/SQS"
      metric      = "ApproximateNumberOfMessagesVisible"
      dimensions  = { QueueName = queue }
      statistic   = "Maximum"
      threshold   = 1
    } },
    local.event_trigger_on ? {
      oldest_new_object = {
        name        = "${local.new_objects_queue}-stale"
        description = "New objects have waited over ${local.oldest_age_alarm} s for a crawl: crawls may be failing or much longer than event_trigger.max_crawl_minutes."
        namespace   = "AWS/SQS"
        metric      = "ApproximateAgeOfOldestMessage"
        dimensions  = { QueueName = local.new_objects_queue }
        statistic   = "Maximum"
        threshold   = local.oldest_age_alarm
      }
    } : {},
  )

}

resource "aws_sns_topic" "alerts" {
  #checkov:skip=CKV_AWS_26:Encrypted with kms_key when given; EventBridge cannot publish to a topic encrypted with the AWS managed SNS key, so without a customer key the topic stays unencrypted (it carries crawl states, not data).
  count             = local.create_topic ? 1 : 0
  name              = local.topic_name
  kms_master_key_id = local.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "alerts" {
  count = local.create_topic ? 1 : 0

  statement {
    sid       = "EventBridgePublishesCrawlStates"
    actions   = ["sns:Publish"]
    resources = [local.topic_arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:events:${local.region}:${local.account_id}:rule/${local.crawl_states_rule}"]
    }
  }

  statement {
    sid       = "CloudWatchPublishesAlarms"
    actions   = ["sns:Publish"]
    resources = [local.topic_arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alerts" {
  count  = local.create_topic ? 1 : 0
  arn    = aws_sns_topic.alerts[0].arn
  policy = data.aws_iam_policy_document.alerts[0].json
}

resource "aws_cloudwatch_event_rule" "crawl_states" {
  count       = local.notify ? 1 : 0
  name        = local.crawl_states_rule
  description = "Failed${var.notifications.notify_on_success ? " and succeeded" : ""} crawls of ${local.crawler_name}."
  tags        = var.tags

  event_pattern = jsonencode({
    source        = ["aws.glue"]
    "detail-type" = ["Glue Crawler State Change"]
    detail = {
      crawlerName = [local.crawler_name]
      state       = var.notifications.notify_on_success ? ["Failed", "Succeeded"] : ["Failed"]
    }
  })
}

resource "aws_cloudwatch_event_target" "crawl_states" {
  count     = local.notify ? 1 : 0
  rule      = aws_cloudwatch_event_rule.crawl_states[0].name
  target_id = "crawl-alerts-topic"
  arn       = local.alerts_topic_arn
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each            = local._alarms
  alarm_name          = each.value.name
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = 300
  evaluation_periods  = 1
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [local.alerts_topic_arn]
  ok_actions          = [local.alerts_topic_arn]
  tags                = var.tags
}
