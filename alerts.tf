# Know when a crawl failed (alerts): Glue crawler state changes and CloudWatch alarms go to one SNS
# topic, created here or brought by the caller (alerts.topic).

locals {
  alerts_on         = var.alerts != null
  _create_topic     = local.alerts_on && try(var.alerts.topic.create, false)
  _topic_name       = "${var.name}-crawl-alerts"
  _topic_arn        = local._create_topic ? "arn:${format(local.arn_prefix, "sns")}:${local._topic_name}" : try(var.alerts.topic.arn, null)
  _crawl_state_rule = "${var.name}-crawl-state"
  _alarms_on        = local.alerts_on && try(var.alerts.alarms, false)
  alerts_topic_arn  = local._create_topic ? aws_sns_topic.alerts[0].arn : local._topic_arn
  _oldest_age       = local.alerts_on && local.event_trigger_on ? coalesce(var.alerts.oldest_message_age_seconds, 2 * 60 * var.event_trigger.max_crawl_minutes) : 0

  # Every dead-letter queue: each holds work that was never done.
  _dead_letter_queues = merge(
    { trigger = module.trigger_dlq.name },
    local.event_trigger_on ? { event_trigger = module.event_trigger_queue[0].dead_letter_name } : {},
    local.event_mode ? { crawler_events = module.crawler_events_queue[0].dead_letter_name } : {},
  )

  # Alarms: the trigger failed; a dead-letter queue holds work that was never done; new objects
  # have waited longer than any crawl should take.
  _alarms = !local._alarms_on ? {} : merge(
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
    { for key, queue in local._dead_letter_queues : "${key}_dlq" => {
      name        = "${queue}-not-empty"
      description = "Messages in ${queue}: work that was never done. Inspect, fix, then redrive."
      namespace   = "AWS/SQS"
      metric      = "ApproximateNumberOfMessagesVisible"
      dimensions  = { QueueName = queue }
      statistic   = "Maximum"
      threshold   = 1
    } },
    local.event_trigger_on ? {
      event_trigger_stale = {
        name        = "${var.name}-new-objects-stale"
        description = "New objects have waited over ${local._oldest_age} s for a crawl: crawls may be failing or much longer than event_trigger.max_crawl_minutes."
        namespace   = "AWS/SQS"
        metric      = "ApproximateAgeOfOldestMessage"
        dimensions  = { QueueName = module.event_trigger_queue[0].name }
        statistic   = "Maximum"
        threshold   = local._oldest_age
      }
    } : {},
  )
}

resource "aws_sns_topic" "alerts" {
  #checkov:skip=CKV_AWS_26:Encrypted with kms_key when given; EventBridge cannot publish to a topic encrypted with the AWS managed SNS key, so without a customer key the topic stays unencrypted (it carries crawl states, not data).
  count             = local._create_topic ? 1 : 0
  name              = local._topic_name
  kms_master_key_id = local.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "alerts" {
  count = local._create_topic ? 1 : 0

  statement {
    sid       = "EventBridgePublishesCrawlStates"
    actions   = ["sns:Publish"]
    resources = [local._topic_arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = ["arn:${format(local.arn_prefix, "events")}:rule/${local._crawl_state_rule}"]
    }
  }

  statement {
    sid       = "CloudWatchPublishesAlarms"
    actions   = ["sns:Publish"]
    resources = [local._topic_arn]

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
  count  = local._create_topic ? 1 : 0
  arn    = aws_sns_topic.alerts[0].arn
  policy = data.aws_iam_policy_document.alerts[0].json
}

resource "aws_cloudwatch_event_rule" "crawl_states" {
  count       = local.alerts_on ? 1 : 0
  name        = local._crawl_state_rule
  description = "Failed${var.alerts.notify_on_success ? " and succeeded" : ""} crawls of ${local.crawler_name}."
  tags        = var.tags

  event_pattern = jsonencode({
    source        = ["aws.glue"]
    "detail-type" = ["Glue Crawler State Change"]
    detail = {
      crawlerName = [local.crawler_name]
      state       = var.alerts.notify_on_success ? ["Failed", "Succeeded"] : ["Failed"]
    }
  })
}

resource "aws_cloudwatch_event_target" "crawl_states" {
  count     = local.alerts_on ? 1 : 0
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
