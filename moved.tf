# Addresses that changed when the module was laid out by feature (CHANGELOG, "Breaking changes").
# State applied with the earlier layout upgrades in place; tests/integration proves it.

moved {
  from = aws_glue_security_configuration.this[0]
  to   = aws_glue_security_configuration.this
}

# Queues: one submodule per feature's queue (modules/queue), instead of two for_each resources.
moved {
  from = aws_sqs_queue.dead_letter["trigger_failures"]
  to   = module.trigger_dlq.aws_sqs_queue.this
}

moved {
  from = aws_sqs_queue.work["new_objects"]
  to   = module.event_trigger_queue[0].aws_sqs_queue.this
}

moved {
  from = aws_sqs_queue.dead_letter["new_objects"]
  to   = module.event_trigger_queue[0].aws_sqs_queue.dead_letter[0]
}

moved {
  from = aws_sqs_queue.work["crawler_events"]
  to   = module.crawler_events_queue[0].aws_sqs_queue.this
}

moved {
  from = aws_sqs_queue.dead_letter["crawler_events"]
  to   = module.crawler_events_queue[0].aws_sqs_queue.dead_letter[0]
}

# Alarms are keyed after the queue or feature they watch.
moved {
  from = aws_cloudwatch_metric_alarm.this["dead_letters_trigger_failures"]
  to   = aws_cloudwatch_metric_alarm.this["trigger_dlq"]
}

moved {
  from = aws_cloudwatch_metric_alarm.this["dead_letters_new_objects"]
  to   = aws_cloudwatch_metric_alarm.this["event_trigger_dlq"]
}

moved {
  from = aws_cloudwatch_metric_alarm.this["dead_letters_crawler_events"]
  to   = aws_cloudwatch_metric_alarm.this["crawler_events_dlq"]
}

moved {
  from = aws_cloudwatch_metric_alarm.this["oldest_new_object"]
  to   = aws_cloudwatch_metric_alarm.this["event_trigger_stale"]
}
