"""Tests for the shared production validation rules (docs/design.md §6)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shared.validation import (
    DEFAULT_THRESHOLDS,
    DayVolumes,
    Issue,
    ProductionInput,
    Severity,
    Thresholds,
    WellHistory,
    day_length_hours,
    has_errors,
    org_today,
    quality_score,
    validate_production,
)

# no example database: keep the working tree free of .hypothesis/ directories
props = settings(database=None, deadline=None)

D = date(2026, 5, 20)
TODAY = date(2026, 6, 1)
CHICAGO = "America/Chicago"
FALL_BACK = date(2026, 11, 1)
SPRING_FORWARD = date(2026, 3, 8)


def rec(
    day: date = D,
    oil: float = 100.0,
    gas: float = 100.0,
    water: float = 25.0,
    *,
    hours_on: float | None = None,
    downtime_hours: float | None = None,
    downtime_reason: str | None = None,
) -> ProductionInput:
    return ProductionInput(day, oil, gas, water, hours_on, downtime_hours, downtime_reason)


def vol(field: str, value: float) -> ProductionInput:
    """A default record with one of the volumes ("oil", "gas", "water") replaced."""
    v = {"oil": 100.0, "gas": 100.0, "water": 25.0, field: value}
    return rec(oil=v["oil"], gas=v["gas"], water=v["water"])


def flat_history(
    day: date = D, n: int = 30, oil: float = 100.0, gas: float = 100.0, water: float = 25.0
) -> list[DayVolumes]:
    return [DayVolumes(day - timedelta(days=k), oil, gas, water) for k in range(1, n + 1)]


def rules(issues: list[Issue]) -> set[str]:
    return {i.rule for i in issues}


def check(
    r: ProductionInput,
    history: Sequence[DayVolumes] | WellHistory = (),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[Issue]:
    return validate_production(r, today=TODAY, history=history, thresholds=thresholds)


def only(issues: list[Issue], rule: str) -> Issue:
    matching = [i for i in issues if i.rule == rule]
    assert len(matching) == 1, issues
    return matching[0]


# ----------------------------------------------------------------------------- basic rules


def test_clean_record_has_no_issues() -> None:
    issues = check(rec(hours_on=24.0, downtime_hours=0.0))
    assert issues == []
    assert quality_score(issues) == 100
    assert not has_errors(issues)


@pytest.mark.parametrize("field", ["oil", "gas", "water"])
def test_negative_volume_is_an_error_zero_is_fine(field: str) -> None:
    bad = check(vol(field, -0.01))
    issue = only(bad, "volume_negative")
    assert issue.severity is Severity.ERROR
    assert issue.field == {"oil": "oil_bbl", "gas": "gas_mcf", "water": "water_bbl"}[field]
    assert "negative" in issue.message
    assert check(vol(field, 0.0)) == []


@pytest.mark.parametrize(
    ("field", "limit", "rule"),
    [("oil", 10_000.0, "oil_max"), ("gas", 100_000.0, "gas_max"), ("water", 50_000.0, "water_max")],
)
def test_volume_maximums_warn(field: str, limit: float, rule: str) -> None:
    """Above the organization's usual maximum is a warning: a real well may make that much."""
    assert rule not in rules(check(vol(field, limit)))
    issues = check(vol(field, limit + 0.01))
    issue = only(issues, rule)
    assert issue.severity is Severity.WARNING
    assert not has_errors(issues)
    assert f"usual maximum of {limit:,.0f}" in issue.message


def test_warnings_come_after_errors() -> None:
    issues = check(rec(oil=20_000.0, gas=-1.0))
    assert [i.rule for i in issues] == ["volume_negative", "oil_max"]


def test_volume_maximum_comes_from_thresholds() -> None:
    t = Thresholds(max_oil_bbl=500.0)
    assert "oil_max" in rules(check(rec(oil=501.0), thresholds=t))
    assert "oil_max" not in rules(check(rec(oil=500.0), thresholds=t))


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_volumes_are_errors(value: float) -> None:
    issues = check(rec(oil=value))
    issue = only(issues, "volume_invalid")
    assert issue.field == "oil_bbl"
    assert has_errors(issues)


