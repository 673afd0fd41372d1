# Inputs are sorted by name. Rich inputs are objects whose fields are optional with defaults, so a
# caller writes only what differs: `crawler = { recrawl_behavior = "CRAWL_NEW_FOLDERS_ONLY", ... }`.

variable "access" {
  description = <<-EOT
    Who may use the catalog. The module always renders three least-privilege policies (outputs `query_policy_json`, `write_policy_json`, `crawl_policy_json`); it creates them as managed policies `<name>-query`, `<name>-write` and `<name>-crawl` and attaches each to the roles named for it. Fields:
    - `readers`: role ARNs that query: run queries in the workgroup, read the database's tables and the crawled objects, write and read query results.
    - `writers`: role ARNs that land data: put objects under the crawled prefixes, with the bucket's encryption.
    - `operators`: role ARNs that run the crawler: invoke the trigger function, read the crawler's state and logs.
    - `create_policies`: create all three managed policies even for a kind with no role named (to attach elsewhere); a policy with roles named is always created.
  EOT
  type = object({
    create_policies = optional(bool, false)
    operators       = optional(list(string), [])
    readers         = optional(list(string), [])
    writers         = optional(list(string), [])
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for arn in concat(var.access.readers, var.access.writers, var.access.operators) : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,64}$", arn))])
    error_message = "access.readers, access.writers and access.operators must be IAM role ARNs (arn:aws:iam::<account>:role/<name>)."
  }

  validation {
    condition     = alltrue([for list in [var.access.readers, var.access.writers, var.access.operators] : length(distinct(list)) == length(list)])
    error_message = "access.readers, access.writers and access.operators must not name a role twice."
  }
}

variable "alerts" {
  description = <<-EOT
    Tell people what crawls do and when something fails: a report after every crawl (tables and partitions added, updated, deleted; duration; error) on an SNS topic and as CloudWatch metrics (namespace `DataCatalog/Crawls`, dimension `CrawlerName`), schema changes when asked, and alarms. Null turns alerts off. Fields:
    - `topic`: the SNS topic alerts go to.
    - `topic.create`: create a topic named `<name>-crawl-alerts`, encrypted with `kms_key` when given (unencrypted without one, because EventBridge cannot publish to a topic encrypted with the AWS managed SNS key).
    - `topic.arn`: with `create = false`, an existing topic; its policy must let `events.amazonaws.com` and `cloudwatch.amazonaws.com` publish.
    - `notify_on_success`: publish the reports of succeeded crawls too (failed crawls' always are; metrics are put for every crawl).
    - `schema_changes`: publish the database's table changes (CreateTable, UpdateTable, DeleteTable), naming the table and the change.
    - `partition_changes`: with `schema_changes`, publish partition changes too.
    - `alarms`: CloudWatch alarms to the same topic on function errors (trigger and report), messages in any dead-letter queue and (with event_trigger) the age of the oldest queued object.
    - `oldest_message_age_seconds`: the age alarm's threshold; default 2 x event_trigger.max_crawl_minutes.
  EOT
  type = object({
    alarms                     = optional(bool, true)
    notify_on_success          = optional(bool, true)
    oldest_message_age_seconds = optional(number)
    partition_changes          = optional(bool, false)
    schema_changes             = optional(bool, false)
    topic = optional(object({
      arn    = optional(string)
      create = optional(bool, true)
    }), {})
  })
  default = {}

  validation {
    condition     = var.alerts == null ? true : (!var.alerts.partition_changes || var.alerts.schema_changes)
    error_message = "alerts.partition_changes needs alerts.schema_changes = true (partition changes are schema changes)."
  }

  validation {
    condition     = var.alerts == null ? true : (var.alerts.topic.create || var.alerts.topic.arn != null)
    error_message = "alerts.topic.arn is required when alerts.topic.create is false (the existing topic)."
  }

  validation {
    condition     = var.alerts == null ? true : (var.alerts.topic.arn == null ? true : can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.alerts.topic.arn)))
    error_message = "alerts.topic.arn must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)."
  }

  validation {
    condition     = var.alerts == null ? true : (var.alerts.oldest_message_age_seconds == null ? true : var.alerts.oldest_message_age_seconds >= 60)
    error_message = "alerts.oldest_message_age_seconds must be at least 60."
  }
}

