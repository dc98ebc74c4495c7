"""The well commands of both command lines (shared.analytics.commands): defaults, the checks of
the options, the windows counted back from the last recorded day, and what is printed."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
from analyticskit import TZ, well_rows

from shared.analytics import answers, commands, tables
from shared.analytics.answers import WellData
from shared.analytics.commands import OptionError, WellOptions

FIRST = date(2025, 1, 10)
NOW = datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC)
TITLE = "4250120130 Alpha 1"


@pytest.fixture(scope="module")
def data() -> WellData:
    return WellData(uuid4(), tuple(well_rows(11, FIRST, 240)), 99)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (WellOptions("summary", days=0), "--days must be from 1 for summary"),
        (WellOptions("trend", days=-1), "--days must be from 0 for trend"),
        (WellOptions("forecast", days=0), "--days must be from 1 to 90 for forecast"),
        (WellOptions("forecast", days=91), "--days must be from 1 to 90 for forecast"),
        (WellOptions("decline", days=-3), "--days must be from 0 for decline"),
        (WellOptions("decline", metric="water"), "--metric must be one of oil, gas for decline"),
        (WellOptions("decline", terminal_decline=1.0), "--terminal-decline must be between 0"),
        (WellOptions("decline", terminal_decline=0.0), "--terminal-decline"),
        (WellOptions("decline", economic_limit=0.0), "--economic-limit must be a positive"),
        (WellOptions("decline", economic_limit=1e6), "--economic-limit"),
    ],
)
def test_options_out_of_range_are_refused_naming_the_option(
    options: WellOptions, message: str
) -> None:
    with pytest.raises(OptionError, match=message.replace("(", r"\(")):
        commands.check(options)


@pytest.mark.parametrize(
    "options",
    [
        WellOptions("summary", days=1),
        WellOptions("trend", days=0),
        WellOptions("forecast", days=90, metric="water"),
        WellOptions("decline", days=0, terminal_decline=0.99, economic_limit=999_999.0),
        WellOptions("decline"),
    ],
)
def test_options_in_range_pass(options: WellOptions) -> None:
    commands.check(options)


def test_the_defaults() -> None:
    windows = [WellOptions(c).window for c in commands.COMMANDS]
    assert windows == [30, 30, answers.DEFAULT_HORIZON, 0]
    options = WellOptions("decline")
    assert (options.terminal, options.limit) == (0.06, 2.0)
    assert WellOptions("decline", terminal_decline=0.1, economic_limit=5.0).terminal == 0.1


def test_last_days_counts_back_from_the_last_recorded_day(data: WellData) -> None:
    last = max(r.production_date for r in data.rows)
    kept = commands.last_days(data, 10)
    assert kept.rows == tuple(r for r in data.rows if r.production_date > last - timedelta(10))
    assert (kept.well_id, kept.version) == (data.well_id, data.version)
    assert commands.last_days(data, 0) is data
    empty = WellData(data.well_id, (), 0)
    assert commands.last_days(empty, 5) is empty


def test_the_summary_is_the_last_days_of_data_day_by_day(data: WellData) -> None:
    answer = commands.summary(data, TZ, 14)
    last = max(r.production_date for r in data.rows)
    assert [p.start for p in answer.periods] == [last - timedelta(days=13 - k) for k in range(14)]
    assert (answer.scope, answer.id, answer.interval, answer.wells) == (
        "well",
        data.well_id,
        "day",
        1,
    )


def test_each_command_answers_as_the_answer_functions(data: WellData) -> None:
    assert commands.answer(data, TZ, WellOptions("trend", days=0), NOW) == answers.trend_answer(
        data, TZ, None
    )
    forecast = commands.answer(data, TZ, WellOptions("forecast", days=3, metric="gas"), NOW)
    assert forecast == answers.forecast_answer(data, TZ, "gas", 3, NOW)
    decline = commands.answer(data, TZ, WellOptions("decline", days=120, economic_limit=5), NOW)
    recent = commands.last_days(data, 120)
    assert decline == answers.decline_answer(recent, TZ, "oil", 0.06, 5.0, NOW)
    assert decline != answers.decline_answer(data, TZ, "oil", 0.06, 5.0, NOW)


def test_output_is_the_table_or_the_answers_json(data: WellData) -> None:
    options = WellOptions("forecast", days=5)
    table = commands.output(data, TZ, TITLE, options, NOW)
    found = commands.answer(data, TZ, options, NOW)
    assert table == tables.table_of(TITLE, found)
    printed = commands.output(data, TZ, TITLE, WellOptions("forecast", days=5, as_json=True), NOW)
    assert json.loads(printed) == json.loads(found.model_dump_json())
    assert json.loads(printed)["computed_at"] == "2026-02-03T04:05:06Z"
    with pytest.raises(OptionError):
        commands.output(data, TZ, TITLE, WellOptions("summary", days=0), NOW)


def test_now_is_utc_to_the_second() -> None:
    stamp = commands.now()
    assert stamp.tzinfo is UTC and stamp.microsecond == 0
    assert abs((datetime.now(UTC) - stamp).total_seconds()) < 600
