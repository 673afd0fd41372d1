"""A stack applied from the module's previous layout upgrades to the current one in place.

The `upgrade` deployment (conftest.py) is examples/complete (every feature, a KMS key) applied from
commit LAYOUT_BEFORE. Here the module and the example are replaced by the working tree's, as a
user upgrading would, and the plan must keep every stateful resource: moved.tf maps each changed
address. The only replacement allowed is the one CHANGELOG.md lists under breaking changes.
"""

from __future__ import annotations

import pytest

from tooling.terraform.deployment import Deployment
from tooling.terraform.stack import upgrade_stack

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.upgrade]

# Resources that hold data or identity a user cannot get back by re-applying.
STATEFUL = (
    "aws_s3_bucket",
    "aws_glue_catalog_database",
    "aws_glue_crawler",
    "aws_cloudwatch_log_group",
    "aws_kms_key",
    "aws_sns_topic",
    "aws_sqs_queue",
    "aws_lambda_function",
    "aws_athena_workgroup",
    "aws_iam_role",
)
# The trigger's dead-letter queue is renamed `<function>-failures` -> `<function>-dlq` (one naming
# of dead-letter queues): it is replaced, and CHANGELOG.md says to empty it first.
REPLACED = {"module.catalog.module.trigger_dlq.aws_sqs_queue.this"}


def test_a_stack_from_the_previous_layout_upgrades_without_destroying_state(deployments: dict[str, Deployment]) -> None:
    stack = deployments["upgrade"]
    assert stack.apply_error is None, stack.apply_error
    assert stack.resources > 40
    upgrade_stack(stack.root, "complete")

    plan = stack.tf.plan({"name": "catalog-upgrade"})
    destroyed = {address for address, actions in plan.changes.items() if "delete" in actions}
    stateful = {a for a in destroyed if a.rsplit(".", 2)[-2].split("[")[0] in STATEFUL}
    assert stateful == REPLACED, f"stateful resources the upgrade would destroy: {sorted(stateful - REPLACED)}"
    # Alarms and event targets are wiring, replaced when renamed (the DLQ's alarm) or retargeted (the
    # crawl-state rule now invokes the report function).
    wiring = (".aws_cloudwatch_metric_alarm.", ".aws_cloudwatch_event_target.")
    assert destroyed - REPLACED <= {a for a in destroyed if any(w in a for w in wiring)}, (
        f"resources destroyed by the upgrade beyond the documented ones: {sorted(destroyed - REPLACED)}"
    )

    stack.tf.apply("-var=name=catalog-upgrade")
    assert stack.tf.plan_exit_code("-var=name=catalog-upgrade").returncode == 0, (
        "a second plan after the upgrade must be empty"
    )
