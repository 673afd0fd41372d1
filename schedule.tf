# EventBridge Scheduler rather than an EventBridge rule: it evaluates cron in a time zone (a rule
# only knows UTC), retries with a policy and sends what it could not deliver to a dead-letter queue.
# It invokes the function through a role allowed to invoke only this function, from only this schedule.

locals {
  _schedule_name = "${var.name}-crawl"
  _schedule_arn  = "arn:${format(local.arn_prefix, "scheduler")}:schedule/default/${local._schedule_name}"
}

data "aws_iam_policy_document" "scheduler_trust" {
  count = var.schedule == null ? 0 : 1

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local._schedule_arn]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  count              = var.schedule == null ? 0 : 1
  name               = "${var.name}-crawl-schedule"
  description        = "Lets the ${local._schedule_name} schedule invoke ${local.function_name}."
  assume_role_policy = data.aws_iam_policy_document.scheduler_trust[0].json
  tags               = var.tags
}

data "aws_iam_policy_document" "scheduler" {
  count = var.schedule == null ? 0 : 1

  statement {
    sid       = "InvokeTrigger"
    actions   = ["lambda:InvokeFunction"]
    resources = [local.function_arn]
  }

  statement {
    sid       = "SendUndelivered"
    actions   = ["sqs:SendMessage"]
    resources = [local.trigger_dlq_arn]
  }

  dynamic "statement" {
    for_each = local.use_kms ? [local.kms_key_arn] : []
    content {
      sid       = "EncryptWithKey"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "scheduler" {
  count  = var.schedule == null ? 0 : 1
  name   = "invoke-${local.function_name}"
  role   = aws_iam_role.scheduler[0].id
  policy = data.aws_iam_policy_document.scheduler[0].json
}

resource "aws_scheduler_schedule" "crawl" {
  #checkov:skip=CKV_AWS_297:Encrypted with kms_key when one is given; AWS owned keys otherwise.
  count                        = var.schedule == null ? 0 : 1
  name                         = local._schedule_name
  description                  = "Reruns the ${local.crawler_name} crawler through ${local.function_name}."
  schedule_expression          = var.schedule.expression
  schedule_expression_timezone = var.schedule.timezone
  kms_key_arn                  = local.kms_key_arn

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.trigger.arn
    role_arn = aws_iam_role.scheduler[0].arn
    input    = jsonencode({ source = "data-catalog.schedule", schedule = local._schedule_name })

    retry_policy {
      maximum_retry_attempts       = var.schedule.maximum_retry_attempts
      maximum_event_age_in_seconds = var.schedule.maximum_event_age_seconds
    }

    dead_letter_config {
      arn = module.trigger_dlq.arn
    }
  }

  depends_on = [aws_iam_role_policy.scheduler]
}
