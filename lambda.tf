locals {
  # Built by `make package` (tooling/lambda_zip.py): a deterministic zip, committed, so the
  # module needs no archive provider and a plan never shows a spurious code change.
  trigger_zip = "${path.module}/dist/trigger_crawler.zip"
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
  filename                       = local.trigger_zip
  source_code_hash               = filebase64sha256(local.trigger_zip)
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

resource "aws_lambda_function_event_invoke_config" "trigger" {
  function_name                = aws_lambda_function.trigger.function_name
  maximum_retry_attempts       = var.trigger.maximum_retry_attempts
  maximum_event_age_in_seconds = var.trigger.maximum_event_age_seconds

  destination_config {
    on_failure {
      destination = aws_sqs_queue.dead_letter["trigger_failures"].arn
    }
  }
}
