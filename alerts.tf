# Know what crawls do and when something fails (alerts), on one SNS topic created here or brought
# by the caller (alerts.topic):
# - a crawl report after every crawl: Glue's "Crawler State Change" events invoke the report
#   function (lambda_src/crawl_report.py), which reads the crawl back from Glue, publishes what it
#   did (failed crawls always, succeeded ones with notify_on_success) and puts CloudWatch metrics
#   per crawler (namespace DataCatalog/Crawls) after every crawl;
# - schema changes (opt-in): the Data Catalog's table (and, if asked, partition) events for this
#   database, through the same function;
# - CloudWatch alarms: a function failed, a dead-letter queue holds work, new objects wait too long.

locals {
  alerts_on         = var.alerts != null
  _create_topic     = local.alerts_on && try(var.alerts.topic.create, false)
  _topic_name       = "${var.name}-crawl-alerts"
  _topic_arn        = local._create_topic ? "arn:${format(local.arn_prefix, "sns")}:${local._topic_name}" : try(var.alerts.topic.arn, null)
  _crawl_state_rule = "${var.name}-crawl-state"
  _schema_rule      = "${var.name}-schema-changes"
  _report_name      = "${var.name}-crawl-report"
  _report_log_group = "/aws/lambda/${local._report_name}"
  _schema_changes = concat(
    ["CreateTable", "UpdateTable", "DeleteTable", "BatchDeleteTable"],
    try(var.alerts.partition_changes, false) ? ["CreatePartition", "BatchCreatePartition", "UpdatePartition",
    "BatchUpdatePartition", "DeletePartition", "BatchDeletePartition"] : [],
  )
  _alarms_on       = local.alerts_on && try(var.alerts.alarms, false)
  alerts_topic_arn = local._create_topic ? aws_sns_topic.alerts[0].arn : local._topic_arn
  _oldest_age      = local.alerts_on && local.event_trigger_on ? coalesce(var.alerts.oldest_message_age_seconds, 2 * 60 * var.event_trigger.max_crawl_minutes) : 0

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
      report_errors = {
        name        = "${local._report_name}-errors"
        description = "The ${local._report_name} function failed: a crawl went unreported."
        namespace   = "AWS/Lambda"
        metric      = "Errors"
        dimensions  = { FunctionName = local._report_name }
        statistic   = "Sum"
        threshold   = 1
      }
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
  description = "Finished crawls of ${local.crawler_name}, for the crawl report."
  tags        = var.tags

  event_pattern = jsonencode({
    source        = ["aws.glue"]
    "detail-type" = ["Glue Crawler State Change"]
    detail = {
      crawlerName = [local.crawler_name]
      state       = ["Succeeded", "Failed"]
    }
  })
}

resource "aws_cloudwatch_event_target" "crawl_states" {
  count     = local.alerts_on ? 1 : 0
  rule      = aws_cloudwatch_event_rule.crawl_states[0].name
  target_id = "crawl-report"
  arn       = aws_lambda_function.report[0].arn
}

resource "aws_cloudwatch_event_rule" "schema_changes" {
  count       = local.alerts_on && try(var.alerts.schema_changes, false) ? 1 : 0
  name        = local._schema_rule
  description = "Table${try(var.alerts.partition_changes, false) ? " and partition" : ""} changes in the ${local.database_name} database."
  tags        = var.tags

  event_pattern = jsonencode({
    source        = ["aws.glue"]
    "detail-type" = ["Glue Data Catalog Database State Change", "Glue Data Catalog Table State Change"]
    detail = {
      databaseName = [local.database_name]
      typeOfChange = local._schema_changes
    }
  })
}

resource "aws_cloudwatch_event_target" "schema_changes" {
  count     = length(aws_cloudwatch_event_rule.schema_changes)
  rule      = aws_cloudwatch_event_rule.schema_changes[0].name
  target_id = "crawl-report"
  arn       = aws_lambda_function.report[0].arn
}

# --- The report function ---

