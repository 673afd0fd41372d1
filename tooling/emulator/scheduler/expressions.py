"""EventBridge Scheduler's schedule expressions, evaluated without a dependency.

- `rate(N minute|minutes|hour|hours|day|days)`: every N units from the schedule's start (its
  StartDate, else its creation), the first at the start itself, as Scheduler does without a StartDate;
- `at(yyyy-mm-ddThh:mm:ss)`: once, at that local time;
- `cron(minutes hours day-of-month month day-of-week year)`: EventBridge's six fields, in the
  schedule's time zone. Each field takes `*`, lists, ranges and `/` steps; months JAN-DEC and
  days SUN-SAT by name; day-of-week 1-7 is SUN-SAT; one of day-of-month and day-of-week is `?`.
  Day-of-month also takes `L` (last day), `L-n`, `nW` and `LW` (nearest weekday); day-of-week
  `nL` (last such weekday of the month) and `n#k` (k-th such weekday).

Local times that do not exist (the hour skipped in spring) fire at the same wall time under the
earlier offset, i.e. an hour later on the clock; repeated ones (autumn) fire once, the first time.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400}
MONTHS = {
    name: i
    for i, name in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], start=1
    )
}
DAYS = {name: i for i, name in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], start=1)}
SEARCH_YEARS = 10  # how far ahead a cron expression is searched for its next time


class InvalidExpression(ValueError):
    pass


@dataclass(frozen=True)
class Rate:
    seconds: int


@dataclass(frozen=True)
class At:
    local: datetime  # naive, in the schedule's time zone


@dataclass(frozen=True)
class Cron:
    minutes: frozenset[int]
    hours: frozenset[int]
    day_of_month: str
    months: frozenset[int]
    day_of_week: str
    years: frozenset[int] | None  # None: every year


Expression = Rate | At | Cron


def parse(expression: str) -> Expression:
    match = re.fullmatch(r"\s*(rate|at|cron)\((.*)\)\s*", expression)
    if not match:
        raise InvalidExpression(f"not a schedule expression: {expression!r}")
    kind, body = match.group(1), match.group(2).strip()
    if kind == "rate":
        rate = re.fullmatch(r"(\d+)\s+(\w+)", body)
        if not rate or rate.group(2) not in UNITS or int(rate.group(1)) < 1:
            raise InvalidExpression(f"not a rate: {expression!r}")
        return Rate(int(rate.group(1)) * UNITS[rate.group(2)])
    if kind == "at":
        try:
            return At(datetime.strptime(body, "%Y-%m-%dT%H:%M:%S"))
        except ValueError as error:
            raise InvalidExpression(f"not an at() time: {expression!r}") from error
    return _parse_cron(body, expression)


def _parse_cron(body: str, expression: str) -> Cron:
    fields = body.split()
    if len(fields) != 6:
        raise InvalidExpression(f"cron needs 6 fields, {expression!r} has {len(fields)}")
    minute, hour, dom, month, dow, year = fields
    if (dom == "?") == (dow == "?"):
        raise InvalidExpression(f"exactly one of day-of-month and day-of-week must be '?': {expression!r}")
    _check_day_field(dom, 1, 31, {}, r"L|L-\d+|LW|\d+W")
    _check_day_field(dow, 1, 7, DAYS, r"\d?L|\w+#\d")
    return Cron(
        minutes=_values(minute, 0, 59),
        hours=_values(hour, 0, 23),
        day_of_month=dom,
        months=_values(month, 1, 12, MONTHS),
        day_of_week=dow.upper(),
        years=None if year in ("*", "?") else _values(year, 1970, 2199),
    )


def _check_day_field(field: str, low: int, high: int, names: dict[str, int], special: str) -> None:
    if field == "?":
        return
    for part in field.split(","):
        if not re.fullmatch(special, part.upper()):
            _values(part, low, high, names)


def _number(text: str, names: dict[str, int]) -> int:
    upper = text.upper()
    if upper in names:
        return names[upper]
    if not text.isdigit():
        raise InvalidExpression(f"not a value: {text!r}")
    return int(text)


def _values(field: str, low: int, high: int, names: dict[str, int] | None = None) -> frozenset[int]:
    """The numbers a cron field (`*`, `a,b`, `a-b`, `*/n`, `a/n`, `a-b/n`) stands for."""
    names = names or {}
    values: set[int] = set()
    for part in field.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise InvalidExpression(f"step must be positive: {field!r}")
        if span in ("*", "?"):
            start, end = low, high
        elif "-" in span:
            first, last = span.split("-", 1)
            start, end = _number(first, names), _number(last, names)
        else:
            start = _number(span, names)
            end = high if step_text else start
        if not (low <= start <= high and low <= end <= high) or start > end:
            raise InvalidExpression(f"{field!r} is outside {low}-{high}")
        values.update(range(start, end + 1, step))
    return frozenset(values)


def _weekday(day: date) -> int:
    """Cron's day of week: 1 is Sunday, 7 Saturday."""
    return (day.isoweekday() % 7) + 1