def test_future_date() -> None:
    assert check(rec(day=TODAY)) == []
    issue = only(check(rec(day=TODAY + timedelta(days=1))), "future_date")
    assert issue.field == "production_date"
    assert issue.severity is Severity.ERROR
    assert "2026-06-02" in issue.message


@pytest.mark.parametrize(
    ("hours", "ok"), [(-0.01, False), (0.0, True), (24.0, True), (24.01, False)]
)
def test_hours_range(hours: float, ok: bool) -> None:
    issues = check(rec(oil=0, gas=0, water=0, hours_on=hours))
    assert ("hours_range" not in rules(issues)) is ok


@pytest.mark.parametrize(("hours", "ok"), [(-1.0, False), (0.0, True), (24.0, True), (24.5, False)])
def test_downtime_range(hours: float, ok: bool) -> None:
    issues = check(rec(downtime_hours=hours, downtime_reason="POWER"))
    assert ("downtime_range" not in rules(issues)) is ok


def test_nan_hours_are_out_of_range() -> None:
    assert "hours_range" in rules(check(rec(hours_on=math.nan)))
    assert "downtime_range" in rules(check(rec(downtime_hours=math.nan)))


def test_volume_without_hours() -> None:
    issue = only(check(rec(hours_on=0.0)), "volume_without_hours")
    assert issue.field == "hours_on"
    assert issue.severity is Severity.ERROR
    assert check(rec(oil=0, gas=0, water=0, hours_on=0.0)) == []
    assert "volume_without_hours" in rules(check(rec(oil=0, gas=5, water=0, hours_on=0.0)))
    # hours not reported: the hours rules are skipped
    assert check(rec(hours_on=None)) == []


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_downtime_needs_reason(reason: str | None) -> None:
    issues = check(rec(hours_on=20.0, downtime_hours=4.0, downtime_reason=reason))
    issue = only(issues, "downtime_reason_required")
    assert issue.field == "downtime_reason"
    assert "4 h" in issue.message


def test_downtime_with_reason_or_zero_downtime_is_fine() -> None:
    assert check(rec(hours_on=20.0, downtime_hours=4.0, downtime_reason="ROD_PART")) == []
    assert check(rec(hours_on=24.0, downtime_hours=0.0)) == []


@pytest.mark.parametrize(
    ("hours", "down", "warns"),
    [
        (20.0, 4.0, False),
        (20.0, 3.995, False),
        (20.0, 3.98, True),
        (20.0, 3.0, True),
        (12, 13, True),
    ],
)
def test_hours_sum(hours: float, down: float, warns: bool) -> None:
    issues = check(rec(hours_on=hours, downtime_hours=down, downtime_reason="OTHER"))
    assert ("hours_sum" in rules(issues)) is warns
    if warns:
        issue = only(issues, "hours_sum")
        assert issue.severity is Severity.WARNING
        assert "24 h" in issue.message


def test_hours_sum_needs_both_values() -> None:
    assert check(rec(hours_on=10.0)) == []
    assert check(rec(downtime_hours=3.0, downtime_reason="OTHER")) == []


# ----------------------------------------------------------------------------- DST days


def test_day_lengths_in_chicago() -> None:
    assert day_length_hours(FALL_BACK, CHICAGO) == 25
    assert day_length_hours(FALL_BACK + timedelta(days=1), CHICAGO) == 24
    assert day_length_hours(SPRING_FORWARD, CHICAGO) == 23
    assert day_length_hours(date(2026, 7, 4), CHICAGO) == 24
    assert day_length_hours(FALL_BACK, "UTC") == 24


def test_unknown_time_zone_is_value_error() -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        day_length_hours(D, "Mars/Olympus")


def test_25_hours_only_on_fall_back_day() -> None:
    today = date(2026, 12, 1)
    ok = validate_production(rec(day=FALL_BACK, hours_on=25.0), today=today)
    assert ok == []
    over = validate_production(rec(day=FALL_BACK, hours_on=25.01), today=today)
    assert "hours_range" in rules(over)
    next_day = validate_production(rec(day=date(2026, 11, 2), hours_on=25.0), today=today)
    issue = only(next_day, "hours_range")
    assert "25 h" in issue.message
    assert "24 h" in issue.message


