data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id

  # Whether a customer key is used must be known at plan time even when the key is created in the
  # same apply, so it hangs on the presence of the kms_key object, not on its (unknown) ARN.
  use_kms     = var.kms_key != null
  kms_key_arn = local.use_kms ? var.kms_key.arn : null

  data_bucket_name    = coalesce(var.data_bucket.name, "${var.name}-data-${local.account_id}-${local.region}")
  data_bucket_arn     = "arn:${local.partition}:s3:::${local.data_bucket_name}"
  results_bucket_name = coalesce(var.athena_results.bucket_name, "${var.name}-athena-${local.account_id}-${local.region}")
  results_bucket_arn  = "arn:${local.partition}:s3:::${local.results_bucket_name}"
  results_location    = "s3://${local.results_bucket_name}/${var.athena_results.prefix}"

  database_name = coalesce(var.database.name, replace(var.name, "-", "_"))
  crawler_name  = var.name
  crawler_arn   = "arn:${local.partition}:glue:${local.region}:${local.account_id}:crawler/${local.crawler_name}"
  function_name = "${var.name}-trigger-crawler"
  # ARNs built from names, so that every IAM policy is fully known (and reviewable) at plan time.
  function_arn       = "arn:${local.partition}:lambda:${local.region}:${local.account_id}:function:${local.function_name}"
  function_log_group = "/aws/lambda/${local.function_name}"
  failures_queue     = "${local.function_name}-failures"
  sqs_arn_prefix     = "arn:${local.partition}:sqs:${local.region}:${local.account_id}"
  failures_queue_arn = "${local.sqs_arn_prefix}:${local.failures_queue}"
  schedule_name      = "${var.name}-crawl"

  # The results location overlaps a crawled path when both are in the same bucket and one prefix
  # contains the other ("" contains everything).
  _results_in_crawled_path = [
    for t in var.crawler.targets : t.prefix
    if local.results_bucket_name == local.data_bucket_name && (startswith(var.athena_results.prefix, t.prefix) || startswith(t.prefix, var.athena_results.prefix))
  ]
}

module "data_bucket" {
  source = "./modules/s3-bucket"
  count  = var.data_bucket.create ? 1 : 0

  name                                   = local.data_bucket_name
  kms_key                                = var.kms_key
  force_destroy                          = var.data_bucket.force_destroy
  abort_incomplete_multipart_upload_days = var.data_bucket.abort_incomplete_multipart_upload_days
  noncurrent_version_expiration_days     = var.data_bucket.noncurrent_version_expiration_days
  access_log                             = var.data_bucket.access_log
  tags                                   = var.tags
}

module "results_bucket" {
  source = "./modules/s3-bucket"
  count  = var.athena_results.create_bucket ? 1 : 0

  name                                   = local.results_bucket_name
  kms_key                                = var.kms_key
  force_destroy                          = var.athena_results.force_destroy
  abort_incomplete_multipart_upload_days = 1
  expiration_days                        = var.athena_results.expiration_days
  noncurrent_version_expiration_days     = 1
  access_log                             = var.data_bucket.access_log
  tags                                   = var.tags
}
