"""Behaviour of the crawler trigger Lambda, against moto's Glue."""

from __future__ import annotations

import logging
from types import ModuleType
from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectTimeoutError, ReadTimeoutError

from tooling.events import s3_object_created as s3_event

SCHEDULE = {"source": "data-catalog.schedule"}
NOW_MS = 1_700_000_000_000
ATTEMPTS = 1 + 5  # the first try and botocore's max_attempts=5 retries


def batch(*records: dict[str, Any]) -> dict[str, Any]:
    return {"Records": list(records)}


def failed_ids(result: dict[str, Any]) -> list[str]:
    return [failure["itemIdentifier"] for failure in result["batchItemFailures"]]


def decisions(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if hasattr(r, "decision")]


# ------------------------------------------------------------------ scheduled / direct


@pytest.mark.parametrize("event", [SCHEDULE, {}], ids=["schedule", "empty"])
def test_scheduled_invocation_starts_an_idle_crawler(
    trigger: ModuleType, glue: Any, crawler: str, event: dict[str, Any], crawler_name: str
) -> None:
    result = trigger.handler(event, None)

    assert result == {"crawler": crawler_name, "action": "started", "state": "READY"}
    assert glue.get_crawler(Name=crawler)["Crawler"]["State"] == "RUNNING"


def test_second_start_during_a_crawl_is_not_an_error(
    trigger: ModuleType, crawler: str, glue_calls: Any, crawler_name: str
) -> None:
    trigger.handler(SCHEDULE, None)

    result = trigger.handler(SCHEDULE, None)

    assert result == {"crawler": crawler_name, "action": "already_running", "state": "RUNNING"}
    assert glue_calls.count("StartCrawler") == 1


def test_stopping_crawler_is_left_alone(
    trigger: ModuleType, glue: Any, crawler: str, glue_calls: Any, crawler_name: str
) -> None:
    glue.start_crawler(Name=crawler)
    glue.stop_crawler(Name=crawler)

    result = trigger.handler(SCHEDULE, None)

    assert result == {"crawler": crawler_name, "action": "already_running", "state": "STOPPING"}
    assert glue_calls.count("StartCrawler") == 0


def test_start_that_loses_a_race_with_another_invocation_is_not_an_error(
    trigger: ModuleType, crawler: str, glue_calls: Any, crawler_name: str
) -> None:
    glue_calls.fail("StartCrawler", "CrawlerRunningException")

    result = trigger.handler(SCHEDULE, None)

    assert result == {"crawler": crawler_name, "action": "already_running", "state": "RUNNING"}


def test_crawler_starts_again_once_the_previous_crawl_finished(
    trigger: ModuleType, crawler: str, finish_crawl: Any, moto_crawler: Any
) -> None:
    trigger.handler(SCHEDULE, None)
    finish_crawl()

    result = trigger.handler(SCHEDULE, None)

    assert result["action"] == "started"
    assert len(moto_crawler.crawls) == 2


# ----------------------------------------------------------------------------- errors


def test_missing_crawler_is_a_clear_error(trigger: ModuleType, crawler_name: str) -> None:
    with pytest.raises(trigger.CrawlerNotFoundError, match=f"{crawler_name}.*CRAWLER_NAME"):
        trigger.handler(SCHEDULE, None)


def test_crawler_deleted_before_start_is_a_clear_error(
    trigger: ModuleType, crawler: str, glue_calls: Any, crawler_name: str
) -> None:
    glue_calls.fail("StartCrawler", "EntityNotFoundException")

    with pytest.raises(trigger.CrawlerNotFoundError, match=crawler_name):
        trigger.handler(SCHEDULE, None)


@pytest.mark.parametrize("operation", ["GetCrawler", "StartCrawler"])
def test_access_denied_names_the_missing_permission(
    trigger: ModuleType, crawler: str, glue_calls: Any, operation: str, crawler_name: str
) -> None:
    glue_calls.fail(operation, "AccessDeniedException")

    with pytest.raises(trigger.MissingPermissionError) as raised:
        trigger.handler(SCHEDULE, None)

    message = str(raised.value)
    assert f"glue:{operation}" in message
    assert f"arn:aws:glue:us-east-1:<account-id>:crawler/{crawler_name}" in message


