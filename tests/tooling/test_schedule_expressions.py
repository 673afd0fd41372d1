"""EventBridge Scheduler expressions and when the clock fires them (pure: no emulator)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tooling.emulator.scheduler import clock, expressions
from tooling.emulator.scheduler.expressions import At, Cron, Rate, next_time, parse

UTC_ZONE = ZoneInfo("UTC")


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def following(expression: str, after: str, zone: str = "UTC", count: int = 3) -> list[str]:
    parsed, moment, out = parse(expression), t(after), []
    for _ in range(count):
        upcoming = next_time(parsed, moment, ZoneInfo(zone), moment)
        assert upcoming is not None
        out.append(upcoming.strftime("%Y-%m-%dT%H:%M"))
        moment = upcoming
    return out


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("rate(1 minute)", 60),
        ("rate(5 minutes)", 300),
        ("rate(1 hour)", 3600),
        ("rate(2 hours)", 7200),
        ("rate(1 day)", 86400),
        ("rate(7 days)", 604800),
    ],
)
def test_rate_units_are_minutes_hours_and_days(text: str, seconds: int) -> None:
    assert parse(text) == Rate(seconds)


@pytest.mark.parametrize(
    "text",
    [
        "rate(0 minutes)",
        "rate(1 week)",
        "rate(minutes)",
        "cron(0 12 * * ?)",
        "cron(0 12 * * * *)",
        "cron(0 12 ? * ? *)",
        "cron(61 12 * * ? *)",
        "at(2030-01-01 10:00)",
        "every(1 minute)",
    ],
)
def test_malformed_expressions_are_rejected(text: str) -> None:
    with pytest.raises(expressions.InvalidExpression):
        parse(text)


def test_a_rate_schedule_fires_at_its_anchor_then_every_period() -> None:
    anchor = t("2030-01-01T10:00:30")
    rate = parse("rate(5 minutes)")

    assert next_time(rate, anchor - timedelta(seconds=1), UTC_ZONE, anchor) == anchor
    assert next_time(rate, anchor, UTC_ZONE, anchor) == anchor + timedelta(minutes=5)
    assert next_time(rate, anchor + timedelta(minutes=12), UTC_ZONE, anchor) == anchor + timedelta(minutes=15)


def test_an_at_schedule_fires_once_at_its_local_time() -> None:
    at = parse("at(2030-06-01T09:30:00)")

    assert at == At(datetime(2030, 6, 1, 9, 30))
    paris = ZoneInfo("Europe/Paris")
    assert next_time(at, t("2030-06-01T00:00:00"), paris, t("2030-01-01T00:00:00")) == t("2030-06-01T07:30:00")
    assert next_time(at, t("2030-06-01T07:30:00"), paris, t("2030-01-01T00:00:00")) is None


def test_cron_fields_are_minutes_hours_day_month_weekday_year() -> None:
    cron = parse("cron(0/15 8-9 ? JAN-MAR MON-FRI 2030)")

    assert isinstance(cron, Cron)
    assert cron.minutes == frozenset({0, 15, 30, 45})
    assert cron.hours == frozenset({8, 9})
    assert cron.months == frozenset({1, 2, 3})
    assert cron.years == frozenset({2030})


def test_a_daily_cron_in_a_time_zone_fires_at_that_local_time() -> None:
    assert following("cron(0 3 * * ? *)", "2030-01-10T12:00:00", "Europe/Paris") == [
        "2030-01-11T02:00",
        "2030-01-12T02:00",
        "2030-01-13T02:00",
    ]


def test_weekday_numbers_start_at_sunday() -> None:
    # 2030-01-06 is a Sunday
    assert following("cron(0 12 ? * 1 *)", "2030-01-01T00:00:00") == [
        "2030-01-06T12:00",
        "2030-01-13T12:00",
        "2030-01-20T12:00",
    ]
    assert following("cron(0 12 ? * MON-FRI *)", "2030-01-04T13:00:00", count=2) == [
        "2030-01-07T12:00",
        "2030-01-08T12:00",
    ]


def test_last_day_nearest_weekday_and_nth_weekday() -> None:
    assert following("cron(0 0 L * ? *)", "2030-01-15T00:00:00") == [
        "2030-01-31T00:00",
        "2030-02-28T00:00",
        "2030-03-31T00:00",
    ]
    # 2030-06-01 is a Saturday: 1W is Monday the 3rd; 2030-08-31 a Saturday: LW is Friday the 30th
    assert following("cron(0 0 1W * ? 2030)", "2030-05-31T00:00:00", count=1) == ["2030-06-03T00:00"]
    assert following("cron(0 0 LW * ? 2030)", "2030-08-01T00:00:00", count=1) == ["2030-08-30T00:00"]
    # the second Tuesday and the last Friday of January 2030
    assert following("cron(0 9 ? * TUE#2 *)", "2030-01-01T00:00:00", count=1) == ["2030-01-08T09:00"]
    assert following("cron(0 9 ? * 6L *)", "2030-01-01T00:00:00", count=1) == ["2030-01-25T09:00"]


def test_a_cron_time_skipped_by_daylight_saving_fires_an_hour_later() -> None:
    # Europe/Paris skips 02:00-03:00 on 2030-03-31
    assert following("cron(30 2 * * ? *)", "2030-03-30T12:00:00", "Europe/Paris", count=2) == [
        "2030-03-31T01:30",
        "2030-04-01T00:30",
    ]


def test_a_cron_with_a_past_year_never_fires() -> None:
    assert (
        next_time(parse("cron(0 0 1 1 ? 2020)"), t("2030-01-01T00:00:00"), UTC_ZONE, t("2030-01-01T00:00:00")) is None
    )


def view(expression: str, **extra: object) -> clock.View:
    defaults: dict[str, object] = {"zone": UTC_ZONE, "start": None, "end": None, "enabled": True}
    return clock.View(expression=parse(expression), **{**defaults, **extra})  # type: ignore[arg-type]


def test_occurrences_missed_in_one_step_fire_once_for_the_latest() -> None:
    anchor = t("2030-01-01T00:00:00")
    followed = clock.Followed(version=1, cursor=anchor, anchor=anchor)

    assert clock.latest_due(view("rate(1 minute)"), followed, anchor + timedelta(seconds=59)) is None
    assert clock.latest_due(
        view("rate(1 minute)"), followed, anchor + timedelta(minutes=10, seconds=5)
    ) == anchor + timedelta(minutes=10)
    assert clock.latest_due(view("cron(0 * * * ? *)"), followed, t("2030-01-01T05:30:00")) == t("2030-01-01T05:00:00")


def test_only_enabled_schedules_within_their_dates_fire() -> None:
    occurrence = t("2030-01-01T12:00:00")

    assert clock.fires(view("rate(1 hour)"), occurrence)
    assert not clock.fires(view("rate(1 hour)", enabled=False), occurrence)
    assert not clock.fires(view("rate(1 hour)", start=occurrence + timedelta(seconds=1)), occurrence)
    assert not clock.fires(view("rate(1 hour)", end=occurrence - timedelta(seconds=1)), occurrence)
    assert clock.fires(view("at(2030-01-01T12:00:00)", end=occurrence - timedelta(days=1)), occurrence)


def test_start_and_end_dates_are_read_as_epoch_seconds_or_iso_8601() -> None:
    assert clock.moment(1893456000) == t("2030-01-01T00:00:00")
    assert clock.moment("1893456000.0") == t("2030-01-01T00:00:00")
    assert clock.moment("2030-01-01T00:00:00Z") == t("2030-01-01T00:00:00")
    assert clock.moment(None) is None


def test_the_clock_only_moves_forward() -> None:
    moving = clock.Clock()
    before = moving.now()

    assert moving.advance(3600) - before >= timedelta(hours=1)
    with pytest.raises(ValueError, match="forward"):
        moving.advance(-1)
