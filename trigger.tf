# The trigger function: (re)starts the crawler unless a crawl is running (lambda_src/). Its log
# group, its role, and its dead-letter queue (failed asynchronous invocations and undelivered
# schedules) live here.

locals {
  function_log_group = "/aws/lambda/${local.function_name}"
  trigger_dlq_name   = "${local.function_name}-dlq"
  trigger_dlq_arn    = "${local.sqs_arn}:${local.trigger_dlq_name}"
}

resource "aws_cloudwatch_log_group" "trigger" {
  #checkov:skip=CKV_AWS_158:Encrypted with kms_key when one is given; CloudWatch Logs encrypts at rest with AWS owned keys otherwise.
  name              = local.function_log_group
  retention_in_days = var.trigger.log_retention_days
  kms_key_id        = local.kms_key_arn
  tags              = var.tags
}

resource "aws_lambda_function" "trigger" {
  #checkov:skip=CKV_AWS_116:Failed async invocations go to an on-failure destination (aws_lambda_function_event_invoke_config), which records more context than a DLQ.
  #checkov:skip=CKV_AWS_117:The function only calls the Glue API; a VPC would add NAT or endpoint cost and nothing to protect.
  #checkov:skip=CKV_AWS_272:The code is built and pinned by hash in this repository; code signing is the caller's choice.
  #checkov:skip=CKV_AWS_115:Unreserved by default because new accounts cannot reserve concurrency; set trigger.reserved_concurrency.
  #checkov:skip=CKV_AWS_173:The only environment variable is the crawler name, which is not a secret.
  #checkov:skip=CKV_AWS_50:X-Ray tracing is opt-in (trigger.tracing); it costs money and needs a wildcard IAM statement.
  function_name                  = local.function_name
  description                    = "Starts the ${local.crawler_name} Glue crawler unless a crawl is already running."
  role                           = aws_iam_role.trigger.arn
  filename                       = local.functions_zip
  source_code_hash               = filebase64sha256(local.functions_zip)
  handler                        = "trigger_crawler.handler"
  runtime                        = var.trigger.runtime
  architectures                  = [var.trigger.architecture]
  memory_size                    = var.trigger.memory_size
  timeout                        = var.trigger.timeout
  reserved_concurrent_executions = var.trigger.reserved_concurrency == null ? -1 : var.trigger.reserved_concurrency
  tags                           = var.tags

  environment {
    variables = {
      CRAWLER_NAME = aws_glue_crawler.this.name
    }
  }

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.trigger.name
    application_log_level = var.trigger.log_level
    system_log_level      = "WARN"
  }

  tracing_config {
    mode = var.trigger.tracing ? "Active" : "PassThrough"
  }

  depends_on = [aws_iam_role_policy.trigger]
}

module "trigger_dlq" {
  source = "./modules/queue"

  name                      = local.trigger_dlq_name
  message_retention_seconds = 1209600
  kms_key                   = var.kms_key
  account_id                = local.account_id
  partition                 = local.partition
  region                    = local.region
  tags                      = var.tags
}

resource "aws_lambda_function_event_invoke_config" "trigger" {
  function_name                = aws_lambda_function.trigger.function_name
  maximum_retry_attempts       = var.trigger.maximum_retry_attempts
  maximum_event_age_in_seconds = var.trigger.maximum_event_age_seconds

  destination_config {
    on_failure {
      destination = module.trigger_dlq.arn
    }
  }
}

# --- IAM: start this crawler, write its own logs, report failures ---

resource "aws_iam_role" "trigger" {
  name               = local.function_name
  description        = "Lets the ${local.function_name} function start the ${local.crawler_name} crawler."
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
  tags               = var.tags
}

data "aws_iam_policy_document" "trigger" {
  statement {
    sid       = "StartThisCrawler"
    actions   = ["glue:GetCrawler", "glue:StartCrawler"]
    resources = [local.crawler_arn]
  }

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:${format(local.arn_prefix, "logs")}:log-group:${local.function_log_group}:*"]
  }

  statement {
    sid       = "SendFailedInvocations"
    actions   = ["sqs:SendMessage"]
    resources = [local.trigger_dlq_arn]
  }

  dynamic "statement" {
    for_each = local.event_trigger_on ? [1] : []
    content {
      sid       = "DrainNewObjectsQueue"
      actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
      resources = [local.event_trigger_queue_arn]
    }
  }

  dynamic "statement" {
    for_each = local.use_kms ? [local.kms_key_arn] : []
    content {
      sid       = "EncryptFailedInvocations"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.trigger.tracing ? [1] : []
    content {
      sid     = "WriteTraces"
      actions = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      # X-Ray has no resource-level permissions for these actions.
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "trigger" {
  name   = "start-${local.crawler_name}"
  role   = aws_iam_role.trigger.id
  policy = data.aws_iam_policy_document.trigger.json
}
