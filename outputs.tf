# Outputs are named after the input (or feature) they belong to: data_bucket_*, results_bucket_*,
# database_*, crawler_*, trigger_*, schedule_*, event_trigger_*, alerts_*, athena_*. Every queue
# has an output, and every dead-letter queue's ends in _dlq_arn.

output "access_policy_arns" {
  description = "ARNs of the managed policies created from access, by kind (query, write, crawl); a kind not created is absent."
  value       = { for k, p in aws_iam_policy.access : k => p.arn }
}

output "alerts_topic_arn" {
  description = "ARN of the SNS topic that receives failed crawls and alarms (null when alerts is null)."
  value       = local.alerts_on ? local.alerts_topic_arn : null
}

output "athena_workgroup_arn" {
  description = "ARN of the Athena workgroup."
  value       = aws_athena_workgroup.this.arn
}

output "athena_workgroup_name" {
  description = "Name of the Athena workgroup to query the tables with."
  value       = aws_athena_workgroup.this.name
}

output "crawl_policy_json" {
  description = "IAM policy for operators: invoke the trigger function, read the crawler's state and logs."
  value       = data.aws_iam_policy_document.crawl.json
}

output "crawler_arn" {
  description = "ARN of the Glue crawler."
  value       = aws_glue_crawler.this.arn
}

output "crawler_events_dlq_arn" {
  description = "ARN of the dead-letter queue of the crawler's S3 event queue in CRAWL_EVENT_MODE (null otherwise)."
  value       = try(module.crawler_events_queue[0].dead_letter_arn, null)
}

output "crawler_events_queue_arn" {
  description = "ARN of the crawler's own S3 event queue in CRAWL_EVENT_MODE (null otherwise)."
  value       = try(module.crawler_events_queue[0].arn, null)
}

output "crawler_log_group_name" {
  description = "Name of the CloudWatch log group the crawler writes to (owned by the module, with crawler.log_retention_days)."
  value       = aws_cloudwatch_log_group.crawler.name
}

output "crawler_name" {
  description = "Name of the Glue crawler."
  value       = aws_glue_crawler.this.name
}

output "crawler_role_arn" {
  description = "ARN of the IAM role the crawler runs as."
  value       = aws_iam_role.crawler.arn
}

output "crawler_s3_targets" {
  description = "The crawler's S3 targets as s3:// paths."
  value       = [for t in local.targets : t.path]
}

output "data_bucket_arn" {
  description = "ARN of the data bucket the crawler reads."
  value       = var.data_bucket.create ? module.data_bucket[0].arn : local.data_bucket_arn
}

output "data_bucket_name" {
  description = "Name of the data bucket the crawler reads."
  value       = var.data_bucket.create ? module.data_bucket[0].name : local.data_bucket_name
}

output "database_name" {
  description = "Name of the Glue Data Catalog database the crawler writes."
  value       = var.database.create ? aws_glue_catalog_database.this[0].name : local.database_name
}

output "event_trigger_dlq_arn" {
  description = "ARN of the dead-letter queue of the event_trigger queue (null without event_trigger)."
  value       = try(module.event_trigger_queue[0].dead_letter_arn, null)
}

output "event_trigger_queue_arn" {
  description = "ARN of the SQS queue of S3 Object Created events the trigger drains (null without event_trigger)."
  value       = try(module.event_trigger_queue[0].arn, null)
}

output "query_policy_json" {
  description = "IAM policy for readers: query this workgroup, read this database and the crawled objects, write and read query results."
  value       = data.aws_iam_policy_document.query.json
}

output "results_bucket_arn" {
  description = "ARN of the bucket Athena writes query results to."
  value       = var.results_bucket.create ? module.results_bucket[0].arn : local.results_bucket_arn
}

output "results_bucket_name" {
  description = "Name of the bucket Athena writes query results to."
  value       = var.results_bucket.create ? module.results_bucket[0].name : local.results_bucket_name
}

output "results_location" {
  description = "S3 location where the workgroup writes query results (never crawled)."
  value       = local.results_location
}

output "schedule_arn" {
  description = "ARN of the EventBridge Scheduler schedule that reruns the crawler (null when schedule is null)."
  value       = one(aws_scheduler_schedule.crawl[*].arn)
}

output "trigger_dlq_arn" {
  description = "ARN of the trigger function's dead-letter queue: failed asynchronous invocations and undelivered schedules."
  value       = module.trigger_dlq.arn
}

output "trigger_function_arn" {
  description = "ARN of the crawler-trigger Lambda function."
  value       = aws_lambda_function.trigger.arn
}

output "trigger_function_name" {
  description = "Name of the crawler-trigger Lambda function."
  value       = aws_lambda_function.trigger.function_name
}

output "trigger_role_arn" {
  description = "ARN of the IAM role the trigger function runs as."
  value       = aws_iam_role.trigger.arn
}

output "write_policy_json" {
  description = "IAM policy for producers: put objects under the crawled prefixes, with the bucket's encryption."
  value       = data.aws_iam_policy_document.write.json
}
