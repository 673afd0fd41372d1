# Athena: the workgroup that queries the catalog, its named queries, and the results bucket
# (created and hardened, or an existing one; never inside a crawled path).

locals {
  # The results location overlaps a crawled path when both are in the same bucket and one prefix
  # contains the other ("" contains everything).
  _results_in_crawled_path = [
    for p in local.crawled_prefixes : p
    if local.results_bucket_name == local.data_bucket_name && (startswith(var.results_bucket.prefix, p) || startswith(p, var.results_bucket.prefix))
  ]
}

module "results_bucket" {
  source = "./modules/s3-bucket"
  count  = var.results_bucket.create ? 1 : 0

  name                                   = local.results_bucket_name
  kms_key                                = var.kms_key
  force_destroy                          = var.results_bucket.force_destroy
  abort_incomplete_multipart_upload_days = 1
  expiration_days                        = var.results_bucket.expiration_days
  noncurrent_version_expiration_days     = 1
  access_log                             = var.data_bucket.access_log
  tags                                   = var.tags
}

resource "aws_athena_workgroup" "this" {
  #checkov:skip=CKV_AWS_82:Enforced by default (athena.enforce_workgroup_configuration = true); the input is for callers whose clients must choose.
  name          = local.workgroup_name
  description   = "Queries the ${local.database_name} catalog database; results go to ${local.results_location}."
  force_destroy = var.athena.force_destroy
  tags          = var.tags

  configuration {
    enforce_workgroup_configuration    = var.athena.enforce_workgroup_configuration
    publish_cloudwatch_metrics_enabled = var.athena.publish_cloudwatch_metrics
    bytes_scanned_cutoff_per_query     = var.athena.bytes_scanned_cutoff_per_query

    engine_version {
      selected_engine_version = var.athena.engine_version
    }

    result_configuration {
      output_location       = local.results_location
      expected_bucket_owner = local.account_id

      encryption_configuration {
        encryption_option = local.use_kms ? "SSE_KMS" : "SSE_S3"
        kms_key_arn       = local.kms_key_arn
      }
    }
  }

  lifecycle {
    precondition {
      condition     = length(local._results_in_crawled_path) == 0
      error_message = "The Athena results location ${local.results_location} is inside a crawled path (crawler.targets prefixes ${jsonencode(local._results_in_crawled_path)} of the same bucket): the crawler would catalog query results as tables. Use a separate results bucket (results_bucket.create = true) or a results prefix outside every crawled prefix."
    }
  }

  # The results bucket is not waited for: no query runs before the apply that creates it ends,
  # and its lifecycle rule alone takes the provider a minute.
}

resource "aws_athena_named_query" "this" {
  for_each    = var.athena.named_queries
  name        = each.key
  description = each.value.description
  workgroup   = aws_athena_workgroup.this.id
  database    = local.database_name
  query       = each.value.query
}