def test_25_hours_depends_on_org_time_zone() -> None:
    today = date(2026, 12, 1)
    utc = Thresholds(timezone="UTC")
    issues = validate_production(rec(day=FALL_BACK, hours_on=25.0), today=today, thresholds=utc)
    assert "hours_range" in rules(issues)


def test_hours_sum_on_dst_days() -> None:
    today = date(2026, 12, 1)

    def sum_warns(day: date, hours: float, down: float) -> bool:
        r = rec(day=day, hours_on=hours, downtime_hours=down, downtime_reason="OTHER")
        return "hours_sum" in rules(validate_production(r, today=today))

    assert not sum_warns(SPRING_FORWARD, 23.0, 0.0)
    assert not sum_warns(SPRING_FORWARD, 20.0, 3.0)
    assert not sum_warns(SPRING_FORWARD, 24.0, 0.0)  # the habit of a full day: accepted
    assert sum_warns(SPRING_FORWARD, 22.0, 0.0)
    assert sum_warns(SPRING_FORWARD, 23.0, 2.0)
    assert not sum_warns(FALL_BACK, 25.0, 0.0)
    assert not sum_warns(FALL_BACK, 24.0, 1.0)
    assert not sum_warns(FALL_BACK, 24.0, 0.0)
    assert sum_warns(FALL_BACK, 23.0, 0.0)
    assert sum_warns(D, 23.0, 0.0)  # an ordinary day has no such leniency
    # 24 hours stays allowed on the short day
    assert "hours_range" not in rules(
        validate_production(rec(day=SPRING_FORWARD, hours_on=24.0), today=today)
    )


def test_org_today() -> None:
    late_evening_chicago = datetime(2026, 1, 2, 3, 0, tzinfo=UTC)
    assert org_today(CHICAGO, late_evening_chicago) == date(2026, 1, 1)
    assert org_today("UTC", late_evening_chicago) == date(2026, 1, 2)
    assert org_today("Asia/Tokyo", datetime(2026, 1, 2, 20, 0)) == date(2026, 1, 3)  # naive = UTC
    now = datetime.now(UTC)
    assert abs((org_today(CHICAGO) - now.date()).days) <= 1


# ----------------------------------------------------------------------------- history rules


@pytest.mark.parametrize(
    ("oil", "warns"), [(120.0, False), (120.5, True), (80.0, False), (79.5, True)]
)
def test_oil_day_change(oil: float, warns: bool) -> None:
    history = [DayVolumes(D - timedelta(days=1), 100.0, 100.0, 25.0)]
    issues = check(rec(oil=oil), history)
    assert ("oil_day_change" in rules(issues)) is warns
    if warns:
        issue = only(issues, "oil_day_change")
        assert issue.field == "oil_bbl"
        assert issue.severity is Severity.WARNING
        assert "last producing day (2026-05-19, 100 bbl/d)" in issue.message


def test_oil_day_change_compares_with_the_last_producing_day() -> None:
    gap = [DayVolumes(D - timedelta(days=2), 100.0, 100.0, 25.0)]  # no reading yesterday
    assert "oil_day_change" in rules(check(rec(oil=500.0), gap))
    shut_in = [DayVolumes(D - timedelta(days=1), 0.0, 0.0, 0.0)]
    assert "oil_day_change" not in rules(check(rec(oil=500.0), shut_in))
    before = [*gap, DayVolumes(D - timedelta(days=1), 0.0, 0.0, 0.0, hours_on=0.0)]
    issue = only(check(rec(oil=130.0), before), "oil_day_change")  # across the shut-in
    assert "(2026-05-18, 100 bbl/d)" in issue.message
    assert "oil_day_change" not in rules(check(rec(oil=110.0), before))
    zero = [DayVolumes(D - timedelta(days=1), 0.0, 0.0, 0.0, hours_on=24.0)]  # on, no oil
    assert "oil_day_change" not in rules(check(rec(oil=500.0), zero))


