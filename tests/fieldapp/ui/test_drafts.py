"""DraftShelf: typing put aside per well-day comes back once, in the units shown now."""

from __future__ import annotations

from datetime import date

from fieldapp.ui.drafts import DraftShelf
from shared.units import UnitSystem

TARGET = ("well-1", date(2026, 3, 4))


def test_a_draft_comes_back_once() -> None:
    shelf = DraftShelf()
    shelf.put(TARGET, ({"oil_bbl": "12"}, "POWER", "storm"), UnitSystem.FIELD, {})
    assert len(shelf) == 1 and TARGET in shelf
    assert shelf.take(TARGET, UnitSystem.FIELD) == ({"oil_bbl": "12"}, "POWER", "storm")
    assert shelf.take(TARGET, UnitSystem.FIELD) is None
    assert len(shelf) == 0


def test_typed_numbers_are_converted_and_untouched_values_reshown_exactly() -> None:
    shelf = DraftShelf()
    originals = {"oil_bbl": ("", None), "gas_mcf": ("300", 300.0)}
    shelf.put(TARGET, ({"oil_bbl": "100", "gas_mcf": "300"}, "", ""), UnitSystem.FIELD, originals)
    texts, _reason, _notes = shelf.take(TARGET, UnitSystem.METRIC)  # type: ignore[misc]
    assert texts["oil_bbl"] == "15.899"  # typed: 100 bbl converted
    assert texts["gas_mcf"] == "8495.054"  # stored 300 Mcf re-shown in m³


def test_forget_drops_a_draft() -> None:
    shelf = DraftShelf()
    shelf.put(TARGET, ({}, "", ""), UnitSystem.FIELD, {})
    shelf.forget(TARGET)
    assert TARGET not in shelf