@pytest.mark.parametrize("value", [None, "", "   "], ids=["unset", "empty", "blank"])
def test_missing_crawler_name_is_a_clear_error(
    trigger: ModuleType, monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("CRAWLER_NAME")
    else:
        monkeypatch.setenv("CRAWLER_NAME", value)

    with pytest.raises(RuntimeError, match="CRAWLER_NAME is not set"):
        trigger.handler(SCHEDULE, None)


def test_glue_client_retries_in_standard_mode(trigger: ModuleType) -> None:
    config = trigger.glue.meta.config

    # botocore's Config max_attempts counts retries: 5 retries, 6 attempts in all.
    assert config.retries == {"mode": "standard", "total_max_attempts": ATTEMPTS}
    assert config.connect_timeout > 0 and config.read_timeout > 0


def test_throttling_is_retried_by_botocore_and_then_succeeds(
    trigger: ModuleType, crawler: str, glue_calls: Any
) -> None:
    glue_calls.fail("GetCrawler", "ThrottlingException", "ThrottlingException")

    result = trigger.handler(SCHEDULE, None)

    assert result["action"] == "started"
    assert glue_calls.count("GetCrawler") == 3


def test_throttling_that_outlasts_the_retries_is_raised(trigger: ModuleType, crawler: str, glue_calls: Any) -> None:
    glue_calls.fail("GetCrawler", *["ThrottlingException"] * ATTEMPTS)

    with pytest.raises(ClientError) as raised:
        trigger.handler(SCHEDULE, None)

    assert raised.value.response["Error"]["Code"] == "ThrottlingException"
    assert glue_calls.count("GetCrawler") == ATTEMPTS
    assert glue_calls.count("StartCrawler") == 0


def test_timeouts_are_retried_by_botocore_and_then_succeed(trigger: ModuleType, crawler: str, glue_calls: Any) -> None:
    glue_calls.fail("GetCrawler", ConnectTimeoutError(endpoint_url="https://glue"))
    glue_calls.fail("StartCrawler", ReadTimeoutError(endpoint_url="https://glue"))

    result = trigger.handler(SCHEDULE, None)

    assert result["action"] == "started"
    assert (glue_calls.count("GetCrawler"), glue_calls.count("StartCrawler")) == (2, 2)


def test_timeouts_that_outlast_the_retries_are_raised(trigger: ModuleType, crawler: str, glue_calls: Any) -> None:
    glue_calls.fail("GetCrawler", *[ReadTimeoutError(endpoint_url="https://glue")] * ATTEMPTS)

    with pytest.raises(ReadTimeoutError):
        trigger.handler(SCHEDULE, None)

    assert glue_calls.count("GetCrawler") == ATTEMPTS


def test_other_glue_errors_are_raised_unchanged(trigger: ModuleType, crawler: str, glue_calls: Any) -> None:
    glue_calls.fail("GetCrawler", "InvalidInputException")

    with pytest.raises(ClientError, match="InvalidInputException"):
        trigger.handler(SCHEDULE, None)


# ------------------------------------------------------------------- malformed events


@pytest.mark.parametrize(
    ("event", "complaint"),
    [
        ([], "JSON object"),
        ("start", "JSON object"),
        (None, "JSON object"),
        ({"Records": "not-a-list"}, "list of SQS records"),
        ({"Records": [{"eventSource": "aws:s3"}]}, "eventSource 'aws:sqs'"),
        ({"Records": ["not-a-record"]}, "eventSource 'aws:sqs'"),
        ({"Records": [{"eventSource": "aws:sqs", "body": "{}"}]}, "messageId"),
    ],
    ids=["list", "string", "null", "records-not-list", "s3-record", "string-record", "no-id"],
)
def test_malformed_event_is_rejected_before_calling_glue(
    trigger: ModuleType, crawler: str, glue_calls: Any, event: Any, complaint: str
) -> None:
    with pytest.raises(ValueError, match=complaint):
        trigger.handler(event, None)

    assert glue_calls.sent == []


# ------------------------------------------------------------------------ SQS batches


def test_batch_for_an_idle_crawler_starts_one_crawl_and_acknowledges_every_message(
    trigger: ModuleType, crawler: str, glue_calls: Any, make_record: Any, crawler_name: str
) -> None:
    event = batch(*(make_record(f"m{i}", s3_event(f"raw/part-{i}")) for i in range(25)))

    result = trigger.handler(event, None)

    assert result == {
        "crawler": crawler_name,
        "action": "started",
        "state": "READY",
        "messages": 25,
        "covered": 25,
        "ignored": 0,
        "malformed": 0,
        "batchItemFailures": [],
    }
    assert (glue_calls.count("GetCrawler"), glue_calls.count("StartCrawler")) == (1, 1)


def test_batch_during_a_crawl_of_unknown_start_is_returned_for_redelivery(
    trigger: ModuleType, glue: Any, crawler: str, glue_calls: Any, make_record: Any
) -> None:
    glue.start_crawler(Name=crawler)  # moto reports CrawlElapsedTime 0: start unknown

    result = trigger.handler(batch(make_record("a", sent_ms=0), make_record("b")), None)

    assert result["action"] == "already_running"
    assert result["covered"] == 0
    assert failed_ids(result) == ["a", "b"]
    assert glue_calls.count("StartCrawler") == 0


def test_running_crawl_covers_only_messages_sent_before_it_started_minus_a_margin(
    trigger: ModuleType,
    glue: Any,
    moto_crawler: Any,
    glue_calls: Any,
    make_record: Any,
    monkeypatch: pytest.MonkeyPatch,
    crawler_name: str,
) -> None:
    glue.start_crawler(Name=crawler_name)
    moto_crawler.crawl_elapsed_time = 60_000  # the crawl began one minute ago
    monkeypatch.setattr(trigger, "wall_clock_ms", lambda: NOW_MS)
    crawl_start = NOW_MS - 60_000
    no_timestamp = {**make_record("no-timestamp"), "attributes": {}}
    odd_timestamp = make_record("odd-timestamp")
    odd_timestamp["attributes"]["SentTimestamp"] = "yesterday"

    result = trigger.handler(
        batch(
            make_record("long-before", sent_ms=crawl_start - 60_000),
            make_record("at-margin", sent_ms=crawl_start - 5_000),
            make_record("inside-margin", sent_ms=crawl_start - 4_999),
            make_record("after-start", sent_ms=crawl_start + 1_000),
            no_timestamp,
            odd_timestamp,
        ),
        None,
    )

    assert result["action"] == "already_running"
    assert result["covered"] == 2
    assert failed_ids(result) == ["inside-margin", "after-start", "no-timestamp", "odd-timestamp"]
    assert glue_calls.count("StartCrawler") == 0


def test_stopping_crawl_covers_nothing(
    trigger: ModuleType, glue: Any, moto_crawler: Any, make_record: Any, crawler_name: str
) -> None:
    glue.start_crawler(Name=crawler_name)
    glue.stop_crawler(Name=crawler_name)
    moto_crawler.crawl_elapsed_time = 3_600_000

    result = trigger.handler(batch(make_record("old", sent_ms=0)), None)

    assert (result["action"], result["state"]) == ("already_running", "STOPPING")
    assert failed_ids(result) == ["old"]


def test_batch_that_loses_a_start_race_is_returned_for_redelivery(
    trigger: ModuleType, crawler: str, glue_calls: Any, make_record: Any
) -> None:
    glue_calls.fail("StartCrawler", "CrawlerRunningException")
    event = batch(make_record("a"), make_record("junk", "not json"), make_record("b"))

    result = trigger.handler(event, None)

    assert (result["action"], result["state"]) == ("already_running", "RUNNING")
    assert result["covered"] == 0
    assert failed_ids(result) == ["a", "b", "junk"]
    assert glue_calls.count("StartCrawler") == 1


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '"a string"', "null", None], ids=str)
def test_malformed_message_is_reported_as_a_failure_and_logged(
    trigger: ModuleType,
    crawler: str,
    make_record: Any,
    caplog: pytest.LogCaptureFixture,
    body: str | None,
    crawler_name: str,
) -> None:
    junk = make_record("junk")
    junk["body"] = body
    caplog.set_level(logging.INFO)

    result = trigger.handler(batch(make_record("good"), junk), None)

    assert result["action"] == "started"
    assert (result["covered"], result["malformed"]) == (1, 1)
    assert failed_ids(result) == ["junk"]
    warning = next(r for r in caplog.records if r.levelno == logging.WARNING)
    assert (warning.crawler, warning.message_id) == (crawler_name, "junk")