def test_rates_are_normalised_to_hours_on() -> None:
    yesterday = [DayVolumes(D - timedelta(days=1), 100.0, 100.0, 25.0, hours_on=24.0)]
    half = rec(oil=50.0, gas=50.0, water=12.5, hours_on=12.0, downtime_hours=12.0)
    assert check(replace(half, downtime_reason="PUMP_FAIL"), yesterday) == []
    same_volume = rec(hours_on=12.0, downtime_hours=12.0, downtime_reason="PUMP_FAIL")
    issue = only(check(same_volume, yesterday), "oil_day_change")  # 200 bbl/d
    assert "Oil rate 200 bbl/d is up 100%" in issue.message
    partial = [DayVolumes(D - timedelta(days=1), 25.0, 25.0, 6.0, hours_on=6.0)]
    assert check(rec(hours_on=24.0), partial) == []  # yesterday's 25 bbl in 6 h: 100 bbl/d


def test_a_23_hour_day_is_not_a_drop() -> None:
    today = date(2026, 12, 1)
    day = SPRING_FORWARD
    history = [DayVolumes(day - timedelta(days=k), 24.0, 24.0, 6.0, 24.0) for k in range(1, 9)]
    short = rec(day=day, oil=23.0, gas=23.0, water=5.75, hours_on=23.0, downtime_hours=0.0)
    assert validate_production(short, today=today, history=history) == []
    after = [*history, DayVolumes(day, 23.0, 23.0, 5.75, hours_on=23.0)]
    nxt = rec(day=day + timedelta(days=1), oil=24.0, gas=24.0, water=6.0, hours_on=24.0)
    assert validate_production(nxt, today=today, history=after) == []


def test_a_shut_in_record_gets_no_trend_warnings() -> None:
    shut = rec(oil=0.0, gas=0.0, water=0.0, hours_on=0.0, downtime_hours=24.0)
    assert check(replace(shut, downtime_reason="WORKOVER"), flat_history()) == []
    unknown_hours = rec(oil=0.0, gas=0.0, water=0.0)
    assert check(unknown_hours, flat_history()) == []


def test_shut_in_days_are_left_out_of_the_history() -> None:
    days = [DayVolumes(D - timedelta(days=k), 100.0, 100.0, 25.0, 24.0) for k in range(8, 13)]
    shut = [DayVolumes(D - timedelta(days=k), 0.0, 0.0, 0.0, 0.0) for k in range(1, 8)]
    assert check(rec(hours_on=24.0), days + shut) == []  # a median of 0 would be 100x


def test_a_choke_change_explains_a_step() -> None:
    yesterday = [DayVolumes(D - timedelta(days=1), 100.0, 100.0, 25.0, 24.0, choke_64ths=24)]
    stepped = rec(oil=140.0, gas=140.0, water=35.0, hours_on=24.0)
    assert "oil_day_change" in rules(check(replace(stepped, choke_64ths=24), yesterday))
    assert check(replace(stepped, choke_64ths=32), yesterday) == []
    assert "oil_day_change" in rules(check(stepped, yesterday))  # no choke reported today


def test_short_days_skip_the_day_over_day_check() -> None:
    short = [DayVolumes(D - timedelta(days=1), 5.0, 5.0, 1.0, hours_on=1.5)]  # 80 bbl/d
    assert check(rec(hours_on=24.0), short) == []
    today = rec(oil=5.0, gas=5.0, water=1.25, hours_on=2.0, downtime_hours=22.0)
    yesterday = [DayVolumes(D - timedelta(days=1), 100.0, 100.0, 25.0, 24.0)]  # 60 bbl/d
    assert check(replace(today, downtime_reason="POWER"), yesterday) == []
    t = Thresholds(rate_min_hours=1.0)
    assert "oil_day_change" in rules(check(rec(hours_on=24.0), short, thresholds=t))


def test_the_day_after_an_outlier_is_not_flagged() -> None:
    history = [*flat_history(oil=100.0)[1:], DayVolumes(D - timedelta(days=1), 400.0, 400, 25)]
    assert check(rec(), history) == []  # back to the median: yesterday was the odd one
    assert "oil_day_change" in rules(check(rec(oil=150.0, gas=150.0), history))


def _median_history() -> list[DayVolumes]:
    # median 100 but no previous day, so the day-change rule stays out of the way
    oils = [90.0, 95.0, 100.0, 105.0, 110.0] * 2
    return [DayVolumes(D - timedelta(days=k + 2), o, o, 10.0) for k, o in enumerate(oils)]