resource "aws_cloudwatch_log_group" "report" {
  #checkov:skip=CKV_AWS_158:Encrypted with kms_key when one is given; CloudWatch Logs encrypts at rest with AWS owned keys otherwise.
  count             = local.alerts_on ? 1 : 0
  name              = local._report_log_group
  retention_in_days = var.trigger.log_retention_days
  kms_key_id        = local.kms_key_arn
  tags              = var.tags
}

resource "aws_lambda_function" "report" {
  #checkov:skip=CKV_AWS_116:A lost report can be rebuilt from ListCrawls; failures raise the report_errors alarm.
  #checkov:skip=CKV_AWS_117:The function only calls the Glue, SNS and CloudWatch APIs; a VPC would add cost and nothing to protect.
  #checkov:skip=CKV_AWS_272:The code is built and pinned by hash in this repository; code signing is the caller's choice.
  #checkov:skip=CKV_AWS_115:Unreserved by default because new accounts cannot reserve concurrency.
  #checkov:skip=CKV_AWS_173:The environment holds the topic ARN and a flag, not secrets.
  #checkov:skip=CKV_AWS_50:X-Ray tracing is opt-in (trigger.tracing) for the trigger; a report needs none.
  count            = local.alerts_on ? 1 : 0
  function_name    = local._report_name
  description      = "Reports what each crawl of ${local.crawler_name} did, and schema changes, to the alerts topic and CloudWatch."
  role             = aws_iam_role.report[0].arn
  filename         = local.functions_zip
  source_code_hash = filebase64sha256(local.functions_zip)
  handler          = "crawl_report.handler"
  runtime          = var.trigger.runtime
  architectures    = [var.trigger.architecture]
  memory_size      = 128
  timeout          = 30
  tags             = var.tags

  environment {
    variables = {
      TOPIC_ARN        = local.alerts_topic_arn
      REPORT_SUCCEEDED = tostring(var.alerts.notify_on_success)
    }
  }

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.report[0].name
    application_log_level = var.trigger.log_level
    system_log_level      = "WARN"
  }

  depends_on = [aws_iam_role_policy.report]
}

resource "aws_lambda_permission" "report" {
  # Rule ARNs built from their names, so the permission is reviewable at plan time.
  for_each = merge(
    local.alerts_on ? { crawl_states = "arn:${format(local.arn_prefix, "events")}:rule/${local._crawl_state_rule}" } : {},
    length(aws_cloudwatch_event_rule.schema_changes) > 0 ? { schema_changes = "arn:${format(local.arn_prefix, "events")}:rule/${local._schema_rule}" } : {},
  )
  statement_id  = "events-${replace(each.key, "_", "-")}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.report[0].function_name
  principal     = "events.amazonaws.com"
  source_arn    = each.value
}

resource "aws_iam_role" "report" {
  count              = local.alerts_on ? 1 : 0
  name               = local._report_name
  description        = "Lets the ${local._report_name} function read crawls of ${local.crawler_name} and publish reports."
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
  tags               = var.tags
}

data "aws_iam_policy_document" "report" {
  count = local.alerts_on ? 1 : 0

  statement {
    sid       = "ReadCrawls"
    actions   = ["glue:ListCrawls"]
    resources = [local.crawler_arn]
  }

  statement {
    sid       = "PublishReports"
    actions   = ["sns:Publish"]
    resources = [local._topic_arn]
  }

  statement {
    sid     = "PutCrawlMetrics"
    actions = ["cloudwatch:PutMetricData"]
    # CloudWatch has no resource-level permissions for PutMetricData; the namespace condition scopes it.
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["DataCatalog/Crawls"]
    }
  }

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:${format(local.arn_prefix, "logs")}:log-group:${local._report_log_group}:*"]
  }

  dynamic "statement" {
    for_each = local.use_kms && local._create_topic ? [local.kms_key_arn] : []
    content {
      sid       = "PublishToEncryptedTopic"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "report" {
  count  = local.alerts_on ? 1 : 0
  name   = "report-${local.crawler_name}"
  role   = aws_iam_role.report[0].id
  policy = data.aws_iam_policy_document.report[0].json
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
