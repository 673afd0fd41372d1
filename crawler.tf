# The Glue crawler and everything it needs: its custom classifiers, its security configuration and
# the log group it writes to, its least-privilege role, and (in CRAWL_EVENT_MODE) its own queue of
# S3 events.

locals {
  _role_name                   = "${var.name}-crawler"
  _security_configuration_name = "${var.name}-crawler"

  # Glue writes a crawler's logs to the account-wide "/aws-glue/crawlers" group unless the crawler
  # has a security configuration; then to "/aws-glue/crawlers-role/<role>-<security configuration>".
  # The crawler always gets one, so that its logs go to a group this module owns and retains.
  crawler_log_group      = "/aws-glue/crawlers-role/${local._role_name}-${local._security_configuration_name}"
  _crawler_log_group_arn = "arn:${format(local.arn_prefix, "logs")}:log-group:${local.crawler_log_group}"

  # Only the keys the caller turned on are rendered, so the JSON stays as small as AWS returns it.
  _configuration = jsonencode(merge(
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

  _catalog_actions = concat(
    [
      "glue:GetDatabase",
      "glue:GetTable",
      "glue:GetTables",
      "glue:CreateTable",
      "glue:UpdateTable",
      "glue:GetPartition",
      "glue:GetPartitions",
      "glue:BatchGetPartition",
      "glue:CreatePartition",
      "glue:BatchCreatePartition",
      "glue:UpdatePartition",
      "glue:BatchUpdatePartition",
      "glue:CreatePartitionIndex",
      "glue:GetPartitionIndexes",
    ],
    # Deletion rights exist only when the caller asked the crawler to delete from the catalog.
    var.crawler.delete_behavior == "DELETE_FROM_DATABASE" ? [
      "glue:DeleteTable",
      "glue:BatchDeleteTable",
      "glue:DeletePartition",
      "glue:BatchDeletePartition",
    ] : [],
  )

  _crawler_events_queue = "${var.name}-crawler-s3-events"
  _lf_credentials       = try(var.crawler.lake_formation.use_lake_formation_credentials, false)
  _lf_account           = try(var.crawler.lake_formation.account_id, null)
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
  #checkov:skip=CKV_AWS_99:Encrypts with kms_key when one is given; without one it exists only to route crawler logs to a group the module owns (CloudWatch Logs still encrypts at rest with AWS owned keys).
  name = local._security_configuration_name

  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = local.use_kms ? "SSE-KMS" : "DISABLED"
      kms_key_arn                = local.kms_key_arn
    }

    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = local.use_kms ? "CSE-KMS" : "DISABLED"
      kms_key_arn                   = local.kms_key_arn
    }

    s3_encryption {
      s3_encryption_mode = local.use_kms ? "SSE-KMS" : "SSE-S3"
      kms_key_arn        = local.kms_key_arn
    }
  }
}

resource "aws_cloudwatch_log_group" "crawler" {
  #checkov:skip=CKV_AWS_158:Encrypted with kms_key when one is given; CloudWatch Logs encrypts at rest with AWS owned keys otherwise.
  name              = local.crawler_log_group
  retention_in_days = var.crawler.log_retention_days
  kms_key_id        = local.kms_key_arn
  tags              = var.tags
}