@pytest.mark.parametrize(
    ("oil", "warns"), [(300.0, False), (300.5, True), (30.0, False), (29.9, True), (100.0, False)]
)
def test_oil_vs_median(oil: float, warns: bool) -> None:
    issues = check(rec(oil=oil, gas=oil), _median_history())
    assert ("oil_vs_median" in rules(issues)) is warns


def test_oil_vs_median_message_matches_design_example() -> None:
    history = flat_history(oil=280.0, gas=280.0)
    issue = only(check(rec(oil=950.0, gas=950.0), history), "oil_vs_median")
    assert issue.message == (
        "Oil rate 950 bbl/d is 3.4x the 30-day median of producing days (280 bbl/d; "
        "robust z +119.6)."
    )
    assert issue.severity is Severity.WARNING


def test_one_outlier_in_the_history_sets_off_nothing() -> None:
    history = flat_history(oil=100.0)
    history[10] = replace(history[10], oil_bbl=5000.0, gas_mcf=5000.0)
    assert check(rec(oil=104.0, gas=104.0), history) == []


def test_oil_vs_median_needs_five_days_and_positive_median() -> None:
    four = _median_history()[:4]
    assert "oil_vs_median" not in rules(check(rec(oil=1000.0), four))
    zeros = flat_history(oil=0.0, gas=0.0)
    assert "oil_vs_median" not in rules(check(rec(oil=1000.0), zeros))


def _wide_history() -> list[DayVolumes]:
    # median 100, MAD 80 -> scaled 118.6: 350 is 3.5x the median but only z 2.1
    return [
        DayVolumes(D - timedelta(days=k + 1), 20.0 if k % 2 else 180.0, 100.0, 20.0)
        for k in range(30)
    ]


@pytest.mark.parametrize(("limit", "warns"), [(3.5, False), (2.2, False), (2.0, True)])
def test_a_noisy_history_needs_the_robust_z_too(limit: float, warns: bool) -> None:
    t = Thresholds(zscore_limit=limit)
    issues = check(rec(oil=350.0, gas=350.0), _wide_history(), thresholds=t)
    assert ("oil_vs_median" in rules(issues)) is warns
    if warns:
        assert "robust z +2.1" in only(issues, "oil_vs_median").message


def test_a_flat_history_uses_the_floor() -> None:
    # MAD 0: the scale is 2 % of the median, so a 3x day is z 100, a 2 % wobble nothing
    assert "oil_vs_median" in rules(check(rec(oil=301.0, gas=301), flat_history(oil=100.0)))
    assert check(rec(oil=102.0, gas=102.0), flat_history(oil=100.0)) == []


@pytest.mark.parametrize(
    ("gas", "warns"), [(150.0, False), (151.0, True), (50.0, False), (49.0, True)]
)
def test_gor_jump(gas: float, warns: bool) -> None:
    # history GOR 1000 scf/bbl (100 Mcf / 100 bbl)
    issues = check(rec(oil=100.0, gas=gas), flat_history())
    assert ("gor_jump" in rules(issues)) is warns
    if warns:
        issue = only(issues, "gor_jump")
        assert issue.field == "gas_mcf"
        assert "1,000 scf/bbl" in issue.message


def test_gor_jump_needs_oil() -> None:
    few = flat_history(n=4)
    assert "gor_jump" not in rules(check(rec(gas=1000.0), few))
    no_oil_days = flat_history(oil=0.0, gas=100.0)
    assert "gor_jump" not in rules(check(rec(gas=1000.0), no_oil_days))
    assert "gor_jump" not in rules(check(rec(oil=0.0, gas=1000.0), flat_history()))


@pytest.mark.parametrize(
    ("oil", "water", "warns"),
    [(60.0, 40.0, False), (59.0, 41.0, True), (100.0, 0.0, False), (99.0, 1.0, False)],
)
def test_water_cut_jump(oil: float, water: float, warns: bool) -> None:
    # previous day water cut 20%
    history = [DayVolumes(D - timedelta(days=1), 80.0, 80.0, 20.0)]
    t = Thresholds(day_change_pct=100.0)
    assert history[0] == DayVolumes(D - timedelta(days=1), 80.0, 80.0, 20.0, None, None)
    issues = check(rec(oil=oil, gas=oil, water=water), history, thresholds=t)
    assert ("water_cut_jump" in rules(issues)) is warns
    if warns:
        issue = only(issues, "water_cut_jump")
        assert issue.field == "water_bbl"
        assert "20%" in issue.message