variable "athena" {
  description = <<-EOT
    The Athena workgroup used to query the catalog. Fields:
    - `bytes_scanned_cutoff_per_query`: a query is cancelled past this many bytes scanned; at least 10 MiB (10485760).
    - `enforce_workgroup_configuration`: clients cannot override the results location or encryption.
    - `engine_version`: "AUTO" or "Athena engine version 3".
    - `force_destroy`: allow destroying the workgroup while it has named queries or query history.
    - `named_queries`: saved queries keyed by name (1-128 of letters, digits, space, `_`, `.`, `-`).
    - `named_queries[*].query`: the SQL.
    - `named_queries[*].description`: what the query answers.
    - `publish_cloudwatch_metrics`: publish query metrics to CloudWatch.
  EOT
  type = object({
    bytes_scanned_cutoff_per_query  = optional(number, 10737418240)
    enforce_workgroup_configuration = optional(bool, true)
    engine_version                  = optional(string, "AUTO")
    force_destroy                   = optional(bool, false)
    named_queries = optional(map(object({
      query       = string
      description = optional(string)
    })), {})
    publish_cloudwatch_metrics = optional(bool, true)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.athena.bytes_scanned_cutoff_per_query >= 10485760
    error_message = "athena.bytes_scanned_cutoff_per_query must be at least 10485760 (10 MiB), the minimum Athena accepts."
  }

  validation {
    condition     = contains(["AUTO", "Athena engine version 3"], var.athena.engine_version)
    error_message = "athena.engine_version must be \"AUTO\" or \"Athena engine version 3\"."
  }

  validation {
    condition     = alltrue([for k, q in var.athena.named_queries : can(regex("^[A-Za-z0-9 _.-]{1,128}$", k)) && length(trimspace(q.query)) > 0])
    error_message = "athena.named_queries keys must be 1-128 characters of letters, digits, space, '_', '.', '-', and each query must be non-empty."
  }
}

variable "crawler" {
  description = <<-EOT
    The Glue crawler. Fields:
    - `targets`: what to crawl inside the data bucket, rendered as `s3://<bucket>/<prefix>`.
    - `targets[*].prefix`: "" (the whole bucket) or a key prefix ending with "/".
    - `targets[*].exclusions`: glob patterns of keys the crawler skips, such as `**/_SUCCESS`.
    - `targets[*].sample_size`: files crawled per leaf folder (1-249); null crawls every file.
    - `description`: the crawler's description.
    - `table_prefix`: prefix added to created table names; up to 64 of [a-z0-9_].
    - `update_behavior`: "UPDATE_IN_DATABASE" or "LOG".
    - `delete_behavior`: "LOG", "DEPRECATE_IN_DATABASE" or "DELETE_FROM_DATABASE". Tables are never deleted unless asked.
    - `recrawl_behavior`: "CRAWL_EVERYTHING", "CRAWL_NEW_FOLDERS_ONLY" or "CRAWL_EVENT_MODE" (both require LOG/LOG). Event mode gives the crawler its own S3 event queue so it lists only what changed; it needs a single target without sampling.
    - `partitions_inherit_from_table`: new partitions take the table's schema.
    - `combine_compatible_schemas`: group compatible schemas into one table.
    - `table_level`: folder depth (1-10) at which tables are created.
    - `create_partition_index`: add a partition index to new tables.
    - `lineage`: enable crawler lineage.
    - `log_retention_days`: retention of the crawler's own log group (`/aws-glue/crawlers-role/<name>-crawler-<name>-crawler`), a CloudWatch Logs retention value.
    - `csv_classifiers`: custom CSV classifiers, keyed by a name suffix (`<name>-<key>`); tried before Glue's built-in ones.
    - `csv_classifiers[*].delimiter`: the field separator, one character.
    - `csv_classifiers[*].quote_symbol`: the quote character, one character other than the delimiter.
    - `csv_classifiers[*].contains_header`: "PRESENT", "ABSENT" or "UNKNOWN" (Glue guesses).
    - `csv_classifiers[*].header`: column names to use when the files have no header.
    - `csv_classifiers[*].disable_value_trimming`: keep white space around values.
    - `csv_classifiers[*].allow_single_column`: accept files with a single column.
    - `lake_formation`: the crawler's Lake Formation configuration; null leaves it unset.
    - `lake_formation.use_lake_formation_credentials`: crawl with Lake Formation credentials instead of the role's IAM permissions.
    - `lake_formation.account_id`: the account of a cross-account catalog; null for this account.
    - `additional_policy_arns`: managed policy ARNs attached to the crawler role for unusual needs.
  EOT
  type = object({
    additional_policy_arns        = optional(list(string), [])
    combine_compatible_schemas    = optional(bool, false)
    create_partition_index        = optional(bool, true)
    delete_behavior               = optional(string, "LOG")
    description                   = optional(string)
    lineage                       = optional(bool, false)
    log_retention_days            = optional(number, 365)
    partitions_inherit_from_table = optional(bool, true)
    recrawl_behavior              = optional(string, "CRAWL_EVERYTHING")
    table_level                   = optional(number)
    table_prefix                  = optional(string, "")
    update_behavior               = optional(string, "UPDATE_IN_DATABASE")
    csv_classifiers = optional(map(object({
      allow_single_column    = optional(bool, false)
      contains_header        = optional(string, "UNKNOWN")
      delimiter              = optional(string, ",")
      disable_value_trimming = optional(bool, false)
      header                 = optional(list(string))
      quote_symbol           = optional(string, "\"")
    })), {})
    lake_formation = optional(object({
      account_id                     = optional(string)
      use_lake_formation_credentials = optional(bool, false)
    }))
    targets = optional(list(object({
      exclusions  = optional(list(string), [])
      prefix      = string
      sample_size = optional(number)
    })), [{ prefix = "" }])
  })
  default  = {}
  nullable = false

  validation {
    condition     = length(var.crawler.targets) >= 1
    error_message = "crawler.targets must list at least one S3 prefix to crawl."
  }

  validation {
    condition     = alltrue([for t in var.crawler.targets : t.prefix == "" || can(regex("^([^/*?\\[\\]{}]+/)+$", t.prefix))])
    error_message = "crawler.targets[*].prefix must be \"\" (the whole bucket) or a key prefix such as \"raw/sales/\": no leading '/', no glob characters, ending with '/'."
  }

  validation {
    condition     = length(distinct([for t in var.crawler.targets : t.prefix])) == length(var.crawler.targets)
    error_message = "crawler.targets must not list the same prefix twice."
  }

  validation {
    condition     = alltrue([for t in var.crawler.targets : t.sample_size == null ? true : (t.sample_size >= 1 && t.sample_size <= 249 && floor(t.sample_size) == t.sample_size)])
    error_message = "crawler.targets[*].sample_size must be a whole number from 1 to 249 (files crawled per leaf folder), or null to crawl all files."
  }

  validation {
    condition     = can(regex("^[a-z0-9_]{0,64}$", var.crawler.table_prefix))
    error_message = "crawler.table_prefix must be at most 64 characters of lowercase letters, digits and '_'."
  }

  validation {
    condition     = contains(["UPDATE_IN_DATABASE", "LOG"], var.crawler.update_behavior)
    error_message = "crawler.update_behavior must be \"UPDATE_IN_DATABASE\" or \"LOG\"."
  }

  validation {
    condition     = contains(["LOG", "DEPRECATE_IN_DATABASE", "DELETE_FROM_DATABASE"], var.crawler.delete_behavior)
    error_message = "crawler.delete_behavior must be \"LOG\", \"DEPRECATE_IN_DATABASE\" or \"DELETE_FROM_DATABASE\"."
  }

  validation {
    condition     = contains(["CRAWL_EVERYTHING", "CRAWL_NEW_FOLDERS_ONLY", "CRAWL_EVENT_MODE"], var.crawler.recrawl_behavior)
    error_message = "crawler.recrawl_behavior must be \"CRAWL_EVERYTHING\", \"CRAWL_NEW_FOLDERS_ONLY\" or \"CRAWL_EVENT_MODE\"."
  }

  validation {
    condition     = var.crawler.recrawl_behavior == "CRAWL_EVERYTHING" || (var.crawler.update_behavior == "LOG" && var.crawler.delete_behavior == "LOG")
    error_message = "crawler.recrawl_behavior other than CRAWL_EVERYTHING requires update_behavior = \"LOG\" and delete_behavior = \"LOG\" (an AWS Glue rule)."
  }

  validation {
    condition     = var.crawler.recrawl_behavior != "CRAWL_EVENT_MODE" || (length(var.crawler.targets) == 1 && alltrue([for t in var.crawler.targets : t.sample_size == null]))
    error_message = "crawler.recrawl_behavior = \"CRAWL_EVENT_MODE\" requires exactly one target and no sample_size (AWS Glue rules for event mode crawlers)."
  }

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.crawler.log_retention_days)
    error_message = "crawler.log_retention_days must be a CloudWatch Logs retention value: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }

  validation {
    condition     = var.crawler.table_level == null ? true : (var.crawler.table_level >= 1 && var.crawler.table_level <= 10 && floor(var.crawler.table_level) == var.crawler.table_level)
    error_message = "crawler.table_level must be a whole number from 1 to 10, or null."
  }

  validation {
    condition     = alltrue([for k, c in var.crawler.csv_classifiers : can(regex("^[a-z0-9_-]{1,40}$", k)) && length(c.delimiter) == 1 && length(c.quote_symbol) == 1 && c.delimiter != c.quote_symbol && contains(["UNKNOWN", "PRESENT", "ABSENT"], c.contains_header)])
    error_message = "crawler.csv_classifiers: keys must be 1-40 of [a-z0-9_-]; delimiter and quote_symbol single, different characters; contains_header \"UNKNOWN\", \"PRESENT\" or \"ABSENT\"."
  }

  validation {
    condition     = var.crawler.lake_formation == null ? true : (var.crawler.lake_formation.account_id == null ? true : can(regex("^[0-9]{12}$", var.crawler.lake_formation.account_id)))
    error_message = "crawler.lake_formation.account_id must be a 12-digit AWS account ID, or null."
  }

  validation {
    condition     = alltrue([for arn in var.crawler.additional_policy_arns : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", arn))])
    error_message = "crawler.additional_policy_arns must be IAM managed policy ARNs (arn:aws:iam::<account>:policy/<name>)."
  }
}

variable "data_bucket" {
  description = <<-EOT
    The bucket the crawler reads. Fields:
    - `create`: create a hardened bucket. When false, `name` names an existing bucket the module does not manage.
    - `name`: bucket name; derived from `name` (`<name>-data-<account>-<region>`) when created and null.
    - `force_destroy`: allow destroying the created bucket while it holds objects.
    - `noncurrent_version_expiration_days`: expire noncurrent object versions after this many days.
    - `abort_incomplete_multipart_upload_days`: abort multipart uploads left incomplete this many days.
    - `access_log`: S3 server access logs of the data bucket and the created results bucket; null turns them off.
    - `access_log.bucket`: the bucket that receives the logs.
    - `access_log.prefix`: key prefix of the log objects.
  EOT
  type = object({
    abort_incomplete_multipart_upload_days = optional(number, 7)
    access_log = optional(object({
      bucket = string
      prefix = optional(string, "")
    }))
    create                             = optional(bool, true)
    force_destroy                      = optional(bool, false)
    name                               = optional(string)
    noncurrent_version_expiration_days = optional(number)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.data_bucket.create || var.data_bucket.name != null
    error_message = "data_bucket.name is required when data_bucket.create is false (the existing bucket to crawl)."
  }

  validation {
    condition     = var.data_bucket.name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.data_bucket.name))
    error_message = "data_bucket.name must be a valid S3 bucket name (3-63 lowercase letters, digits, '.', '-')."
  }

  validation {
    condition     = var.data_bucket.abort_incomplete_multipart_upload_days >= 1 && (var.data_bucket.noncurrent_version_expiration_days == null ? true : var.data_bucket.noncurrent_version_expiration_days >= 1)
    error_message = "data_bucket.abort_incomplete_multipart_upload_days and noncurrent_version_expiration_days must be at least 1."
  }
}

variable "database" {
  description = <<-EOT
    The Glue Data Catalog database. Fields:
    - `create`: create the database. When false, `name` names an existing database.
    - `name`: lowercase letters, digits and '_'; derived from `name` ('-' becomes '_') when null.
    - `description`: the database's description; one naming the crawler when null.
  EOT
  type = object({
    create      = optional(bool, true)
    description = optional(string)
    name        = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.database.name == null || can(regex("^[a-z0-9_]{1,255}$", var.database.name))
    error_message = "database.name must be 1-255 characters of lowercase letters, digits and '_'."
  }

  validation {
    condition     = var.database.create || var.database.name != null
    error_message = "database.name is required when database.create is false (the existing database)."
  }
}

variable "event_trigger" {
  description = <<-EOT
    Crawl when data arrives (opt-in): S3 Object Created events under the crawled prefixes go through
    EventBridge to an encrypted SQS queue that the trigger Lambda drains in batches, so one burst of
    uploads causes one crawl and an upload during a crawl causes the next one. Null (the default) turns it off. Fields:
    - `batching_window_seconds`: how long the event source mapping gathers messages (0-300).
    - `batch_size`: messages per invocation (1-10000).
    - `max_crawl_minutes`: the longest crawl a waiting message must outlive.
    - `visibility_timeout_seconds`: default max(300, 6 x trigger.timeout).
    - `max_receive_count`: default ceil(max_crawl_minutes x 60 / visibility timeout) + 3.
    - `message_retention_seconds`: 4 days, raised if the receive count needs longer.
    - `maximum_concurrency`: concurrent batches (2-1000).
    Enabling it on an existing bucket replaces that bucket's notification configuration (a bucket has one).
  EOT
  type = object({
    batch_size                 = optional(number, 1000)
    batching_window_seconds    = optional(number, 60)
    max_crawl_minutes          = optional(number, 60)
    max_receive_count          = optional(number)
    maximum_concurrency        = optional(number, 2)
    message_retention_seconds  = optional(number, 345600)
    visibility_timeout_seconds = optional(number)
  })
  default = null

  validation {
    condition     = var.event_trigger == null ? true : (var.event_trigger.batching_window_seconds >= 0 && var.event_trigger.batching_window_seconds <= 300 && var.event_trigger.batch_size >= 1 && var.event_trigger.batch_size <= 10000)
    error_message = "event_trigger.batching_window_seconds must be 0-300 and event_trigger.batch_size 1-10000."
  }

  validation {
    condition     = var.event_trigger == null ? true : (var.event_trigger.batch_size <= 10 || var.event_trigger.batching_window_seconds >= 1)
    error_message = "event_trigger.batch_size above 10 requires batching_window_seconds of at least 1 (an SQS rule)."
  }

  validation {
    condition     = var.event_trigger == null ? true : (var.event_trigger.max_crawl_minutes >= 1 && var.event_trigger.max_crawl_minutes <= 1440 && var.event_trigger.maximum_concurrency >= 2 && var.event_trigger.maximum_concurrency <= 1000)
    error_message = "event_trigger.max_crawl_minutes must be 1-1440 and event_trigger.maximum_concurrency 2-1000."
  }

  validation {
    condition     = var.event_trigger == null ? true : ((var.event_trigger.visibility_timeout_seconds == null ? true : (var.event_trigger.visibility_timeout_seconds >= 0 && var.event_trigger.visibility_timeout_seconds <= 43200)) && (var.event_trigger.max_receive_count == null ? true : (var.event_trigger.max_receive_count >= 1 && var.event_trigger.max_receive_count <= 1000)) && var.event_trigger.message_retention_seconds >= 60 && var.event_trigger.message_retention_seconds <= 1209600)
    error_message = "event_trigger.visibility_timeout_seconds must be 0-43200, max_receive_count 1-1000 and message_retention_seconds 60-1209600."
  }
}

variable "kms_key" {
  description = <<-EOT
    Customer managed KMS key. When set, it encrypts the data and results buckets (SSE-KMS with bucket keys), Athena results, the crawler's log group and its Glue security configuration, the trigger's log group, every queue, the alerts topic and the schedule. Null uses AWS owned keys (SSE-S3, SSE-SQS). An object rather than a bare ARN so that a key created in the same apply still plans. Fields:
    - `arn`: the key's ARN (an alias is not accepted).
  EOT
  type = object({
    arn = string
  })
  default = null

  validation {
    condition     = var.kms_key == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key.arn))
    error_message = "kms_key.arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); aliases are not accepted."
  }
}

