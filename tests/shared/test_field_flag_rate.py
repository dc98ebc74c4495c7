"""How often the production rules flag a realistic field's ordinary days (docs/design.md §6.3).

The seeded synthetic field of tests/support/synthetic_field.py (60 wells × 400 days: declines,
choke changes, shut-ins with reasons, partial days, DST days, meter noise) goes through
`validate_production` the way the CSV import runs it: day by day, each well's history growing
with every row that is accepted. Goal: under 2 % of the rows an engineer would not call
suspicious get a warning, while every impossible row is an error and every planted 4x spike
is warned.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, replace
from datetime import date

import pytest

from shared.records import day_volumes
from shared.validation import (
    Issue,
    Severity,
    Thresholds,
    WellHistory,
    has_errors,
    validate_production,
)
from tests.support.synthetic_field import TZ, FieldRow, synthetic_field

GOAL = 0.02
# the organization's settings for a field with 12,000 bbl/d wells (its admin sets the maximum)
FIELD_RULES = Thresholds(max_oil_bbl=40_000.0, timezone=TZ)
ERROR_RULE = {"negative": "volume_negative", "no_hours": "volume_without_hours"}
ERROR_RULE["long_day"] = "hours_range"


def run_field(rows: list[FieldRow], rules: Thresholds) -> list[list[Issue]]:
    """Each row's issues, the well's history growing with every accepted row (as import)."""
    today = max(r.record.production_date for r in rows)
    histories: dict[int, WellHistory] = {}
    found = []
    for row in rows:
        history = histories.setdefault(
            row.well, WellHistory((), rules.history_days, rules.timezone)
        )
        issues = validate_production(row.record, today=today, history=history, thresholds=rules)
        found.append(issues)
        if not has_errors(issues):
            rec = row.record
            history.add(day_volumes(rec.production_date, asdict(rec)))
    return found


@pytest.fixture(scope="module")
def field() -> list[FieldRow]:
    return synthetic_field()


@pytest.fixture(scope="module")
def results(field: list[FieldRow]) -> list[list[Issue]]:
    return run_field(field, FIELD_RULES)


def test_the_field_is_what_the_test_claims(field: list[FieldRow]) -> None:
    wells = {r.well for r in field}
    days = {r.record.production_date for r in field}
    ordinary = [r.record for r in field if r.label == "ordinary"]
    assert len(wells) >= 50 and max(days) - min(days) >= (date(2026, 1, 1) - date(2025, 1, 1))
    shut_in = [r for r in ordinary if r.hours_on == 0]
    assert shut_in and all(r.downtime_reason and r.oil_bbl == 0 for r in shut_in)
    partial = [r for r in ordinary if r.hours_on and r.hours_on < 23]
    assert len(partial) > len(wells) * 3
    dst = [r for r in ordinary if r.production_date in (date(2025, 3, 9), date(2025, 11, 2))]
    assert {r.hours_on for r in dst} >= {23.0, 24.0, 25.0}
    chokes = {(r.choke_64ths, i) for i, r in enumerate(ordinary) if r.choke_64ths}
    assert len({c for c, _ in chokes}) > 5
    assert max(r.oil_bbl for r in ordinary) > 10_000
    counts = Counter(r.label for r in field)
    assert counts["spike"] >= 20 and counts["negative"] == len(wells)


def test_ordinary_days_are_rarely_flagged(
    field: list[FieldRow], results: list[list[Issue]]
) -> None:
    ordinary = [(r, i) for r, i in zip(field, results, strict=True) if r.label == "ordinary"]
    errors = [(r.record, i) for r, i in ordinary if has_errors(i)]
    flagged = [i for _, i in ordinary if i]
    rate = len(flagged) / len(ordinary)
    by_rule = Counter(issue.rule for issues in flagged for issue in issues)
    print(f"\nflag rate on ordinary rows: {rate:.2%} ({len(flagged)}/{len(ordinary)}) {by_rule}")
    assert not errors, f"ordinary rows refused: {errors[:3]}"
    assert rate < GOAL, (
        f"{rate:.2%} of ordinary rows flagged ({len(flagged)} of {len(ordinary)}), goal "
        f"< {GOAL:.0%}; by rule: {dict(by_rule)}"
    )


def test_every_impossible_row_is_an_error(
    field: list[FieldRow], results: list[list[Issue]]
) -> None:
    planted = [(r, i) for r, i in zip(field, results, strict=True) if r.label in ERROR_RULE]
    assert len(planted) == 3 * len({r.well for r in field})
    missed = [
        (r.label, r.record)
        for r, issues in planted
        if ERROR_RULE[r.label] not in {i.rule for i in issues if i.severity == Severity.ERROR}
    ]
    assert not missed, f"{len(missed)} impossible rows not refused: {missed[:3]}"


def test_every_planted_spike_is_warned(field: list[FieldRow], results: list[list[Issue]]) -> None:
    spikes = [(r, i) for r, i in zip(field, results, strict=True) if r.label == "spike"]
    missed = [r.record for r, issues in spikes if "oil_vs_median" not in {i.rule for i in issues}]
    assert not missed, f"{len(missed)} of {len(spikes)} 4x spikes not warned: {missed[:3]}"


def test_high_rate_wells_are_recorded_at_the_default_maximum(field: list[FieldRow]) -> None:
    """At the default 10,000 bbl maximum a 12,000 bbl/d well is warned, never refused."""
    high = [r for r in field if r.well < 2 and r.label == "ordinary"][:200]
    issues = run_field(high, replace(FIELD_RULES, max_oil_bbl=10_000.0))
    assert not any(has_errors(i) for i in issues)
    over = [i for r, i in zip(high, issues, strict=True) if r.record.oil_bbl > 10_000]
    assert over and all("oil_max" in {x.rule for x in i} for i in over)


def test_shut_in_days_are_never_flagged(field: list[FieldRow], results: list[list[Issue]]) -> None:
    shut_in = [
        (r.record, i)
        for r, i in zip(field, results, strict=True)
        if r.label == "ordinary" and r.record.hours_on == 0
    ]
    assert len(shut_in) > 500
    assert [x for x in shut_in if x[1]] == []
