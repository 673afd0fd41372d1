resource "aws_athena_workgroup" "this" {
  #checkov:skip=CKV_AWS_82:Enforced by default (athena.enforce_workgroup_configuration = true); the input is for callers whose clients must choose.
  name          = var.name
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
      error_message = "The Athena results location ${local.results_location} is inside a crawled path (crawler.targets prefixes ${jsonencode(local._results_in_crawled_path)} of the same bucket): the crawler would catalog query results as tables. Use a separate results bucket (athena_results.create_bucket = true) or a results prefix outside every crawled prefix."
    }
  }

  # Results can only be written once the results bucket is hardened.
  depends_on = [module.results_bucket]
}

resource "aws_athena_named_query" "this" {
  for_each    = var.athena.named_queries
  name        = each.key
  description = each.value.description
  workgroup   = aws_athena_workgroup.this.id
  database    = local.database_name
  query       = each.value.query
}
