# The smallest useful configuration: only the required input. Everything else takes the module's
# secure defaults (SSE-S3, a separate results bucket, a daily 02:00 UTC crawl).

provider "aws" {
  region = var.region
}

module "catalog" {
  source = "../.."

  name = var.name
}
