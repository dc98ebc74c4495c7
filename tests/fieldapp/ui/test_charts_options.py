"""The Charts screen's choices: checked when made, metrics kept in a fixed order."""

from __future__ import annotations

from datetime import date

import pytest

from fieldapp.ui.charts_options import ChartOptions


def test_defaults_and_toggles_keep_the_metric_order() -> None:
    options = ChartOptions()
    assert (options.range_key, options.metrics, options.rates) == (
        "90",
        ("oil", "gas", "water"),
        True,
    )
    fewer = options.toggled("oil", False)
    assert fewer.metrics == ("gas", "water")
    assert fewer.toggled("oil", True).metrics == ("oil", "gas", "water")
    assert ChartOptions(metrics=("water", "oil")).metrics == ("oil", "water")
    assert options.with_(cumulative=True).mode_words == "cumulative volumes"
    assert options.with_(rates=False).mode_words == "daily volumes"


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"range_key": "7"}, "unknown range"),
        ({"range_key": "custom"}, "needs its first and last day"),
        ({"range_key": "custom", "custom": (date(2026, 2, 1), date(2026, 1, 1))}, "not a range"),
        ({"metrics": ("oil", "condensate")}, "unknown metric 'condensate'"),
    ],
)
def test_impossible_choices_are_refused(changes: dict[str, object], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        ChartOptions().with_(**changes)