def test_water_cut_back_to_its_median_is_not_a_jump() -> None:
    history = flat_history(oil=80.0, gas=80.0, water=20.0)[1:]  # 20 % for weeks
    history.append(DayVolumes(D - timedelta(days=1), 40.0, 40.0, 60.0))  # one odd day: 60 %
    assert "water_cut_jump" not in rules(check(rec(oil=80.0, gas=80.0, water=20.0), history))
    assert "water_cut_jump" in rules(check(rec(oil=10.0, gas=10.0, water=90.0), history))


def test_water_cut_skipped_without_liquid() -> None:
    history = [DayVolumes(D - timedelta(days=1), 0.0, 10.0, 0.0)]
    assert "water_cut_jump" not in rules(check(rec(oil=0.0, water=100.0), history))


def test_only_the_trailing_window_counts() -> None:
    spike = 1000.0
    too_old = [DayVolumes(D - timedelta(days=31 + k), 100.0, 100.0, 25.0) for k in range(10)]
    after = [DayVolumes(D + timedelta(days=k), 100.0, 100.0, 25.0) for k in range(10)]
    assert check(rec(oil=spike, gas=spike), too_old + after) == []
    inside = [DayVolumes(D - timedelta(days=30 - k), 100.0, 100.0, 25.0) for k in range(5)]
    assert "oil_vs_median" in rules(check(rec(oil=spike, gas=spike), too_old + inside))
    short = Thresholds(history_days=3)
    assert "oil_vs_median" not in rules(check(rec(oil=spike, gas=spike), inside, thresholds=short))


def test_duplicate_history_dates_count_once() -> None:
    base = _median_history()[:4]
    dup = [*base, base[0], base[0], base[0]]
    assert "oil_vs_median" not in rules(check(rec(oil=1000.0, gas=1000.0), dup))


def test_invalid_volume_skips_history_rules() -> None:
    issues = check(rec(oil=-5.0), flat_history())
    assert rules(issues) == {"volume_negative"}


# ----------------------------------------------------------------------------- WellHistory


def test_well_history_replacing_oil_with_zero_drops_its_gor() -> None:
    wh = WellHistory(flat_history(n=5, oil=100.0, gas=100.0))
    assert "gor_jump" in rules(check(rec(gas=500.0), wh))
    wh.add(DayVolumes(D - timedelta(days=1), 0.0, 0.0, 0.0))
    assert "gor_jump" not in rules(check(rec(gas=500.0), wh))


# Integer-valued volumes keep sums exact, so both history paths must agree to the last bit.
volumes = st.integers(0, 3000).map(float)
day_volumes = st.builds(
    DayVolumes,
    production_date=st.dates(D - timedelta(days=45), D + timedelta(days=3)),
    oil_bbl=st.sampled_from([0.0, 50.0, 100.0, 101.0, 250.0]) | volumes,
    gas_mcf=volumes,
    water_bbl=volumes,
)
records = st.builds(
    ProductionInput,
    production_date=st.just(D),
    oil_bbl=volumes,
    gas_mcf=volumes,
    water_bbl=volumes,
)


@settings(props, max_examples=200)
@given(st.lists(day_volumes, max_size=45), records, st.integers(1, 40))
def test_well_history_gives_same_result_as_plain_list(
    days: list[DayVolumes], r: ProductionInput, window: int
) -> None:
    # WellHistory keeps the last entry for a date, like the list path does
    t = Thresholds(history_days=window)
    wh = WellHistory(days)
    assert check(r, days, thresholds=t) == check(r, wh, thresholds=t)


# ----------------------------------------------------------------------------- properties


@props
@given(
    st.floats(0, DEFAULT_THRESHOLDS.max_oil_bbl),
    st.floats(0, DEFAULT_THRESHOLDS.max_gas_mcf),
    st.floats(0, DEFAULT_THRESHOLDS.max_water_bbl),
    st.dates(date(2000, 1, 1), TODAY),
)
def test_any_sane_record_without_history_is_clean(
    oil: float, gas: float, water: float, day: date
) -> None:
    assume(day_length_hours(day, CHICAGO) == 24)
    r = ProductionInput(day, oil, gas, water, hours_on=24.0, downtime_hours=0.0)
    assert validate_production(r, today=TODAY) == []


