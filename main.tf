# What every feature shares: who and where we are, the customer key, the names and ARNs that cross
# feature files, and the one normalised list of crawl targets. Each feature's own resources, IAM
# and private (`_`) locals live in its file (README, "Where things go").

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

# The functions' roles (trigger.tf, alerts.tf): Lambda may assume them for this account only.
data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id
  arn_prefix = "${local.partition}:%s:${local.region}:${local.account_id}"

  # Whether a customer key is used must be known at plan time even when the key is created in the
  # same apply, so it hangs on the presence of the kms_key object, not on its (unknown) ARN.
  use_kms     = var.kms_key != null
  kms_key_arn = local.use_kms ? var.kms_key.arn : null

  # Names, and ARNs built from names, so that every IAM policy is fully known at plan time.
  data_bucket_name = coalesce(var.data_bucket.name, "${var.name}-data-${local.account_id}-${local.region}")
  data_bucket_arn  = "arn:${local.partition}:s3:::${local.data_bucket_name}"

  results_bucket_name = coalesce(var.results_bucket.name, "${var.name}-athena-${local.account_id}-${local.region}")
  results_bucket_arn  = "arn:${local.partition}:s3:::${local.results_bucket_name}"
  results_location    = "s3://${local.results_bucket_name}/${var.results_bucket.prefix}"

  database_name = coalesce(var.database.name, replace(var.name, "-", "_"))
  catalog_arn   = "arn:${format(local.arn_prefix, "glue")}:catalog"
  database_arn  = "arn:${format(local.arn_prefix, "glue")}:database/${local.database_name}"
  tables_arn    = "arn:${format(local.arn_prefix, "glue")}:table/${local.database_name}/*"

  crawler_name = var.name
  crawler_arn  = "arn:${format(local.arn_prefix, "glue")}:crawler/${local.crawler_name}"

  function_name = "${var.name}-trigger-crawler"
  function_arn  = "arn:${format(local.arn_prefix, "lambda")}:function:${local.function_name}"
  sqs_arn       = "arn:${format(local.arn_prefix, "sqs")}"

  workgroup_name = var.name
  workgroup_arn  = "arn:${format(local.arn_prefix, "athena")}:workgroup/${local.workgroup_name}"

  # Every function's code, built by `make package` (tooling/lambda_zip.py): a deterministic zip,
  # committed, so the module needs no archive provider and a plan never shows a spurious change.
  functions_zip = "${path.module}/dist/functions.zip"

  event_trigger_on = var.event_trigger != null
  event_mode       = var.crawler.recrawl_behavior == "CRAWL_EVENT_MODE"

  # The crawl targets, normalised once: every feature that needs "what is crawled" reads this.
  targets = [for t in var.crawler.targets : {
    prefix      = t.prefix
    exclusions  = t.exclusions
    sample_size = t.sample_size
    path        = "s3://${local.data_bucket_name}/${t.prefix}"
    objects_arn = "${local.data_bucket_arn}/${t.prefix}*"
    # s3:prefix values that list exactly this target (ListBucket condition).
    list_prefixes = [t.prefix, "${t.prefix}*"]
  }]
  crawled_prefixes    = [for t in local.targets : t.prefix]
  crawls_whole_bucket = contains(local.crawled_prefixes, "")
}
