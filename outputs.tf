output "alerts_topic_arn" {
  description = "ARN of the SNS topic that receives failed crawls and alarms (null when notifications is null)."
  value       = local.notify ? local.alerts_topic_arn : null
}

output "athena_results_location" {
  description = "S3 location where the workgroup writes query results (never crawled)."
  value       = local.results_location
}

output "athena_workgroup_name" {
  description = "Name of the Athena workgroup to query the tables with."
  value       = aws_athena_workgroup.this.name
}

output "crawler_arn" {
  description = "ARN of the Glue crawler."
  value       = aws_glue_crawler.this.arn
}

output "crawler_events_queue_arn" {
  description = "ARN of the crawler's own S3 event queue in CRAWL_EVENT_MODE (null otherwise)."
  value       = try(aws_sqs_queue.work["crawler_events"].arn, null)
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
  value       = [for t in var.crawler.targets : "s3://${local.data_bucket_name}/${t.prefix}"]
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

output "new_objects_dlq_arn" {
  description = "ARN of the dead-letter queue of the new-objects queue (null without event_trigger)."
  value       = try(aws_sqs_queue.dead_letter["new_objects"].arn, null)
}

output "new_objects_queue_arn" {
  description = "ARN of the SQS queue of S3 Object Created events the trigger drains (null without event_trigger)."
  value       = try(aws_sqs_queue.work["new_objects"].arn, null)
}

output "results_bucket_arn" {
  description = "ARN of the Athena results bucket."
  value       = var.athena_results.create_bucket ? module.results_bucket[0].arn : local.results_bucket_arn
}

output "results_bucket_name" {
  description = "Name of the Athena results bucket."
  value       = var.athena_results.create_bucket ? module.results_bucket[0].name : local.results_bucket_name
}

output "schedule_arn" {
  description = "ARN of the EventBridge Scheduler schedule that reruns the crawler (null when schedule is null)."
  value       = one(aws_scheduler_schedule.crawl[*].arn)
}

output "trigger_failures_queue_arn" {
  description = "ARN of the SQS queue receiving failed trigger invocations and undelivered schedules."
  value       = aws_sqs_queue.dead_letter["trigger_failures"].arn
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
