"""The scheduler's clock and the loop that fires what is due.

The clock is the machine's time plus an offset that only ever grows: `POST /_emulator/scheduler/advance`
{"seconds": N} moves it forward and evaluates every schedule at once, so a test can see a
rate(1 minute) schedule fire without waiting a minute. A background thread (started with the first
schedule) evaluates every schedule each TICK_SECONDS (EMULATOR_SCHEDULER_TICK_SECONDS, default 1).

A schedule fires when an occurrence of its expression (expressions.py) is due, its State is
ENABLED and, for recurring schedules, the occurrence lies within StartDate and EndDate. Each
schedule is followed from the moment the loop first sees it (or sees it changed): a rate schedule
fires at once (or at its StartDate), cron and at() occurrences only after that moment. Occurrences
missed in one step (a large advance, a paused machine) fire once, for the latest of them.
ActionAfterCompletion DELETE deletes a schedule that has no occurrence left.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tooling.emulator.scheduler import delivery, expressions

TICK_SECONDS = float(os.environ.get("EMULATOR_SCHEDULER_TICK_SECONDS", "1"))
MAX_STEPS = 100_000  # occurrences skipped in one evaluation, at most

log = logging.getLogger(__name__)


class Clock:
    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + timedelta(seconds=self._offset)

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("the scheduler's clock only moves forward")
        with self._lock:
            self._offset += seconds
        return self.now()


CLOCK = Clock()


# --- pure: when is a schedule due -------------------------------------------------------------


def moment(value: Any) -> datetime | None:
    """A StartDate or EndDate as moto keeps it (epoch seconds or ISO 8601) as an aware datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.replace(".", "", 1).isdigit()):
        return datetime.fromtimestamp(float(value), UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True)
class View:
    """What the loop needs of a schedule."""

    expression: expressions.Expression
    zone: ZoneInfo
    start: datetime | None
    end: datetime | None
    enabled: bool


@dataclass
class Followed:
    version: Any
    cursor: datetime  # occurrences after it are still to come
    anchor: datetime  # where a rate schedule counts from


def latest_due(view: View, followed: Followed, now: datetime) -> datetime | None:
    """The latest occurrence after the cursor that is due by `now`, or None."""
    due: datetime | None = None
    cursor = followed.cursor
    for _ in range(MAX_STEPS):
        upcoming = expressions.next_time(view.expression, cursor, view.zone, followed.anchor)
        if upcoming is None or upcoming > now:
            return due
        due = cursor = upcoming
        if isinstance(view.expression, expressions.Rate):  # jump straight to the last period
            periods = int((now - upcoming).total_seconds() // view.expression.seconds)
            return upcoming + timedelta(seconds=periods * view.expression.seconds)
    return due


def fires(view: View, occurrence: datetime) -> bool:
    """Whether a due occurrence is delivered (State and the StartDate-EndDate window)."""
    if not view.enabled:
        return False
    if isinstance(view.expression, expressions.At):
        return True  # Scheduler ignores StartDate and EndDate for one-time schedules
    return (view.start is None or occurrence >= view.start) and (view.end is None or occurrence <= view.end)


def finished(view: View, followed: Followed) -> bool:
    """No occurrence is left (an at() that fired, a recurring schedule past its EndDate)."""
    upcoming = expressions.next_time(view.expression, followed.cursor, view.zone, followed.anchor)
    return upcoming is None or (view.end is not None and upcoming > view.end)


# --- the thin layer over moto -----------------------------------------------------------------


def view(schedule: Any) -> View:
    return View(
        expression=expressions.parse(schedule.schedule_expression),
        zone=ZoneInfo(schedule.schedule_expression_timezone or "UTC"),
        start=moment(schedule.start_date),
        end=moment(schedule.end_date),
        enabled=(schedule.state or "ENABLED") == "ENABLED",
    )


def schedules() -> Iterator[tuple[Any, Any, Any]]:
    """(backend, group, schedule) for every schedule moto holds."""
    from moto.scheduler.models import scheduler_backends

    try:
        backends = list(scheduler_backends.iter_backends())
    except RuntimeError:
        return
    for _account, _region, backend in backends:
        for group in list(getattr(backend, "schedule_groups", {}).values()):
            for schedule in list(group.schedules.values()):
                yield backend, group, schedule


class Dispatcher:
    def __init__(self) -> None:
        self._followed: dict[str, Followed] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="scheduler-clock", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                self.tick()
            except Exception:  # the loop outlives any one bad evaluation
                log.exception("scheduler evaluation failed")
            time.sleep(TICK_SECONDS)

    def tick(self) -> list[str]:
        """Evaluate every schedule now; the ARNs of those that fired."""
        with self._lock:
            return self._evaluate_all()

    def advance(self, seconds: float) -> tuple[datetime, list[str]]:
        """Move the clock forward and evaluate every schedule, with no evaluation in between."""
        with self._lock:
            now = CLOCK.advance(seconds)
            return now, self._evaluate_all()

    def _evaluate_all(self) -> list[str]:
        fired: list[str] = []
        now = CLOCK.now()
        seen: set[str] = set()
        for _backend, group, schedule in schedules():
            seen.add(schedule.arn)
            try:
                if self._evaluate(group, schedule, now):
                    fired.append(schedule.arn)
            except (expressions.InvalidExpression, ValueError, KeyError) as error:
                log.warning("schedule %s cannot be evaluated: %s", schedule.arn, error)
        for arn in set(self._followed) - seen:
            del self._followed[arn]
        return fired

    def _evaluate(self, group: Any, schedule: Any, now: datetime) -> bool:
        current = view(schedule)
        version = (schedule.last_modified_date, schedule.schedule_expression, schedule.state)
        followed = self._followed.get(schedule.arn)
        if followed is None or followed.version != version:
            anchor = current.start or now
            cursor = anchor - timedelta(microseconds=1) if isinstance(current.expression, expressions.Rate) else now
            followed = self._followed[schedule.arn] = Followed(version, cursor, anchor)
        occurrence = latest_due(current, followed, now)
        fired = False
        if occurrence is not None:
            followed.cursor = occurrence
            if fires(current, occurrence):
                fire(schedule, occurrence)
                fired = True
        if schedule.action_after_completion == "DELETE" and finished(current, followed):
            group.delete_schedule(schedule.name)
        return fired


DISPATCHER = Dispatcher()


def fire(schedule: Any, occurrence: datetime) -> delivery.Firing:
    """Send one occurrence of `schedule` to its target (in the background)."""
    firing = delivery.Firing(schedule.arn, dict(schedule.target), occurrence)
    delivery.submit(firing, CLOCK.now)
    return firing


def start() -> None:
    DISPATCHER.start()