@pytest.mark.parametrize(
    "body",
    [
        s3_event(**{"detail-type": "Object Deleted"}),
        s3_event(source="aws.ec2"),
        {"hello": "world"},
    ],
    ids=["s3-delete", "other-source", "other-json"],
)
def test_message_that_is_not_an_object_created_event_is_acknowledged_without_a_crawl(
    trigger: ModuleType, crawler: str, glue_calls: Any, make_record: Any, body: Any, crawler_name: str
) -> None:
    result = trigger.handler(batch(make_record("other", body)), None)

    assert result == {
        "crawler": crawler_name,
        "action": "nothing_to_do",
        "state": None,
        "messages": 1,
        "covered": 0,
        "ignored": 1,
        "malformed": 0,
        "batchItemFailures": [],
    }
    assert glue_calls.sent == []


def test_batch_of_only_ignored_and_malformed_messages_starts_no_crawl(
    trigger: ModuleType, crawler: str, glue_calls: Any, make_record: Any
) -> None:
    event = batch(make_record("ignored", {"source": "aws.ec2"}), make_record("junk", "{"))

    result = trigger.handler(event, None)

    assert (result["action"], result["ignored"], result["malformed"]) == ("nothing_to_do", 1, 1)
    assert failed_ids(result) == ["junk"]
    assert glue_calls.sent == []


