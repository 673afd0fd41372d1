"""Lambda's SQS event source mapping poller, in the emulator's process.

moto keeps event source mappings but has no poller: it invoked the function inside SendMessage,
one message per invocation, with a made-up SentTimestamp, and ignored batch size, batching window,
concurrency and partial batch responses (gaps.py detaches that push). Here one background thread
(started at the first mapping) polls every ENABLED mapping on an SQS queue, as Lambda's pollers do:

- it receives messages with the queue's visibility timeout and gathers a batch until BatchSize
  messages are in it, MaximumBatchingWindowInSeconds has passed since its first message, or the
  event would pass Lambda's 6 MB payload limit (a message that does not fit is made visible again
  at once and goes in the next batch; that receive still counts towards maxReceiveCount);
- at most ScalingConfig.MaximumConcurrency batches run at once (DEFAULT_CONCURRENCY when unset,
  Lambda's five initial pollers; never more than the function's reserved concurrency, none at 0);
- each batch is one synchronous invocation (runner.invoke) with Lambda's SQS event: `Records` with
  messageId, receiptHandle, body, the attributes as strings, messageAttributes in Lambda's
  camelCase shape, md5OfBody, eventSource `aws:sqs`, eventSourceARN and awsRegion;
- success deletes the batch; with FunctionResponseTypes ReportBatchItemFailures only the messages
  the response does not list in `batchItemFailures` are deleted, and a malformed response fails the
  whole batch, as Lambda does; a function error deletes nothing, so the messages reappear after
  the visibility timeout;
- the queue's RedrivePolicy needs nothing here: moto's ReceiveMessage already moves a message whose
  receive count reached maxReceiveCount to the dead-letter queue instead of returning it, which is
  SQS's own behaviour, and the poller's receives go through it;
- a disabled mapping (UpdateEventSourceMapping Enabled=false) is not polled; messages it had
  gathered reappear after their visibility timeout.

The thread sleeps POLL_INTERVAL_SECONDS between rounds and is woken early by every SendMessage
(gaps.py), so an idle emulator costs one pass over the mappings per interval.
FilterCriteria is not applied (every message is delivered).
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from tooling.emulator.awslambda import runner

POLL_INTERVAL_SECONDS = 0.2
DEFAULT_CONCURRENCY = 5
MAX_PAYLOAD_BYTES = 6 * 1024 * 1024
RECEIVE_CHUNK = 10  # SQS's most messages per ReceiveMessage, as Lambda's pollers receive them

log = logging.getLogger(__name__)


# --- pure: settings, the event, the response ---------------------------------------------------


@dataclass(frozen=True)
class Settings:
    batch_size: int
    window_seconds: float
    concurrency: int
    report_failures: bool


def settings(mapping: Any, reserved_concurrency: Any = None) -> Settings:
    """A mapping's polling settings, with Lambda's defaults for what it leaves unset."""
    scaling = mapping.scaling_config or {}
    concurrency = int(scaling.get("MaximumConcurrency") or DEFAULT_CONCURRENCY)
    if reserved_concurrency is not None:
        concurrency = min(concurrency, int(reserved_concurrency))
    return Settings(
        batch_size=int(mapping.batch_size or 10),
        window_seconds=float(mapping.max_batch_window or 0),
        concurrency=max(0, concurrency),
        report_failures="ReportBatchItemFailures" in (mapping.function_response_types or []),
    )


def message_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """SQS message attributes as Lambda's event carries them (camelCase, list fields present)."""
    shaped: dict[str, Any] = {}
    for name, value in attributes.items():
        entry: dict[str, Any] = {"stringListValues": [], "binaryListValues": [], "dataType": value.get("DataType")}
        if value.get("StringValue") is not None:
            entry["stringValue"] = value["StringValue"]
        if value.get("BinaryValue") is not None:
            binary = value["BinaryValue"]
            entry["binaryValue"] = base64.b64encode(binary).decode() if isinstance(binary, bytes) else binary
        shaped[name] = entry
    return shaped


