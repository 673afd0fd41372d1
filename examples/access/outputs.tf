# The names the README's commands use (`terraform output -raw <name>`), then everything.

output "athena_workgroup_name" {
  description = "Athena workgroup to query the tables with."
  value       = module.catalog.athena_workgroup_name
}

output "crawler_name" {
  description = "Glue crawler that catalogs the data."
  value       = module.catalog.crawler_name
}

output "data_bucket_name" {
  description = "Bucket to upload data to."
  value       = module.catalog.data_bucket_name
}

output "database_name" {
  description = "Glue database that holds the tables."
  value       = module.catalog.database_name
}

output "trigger_function_name" {
  description = "Function that starts a crawl now."
  value       = module.catalog.trigger_function_name
}

output "analyst_role_arn" {
  description = "Role that may query (assume it to try)."
  value       = aws_iam_role.team["analyst"].arn
}

output "pipeline_role_arn" {
  description = "Role that may land files under the crawled prefixes."
  value       = aws_iam_role.team["pipeline"].arn
}

output "oncall_role_arn" {
  description = "Role that may rerun the crawler."
  value       = aws_iam_role.team["oncall"].arn
}

output "catalog" {
  description = "Everything the module exposes."
  value       = module.catalog
}
