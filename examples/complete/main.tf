# Every feature turned on: a customer managed KMS key for all encryption, several crawl targets with
# exclusions and sampling, a custom CSV classifier, named queries, a custom schedule, crawls
# triggered by new data, and alerts on failed crawls.

provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

# The key must let CloudWatch Logs use it: the Lambda log group and the crawler's logs are encrypted.
data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_111:In a key policy, Resource "*" means this key only; statements are scoped by principal.
  #checkov:skip=CKV_AWS_356:In a key policy, Resource "*" means this key only; statements are scoped by principal.
  #checkov:skip=CKV_AWS_109:In a key policy, Resource "*" means this key only; the account root administers its own key.
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogsEncrypts"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${data.aws_partition.current.partition}:logs:${var.region}:${data.aws_caller_identity.current.account_id}:*"]
    }
  }

  # EventBridge delivers S3 events to the encrypted queue and crawl states to the encrypted topic;
  # CloudWatch publishes alarms to the topic.
  statement {
    sid       = "AwsServicesDeliverToEncryptedQueuesAndTopics"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com", "cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_kms_key" "catalog" {
  description             = "Encrypts the ${var.name} data catalog pipeline."
  enable_key_rotation     = true
  deletion_window_in_days = 7
  policy                  = data.aws_iam_policy_document.key.json
}

module "catalog" {
  source = "../.."

  name    = var.name
  kms_key = { arn = aws_kms_key.catalog.arn }

  data_bucket = {
    noncurrent_version_expiration_days = 90
  }

  database = {
    name        = "sales_analytics"
    description = "Sales and web events, catalogued by the complete example."
  }

  crawler = {
    description  = "Crawls sales CSV exports and JSON-lines web events."
    table_prefix = "raw_"
    targets = [
      { prefix = "sales/", exclusions = ["**/_SUCCESS", "**/*.tmp"] },
      { prefix = "events/", exclusions = ["**/_temporary/**"], sample_size = 50 },
    ]
    combine_compatible_schemas = true
    csv_classifiers = {
      semicolon = { delimiter = ";", contains_header = "PRESENT" }
    }
  }

  schedule = {
    expression = "cron(15 */6 * * ? *)"
    timezone   = "Europe/Paris"
  }

  athena = {
    bytes_scanned_cutoff_per_query = 1073741824
    engine_version                 = "Athena engine version 3"
    named_queries = {
      "daily-sales" = {
        description = "Revenue per day."
        query       = "SELECT dt, sum(amount) AS revenue FROM raw_sales GROUP BY dt ORDER BY dt"
      }
      "recent-events" = {
        query = "SELECT * FROM raw_events ORDER BY ts DESC LIMIT 100"
      }
    }
  }

  # New data reaches the catalog within about a minute of landing, one crawl per burst.
  event_trigger = {
    batching_window_seconds = 60
    max_crawl_minutes       = 30
  }

  # A report after every crawl, and a message for every table created, changed or deleted.
  alerts = {
    schema_changes = true
  }

  results_bucket = {
    expiration_days = 7
  }

  trigger = {
    log_retention_days   = 731
    reserved_concurrency = 1
  }

  tags = {
    project     = "data-catalog"
    environment = "example"
  }
}
