"""The fix form of a rejected record without Qt: the fields it offers prefilled, and the typed
fixes parsed back into stored values (or refused with a reason)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from fieldapp.core.rejections import OpenRejection, Rejection
from fieldapp.ui.sync_fix_state import YES_NO, fix_fields, parse_fix, parse_fixes
from shared.units import UnitSystem


def open_rejection(reasons: list[dict[str, str]], **payload: Any) -> OpenRejection:
    values = {"oil_bbl": -5.0, "gas_mcf": 10.0, "water_bbl": 1.0, "notes": "typo", **payload}
    rejection = Rejection(
        7, "e7", "production.recorded", "r7", values, reasons, "2026-12-01T10:00:00Z", None
    )
    fixable = tuple(r["field"] for r in reasons if r.get("field")) or ("oil_bbl", "gas_mcf")
    return OpenRejection(rejection, "Spraberry 2", "2026-11-29", values, fixable, True)


def refused(event_type: str, values: dict[str, Any], fixable: tuple[str, ...]) -> OpenRejection:
    reasons = [{"rule": "payload", "field": f, "message": f"bad {f}"} for f in fixable]
    rejection = Rejection(7, "e7", event_type, "r7", values, reasons, "t", None)
    return OpenRejection(rejection, "Spraberry 2", "2026-11-29", values, fixable, True)


def test_the_fix_form_offers_the_refused_fields_prefilled_with_the_server_reason() -> None:
    reasons = [{"rule": "volume_negative", "field": "oil_bbl", "message": "negative oil"}]
    shown = open_rejection(reasons)
    (oil,) = fix_fields(shown, UnitSystem.FIELD)
    assert (oil.name, oil.label, oil.text, oil.reason, oil.choices) == (
        "oil_bbl",
        "Oil (bbl)",
        "-5",
        "negative oil",
        (),
    )


@pytest.mark.parametrize(
    ("texts", "fixes", "problems"),
    [
        ({"oil_bbl": "5"}, {"oil_bbl": 5.0}, {}),
        ({"oil_bbl": "1,250"}, {}, {"oil_bbl": "not a number"}),
        ({"oil_bbl": "lots"}, {}, {"oil_bbl": "not a number"}),
        ({"oil_bbl": " "}, {}, {"oil_bbl": "Enter oil"}),
        ({"hours_on": ""}, {"hours_on": None}, {}),
        ({"choke_64ths": "12"}, {"choke_64ths": 12}, {}),
        ({"choke_64ths": "12.5"}, {}, {"choke_64ths": "whole number"}),
        ({"notes": " re-gauged "}, {"notes": "re-gauged"}, {}),
        ({"cost": "120.5"}, {"cost": 120.5}, {}),
        ({"cost": ""}, {"cost": None}, {}),
        ({"cost": "cheap"}, {}, {"cost": "not a number"}),
        ({"performed_on": "2026-11-20"}, {"performed_on": "2026-11-20"}, {}),
        ({"performed_on": ""}, {}, {"performed_on": "Enter date performed"}),
        ({"next_due": "20/11/2026"}, {}, {"next_due": "is not a day"}),
        ({"next_due": ""}, {"next_due": None}, {}),
        ({"occurred_at": "noon"}, {}, {"occurred_at": "not a date and time"}),
        ({"severity": "low"}, {"severity": "low"}, {}),
        ({"injuries": "yes"}, {"injuries": True}, {}),
        (
            {"regulatory_notification_required": "no"},
            {"regulatory_notification_required": False},
            {},
        ),
        ({"equipment_type": " Rod pump "}, {"equipment_type": "Rod pump"}, {}),
        ({"downtime_reason": " "}, {"downtime_reason": None}, {}),
    ],
)
def test_typed_fixes_are_parsed_or_refused_with_a_reason(
    texts: dict[str, str], fixes: dict[str, Any], problems: dict[str, str]
) -> None:
    got, found = parse_fixes(texts, UnitSystem.FIELD)
    assert got == fixes
    assert set(found) == set(problems)
    for name, fragment in problems.items():
        assert fragment in found[name]


def test_a_fix_typed_in_cubic_metres_is_resubmitted_in_barrels() -> None:
    shown = open_rejection([{"rule": "r", "field": "oil_bbl", "message": "m"}], oil_bbl=62.9)
    (oil,) = fix_fields(shown, UnitSystem.METRIC)
    assert (oil.label, oil.text) == ("Oil (m³)", "10")
    fixes, _ = parse_fixes({"oil_bbl": "10"}, UnitSystem.METRIC)
    assert fixes["oil_bbl"] == pytest.approx(62.898, abs=0.001)


def test_an_untouched_prefilled_fix_keeps_the_stored_value_exactly() -> None:
    shown = {"oil_bbl": ("27.553", 173.3), "gas_mcf": ("10", 10.0)}
    fixes, problems = parse_fixes({"oil_bbl": "27.553", "gas_mcf": "12"}, UnitSystem.METRIC, shown)
    assert problems == {}
    assert fixes["oil_bbl"] == 173.3  # not 173.3 rounded through m³ and back
    assert fixes["gas_mcf"] == pytest.approx(12 / 28.316846592)  # typed: m³ back to Mcf


def test_an_incident_offers_lists_to_choose_from_and_its_time_in_the_laptops_zone() -> None:
    values = {
        "incident_type": "flare_out",
        "severity": "extreme",
        "occurred_at": "2026-11-18T13:00:00Z",
        "injuries": True,
        "description": "",
    }
    shown = refused(
        "incident.reported", values, ("incident_type", "severity", "occurred_at", "injuries")
    )
    kind, severity, when, injuries = fix_fields(shown, UnitSystem.FIELD)
    assert (kind.text, kind.choices[0]) == ("flare_out", ("flare_out", "flare_out"))
    assert ("spill", "Spill") in kind.choices  # the known types follow what was refused
    assert severity.choices[0] == ("extreme", "extreme") and ("low", "Low") in severity.choices
    assert severity.reason == "bad severity"
    local = datetime.fromisoformat("2026-11-18T13:00:00+00:00").astimezone()
    assert (when.label, when.text) == ("When it happened", f"{local:%Y-%m-%d %H:%M}")
    assert (injuries.text, injuries.choices) == ("yes", YES_NO)
    typed, problem = parse_fix("occurred_at", when.text, UnitSystem.FIELD)
    assert problem == "" and datetime.fromisoformat(typed) == local
    untouched, _ = parse_fixes(
        {"occurred_at": when.text},
        UnitSystem.FIELD,
        {"occurred_at": (when.text, values["occurred_at"])},
    )
    assert untouched == {"occurred_at": "2026-11-18T13:00:00Z"}


def test_equipment_and_maintenance_fields_are_prefilled_as_sent() -> None:
    equipment = refused(
        "equipment.added",
        {"status": "operational", "installed_on": None},
        ("status", "installed_on"),
    )
    status, installed = fix_fields(equipment, UnitSystem.FIELD)
    assert status.text == "operational" and ("maintenance", "In maintenance") in status.choices
    assert (installed.label, installed.text, installed.choices) == ("Installed on", "", ())
    work = refused(
        "maintenance.logged",
        {"cost": -120.0, "performed_on": "2026-11-17"},
        ("performed_on", "cost"),
    )
    day, cost = fix_fields(work, UnitSystem.METRIC)
    assert (day.label, day.text) == ("Date performed", "2026-11-17")
    assert (cost.label, cost.text) == ("Cost", "-120")  # money is not converted with the units