variable "lake_formation" {
  description = <<-EOT
    Govern the catalog with Lake Formation (opt-in; null leaves access to IAM alone): register the crawled locations, grant the crawler role what it needs and `access.readers` read access to every table of the database. The account must already have a data lake administrator. Fields:
    - `hybrid_access`: register the locations in hybrid access mode, so that IAM-based access keeps working for principals not opted in to Lake Formation.
    - `role_arn`: the role Lake Formation uses to read the locations; null uses Lake Formation's service-linked role.
  EOT
  type = object({
    hybrid_access = optional(bool, true)
    role_arn      = optional(string)
  })
  default = null

  validation {
    condition     = var.lake_formation == null ? true : (var.lake_formation.role_arn == null ? true : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.lake_formation.role_arn)))
    error_message = "lake_formation.role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), or null for Lake Formation's service-linked role."
  }
}

variable "name" {
  description = "Name prefix for every resource: 3-24 characters, lowercase letters, digits and '-', starting with a letter."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name)) && !strcontains(var.name, "--")
    error_message = "name must be 3-24 characters of lowercase letters, digits and '-', start with a letter, not end with '-' and not contain '--'."
  }
}

variable "results_bucket" {
  description = <<-EOT
    Where Athena writes query results: never inside a crawled path, or the crawler would catalog query results as tables. Fields:
    - `create`: create a dedicated, hardened results bucket; false uses the existing bucket `name`.
    - `name`: the bucket's name; derived from `name` (`<name>-athena-<account>-<region>`) when created and null.
    - `prefix`: key prefix for results, ending in "/" when set.
    - `expiration_days`: results (and their noncurrent versions) expire after this many days; created bucket only.
    - `force_destroy`: allow destroying the created bucket while it holds results.
  EOT
  type = object({
    create          = optional(bool, true)
    expiration_days = optional(number, 30)
    force_destroy   = optional(bool, false)
    name            = optional(string)
    prefix          = optional(string, "")
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.results_bucket.create || var.results_bucket.name != null
    error_message = "results_bucket.name is required when results_bucket.create is false (the existing bucket for results)."
  }

  validation {
    condition     = var.results_bucket.name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.results_bucket.name))
    error_message = "results_bucket.name must be a valid S3 bucket name (3-63 lowercase letters, digits, '.', '-')."
  }

  validation {
    condition     = var.results_bucket.prefix == "" || can(regex("^[^/].*/$", var.results_bucket.prefix))
    error_message = "results_bucket.prefix must be empty or a key prefix that does not start with '/' and ends with '/'."
  }

  validation {
    condition     = var.results_bucket.expiration_days >= 1
    error_message = "results_bucket.expiration_days must be at least 1."
  }
}