def _nearest_weekday(year: int, month: int, day: int) -> int:
    last = calendar.monthrange(year, month)[1]
    day = min(day, last)
    weekday = date(year, month, day).weekday()  # Monday 0
    if weekday == 5:  # Saturday: the Friday before, or the Monday after on the 1st
        return day - 1 if day > 1 else day + 2
    if weekday == 6:  # Sunday: the Monday after, or the Friday before on the last day
        return day + 1 if day < last else day - 2
    return day


def _day_of_month_matches(field: str, day: date) -> bool:
    if field == "?":
        return True
    last = calendar.monthrange(day.year, day.month)[1]
    for part in field.upper().split(","):
        if part == "L":
            hit = day.day == last
        elif part.startswith("L-"):
            hit = day.day == last - int(part[2:])
        elif part == "LW":
            hit = day.day == _nearest_weekday(day.year, day.month, last)
        elif part.endswith("W"):
            hit = day.day == _nearest_weekday(day.year, day.month, int(part[:-1]))
        else:
            hit = day.day in _values(part, 1, 31)
        if hit:
            return True
    return False


def _day_of_week_matches(field: str, day: date) -> bool:
    if field == "?":
        return True
    weekday = _weekday(day)
    last = calendar.monthrange(day.year, day.month)[1]
    for part in field.split(","):
        if "#" in part:
            name, nth = part.split("#")
            hit = weekday == _number(name, DAYS) and (day.day - 1) // 7 + 1 == int(nth)
        elif part.endswith("L") and part != "L":
            hit = weekday == _number(part[:-1], DAYS) and day.day + 7 > last
        elif part == "L":
            hit = weekday == 7
        else:
            hit = weekday in _values(part, 1, 7, DAYS)
        if hit:
            return True
    return False


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def _instant(local: datetime, zone: ZoneInfo) -> datetime:
    return local.replace(tzinfo=zone).astimezone(UTC)


def next_cron(cron: Cron, after: datetime, zone: ZoneInfo) -> datetime | None:
    """The first time strictly after `after` (aware) that `cron` names, or None within SEARCH_YEARS."""
    start = _local(after, zone).replace(second=0, microsecond=0) + timedelta(minutes=1)
    day = start.date()
    for _ in range(366 * SEARCH_YEARS):
        if (
            (cron.years is None or day.year in cron.years)
            and day.month in cron.months
            and _day_of_month_matches(cron.day_of_month, day)
            and _day_of_week_matches(cron.day_of_week, day)
        ):
            for hour in sorted(cron.hours):
                for minute in sorted(cron.minutes):
                    local = datetime(day.year, day.month, day.day, hour, minute)
                    if local < start:
                        continue
                    instant = _instant(local, zone)
                    if instant > after:
                        return instant
        day += timedelta(days=1)
        start = datetime(day.year, day.month, day.day)
    return None


def next_time(expression: Expression, after: datetime, zone: ZoneInfo, anchor: datetime) -> datetime | None:
    """The schedule's first occurrence strictly after `after`, or None when there is none.

    `anchor` is when a rate schedule starts counting (its StartDate or creation time); it fires at
    the anchor itself too, so pass a moment just before the anchor to get the first one.
    """
    if isinstance(expression, Rate):
        if after < anchor:
            return anchor
        periods = int((after - anchor).total_seconds() // expression.seconds) + 1
        return anchor + timedelta(seconds=periods * expression.seconds)
    if isinstance(expression, At):
        instant = _instant(expression.local, zone)
        return instant if instant > after else None
    return next_cron(expression, after, zone)
