"""The tables of the analytics commands (shared.analytics.tables): a title line, a header, a
rule, one line per day or metric, "-" for no value, refusals in the title line."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
from analyticskit import TZ, well_rows

from shared.analytics import answers, tables
from shared.analytics.answers import WellData
from shared.analytics.series import DailyRow

FIRST = date(2025, 6, 1)
NOW = datetime(2026, 1, 1, tzinfo=UTC)
TITLE = "4250120130 Alpha 1"


def declining(days: int) -> WellData:
    rows = [
        DailyRow(FIRST + timedelta(days=i), 200 * math.exp(-0.003 * i), 1500.5, 20.0, 24.0)
        for i in range(days)
    ]
    return WellData(uuid4(), tuple(rows), 3)


def cells(line: str) -> list[str]:
    return line.split()


def test_the_summary_has_a_line_a_day_with_thousands_separators_and_status() -> None:
    rows = [
        DailyRow(FIRST, 1234.56, 2000.0, 10.0, 24.0),
        DailyRow(FIRST + timedelta(days=1), 0.0, 0.0, 0.0, 0.0, 24.0, "POWER"),
        DailyRow(FIRST + timedelta(days=3), 5.0, 6.0, 7.0, 12.0, 12.0, "PUMP"),
    ]
    answer = answers.series_answer("well", uuid4(), [rows], TZ, "day", None, None, 1)
    lines = tables.summary_table(TITLE, answer).splitlines()
    assert lines[0] == f"{TITLE} ({TZ})"
    header = "day oil bbl gas mcf water bbl boe hours status"
    assert cells(lines[1]) == header.split()
    assert set(lines[2]) == {"-", " "}
    assert len(lines) == 3 + 4  # the missing day has its line too
    assert cells(lines[3])[:3] == [FIRST.isoformat(), "1,234.6", "2,000.0"]
    assert lines[4].endswith("shut in")
    assert lines[5].endswith("-") and lines[6].endswith("producing")
    assert len({len(line) for line in lines[1:]}) == 1  # right-aligned columns


def test_the_trend_table_has_a_line_a_metric_and_says_when_there_are_too_few_points() -> None:
    data = declining(40)
    answer = answers.trend_answer(data, TZ, 30)
    lines = tables.trend_table(TITLE, answer).splitlines()
    assert (
        lines[0] == f"{TITLE}: trend of daily rates, last 30 days to {FIRST + timedelta(days=39)}"
    )
    assert [cells(line)[0] for line in lines[3:]] == ["oil", "gas", "water"]
    assert cells(lines[3])[-2:] == ["declining", "30"]
    nothing = answers.trend_answer(WellData(uuid4(), (), 0), TZ, None)
    empty = tables.trend_table(TITLE, nothing).splitlines()
    assert "all days" in empty[0] and all("too few points" in line for line in empty[3:])


def test_the_forecast_table_has_a_line_a_day_or_the_refusal() -> None:
    answer = answers.forecast_answer(declining(60), TZ, "oil", 4, NOW)
    lines = tables.forecast_table(TITLE, answer).splitlines()
    assert lines[0].startswith(f"{TITLE}: oil rate forecast (")
    assert "60 producing days" in lines[0]
    assert cells(lines[1]) == ["day", "mean", "95%", "low", "95%", "high"]
    assert len(lines) == 3 + 4
    assert answer.forecast is not None
    first = answer.forecast.points[0]
    numbers = [f"{x:,.1f}" for x in (first.mean, first.lower, first.upper)]
    assert cells(lines[3]) == [first.day.isoformat(), *numbers]
    refused = answers.forecast_answer(WellData(uuid4(), (), 0), TZ, "water", 7, NOW)
    text = tables.forecast_table(TITLE, refused)
    assert text == f"{TITLE}: water rate forecast: none ({refused.refusal})"


def test_the_decline_table_lists_the_fit_or_the_refusal() -> None:
    answer = answers.decline_answer(declining(200), TZ, "oil", 0.06, 2.0, NOW)
    lines = tables.decline_table(TITLE, answer).splitlines()
    assert lines[0] == f"{TITLE}: Arps decline of the oil rate"
    values = {line[: line.rindex("  ")].strip(): cells(line)[-1] for line in lines[3:]}
    assert answer.fit is not None
    assert values["qi (per day)"] == f"{answer.fit.qi:,.1f}"
    assert values["producing days fitted"] == "200"
    assert values["EUR"] == f"{answer.fit.eur:,.0f}"
    refused = answers.decline_answer(WellData(uuid4(), (), 0), TZ, "gas", 0.06, 2.0, NOW)
    assert tables.decline_table(TITLE, refused).endswith(f": no fit ({refused.refusal})")


def test_table_of_picks_the_table_of_each_answer() -> None:
    data = WellData(uuid4(), tuple(well_rows(8, FIRST, 30)), 1)
    summary = answers.series_answer("well", data.well_id, [data.rows], TZ, "day", None, None, 1)
    trend = answers.trend_answer(data, TZ, 30)
    assert tables.table_of(TITLE, summary) == tables.summary_table(TITLE, summary)
    assert tables.table_of(TITLE, trend) == tables.trend_table(TITLE, trend)
    with pytest.raises(TypeError, match="no table"):
        tables.table_of(TITLE, answers.anomalies_answer(data, TZ, None, None))
