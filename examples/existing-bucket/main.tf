# Data already lives in a bucket that another configuration (or team) owns. The module crawls one
# prefix of it and leaves the bucket itself alone: no encryption, policy or lifecycle changes.

provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

# Stands in for a bucket managed elsewhere. In real use you pass the name of your existing bucket.
resource "aws_s3_bucket" "existing" {
  #checkov:skip=CKV_AWS_18:Stand-in for a bucket owned elsewhere; its settings are not this example's to set.
  #checkov:skip=CKV_AWS_144:Stand-in for a bucket owned elsewhere; its settings are not this example's to set.
  #checkov:skip=CKV_AWS_145:Stand-in for a bucket owned elsewhere; its settings are not this example's to set.
  #checkov:skip=CKV_AWS_21:Stand-in for a bucket owned elsewhere; its settings are not this example's to set.
  #checkov:skip=CKV2_AWS_6:Stand-in for a bucket owned elsewhere; its settings are not this example's to set.
  #checkov:skip=CKV2_AWS_61:Stand-in for a bucket owned elsewhere; its settings are not this example's to set.
  #checkov:skip=CKV2_AWS_62:Stand-in for a bucket owned elsewhere; its settings are not this example's to set.
  bucket = "${var.name}-landing-${data.aws_caller_identity.current.account_id}"
}

module "catalog" {
  source = "../.."

  name = var.name

  data_bucket = {
    create = false
    name   = aws_s3_bucket.existing.id
  }

  database = {
    name = "landing_zone"
  }

  crawler = {
    targets = [{ prefix = "exports/" }]
  }
}
