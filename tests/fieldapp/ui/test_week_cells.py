"""The 7-day grid's shown numbers: consistent decimals down a column, a dash for not reported."""

from __future__ import annotations

from fieldapp.ui.week_cells import NOT_REPORTED, column_texts


def test_volumes_share_the_column_decimals_from_one_up_to_two() -> None:
    texts = ["253.4", "213", "333.45", "271"]
    assert column_texts("gas_mcf", texts, [True] * 4) == ["253.40", "213.00", "333.45", "271.00"]
    assert column_texts("oil_bbl", ["253.4", "213", "271"], [True] * 3) == [
        "253.4",
        "213.0",
        "271.0",
    ]


def test_more_than_two_decimals_are_rounded_for_display_only() -> None:
    assert column_texts("water_bbl", ["1.2345", "2"], [True, True]) == ["1.23", "2.00"]


def test_hours_show_whole_numbers_unless_a_day_has_a_fraction() -> None:
    assert column_texts("hours_on", ["24", "24", "23"], [True] * 3) == ["24", "24", "23"]
    assert column_texts("hours_on", ["24", "23.5"], [True, True]) == ["24.0", "23.5"]


def test_a_recorded_day_without_the_value_shows_a_dash_an_open_day_stays_blank() -> None:
    shown = column_texts("downtime_hours", ["0", "", ""], [True, True, False])
    assert shown == ["0", NOT_REPORTED, ""]


def test_text_that_is_not_a_number_is_shown_as_typed() -> None:
    assert column_texts("oil_bbl", ["12x", "10"], [False, True]) == ["12x", "10.0"]
