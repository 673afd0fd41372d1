# Give people access: analysts who query, a pipeline that lands files, and on-call operators who
# rerun the crawler. The three roles stand in for roles your organisation already has (anyone in
# this account may assume them here); the module creates a least-privilege policy for each kind of
# access and attaches it. Lake Formation governs the catalog, in hybrid access mode.

provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_iam_policy_document" "assumed_from_this_account" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_iam_role" "team" {
  for_each           = toset(["analyst", "pipeline", "oncall"])
  name               = "${var.name}-${each.key}"
  description        = "Stands in for the ${each.key} role of a team using the catalog."
  assume_role_policy = data.aws_iam_policy_document.assumed_from_this_account.json
}

module "catalog" {
  source = "../.."

  name = var.name

  crawler = {
    targets = [{ prefix = "sales/" }, { prefix = "events/" }]
  }

  access = {
    readers   = [aws_iam_role.team["analyst"].arn]
    writers   = [aws_iam_role.team["pipeline"].arn]
    operators = [aws_iam_role.team["oncall"].arn]
  }

  lake_formation = {}
}
