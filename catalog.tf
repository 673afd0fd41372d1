# The Glue Data Catalog database the crawler writes: created, or an existing one (database.create).

resource "aws_glue_catalog_database" "this" {
  count       = var.database.create ? 1 : 0
  name        = local.database_name
  description = coalesce(var.database.description, "Tables discovered by the ${local.crawler_name} crawler.")
  tags        = var.tags
}
