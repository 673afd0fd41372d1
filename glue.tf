locals {
  # Only the keys the caller turned on are rendered, so the JSON stays as small as AWS returns it.
  crawler_configuration = jsonencode(merge(
    { Version = 1 },
    var.crawler.partitions_inherit_from_table ? {
      CrawlerOutput = { Partitions = { AddOrUpdateBehavior = "InheritFromTable" } }
    } : {},
    var.crawler.combine_compatible_schemas || var.crawler.table_level != null ? {
      Grouping = merge(
        var.crawler.combine_compatible_schemas ? { TableGroupingPolicy = "CombineCompatibleSchemas" } : {},
        var.crawler.table_level != null ? { TableLevelConfiguration = var.crawler.table_level } : {},
      )
    } : {},
    var.crawler.create_partition_index ? { CreatePartitionIndex = true } : {},
  ))

  security_configuration_name = "${var.name}-crawler"
}

resource "aws_glue_catalog_database" "this" {
  count       = var.database.create ? 1 : 0
  name        = local.database_name
  description = coalesce(var.database.description, "Tables discovered by the ${local.crawler_name} crawler.")
  tags        = var.tags
}

resource "aws_glue_classifier" "csv" {
  for_each = var.crawler.csv_classifiers
  name     = "${var.name}-${each.key}"

  csv_classifier {
    allow_single_column    = each.value.allow_single_column
    contains_header        = each.value.contains_header
    delimiter              = each.value.delimiter
    disable_value_trimming = each.value.disable_value_trimming
    header                 = each.value.header
    quote_symbol           = each.value.quote_symbol
  }
}

resource "aws_glue_security_configuration" "this" {
  count = local.use_kms ? 1 : 0
  name  = local.security_configuration_name

  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = local.kms_key_arn
    }

    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = local.kms_key_arn
    }

    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = local.kms_key_arn
    }
  }
}

resource "aws_glue_crawler" "this" {
  #checkov:skip=CKV_AWS_195:A security configuration is attached whenever kms_key is set; without a customer key there is nothing for it to configure.
  name                   = local.crawler_name
  description            = var.crawler.description
  database_name          = var.database.create ? aws_glue_catalog_database.this[0].name : local.database_name
  role                   = aws_iam_role.crawler.arn
  table_prefix           = var.crawler.table_prefix
  classifiers            = [for c in aws_glue_classifier.csv : c.name]
  configuration          = local.crawler_configuration
  security_configuration = local.use_kms ? aws_glue_security_configuration.this[0].name : null
  tags                   = var.tags

  dynamic "s3_target" {
    for_each = var.crawler.targets
    content {
      path        = "s3://${local.data_bucket_name}/${s3_target.value.prefix}"
      exclusions  = s3_target.value.exclusions
      sample_size = s3_target.value.sample_size
      # Event mode: the crawler lists only what S3 reported on its own queue.
      event_queue_arn     = local.event_mode ? aws_sqs_queue.work["crawler_events"].arn : null
      dlq_event_queue_arn = local.event_mode ? aws_sqs_queue.dead_letter["crawler_events"].arn : null
    }
  }

  schema_change_policy {
    update_behavior = var.crawler.update_behavior
    delete_behavior = var.crawler.delete_behavior
  }

  recrawl_policy {
    recrawl_behavior = var.crawler.recrawl_behavior
  }

  lineage_configuration {
    crawler_lineage_settings = var.crawler.lineage ? "ENABLE" : "DISABLE"
  }

  dynamic "lake_formation_configuration" {
    for_each = var.crawler.lake_formation == null ? [] : [var.crawler.lake_formation]
    content {
      account_id                     = lake_formation_configuration.value.account_id
      use_lake_formation_credentials = lake_formation_configuration.value.use_lake_formation_credentials
    }
  }

  # The data bucket's policy and encryption must be in place before the first crawl can run.
  depends_on = [module.data_bucket, aws_iam_role_policy.crawler, aws_s3_bucket_notification.data]
}
