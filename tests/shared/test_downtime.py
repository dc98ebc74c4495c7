"""The downtime reason codes: one list, and the words people type for them."""

from __future__ import annotations

import pytest

from shared.downtime import DOWNTIME_REASONS, REASON_CODES, codes_text, reason_code


def test_six_codes_each_with_a_label() -> None:
    assert [code for code, _ in DOWNTIME_REASONS] == [
        "PUMP_FAIL",
        "ROD_PART",
        "POWER",
        "WEATHER",
        "WORKOVER",
        "OTHER",
    ]
    assert {code for code, _ in DOWNTIME_REASONS} == REASON_CODES
    assert all(label for _, label in DOWNTIME_REASONS)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("PUMP_FAIL", "PUMP_FAIL"),
        ("pump_fail", "PUMP_FAIL"),
        ("  Pump failure ", "PUMP_FAIL"),
        ("rod part", "ROD_PART"),
        ("Power outage", "POWER"),
        ("other", "OTHER"),
        ("Other (see notes)", "OTHER"),
        ("workover", "WORKOVER"),
    ],
)
def test_a_code_in_any_case_or_its_label_gives_the_code(typed: str, code: str) -> None:
    assert reason_code(typed) == code


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_blank_is_no_reason(blank: str | None) -> None:
    assert reason_code(blank) is None


def test_anything_else_is_refused_with_the_codes() -> None:
    with pytest.raises(ValueError, match="'flat_tire' is not a downtime reason") as caught:
        reason_code("flat_tire")
    assert codes_text() in str(caught.value)
    assert codes_text() == "PUMP_FAIL, ROD_PART, POWER, WEATHER, WORKOVER or OTHER"