variable "schedule" {
  description = <<-EOT
    When the trigger Lambda reruns the crawler (EventBridge Scheduler). Null turns the schedule off. Fields:
    - `expression`: a cron(), rate() or at() expression; daily at 02:00 by default.
    - `timezone`: IANA time zone the expression is evaluated in.
    - `maximum_retry_attempts`: 0-185.
    - `maximum_event_age_seconds`: 60-86400.
  EOT
  type = object({
    expression                = optional(string, "cron(0 2 * * ? *)")
    maximum_event_age_seconds = optional(number, 3600)
    maximum_retry_attempts    = optional(number, 3)
    timezone                  = optional(string, "UTC")
  })
  default = {}

  validation {
    condition     = var.schedule == null ? true : can(regex("^(cron|rate|at)\\(.+\\)$", var.schedule.expression))
    error_message = "schedule.expression must be a cron(...), rate(...) or at(...) expression."
  }

  validation {
    condition     = var.schedule == null ? true : can(regex("^(UTC|[A-Za-z_]+(/[A-Za-z0-9_+-]+)+|Etc/[A-Za-z0-9+-]+)$", var.schedule.timezone))
    error_message = "schedule.timezone must be an IANA time zone name such as \"UTC\" or \"Europe/Paris\"."
  }

  validation {
    condition     = var.schedule == null ? true : (var.schedule.maximum_retry_attempts >= 0 && var.schedule.maximum_retry_attempts <= 185 && var.schedule.maximum_event_age_seconds >= 60 && var.schedule.maximum_event_age_seconds <= 86400)
    error_message = "schedule.maximum_retry_attempts must be 0-185 and schedule.maximum_event_age_seconds 60-86400."
  }
}

