"""Property: whatever the interleaving, no update is lost and no burst crawls twice.

A small simulation drives the real `process` function: objects arrive (messages are
enqueued with a simulated clock), the event source mapping delivers some subset of the
visible messages, failed messages become visible again after the visibility timeout,
and crawls start and finish. Glue is an in-memory fake here because the property needs
a controllable clock and a real CrawlElapsedTime (moto always reports 0); the
example-based tests cover the same code against moto.
"""

from __future__ import annotations

import importlib
import json
import random
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tooling.events import s3_object_created as s3_event
from tooling.events import sqs_record

VISIBILITY_TIMEOUT_MS = 300_000
MAX_RECEIVES = 5  # the queue's redrive policy, for malformed messages only


@dataclass
class FakeGlue:
    """A crawler whose crawls run until told to finish, on a clock the test controls."""

    clock: list[int]
    report_elapsed: bool
    state: str = "READY"
    crawl_started_ms: int = 0
    crawl_starts: list[int] = field(default_factory=list)
    starts_while_busy: int = 0
    start_calls: int = 0

    def get_crawler(self, *, Name: str) -> dict[str, Any]:
        elapsed = self.clock[0] - self.crawl_started_ms if self.state != "READY" else 0
        return {
            "Crawler": {"Name": Name, "State": self.state, "CrawlElapsedTime": elapsed if self.report_elapsed else 0}
        }

    def start_crawler(self, *, Name: str) -> dict[str, Any]:
        self.start_calls += 1
        if self.state != "READY":
            self.starts_while_busy += 1
            error = {"Error": {"Code": "CrawlerRunningException", "Message": "running"}}
            raise ClientError(error, "StartCrawler")
        self.state = "RUNNING"
        self.crawl_started_ms = self.clock[0]
        self.crawl_starts.append(self.clock[0])
        return {}

    def advance_crawl(self, via_stopping: bool) -> None:
        if self.state == "RUNNING" and via_stopping:
            self.state = "STOPPING"
        elif self.state != "READY":
            self.state = "READY"


@dataclass
class QueuedMessage:
    message_id: str
    sent_ms: int
    body: str
    valid: bool  # an S3 Object Created event, i.e. one that must be followed by a crawl
    visible_at: int
    receives: int = 0


class Simulation:
    def __init__(self, trigger: ModuleType, report_elapsed: bool, skew_ms: int) -> None:
        self.trigger = trigger
        self.clock = [1_700_000_000_000]
        self.skew_ms = skew_ms  # the Lambda's clock minus SQS's clock
        self.glue = FakeGlue(self.clock, report_elapsed)
        self.queue: list[QueuedMessage] = []
        self.arrivals: list[int] = []
        self.dead_letters: list[QueuedMessage] = []
        self.next_id = 0

    def tick(self, ms: int) -> None:
        self.clock[0] += ms

    def arrive(self, kind: str) -> None:
        bodies = {"object": json.dumps(s3_event()), "other": json.dumps({"source": "aws.ec2"}), "junk": "not json"}
        self.next_id += 1
        now = self.clock[0]
        self.queue.append(QueuedMessage(f"m{self.next_id}", now, bodies[kind], kind == "object", visible_at=now))
        if kind == "object":
            self.arrivals.append(now)

    def deliver(self, size: int, seed: int) -> None:
        visible = [m for m in self.queue if m.visible_at <= self.clock[0]]
        rng = random.Random(seed)  # noqa: S311 - a seeded replay, not cryptography
        chosen = rng.sample(visible, min(size, len(visible)))
        if not chosen:
            return
        event = {"Records": [sqs_record(m.message_id, m.body, m.sent_ms) for m in chosen]}
        starts_before = self.glue.start_calls

        result = self.trigger.process(
            event,
            crawler_name="property-crawler",
            client=self.glue,
            now_ms=lambda: self.clock[0] + self.skew_ms,
        )

        assert self.glue.start_calls - starts_before <= 1, "one batch started two crawls"
        failed = {f["itemIdentifier"] for f in result["batchItemFailures"]}
        for message in chosen:
            message.receives += 1
            if message.message_id in failed:
                message.visible_at = self.clock[0] + VISIBILITY_TIMEOUT_MS
                if message.receives >= MAX_RECEIVES and not message.valid:
                    self.queue.remove(message)
                    self.dead_letters.append(message)
                continue
            if message.valid:
                assert any(message.sent_ms <= s <= self.clock[0] for s in self.glue.crawl_starts), (
                    f"{message.message_id} acknowledged before any crawl started after it"
                )
            self.queue.remove(message)

    def schedule(self) -> None:
        self.trigger.process(
            {"source": "data-catalog.schedule"},
            crawler_name="property-crawler",
            client=self.glue,
            now_ms=lambda: self.clock[0] + self.skew_ms,
        )

    def drain(self) -> None:
        for _ in range(4 * MAX_RECEIVES):
            if not self.queue:
                return
            self.glue.advance_crawl(via_stopping=False)
            self.glue.advance_crawl(via_stopping=False)
            self.tick(VISIBILITY_TIMEOUT_MS)
            self.deliver(10_000, seed=0)
        raise AssertionError(f"queue never drained: {self.queue}")


# Mostly short waits (races around a crawl's start), sometimes long ones (crawls finishing,
# visibility timeouts expiring).
durations = st.one_of(st.integers(0, 10_000), st.integers(0, 2 * VISIBILITY_TIMEOUT_MS))
arrival_kinds = st.sampled_from(["object", "object", "other", "junk"])
steps = st.lists(
    st.one_of(
        st.tuples(st.just("arrive"), durations, arrival_kinds),
        st.tuples(st.just("deliver"), durations, st.integers(1, 10), st.integers(0, 2**16)),
        st.tuples(st.just("advance_crawl"), durations, st.booleans()),
        st.tuples(st.just("schedule"), durations),
    ),
    min_size=1,
    max_size=80,
)


# The autouse aws_env fixture only sets environment variables: sharing it is harmless.
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=steps,
    report_elapsed=st.booleans(),
    skew_ms=st.one_of(st.sampled_from([-5_000, 0, 5_000]), st.integers(-5_000, 5_000)),
)
def test_every_arrival_is_followed_by_a_crawl_and_no_burst_crawls_twice(
    steps: list[tuple[Any, ...]], report_elapsed: bool, skew_ms: int
) -> None:
    sim = Simulation(importlib.import_module("trigger_crawler"), report_elapsed, skew_ms)
    for action, wait_ms, *args in steps:
        sim.tick(wait_ms)
        if action == "arrive":
            sim.arrive(*args)
        elif action == "deliver":
            sim.deliver(*args)
        elif action == "advance_crawl":
            sim.glue.advance_crawl(*args)
        else:
            sim.schedule()

    sim.drain()

    assert sim.glue.starts_while_busy == 0, "StartCrawler was attempted while a crawl ran"
    for arrival in sim.arrivals:
        assert any(start >= arrival for start in sim.glue.crawl_starts), (
            f"object that arrived at {arrival} was never crawled"
        )
    assert all(not m.valid for m in sim.dead_letters)
