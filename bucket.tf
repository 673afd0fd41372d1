# The data bucket: created and hardened (modules/s3-bucket), or an existing one the module only
# reads. A bucket has exactly one notification configuration; this file owns it.

module "data_bucket" {
  source = "./modules/s3-bucket"
  count  = var.data_bucket.create ? 1 : 0

  name                                   = local.data_bucket_name
  kms_key                                = var.kms_key
  force_destroy                          = var.data_bucket.force_destroy
  abort_incomplete_multipart_upload_days = var.data_bucket.abort_incomplete_multipart_upload_days
  noncurrent_version_expiration_days     = var.data_bucket.noncurrent_version_expiration_days
  access_log                             = var.data_bucket.access_log
  tags                                   = var.tags
}

# EventBridge notifications for event_trigger; queue notifications for the crawler's event mode.
resource "aws_s3_bucket_notification" "data" {
  count = local.event_trigger_on || local.event_mode ? 1 : 0
  # The created bucket's name output waits for its policy, encryption and public access block
  # (not for its lifecycle rule, which takes the provider a minute).
  bucket      = var.data_bucket.create ? module.data_bucket[0].name : local.data_bucket_name
  eventbridge = local.event_trigger_on

  dynamic "queue" {
    for_each = local.event_mode ? local.targets : []
    content {
      queue_arn     = module.crawler_events_queue[0].arn
      events        = ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]
      filter_prefix = queue.value.prefix == "" ? null : queue.value.prefix
    }
  }

  depends_on = [aws_sqs_queue_policy.crawler_events]
}
