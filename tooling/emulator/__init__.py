"""The local AWS emulator: moto server on 127.0.0.1, with the gaps the module runs into filled and
local engines behind the services whose work moto does not do.

One folder per service, as moto and LocalStack organise theirs. In each, `gaps.py` speaks the
wire protocol where moto falls short (what moto does, what broke, what the fill does, written in
its docstring), and any engine behind it has a module of its own. README.md is the map.
"""

from __future__ import annotations

from tooling.emulator.athena import gaps as athena_gaps
from tooling.emulator.athena import queries as athena_queries
from tooling.emulator.awslambda import gaps as lambda_gaps
from tooling.emulator.awslambda import role_trust as lambda_role_trust
from tooling.emulator.events import gaps as events_gaps
from tooling.emulator.glue import crawler as glue_crawler
from tooling.emulator.glue import gaps as glue_gaps
from tooling.emulator.iam import gaps as iam_gaps
from tooling.emulator.lakeformation import gaps as lakeformation_gaps
from tooling.emulator.s3 import gaps as s3_gaps
from tooling.emulator.scheduler import gaps as scheduler_gaps
from tooling.emulator.sqs import gaps as sqs_gaps

_installed = False


def install() -> None:
    """Install every gap fill into moto (idempotent)."""
    global _installed
    if _installed:
        return
    services = (
        athena_gaps,
        athena_queries,
        events_gaps,
        glue_gaps,
        glue_crawler,
        iam_gaps,
        lakeformation_gaps,
        lambda_gaps,
        lambda_role_trust,
        s3_gaps,
        scheduler_gaps,
        sqs_gaps,
    )
    for service in services:
        service.install()
    _installed = True