variable "tags" {
  description = "Tags applied to every resource that supports them."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])
    error_message = "tags: keys must be 1-128 characters and not start with 'aws:'; values at most 256 characters."
  }
}

variable "trigger" {
  description = <<-EOT
    The crawler-trigger Lambda. Fields:
    - `runtime`: "python3.12" or "python3.13".
    - `architecture`: "arm64" or "x86_64".
    - `memory_size`: MB, 128-10240.
    - `timeout`: seconds, 3-900.
    - `log_retention_days`: a CloudWatch Logs retention value.
    - `log_level`: application log level.
    - `reserved_concurrency`: null leaves the function unreserved (new accounts cannot reserve).
    - `tracing`: active X-Ray tracing.
    - `maximum_retry_attempts`: async retries, 0-2.
    - `maximum_event_age_seconds`: async event age, 60-21600.
  EOT
  type = object({
    architecture              = optional(string, "arm64")
    log_level                 = optional(string, "INFO")
    log_retention_days        = optional(number, 365)
    maximum_event_age_seconds = optional(number, 3600)
    maximum_retry_attempts    = optional(number, 2)
    memory_size               = optional(number, 128)
    reserved_concurrency      = optional(number)
    runtime                   = optional(string, "python3.13")
    timeout                   = optional(number, 60)
    tracing                   = optional(bool, false)
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["python3.12", "python3.13"], var.trigger.runtime)
    error_message = "trigger.runtime must be \"python3.12\" or \"python3.13\"."
  }

  validation {
    condition     = contains(["arm64", "x86_64"], var.trigger.architecture)
    error_message = "trigger.architecture must be \"arm64\" or \"x86_64\"."
  }

  validation {
    condition     = var.trigger.memory_size >= 128 && var.trigger.memory_size <= 10240 && var.trigger.timeout >= 3 && var.trigger.timeout <= 900
    error_message = "trigger.memory_size must be 128-10240 MB and trigger.timeout 3-900 seconds."
  }

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.trigger.log_retention_days)
    error_message = "trigger.log_retention_days must be a CloudWatch Logs retention value: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.trigger.log_level)
    error_message = "trigger.log_level must be TRACE, DEBUG, INFO, WARN, ERROR or FATAL."
  }

  validation {
    condition     = var.trigger.reserved_concurrency == null ? true : var.trigger.reserved_concurrency >= 1
    error_message = "trigger.reserved_concurrency must be at least 1, or null for unreserved (0 would disable the function)."
  }

  validation {
    condition     = var.trigger.maximum_retry_attempts >= 0 && var.trigger.maximum_retry_attempts <= 2 && var.trigger.maximum_event_age_seconds >= 60 && var.trigger.maximum_event_age_seconds <= 21600
    error_message = "trigger.maximum_retry_attempts must be 0-2 and trigger.maximum_event_age_seconds 60-21600."
  }
}
