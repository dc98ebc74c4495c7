"""Tests for US API well number parsing and validation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.api_number import (
    KNOWN_EVEN_COUNTIES,
    OFFSHORE_STATE_CODES,
    STATE_CODES,
    ApiNumber,
    ApiNumberError,
    api_number_issues,
    normalize_api_number,
    parse_api_number,
)
from shared.validation import Severity

props = settings(database=None, deadline=None)


def test_parse_full_14_digit_number() -> None:
    api = parse_api_number("42-501-20130-03-00")
    assert api == ApiNumber("42", "501", "20130", "03", "00")
    assert api.normalized == "42501201300300"
    assert api.formatted == "42-501-20130-03-00"
    assert str(api) == "42-501-20130-03-00"
    assert api.state_name == "Texas"
    assert not api.county_is_even
    assert api.well_origin == "4250120130"


@pytest.mark.parametrize(
    ("text", "normalized", "formatted"),
    [
        ("4250120130", "4250120130", "42-501-20130"),
        ("  42-501-20130  ", "4250120130", "42-501-20130"),
        ("42 501 20130 03", "425012013003", "42-501-20130-03"),
        ("425012013003", "425012013003", "42-501-20130-03"),
        ("42501201300300", "42501201300300", "42-501-20130-03-00"),
        ("4-2501-2013-0", "4250120130", "42-501-20130"),  # dashes anywhere are separators
        ("42\u2013501\u201320130", "4250120130", "42-501-20130"),  # en dashes from a word processor
        ("05-123-00000", "0512300000", "05-123-00000"),  # unique well 00000 is allowed
    ],
)
def test_accepted_forms(text: str, normalized: str, formatted: str) -> None:
    api = parse_api_number(text)
    assert api.normalized == normalized
    assert api.formatted == formatted
    assert normalize_api_number(text) == normalized
    assert api_number_issues(text) == []


def test_lengths_set_optional_parts() -> None:
    assert parse_api_number("4250120130").sidetrack is None
    assert parse_api_number("4250120130").event is None
    assert parse_api_number("425012013003").sidetrack == "03"
    assert parse_api_number("425012013003").event is None
    assert parse_api_number("42501201300301").event == "01"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("42-50A-20130", "'A'"),
        ("42.501.20130", "'.'"),
        ("42/501/20130", "'/'"),
        ("42-501-20130\t", None),  # trailing whitespace is stripped, so this one is fine
        ("425012013", "9 digits"),
        ("42501201300", "11 digits"),
        ("4250120130030", "13 digits"),
        ("425012013003000", "15 digits"),
        ("99-501-20130", "unknown state code 99"),
        ("52-001-00001", "unknown state code 52"),
        ("00-001-00001", "unknown state code 00"),
        ("42-000-20130", "county code 000"),
        ("٤٢٥٠١٢٠١٣٠", "only digits"),  # non-ASCII digits are not API digits
        ("４２５０１２０１３０", "only digits"),  # full-width digits neither
    ],
)
def test_rejected_forms(text: str, fragment: str | None) -> None:
    if fragment is None:
        assert api_number_issues(text) == []
        return
    with pytest.raises(ApiNumberError, match=fragment):
        parse_api_number(text)
    issues = api_number_issues(text)
    assert len(issues) == 1
    assert issues[0].rule == "api_number"
    assert issues[0].field == "api_number"
    assert issues[0].severity is Severity.ERROR
    assert fragment in issues[0].message
    assert "\n" not in issues[0].message


def test_unknown_state_message_matches_design_example() -> None:
    with pytest.raises(ApiNumberError) as info:
        parse_api_number("9950120130")
    assert str(info.value) == "API number '9950120130' has unknown state code 99"


def test_api_number_error_is_value_error() -> None:
    with pytest.raises(ValueError, match="digits"):
        normalize_api_number("12345")


def test_state_code_table() -> None:
    assert len(STATE_CODES) == 55
    assert STATE_CODES["01"] == "Alabama"
    assert STATE_CODES["08"] == "District of Columbia"
    assert STATE_CODES["17"] == "Louisiana"
    assert STATE_CODES["30"] == "New Mexico"
    assert STATE_CODES["35"] == "Oklahoma"
    assert STATE_CODES["42"] == "Texas"
    assert STATE_CODES["49"] == "Wyoming"
    assert STATE_CODES["50"] == "Alaska"
    assert STATE_CODES["51"] == "Hawaii"
    assert STATE_CODES["55"] == "Alaska Offshore"
    assert STATE_CODES["56"] == "Pacific Coast Offshore"
    assert STATE_CODES["60"] == "Northern Gulf of Mexico"
    assert STATE_CODES["61"] == "Atlantic Coast Offshore"
    assert all(f"{n:02d}" in STATE_CODES for n in range(1, 52))
    assert not {"00", "52", "53", "54", "57", "62"} & STATE_CODES.keys()


def test_even_county_is_a_warning() -> None:
    issues = api_number_issues("42-500-20130")
    assert len(issues) == 1
    issue = issues[0]
    assert issue.rule == "api_county_parity"
    assert issue.field == "api_number"
    assert issue.severity is Severity.WARNING
    assert "500" in issue.message
    assert parse_api_number("42-500-20130").county_is_even


@pytest.mark.parametrize("text", ["02-012-00001", "30-006-20001", "05-014-06000", "04-030-12345"])
def test_known_even_counties_do_not_warn(text: str) -> None:
    assert parse_api_number(text).county_is_even
    assert api_number_issues(text) == []


def test_offshore_areas_do_not_get_parity_warning() -> None:
    assert api_number_issues("60-242-12345") == []
    assert parse_api_number("60-242-12345").state_name == "Northern Gulf of Mexico"


def test_direct_construction_is_validated() -> None:
    with pytest.raises(ApiNumberError, match="exactly 3 digits"):
        ApiNumber("42", "5012", "20130")
    with pytest.raises(ApiNumberError, match="sidetrack"):
        ApiNumber("42", "501", "20130", None, "00")
    with pytest.raises(ApiNumberError, match="unknown state code"):
        ApiNumber("98", "501", "20130")


# ----------------------------------------------------------------------------- properties

state_codes = st.sampled_from(sorted(STATE_CODES))
odd_counties = st.integers(0, 499).map(lambda n: f"{2 * n + 1:03d}")
wells = st.integers(0, 99_999).map(lambda n: f"{n:05d}")
pairs = st.integers(0, 99).map(lambda n: f"{n:02d}")


@st.composite
def api_numbers(draw: st.DrawFn) -> ApiNumber:
    sidetrack = draw(st.none() | pairs)
    event = draw(st.none() | pairs) if sidetrack is not None else None
    return ApiNumber(draw(state_codes), draw(odd_counties), draw(wells), sidetrack, event)


@props
@given(api_numbers(), st.sampled_from(["-", " ", ""]))
def test_round_trip_with_and_without_separators(api: ApiNumber, sep: str) -> None:
    text = sep.join(api.formatted.split("-"))
    parsed = parse_api_number(text)
    assert parsed == api
    assert parse_api_number(parsed.formatted) == api
    assert parse_api_number(parsed.normalized) == api
    expected_len = 10 + (2 if api.sidetrack else 0) + (2 if api.event else 0)
    assert len(parsed.normalized) == expected_len
    assert parsed.normalized.isdigit()
    assert parsed.formatted.replace("-", "") == parsed.normalized
    assert api_number_issues(text) == []


@props
@given(api_numbers())
def test_even_county_always_warns_on_land(api: ApiNumber) -> None:
    even = f"{int(api.county_code) - 1:03d}"
    if even == "000" or api.state_code in OFFSHORE_STATE_CODES:
        return
    if (api.state_code, even) in KNOWN_EVEN_COUNTIES:
        return
    text = api.state_code + even + api.unique_well
    assert [i.rule for i in api_number_issues(text)] == ["api_county_parity"]


@props
@given(
    st.text(alphabet="0123456789- ", min_size=0, max_size=20),
    st.characters(categories=["Lu", "Ll"]),
    st.integers(0, 20),
)
def test_any_letter_is_rejected(base: str, letter: str, pos: int) -> None:
    text = base[:pos] + letter + base[pos:]
    with pytest.raises(ApiNumberError):
        parse_api_number(text)
    assert [i.severity for i in api_number_issues(text)] == [Severity.ERROR]


@props
@given(st.sampled_from([11, 13]), st.data())
def test_11_or_13_digits_are_rejected(length: int, data: st.DataObject) -> None:
    digits = data.draw(st.text(alphabet="0123456789", min_size=length, max_size=length))
    dashed = data.draw(st.booleans())
    text = "-".join(digits[i : i + 3] for i in range(0, len(digits), 3)) if dashed else digits
    with pytest.raises(ApiNumberError, match=f"{length} digits"):
        parse_api_number(text)


@props
@given(st.text(max_size=30) | st.text(alphabet="0123456789-\n ", max_size=20))
def test_parser_never_raises_anything_else(text: str) -> None:
    issues = api_number_issues(text)  # would propagate any exception other than ApiNumberError
    assert len(issues) <= 1
    for issue in issues:
        assert issue.message
        assert "\n" not in issue.message
    if not issues or issues[0].severity is Severity.WARNING:
        api = parse_api_number(text)
        assert len(api.normalized) in (10, 12, 14)
        assert api.state_code in STATE_CODES
