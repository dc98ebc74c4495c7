"""The validation thresholds as an organization setting: what each may be, the parsing the
command line and the endpoint share, and the tolerant reading a device does."""

from __future__ import annotations

import math

import pytest

from shared.thresholds import (
    DEFAULT_THRESHOLDS,
    KEYS,
    SettingError,
    Thresholds,
    ValidationSettings,
    ValidationSettingsChange,
    as_settings,
    changed,
    check_setting,
    differences,
    parse_assignment,
    settings_etag,
    with_settings,
)


def test_the_wire_models_name_every_threshold() -> None:
    assert tuple(ValidationSettings.model_fields) == KEYS
    assert tuple(ValidationSettingsChange.model_fields) == KEYS
    assert ValidationSettings.model_validate(as_settings(DEFAULT_THRESHOLDS)).max_oil_bbl == 10_000


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("max_oil_bbl", 40000, 40000.0),
        ("median_low_ratio", 0.5, 0.5),
        ("rate_min_hours", 0, 0.0),
        ("history_days", 45, 45),
        ("history_days", 45.0, 45),
        ("timezone", "America/Denver", "America/Denver"),
    ],
)
def test_good_values_come_back_typed(key: str, value: object, expected: object) -> None:
    got = check_setting(key, value)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("max_oil", 1.0, "unknown setting"),
        ("max_oil_bbl", 0, "above 0"),
        ("max_oil_bbl", math.inf, "above 0"),
        ("max_oil_bbl", math.nan, "above 0"),
        ("max_oil_bbl", True, "a number"),
        ("max_oil_bbl", "40000", "a number"),
        ("median_low_ratio", 1.0, "between 0 and 1"),
        ("median_high_ratio", 1.0, "above 1"),
        ("water_cut_jump_points", 100.5, "between 0 and 100"),
        ("history_days", 4, "from 5 to 366"),
        ("history_days", 30.5, "whole number"),
        ("timezone", "Mars/Olympus", "unknown time zone"),
        ("timezone", 5, "IANA"),
    ],
)
def test_bad_values_name_the_key_and_what_it_may_be(key: str, value: object, words: str) -> None:
    with pytest.raises(SettingError) as caught:
        check_setting(key, value)
    assert caught.value.key == key and str(caught.value).startswith(f"{key}: ")
    assert words in str(caught.value)


def test_assignments_from_a_command_line() -> None:
    assert parse_assignment("max_oil_bbl=40000") == ("max_oil_bbl", 40000.0)
    assert parse_assignment(" history_days = 60 ") == ("history_days", 60)
    assert parse_assignment("zscore_limit=3.0") == ("zscore_limit", 3.0)
    assert parse_assignment("timezone=UTC") == ("timezone", "UTC")
    for text, words in (
        ("max_oil_bbl", "expected KEY=VALUE"),
        ("=5", "expected KEY=VALUE"),
        ("max_oil_bbl=lots", "must be a number above 0, not 'lots'"),
        ("nope=lots", "unknown setting"),
        ("nope=5", "unknown setting"),
    ):
        with pytest.raises(SettingError, match=words):
            parse_assignment(text)


def test_a_device_reading_settings_keeps_what_it_cannot_take() -> None:
    got = with_settings(
        DEFAULT_THRESHOLDS,
        {"max_oil_bbl": 40000, "from_a_newer_server": 1, "history_days": -3, "timezone": "UTC"},
    )
    assert got == Thresholds(max_oil_bbl=40000.0, timezone="UTC")
    assert with_settings(DEFAULT_THRESHOLDS, {}) is DEFAULT_THRESHOLDS


def test_a_change_applies_in_full_or_not_at_all_and_none_resets() -> None:
    base = Thresholds(max_oil_bbl=40000.0, history_days=60)
    assert changed(base, {"history_days": None, "gor_jump_pct": 80}) == Thresholds(
        max_oil_bbl=40000.0, gor_jump_pct=80.0
    )
    with pytest.raises(SettingError, match="median_low_ratio"):
        changed(base, {"max_oil_bbl": 1.0, "median_low_ratio": 3})
    with pytest.raises(SettingError, match="always has a time zone"):
        changed(base, {"timezone": None})
    with pytest.raises(SettingError, match="unknown setting"):
        changed(base, {"nope": None})


def test_the_etag_follows_the_values_and_differences_name_only_changes() -> None:
    a, b = DEFAULT_THRESHOLDS, Thresholds(max_oil_bbl=40000.0)
    assert settings_etag(a) == settings_etag(Thresholds())
    assert settings_etag(a) != settings_etag(b)
    assert differences(a) == {} and differences(b) == {"max_oil_bbl": 40000.0}