def test_empty_batch_is_nothing_to_do(trigger: ModuleType, crawler: str) -> None:
    assert trigger.handler(batch(), None)["action"] == "nothing_to_do"


# ---------------------------------------------------------------------------- logging


def test_each_scheduled_decision_is_one_structured_log_line(
    trigger: ModuleType, crawler: str, caplog: pytest.LogCaptureFixture, crawler_name: str
) -> None:
    caplog.set_level(logging.INFO)

    trigger.handler(SCHEDULE, None)

    [line] = decisions(caplog)
    assert (line.crawler, line.event_kind, line.decision, line.state) == (crawler_name, "schedule", "started", "READY")
    assert line.failed == 0


def test_each_batch_decision_is_one_structured_log_line_with_counts(
    trigger: ModuleType, glue: Any, crawler: str, make_record: Any, caplog: pytest.LogCaptureFixture, crawler_name: str
) -> None:
    glue.start_crawler(Name=crawler)
    caplog.set_level(logging.INFO)
    event = batch(make_record("a"), make_record("b", {"source": "x"}), make_record("c", "?"))

    trigger.handler(event, None)

    [line] = decisions(caplog)
    fields = {
        k: getattr(line, k)
        for k in (
            "crawler",
            "event_kind",
            "decision",
            "state",
            "messages",
            "covered",
            "ignored",
            "malformed",
            "failed",
        )
    }
    assert fields == {
        "crawler": crawler_name,
        "event_kind": "sqs",
        "decision": "already_running",
        "state": "RUNNING",
        "messages": 3,
        "covered": 0,
        "ignored": 1,
        "malformed": 1,
        "failed": 2,
    }


# ------------------------------------------------------------------ pure decision core


def test_crawler_without_elapsed_time_is_read_as_start_unknown(trigger: ModuleType) -> None:
    crawler = trigger.parse_crawler({"Crawler": {"State": "RUNNING"}})

    assert crawler == trigger.Crawler(state="RUNNING", elapsed_ms=0)


def test_unknown_crawler_state_starts_nothing_and_covers_nothing(trigger: ModuleType) -> None:
    message = trigger.Message("m", 0, trigger.Kind.OBJECT_CREATED)

    plan = trigger.decide_batch([message], trigger.Crawler("PAUSED", 10_000), NOW_MS)

    assert plan == trigger.Plan(start=False, covered=(), uncovered=("m",))