@props
@given(
    st.sampled_from(["oil", "gas", "water"]),
    st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False),
    st.lists(day_volumes, max_size=10),
)
def test_negative_volume_always_errors(field: str, value: float, days: list[DayVolumes]) -> None:
    issues = check(vol(field, value), days)
    assert "volume_negative" in rules(issues)
    assert has_errors(issues)
    assert quality_score(issues) <= 60


issue_st = st.builds(
    Issue,
    rule=st.text(max_size=5),
    field=st.just("oil_bbl"),
    severity=st.sampled_from(Severity),
    message=st.just("m"),
)


@props
@given(st.lists(issue_st, max_size=12), issue_st)
def test_quality_score_bounded_and_monotone(issues: list[Issue], extra: Issue) -> None:
    score = quality_score(issues)
    assert 0 <= score <= 100
    assert quality_score([*issues, extra]) <= score
    n = {s: sum(1 for i in issues if i.severity is s) for s in Severity}
    expected = 100 - 40 * n[Severity.ERROR] - 15 * n[Severity.WARNING] - 5 * n[Severity.INFO]
    assert score == max(0, expected)
    assert has_errors(issues) is (n[Severity.ERROR] > 0)


def test_quality_score_examples() -> None:
    def mk(s: Severity) -> Issue:
        return Issue("r", "oil_bbl", s, "m")

    assert quality_score([]) == 100
    assert quality_score([mk(Severity.WARNING)]) == 85
    assert quality_score([mk(Severity.ERROR), mk(Severity.INFO)]) == 55
    assert quality_score([mk(Severity.ERROR)] * 3) == 0


@props
@given(
    st.lists(st.floats(0.8, 1.2), min_size=5, max_size=30),
    st.floats(3.01, 20),
)
def test_oil_far_above_median_always_warns(spread: list[float], factor: float) -> None:
    """Over any history within ±20 % of its level (a meter's noise, a slow decline), a day
    more than 3x the median is warned whatever the values."""
    oils = [100.0 * x for x in spread]
    history = [DayVolumes(D - timedelta(days=k + 1), o, o, 0.0) for k, o in enumerate(oils)]
    ordered = sorted(oils)
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    oil = median * factor
    issues = check(rec(oil=oil, gas=oil, water=0.0), history)
    assert "oil_vs_median" in rules(issues)
    assert not has_errors(issues)


def test_a_downtime_reason_outside_the_codes_is_an_error() -> None:
    issues = check(rec(hours_on=20.0, downtime_hours=4.0, downtime_reason="flat_tire"))
    assert [(i.rule, i.field, i.severity) for i in issues] == [
        ("downtime_reason_unknown", "downtime_reason", Severity.ERROR)
    ]
    assert "PUMP_FAIL" in issues[0].message
    assert check(rec(hours_on=20.0, downtime_hours=4.0, downtime_reason="WORKOVER")) == []


# ----------------------------------------------------------------------------- the geofence

WELL_AT = (31.9686, -102.0779)


def test_an_entry_far_from_its_well_is_saved_with_the_geofence_warning() -> None:
    far = replace(rec(hours_on=24.0), location=(31.9786, -102.0779), well_location=WELL_AT)
    issues = check(far)
    found = only(issues, "outside_geofence")
    assert (found.severity, found.field) == (Severity.WARNING, "location")
    assert found.message == (
        "The entry's location is 3,648 ft (1,112 m) from the well, outside the 500 ft "
        "(152.4 m) geofence."
    )
    assert not has_errors(issues)
    assert quality_score(issues) == 85  # one warning's penalty


def test_an_entry_within_500_ft_or_without_coordinates_is_not_flagged() -> None:
    near = replace(rec(hours_on=24.0), location=(31.9696, -102.0779), well_location=WELL_AT)
    assert check(near) == []  # 364 ft
    assert check(replace(near, well_location=None)) == []
    assert check(replace(near, location=None, well_location=WELL_AT)) == []


def test_the_geofence_warning_comes_with_the_other_warnings() -> None:
    far = replace(vol("oil", 1e9), location=(32.5, -102.0), well_location=WELL_AT)
    assert {"oil_max", "outside_geofence"} <= rules(check(far))
