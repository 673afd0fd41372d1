# Lake Formation mode (lake_formation, opt-in): the crawled locations are registered with Lake
# Formation, and Lake Formation grants, not only IAM, decide who sees what. The crawler role may
# create, alter and describe in the database (drop only with DELETE_FROM_DATABASE) and access the
# data locations; readers (access.readers) may describe the database and select from and describe
# all its tables, including tables the crawler creates later (a table wildcard). The IAM side
# matches: the crawler role and the query policy get lakeformation:GetDataAccess.
#
# Before applying, the account needs a Lake Formation data lake administrator, and whoever runs
# Terraform must be one (or hold grantable permissions); the module does not change the account's
# data lake settings. With hybrid access mode (the default), IAM-based access keeps working for
# principals not opted in to Lake Formation, so turning this on does not cut off existing users.

locals {
  lake_formation_on = var.lake_formation != null

  # Registered locations: the bucket when the whole bucket is crawled, else each crawled prefix.
  _locations = !local.lake_formation_on ? {} : (
    local.crawls_whole_bucket ? { "" = local.data_bucket_arn } :
    { for t in local.targets : t.prefix => "${local.data_bucket_arn}/${trimsuffix(t.prefix, "/")}" }
  )
  # By position: a reader role created in the same apply has no ARN until then (access.tf).
  _lf_readers = local.lake_formation_on ? { for i, arn in var.access.readers : tostring(i) => arn } : {}

  _crawler_database_permissions = concat(["CREATE_TABLE", "ALTER", "DESCRIBE"], var.crawler.delete_behavior == "DELETE_FROM_DATABASE" ? ["DROP"] : [])
  _crawler_table_permissions    = concat(["ALTER", "DESCRIBE"], var.crawler.delete_behavior == "DELETE_FROM_DATABASE" ? ["DROP"] : [])
}

resource "aws_lakeformation_resource" "data" {
  for_each                = local._locations
  arn                     = each.value
  use_service_linked_role = var.lake_formation.role_arn == null
  role_arn                = var.lake_formation.role_arn
  hybrid_access_enabled   = var.lake_formation.hybrid_access
}

resource "aws_lakeformation_permissions" "crawler_database" {
  count       = local.lake_formation_on ? 1 : 0
  principal   = aws_iam_role.crawler.arn
  permissions = local._crawler_database_permissions

  database {
    name = local.database_name
  }

  depends_on = [aws_glue_catalog_database.this]
}

resource "aws_lakeformation_permissions" "crawler_tables" {
  count       = local.lake_formation_on ? 1 : 0
  principal   = aws_iam_role.crawler.arn
  permissions = local._crawler_table_permissions

  table {
    database_name = local.database_name
    wildcard      = true
  }

  depends_on = [aws_glue_catalog_database.this]
}

resource "aws_lakeformation_permissions" "crawler_locations" {
  for_each    = local._locations
  principal   = aws_iam_role.crawler.arn
  permissions = ["DATA_LOCATION_ACCESS"]

  data_location {
    arn = aws_lakeformation_resource.data[each.key].arn
  }
}

resource "aws_lakeformation_permissions" "reader_database" {
  for_each    = local._lf_readers
  principal   = each.value
  permissions = ["DESCRIBE"]

  database {
    name = local.database_name
  }

  depends_on = [aws_glue_catalog_database.this]
}

resource "aws_lakeformation_permissions" "reader_tables" {
  for_each    = local._lf_readers
  principal   = each.value
  permissions = ["SELECT", "DESCRIBE"]

  table {
    database_name = local.database_name
    wildcard      = true
  }

  depends_on = [aws_glue_catalog_database.this]
}
