# Access for people and pipelines (access): three least-privilege policies, always rendered as
# outputs, and created as managed policies attached to the roles the caller names.
# - query (readers): run, read and stop queries in this workgroup; read this database's tables;
#   read the crawled prefixes; write and read query results; decrypt with the key.
# - write (producers): put objects under the crawled prefixes with the bucket's encryption.
# - crawl (operators): invoke the trigger function and read the crawler's state and logs.
# Every statement names its resources, known at plan time; `lakeformation:GetDataAccess` (in Lake
# Formation mode) is the one action AWS offers no resource-level permission for.

locals {
  _results_objects_arn = "${local.results_bucket_arn}/${var.results_bucket.prefix}*"
  _kms_via_s3          = "s3.${local.region}.amazonaws.com"
  # S3 encryption a producer may ask for: the bucket's own (the header may also be left out).
  _sse = local.use_kms ? "aws:kms" : "AES256"


  _access_policies = {
    query = { principals = var.access.readers, document = data.aws_iam_policy_document.query.json, description = "Query the ${local.database_name} catalog through the ${local.workgroup_name} Athena workgroup." }
    write = { principals = var.access.writers, document = data.aws_iam_policy_document.write.json, description = "Put objects under the crawled prefixes of ${local.data_bucket_name}." }
    crawl = { principals = var.access.operators, document = data.aws_iam_policy_document.crawl.json, description = "Start and watch the ${local.crawler_name} crawler." }
  }
  _created_policies = { for k, p in local._access_policies : k => p if var.access.create_policies || length(p.principals) > 0 }
  # Keyed by position, not by ARN: a role created in the same apply has an ARN known only after
  # it, and for_each keys must be known at plan time. A role's name is the last part of its ARN.
  _attachments = merge([for k, p in local._created_policies : {
    for i, arn in p.principals : "${k}-${i}" => { policy = k, role = element(split("/", arn), length(split("/", arn)) - 1) }
  }]...)
}

data "aws_iam_policy_document" "query" {
  statement {
    sid = "QueryInThisWorkgroup"
    actions = [
      "athena:StartQueryExecution",
      "athena:GetQueryExecution",
      "athena:GetQueryResults",
      "athena:GetQueryRuntimeStatistics",
      "athena:StopQueryExecution",
      "athena:ListQueryExecutions",
      "athena:BatchGetQueryExecution",
      "athena:GetWorkGroup",
      "athena:GetNamedQuery",
      "athena:ListNamedQueries",
      "athena:BatchGetNamedQuery",
    ]
    resources = [local.workgroup_arn]
  }

  statement {
    sid = "ReadThisDatabase"
    actions = [
      "glue:GetDatabase",
      "glue:GetTable",
      "glue:GetTables",
      "glue:GetPartition",
      "glue:GetPartitions",
      "glue:BatchGetPartition",
    ]
    resources = [local.catalog_arn, local.database_arn, local.tables_arn]
  }

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
    sid       = "LocateBuckets"
    actions   = ["s3:GetBucketLocation"]
    resources = distinct([local.data_bucket_arn, local.results_bucket_arn])
  }

  statement {
    sid       = "ListQueryResults"
    actions   = ["s3:ListBucket"]
    resources = [local.results_bucket_arn]

    dynamic "condition" {
      for_each = var.results_bucket.prefix == "" ? [] : [1]
      content {
        test     = "StringLike"
        variable = "s3:prefix"
        values   = [var.results_bucket.prefix, "${var.results_bucket.prefix}*"]
      }
    }
  }

  statement {
    sid       = "WriteAndReadQueryResults"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = [local._results_objects_arn]
  }

  dynamic "statement" {
    for_each = local.use_kms ? [local.kms_key_arn] : []
    content {
      sid       = "DecryptAndEncryptThroughS3"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [local._kms_via_s3]
      }
    }
  }

  dynamic "statement" {
    for_each = local.lake_formation_on ? [1] : []
    content {
      sid     = "LakeFormationDataAccess"
      actions = ["lakeformation:GetDataAccess"]
      # Lake Formation has no resource-level permissions for GetDataAccess; its own grants decide.
      resources = ["*"]
    }
  }
}

data "aws_iam_policy_document" "write" {
  statement {
    sid       = "PutUnderCrawledPrefixes"
    actions   = ["s3:PutObject", "s3:AbortMultipartUpload"]
    resources = [for t in local.targets : t.objects_arn]

    condition {
      test     = "StringEqualsIfExists"
      variable = "s3:x-amz-server-side-encryption"
      values   = [local._sse]
    }

    dynamic "condition" {
      for_each = local.use_kms ? [local.kms_key_arn] : []
      content {
        test     = "StringEqualsIfExists"
        variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
        values   = [condition.value]
      }
    }
  }

  dynamic "statement" {
    for_each = local.use_kms ? [local.kms_key_arn] : []
    content {
      sid = "EncryptThroughS3"
      # Decrypt too: S3 needs it to complete a multipart upload encrypted with the key.
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [local._kms_via_s3]
      }
    }
  }
}

data "aws_iam_policy_document" "crawl" {
  statement {
    sid       = "InvokeTheTrigger"
    actions   = ["lambda:InvokeFunction"]
    resources = [local.function_arn]
  }

  statement {
    sid       = "ReadTheCrawler"
    actions   = ["glue:GetCrawler", "glue:ListCrawls"]
    resources = [local.crawler_arn]
  }

  statement {
    sid     = "ReadCrawlLogs"
    actions = ["logs:GetLogEvents", "logs:FilterLogEvents"]
    resources = [
      "arn:${format(local.arn_prefix, "logs")}:log-group:${local.crawler_log_group}:*",
      "arn:${format(local.arn_prefix, "logs")}:log-group:${local.function_log_group}:*",
    ]
  }
}

resource "aws_iam_policy" "access" {
  for_each    = local._created_policies
  name        = "${var.name}-${each.key}"
  description = each.value.description
  policy      = each.value.document
  tags        = var.tags
}

resource "aws_iam_role_policy_attachment" "access" {
  for_each   = local._attachments
  role       = each.value.role
  policy_arn = aws_iam_policy.access[each.value.policy].arn
}
