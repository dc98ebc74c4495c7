"""`fieldapp well add` and `well list` (docs/design.md §7)."""

from __future__ import annotations

import json

import pytest
from clikit import NORM_A, NORM_B, RoundTrip, ok


def test_well_add_reports_the_normalised_well_and_list_shows_every_detail(
    round_trip: RoundTrip,
) -> None:
    assert NORM_A in round_trip.added.stdout
    assert "Smith 1" in round_trip.added.stdout

    listed = {w["api_number"]: w for w in json.loads(ok(round_trip.wells).stdout)}
    assert set(listed) == {NORM_A, NORM_B}
    assert listed[NORM_A]["name"] == "Smith 1"
    assert listed[NORM_A]["lease"] == "Smith Ranch"
    assert listed[NORM_A]["field"] == "Spraberry"
    assert listed[NORM_A]["latitude"] == pytest.approx(31.95)
    assert listed[NORM_A]["longitude"] == pytest.approx(-102.15)