def sqs_record(message: Any, queue_arn: str) -> dict[str, Any]:
    """One record of Lambda's SQS event for a received moto message."""
    attributes = {
        "ApproximateReceiveCount": str(message.approximate_receive_count),
        "SentTimestamp": str(message.sent_timestamp),
        "SenderId": str(message.sender_id),
        "ApproximateFirstReceiveTimestamp": str(message.approximate_first_receive_timestamp),
    }
    if message.sequence_number:
        attributes["SequenceNumber"] = str(message.sequence_number)
    if message.group_id:
        attributes["MessageGroupId"] = str(message.group_id)
    if message.deduplication_id:
        attributes["MessageDeduplicationId"] = str(message.deduplication_id)
    trace = (message.system_attributes or {}).get("AWSTraceHeader", {}).get("StringValue")
    if trace:
        attributes["AWSTraceHeader"] = trace
    record: dict[str, Any] = {
        "messageId": message.id,
        "receiptHandle": message.receipt_handle,
        "body": message.body,
        "attributes": attributes,
        "messageAttributes": message_attributes(message.message_attributes),
        "md5OfBody": message.body_md5,
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": queue_arn.split(":")[3],
    }
    if message.message_attributes:
        record["md5OfMessageAttributes"] = message.attribute_md5
    return record


def record_size(record: dict[str, Any]) -> int:
    return len(json.dumps(record)) + 1  # and a comma in the Records list


def failed_message_ids(payload: bytes, message_ids: Sequence[str]) -> set[str]:
    """The messages a ReportBatchItemFailures response leaves undone.

    As Lambda documents it: an empty or null response, or an empty or null `batchItemFailures`,
    is complete success; a response that is not JSON, a failure without an `itemIdentifier`, an
    empty or null one, or one naming a message that was not in the batch fails the whole batch.
    """
    every = set(message_ids)
    try:
        response = json.loads(payload) if payload.strip() else None
    except ValueError:
        return every
    if response is None:
        return set()
    if not isinstance(response, dict):
        return every
    failures = response.get("batchItemFailures")
    if failures is None:
        return set()
    if not isinstance(failures, list):
        return every
    failed: set[str] = set()
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not isinstance(identifier, str) or identifier not in every:
            return every
        failed.add(identifier)
    return failed


def batch_ready(count: int, size: int, started: float, now: float, config: Settings) -> bool:
    """Whether a gathered batch goes to the function now."""
    return count >= config.batch_size or size >= MAX_PAYLOAD_BYTES or now - started >= config.window_seconds


# --- the thin layer over moto ------------------------------------------------------------------


@dataclass
class _Batch:
    messages: list[Any] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    size: int = len('{"Records": []}')
    started: float = 0.0
    closed: bool = False


@dataclass
class _MappingState:
    running: int = 0
    gathering: _Batch | None = None


def _backends() -> Iterator[Any]:
    from moto.awslambda.models import lambda_backends

    try:
        for _account, _region, backend in list(lambda_backends.iter_backends()):
            yield backend
    except RuntimeError:  # a backend was created while listing: the next round sees it
        return


def _queue(queue_arn: str) -> tuple[Any, Any]:
    from moto.sqs.models import sqs_backends

    _, _, _, region, account, name = queue_arn.split(":", 5)
    backend = sqs_backends[account][region]
    return backend, backend.get_queue(name)