resource "aws_glue_crawler" "this" {
  name                   = local.crawler_name
  description            = var.crawler.description
  database_name          = var.database.create ? aws_glue_catalog_database.this[0].name : local.database_name
  role                   = aws_iam_role.crawler.arn
  table_prefix           = var.crawler.table_prefix
  classifiers            = [for c in aws_glue_classifier.csv : c.name]
  configuration          = local._configuration
  security_configuration = aws_glue_security_configuration.this.name
  tags                   = var.tags

  dynamic "s3_target" {
    for_each = local.targets
    content {
      path        = s3_target.value.path
      exclusions  = s3_target.value.exclusions
      sample_size = s3_target.value.sample_size
      # Event mode: the crawler lists only what S3 reported on its own queue.
      event_queue_arn     = local.event_mode ? module.crawler_events_queue[0].arn : null
      dlq_event_queue_arn = local.event_mode ? module.crawler_events_queue[0].dead_letter_arn : null
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

  lifecycle {
    precondition {
      condition     = !local._lf_credentials || local.lake_formation_on
      error_message = "crawler.lake_formation.use_lake_formation_credentials needs lake_formation = {} too: Lake Formation vends credentials only for registered locations, and the module registers them (and grants the crawler DATA_LOCATION_ACCESS) in Lake Formation mode."
    }

    precondition {
      condition     = !local.lake_formation_on || local._lf_account == null || local._lf_account == local.account_id
      error_message = "lake_formation grants in this account's catalog, but crawler.lake_formation.account_id (${coalesce(local._lf_account, "-")}) names another account: grant in that account, or leave account_id null."
    }
  }

  # The role's rights, the log group and the grants are in place before anything can start a
  # crawl. The data bucket is not waited for: its lifecycle rule takes the provider a minute, and
  # no crawl runs before the apply (which creates the bucket) has finished.
  depends_on = [
    aws_iam_role_policy.crawler, aws_s3_bucket_notification.data, aws_cloudwatch_log_group.crawler,
    aws_lakeformation_permissions.crawler_database, aws_lakeformation_permissions.crawler_locations,
  ]
}

# --- IAM: read the targets, write this database, log to its own group ---

data "aws_iam_policy_document" "crawler_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "crawler" {
  name               = local._role_name
  description        = "Lets the ${local.crawler_name} Glue crawler read its S3 targets and write the ${local.database_name} catalog database."
  assume_role_policy = data.aws_iam_policy_document.crawler_trust.json
  tags               = var.tags
}

data "aws_iam_policy_document" "crawler" {
  statement {
    sid       = "ListCrawledPrefixes"
    actions   = ["s3:ListBucket"]
    resources = [local.data_bucket_arn]

    dynamic "condition" {
      for_each = local.crawls_whole_bucket ? [] : [1]
      content {
        test     = "StringLike"
        variable = "s3:prefix"
        values   = flatten([for t in local.targets : t.list_prefixes])
      }
    }
  }

  statement {
    sid       = "ReadCrawledObjects"
    actions   = ["s3:GetObject"]
    resources = [for t in local.targets : t.objects_arn]
  }

  statement {
    sid       = "WriteCatalog"
    actions   = local._catalog_actions
    resources = [local.catalog_arn, local.database_arn, local.tables_arn]
  }

  statement {
    sid     = "WriteCrawlerLogs"
    actions = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    # The group is the crawler's own; AWS checks group-level calls on "<group ARN>:*" too.
    resources = [local._crawler_log_group_arn, "${local._crawler_log_group_arn}:*"]
  }

  dynamic "statement" {
    for_each = local.use_kms ? [local.kms_key_arn] : []
    content {
      sid       = "UseDataKey"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = local.use_kms ? [local.kms_key_arn] : []
    content {
      sid       = "EncryptCrawlerLogs"
      actions   = ["logs:AssociateKmsKey"]
      resources = [local._crawler_log_group_arn]
    }
  }

  dynamic "statement" {
    for_each = local.event_mode ? [1] : []
    content {
      sid = "ConsumeS3EventQueue"
      actions = [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:SetQueueAttributes",
        "sqs:PurgeQueue",
        "sqs:ListDeadLetterSourceQueues",
        "sqs:ListQueueTags",
        "sqs:SendMessage",
      ]
      resources = ["${local.sqs_arn}:${local._crawler_events_queue}", "${local.sqs_arn}:${local._crawler_events_queue}-dlq"]
    }
  }

  dynamic "statement" {
    for_each = local.lake_formation_on || local._lf_credentials ? [1] : []
    content {
      sid     = "LakeFormationDataAccess"
      actions = ["lakeformation:GetDataAccess"]
      # Lake Formation has no resource-level permissions for GetDataAccess.
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "crawler" {
  name   = "crawl-${local.data_bucket_name}"
  role   = aws_iam_role.crawler.id
  policy = data.aws_iam_policy_document.crawler.json
}

resource "aws_iam_role_policy_attachment" "crawler_additional" {
  for_each   = toset(var.crawler.additional_policy_arns)
  role       = aws_iam_role.crawler.name
  policy_arn = each.value
}

# --- CRAWL_EVENT_MODE: the crawler reads S3 event notifications from its own queue ---

module "crawler_events_queue" {
  source = "./modules/queue"
  count  = local.event_mode ? 1 : 0

  name                       = local._crawler_events_queue
  visibility_timeout_seconds = 30
  message_retention_seconds  = 1209600
  dead_letter                = { max_receive_count = 5 }
  kms_key                    = var.kms_key
  account_id                 = local.account_id
  partition                  = local.partition
  region                     = local.region
  tags                       = var.tags
}

data "aws_iam_policy_document" "crawler_events_queue" {
  count = local.event_mode ? 1 : 0

  statement {
    sid       = "DataBucketSends"
    actions   = ["sqs:SendMessage"]
    resources = ["${local.sqs_arn}:${local._crawler_events_queue}"]

    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.data_bucket_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_sqs_queue_policy" "crawler_events" {
  count     = local.event_mode ? 1 : 0
  queue_url = module.crawler_events_queue[0].url
  policy    = data.aws_iam_policy_document.crawler_events_queue[0].json
}
