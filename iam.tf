# Least-privilege roles: every statement names the resources it acts on.

locals {
  crawler_role_name = "${var.name}-crawler"
  # Glue writes crawler logs to a shared group, or to a per-role group when a security configuration
  # encrypts them: "/aws-glue/crawlers-role/<role>-<security configuration>".
  crawler_log_group     = local.use_kms ? "/aws-glue/crawlers-role/${local.crawler_role_name}-${local.security_configuration_name}" : "/aws-glue/crawlers"
  crawler_log_group_arn = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.crawler_log_group}"

  crawls_whole_bucket = contains([for t in var.crawler.targets : t.prefix], "")
  catalog_arn         = "arn:${local.partition}:glue:${local.region}:${local.account_id}:catalog"
  database_arn        = "arn:${local.partition}:glue:${local.region}:${local.account_id}:database/${local.database_name}"
  tables_arn          = "arn:${local.partition}:glue:${local.region}:${local.account_id}:table/${local.database_name}/*"

  crawler_catalog_actions = concat(
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
}

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
  name               = local.crawler_role_name
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
        values   = flatten([for t in var.crawler.targets : [t.prefix, "${t.prefix}*"]])
      }
    }
  }

  statement {
    sid       = "ReadCrawledObjects"
    actions   = ["s3:GetObject"]
    resources = [for t in var.crawler.targets : "${local.data_bucket_arn}/${t.prefix}*"]
  }

  statement {
    sid       = "WriteCatalog"
    actions   = local.crawler_catalog_actions
    resources = [local.catalog_arn, local.database_arn, local.tables_arn]
  }

  statement {
    sid       = "WriteCrawlerLogs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [local.crawler_log_group_arn, "${local.crawler_log_group_arn}:log-stream:${local.crawler_name}"]
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
      resources = [local.crawler_log_group_arn]
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
      resources = [local.crawler_events_queue_arn, local.crawler_events_dlq_arn]
    }
  }

  dynamic "statement" {
    for_each = try(var.crawler.lake_formation.use_lake_formation_credentials, false) ? [1] : []
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

# --- Trigger Lambda ---

data "aws_iam_policy_document" "trigger_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "trigger" {
  name               = "${var.name}-trigger-crawler"
  description        = "Lets the ${local.function_name} function start the ${local.crawler_name} crawler."
  assume_role_policy = data.aws_iam_policy_document.trigger_trust.json
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
    resources = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.function_log_group}:*"]
  }

  statement {
    sid       = "SendFailedInvocations"
    actions   = ["sqs:SendMessage"]
    resources = [local.failures_queue_arn]
  }

  dynamic "statement" {
    for_each = local.event_trigger_on ? [1] : []
    content {
      sid       = "DrainNewObjectsQueue"
      actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
      resources = [local.new_objects_queue_arn]
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