class Poller:
    def __init__(self) -> None:
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._states: dict[str, _MappingState] = {}
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="lambda-sqs-poller", daemon=True)
                self._thread.start()
        self._wake.set()

    def wake(self) -> None:
        self._wake.set()

    def idle(self) -> bool:
        """No batch is being gathered or run."""
        with self._lock:
            return all(s.running == 0 and s.gathering is None for s in self._states.values())

    def _run(self) -> None:
        while True:
            self._wake.wait(POLL_INTERVAL_SECONDS)
            self._wake.clear()
            try:
                self.round()
            except Exception:  # the poller outlives any one bad round
                log.exception("event source mapping poller round failed")

    def round(self) -> None:
        """Poll every enabled SQS mapping once."""
        seen: set[str] = set()
        for backend in _backends():
            for mapping in list(backend._event_source_mappings.values()):
                if mapping.event_source_arn.split(":")[2] != "sqs":
                    continue
                seen.add(mapping.uuid)
                if mapping.enabled:
                    self._poll(backend, mapping)
                else:
                    self._drop_gathering(mapping.uuid)
        with self._lock:
            for uuid in [u for u, s in self._states.items() if u not in seen and s.running == 0]:
                del self._states[uuid]

    def _drop_gathering(self, uuid: str) -> None:
        with self._lock:
            state = self._states.get(uuid)
            if state is not None:
                state.gathering = None

    def _poll(self, backend: Any, mapping: Any) -> None:
        from moto.awslambda.exceptions import UnknownFunctionException
        from moto.sqs.exceptions import QueueDoesNotExist

        try:
            function = backend.get_function(mapping.function_arn)
            sqs, queue = _queue(mapping.event_source_arn)
        except (UnknownFunctionException, QueueDoesNotExist):  # deleted: nothing to poll
            return
        config = settings(mapping, function.reserved_concurrency)
        with self._lock:
            state = self._states.setdefault(mapping.uuid, _MappingState())
        while True:
            with self._lock:
                if state.running >= config.concurrency:
                    return
                batch = state.gathering or _Batch()
                state.gathering = batch
            received = self._gather(sqs, queue, mapping.event_source_arn, batch, config)
            if not batch.messages:
                with self._lock:
                    state.gathering = None
                return
            if not batch.closed and not batch_ready(
                len(batch.messages), batch.size, batch.started, time.monotonic(), config
            ):
                if received:
                    continue  # the queue has more: keep gathering in this round
                return
            with self._lock:
                state.gathering = None
                state.running += 1
            threading.Thread(
                target=self._deliver,
                args=(state, function, sqs, queue, mapping, batch, config),
                name="lambda-sqs-batch",
                daemon=True,
            ).start()  # daemon: never holds up the server's exit
            if not received:
                return

    def _gather(self, sqs: Any, queue: Any, queue_arn: str, batch: _Batch, config: Settings) -> bool:
        """Receive into `batch` up to its batch size; False when the queue had nothing to give."""
        wanted = min(RECEIVE_CHUNK, config.batch_size - len(batch.messages))
        if wanted <= 0:
            return True
        messages = sqs.receive_message(queue.name, wanted, 0, int(queue.visibility_timeout or 30), ["All"])
        for message in messages:
            record = sqs_record(message, queue_arn)
            size = record_size(record)
            if batch.messages and batch.size + size > MAX_PAYLOAD_BYTES:
                self._release(sqs, queue, message)
                batch.closed = True  # the next message would not fit: this batch goes as it is
                continue
            if not batch.messages:
                batch.started = time.monotonic()
            batch.messages.append(message)
            batch.records.append(record)
            batch.size += size
        return bool(messages)

    @staticmethod
    def _release(sqs: Any, queue: Any, message: Any) -> None:
        from moto.sqs.exceptions import ReceiptHandleIsInvalid

        try:
            sqs.change_message_visibility(queue.name, message.receipt_handle, 0)
        except ReceiptHandleIsInvalid:  # deleted meanwhile: nothing to release
            log.debug("could not release a message of %s", queue.name)

    def _deliver(
        self, state: _MappingState, function: Any, sqs: Any, queue: Any, mapping: Any, batch: _Batch, config: Settings
    ) -> None:
        try:
            result = runner.invoke(function, {"Records": batch.records})
            ids = [m.id for m in batch.messages]
            if result.function_error:
                done: set[str] = set()
            elif config.report_failures:
                done = set(ids) - failed_message_ids(result.payload, ids)
            else:
                done = set(ids)
            for message in batch.messages:
                if message.id in done:
                    self._delete(sqs, queue, message.receipt_handle)
        except Exception:  # the messages reappear after the visibility timeout
            log.exception("delivering a batch of %s to %s failed", mapping.event_source_arn, mapping.function_arn)
        finally:
            with self._lock:
                state.running -= 1
            self._wake.set()

    @staticmethod
    def _delete(sqs: Any, queue: Any, receipt_handle: str) -> None:
        from moto.sqs.exceptions import ReceiptHandleIsInvalid

        # moto rebuilds the message list on delete: not while a send appends.
        with queue._messages_lock, contextlib.suppress(ReceiptHandleIsInvalid):
            sqs.delete_message(queue.name, receipt_handle)


POLLER = Poller()


def start() -> None:
    POLLER.start()


def wake() -> None:
    POLLER.wake()


def idle() -> bool:
    return POLLER.idle()
