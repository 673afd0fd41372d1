"""iam: see gaps.py (authorizing every request, EMULATOR_IAM=enforce) and api.py (asking in-process).

`authorize(access_key_id, action, resource_arns, context)` is the question an engine asks on a
caller's behalf; policy.py, conditions.py and resources.py are the pure parts behind it.
`service_can_assume(role_arn, service, context)` (trust.py) asks whether a service (Glue, Lambda)
may assume a role under its trust policy.
"""

from tooling.emulator.iam.api import (
    ENFORCE,
    SETTING,
    athena_workgroup_arn,
    authorize,
    current_access_key,
    decide,
    decide_s3,
    enforcing,
    glue_table_arns,
    principal_arn,
    s3_bucket_arn,
    s3_object_arn,
)
from tooling.emulator.iam.trust import service_can_assume

__all__ = [
    "ENFORCE",
    "SETTING",
    "athena_workgroup_arn",
    "authorize",
    "current_access_key",
    "decide",
    "decide_s3",
    "enforcing",
    "glue_table_arns",
    "principal_arn",
    "s3_bucket_arn",
    "s3_object_arn",
    "service_can_assume",
]
