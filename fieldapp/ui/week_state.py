"""Qt-free state of production entry: typed text to values in store units, and the 7-day grid.

Shared by the day form and the week grid: the fields, their display units (volumes shown in
the operator's unit system, stored in bbl/Mcf), parsing with messages a person can act on, and
`WeekState`, the grid's cells, what changed, and each day's issues and save outcome.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import ValidationError

from fieldapp.core.production_days import DayOutcome, DayValues, ProductionWeek
from shared.contracts import ProductionRecorded
from shared.downtime import DOWNTIME_REASONS as SHARED_REASONS
from shared.records import production_input
from shared.units import (
    UnitSystem,
    display_labels,
    gas_from_display,
    gas_to_display,
    liquid_from_display,
    liquid_to_display,
)
from shared.validation import (
    Issue,
    Severity,
)

Kind = Literal["liquid", "gas", "hours", "psi", "choke"]
DOWNTIME_REASONS: tuple[tuple[str, str], ...] = (("", "None"), *SHARED_REASONS)  # the choices
REASON_LABELS = dict(DOWNTIME_REASONS)


@dataclass(frozen=True, slots=True)
class NumberField:
    key: str
    label: str  # as in messages and accessible names
    kind: Kind
    required: bool = False
    caption: str = ""  # with its Alt+letter, as above the field


NUMBER_FIELDS: tuple[NumberField, ...] = (
    NumberField("oil_bbl", "Oil", "liquid", True, caption="&Oil"),
    NumberField("gas_mcf", "Gas", "gas", True, caption="&Gas"),
    NumberField("water_bbl", "Water", "liquid", True, caption="&Water"),
    NumberField("hours_on", "Hours on", "hours", caption="&Hours on"),
    NumberField("downtime_hours", "Downtime", "hours", caption="&Downtime"),
    NumberField("tubing_psi", "Tubing pressure", "psi", caption="&Tubing"),
    NumberField("casing_psi", "Casing pressure", "psi", caption="&Casing"),
    NumberField("choke_64ths", "Choke", "choke", caption="C&hoke"),
)
FIELDS = {f.key: f for f in NUMBER_FIELDS}
WEEK_FIELDS: tuple[str, ...] = ("oil_bbl", "gas_mcf", "water_bbl", "hours_on", "downtime_hours")


def unit_label(key: str, system: UnitSystem) -> str:
    liquid, gas = display_labels(system)
    kind = FIELDS[key].kind
    return {"liquid": liquid, "gas": gas, "hours": "h", "psi": "psi", "choke": "64ths"}[kind]


def to_display(key: str, value: float, system: UnitSystem) -> float:
    kind = FIELDS[key].kind
    if kind == "liquid":
        return liquid_to_display(value, system)
    return gas_to_display(value, system) if kind == "gas" else float(value)


def to_store(key: str, value: float, system: UnitSystem) -> float:
    kind = FIELDS[key].kind
    if kind == "liquid":
        return liquid_from_display(value, system)
    return gas_from_display(value, system) if kind == "gas" else float(value)


def number_text(value: float | None, decimals: int = 3) -> str:
    """A value as typed: no thousands separators, trailing zeros trimmed (120.5, 24)."""
    if value is None:
        return ""
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def display_text(key: str, value: float | None, system: UnitSystem) -> str:
    return "" if value is None else number_text(to_display(key, value, system))


def parse_number(text: str, field: str, label: str, required: bool) -> float | Issue | None:
    """The typed number, None when blank and optional, or an error Issue for that field."""
    raw = text.strip()
    if not raw:
        if required:
            return Issue("required", field, Severity.ERROR, f"Enter {label.lower()}; 0 if none.")
        return None
    if "," in raw:
        msg = f"{label}: type the number without commas, with a point for decimals (1250.5)."
        return Issue("not_a_number", field, Severity.ERROR, msg)
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        return Issue("not_a_number", field, Severity.ERROR, f"{label}: '{raw}' is not a number.")
    return value


Original = tuple[str, float | None]  # the text a stored value was shown as, and that value


def parse_values(
    texts: Mapping[str, str],
    system: UnitSystem,
    originals: Mapping[str, Original] | None = None,
) -> tuple[dict[str, float | int | None], list[Issue]]:
    """Typed texts to values in store units, and the issues of the ones that do not parse.

    A text still as it was filled from the store keeps the stored value exactly (a volume
    shown in m³ and saved again must not turn into a correction by rounding)."""
    values: dict[str, float | int | None] = {}
    issues: list[Issue] = []
    for key, text in texts.items():
        spec = FIELDS[key]
        original = (originals or {}).get(key)
        if original is not None and original[1] is not None and original[0] == text:
            values[key] = original[1]
            continue
        parsed = parse_number(text, key, spec.label, spec.required)
        if isinstance(parsed, Issue):
            issues.append(parsed)
        elif parsed is None:
            values[key] = None
        elif spec.kind == "choke":
            if parsed != int(parsed) or not 0 <= parsed <= 256:
                msg = f"Choke: enter whole 64ths of an inch, 0–256 (not {text.strip()})."
                issues.append(Issue("choke_range", key, Severity.ERROR, msg))
            else:
                values[key] = int(parsed)
        else:
            values[key] = to_store(key, parsed, system)
    return values, issues


def shown_values(
    record: Mapping[str, Any] | None, keys: Sequence[str], units: UnitSystem
) -> dict[str, Original]:
    """Each field's stored value and the text it is shown as in `units`."""
    values = {k: (record or {}).get(k) for k in keys}
    return {k: (display_text(k, v, units), v) for k, v in values.items()}


def convert_texts(
    texts: Mapping[str, str], originals: Mapping[str, Original], old: UnitSystem, new: UnitSystem
) -> tuple[dict[str, str], dict[str, Original]]:
    """Texts shown in `old` units, in `new` ones: stored values re-shown, typed numbers
    converted, what does not parse left as typed."""
    values, _ = parse_values(texts, old, originals)
    shown = {k: (display_text(k, v, new), v) for k, (_t, v) in originals.items()}
    return {
        k: display_text(k, values[k], new) if k in values else t for k, t in texts.items()
    }, shown


def build_record(
    well_id: str, day: date, values: Mapping[str, Any], reason: str | None, notes: str
) -> ProductionRecorded | list[Issue]:
    """The record to save, or the contract's objections as issues by field."""
    try:
        return ProductionRecorded(
            well_id=UUID(well_id),
            production_date=day,
            downtime_reason=reason or None,
            notes=notes.strip(),
            **values,
        )
    except ValidationError as exc:
        return [
            Issue("invalid", str(err["loc"][0]) if err["loc"] else "", Severity.ERROR, err["msg"])
            for err in exc.errors()
        ]


def live_head(issues: Sequence[Issue]) -> str | None:
    """The summary above Save while typing (the messages themselves are by the fields)."""
    errors = sum(i.severity == Severity.ERROR for i in issues)
    warnings = sum(i.severity == Severity.WARNING for i in issues)
    if errors:
        return f"Fix the marked fields to save ({_count(errors, 'error')})."
    if warnings:
        count = _count(warnings, "warning")
        return f"Unusual values: {count}, each shown by its field. You can still save."
    return None


def field_marks(issues: Sequence[Issue], field: str) -> tuple[str, str]:
    """("error" | "warning" | "", the words shown by the field) for one field."""
    mine = [i for i in issues if i.field == field and i.severity != Severity.INFO]
    if not mine:
        return "", ""
    tone = "error" if any(i.severity == Severity.ERROR for i in mine) else "warning"
    return tone, "\n".join(f"{tone.capitalize()}: {i.message}" for i in mine)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def saved_head(outcome: str, issues: Sequence[Issue], name: str) -> str:
    """The first line shown after a save: what happened, and how many warnings."""
    if outcome == "unchanged":
        return f"Nothing changed: {name} is already saved with these values."
    head = "Correction saved" if outcome == "corrected" else "Saved"
    warnings = sum(i.severity == Severity.WARNING for i in issues)
    if warnings:
        return f"{head} for {name}. Flagged for review ({_count(warnings, 'warning')}):"
    return f"{head} for {name}."


def flag_issues(flags_json: str | None) -> list[Issue]:
    """A stored record's review flags (JSON) as issues, advice-only ones left out."""
    items = json.loads(flags_json) if flags_json else []
    return [
        Issue(str(f["rule"]), str(f["field"]), Severity(f["severity"]), str(f["message"]))
        for f in items
        if f["severity"] != Severity.INFO
    ]


# --- the 7-day grid -------------------------------------------------------------------------

RowStatus = Literal["empty", "recorded", "changed", "error", "saved", "failed"]
STATUS_WORDS: dict[RowStatus, str] = {
    "empty": "Not recorded",
    "recorded": "Recorded",
    "changed": "Changed, not saved",
    "error": "Fix before saving",
    "saved": "Saved",
    "failed": "Not saved",
}


class WeekState:
    """Rows are the 7 days (oldest first); columns WEEK_FIELDS then the downtime reason."""

    def __init__(self, units: UnitSystem = UnitSystem.FIELD) -> None:
        self.units = units
        self.data: ProductionWeek | None = None
        self.days: list[date] = []
        self._originals: list[dict[str, Original]] = []
        self._texts: list[dict[str, str]] = []
        self._reasons: list[tuple[str, str]] = []  # (stored code, chosen code)
        self._results: dict[date, DayOutcome] = {}
        # typing of days not shown (another well): texts, reason code, the units typed in
        self._stash: dict[tuple[str, date], tuple[dict[str, str], str, UnitSystem]] = {}

    @property
    def columns(self) -> tuple[str, ...]:
        return (*WEEK_FIELDS, "downtime_reason")

    def load(self, data: ProductionWeek | None, saved: Sequence[date] = ()) -> None:
        """Show `data`. What was typed and not saved (days other than `saved`) is put aside
        and comes back when that well's days are shown again."""
        if self.data is not None:
            for i, day in enumerate(self.days):
                if self.is_changed(i) and day not in saved:
                    put = (self._texts[i], self._reasons[i][1], self.units)
                    self._stash[(self.data.well_id, day)] = put
        self.data = data
        self.days = list(data.days) if data else []
        self._originals, self._texts, self._reasons = [], [], []
        for day in self.days:
            stored = data.records.get(day) if data else None
            originals = shown_values(stored, WEEK_FIELDS, self.units)
            self._originals.append(originals)
            self._texts.append({k: v[0] for k, v in originals.items()})
            code = str((stored or {}).get("downtime_reason") or "")
            self._reasons.append((code, code))
            back = self._stash.pop((data.well_id, day), None) if data else None
            if back is not None:
                texts, chosen, units = back
                if units != self.units:
                    texts = convert_texts(texts, {}, units, self.units)[0]
                self._texts[-1], self._reasons[-1] = dict(texts), (code, chosen)

    def set_units(self, units: UnitSystem) -> None:
        """Re-show stored values in `units`; typed numbers are converted, not retyped."""
        for i, texts in enumerate(self._texts):
            self._texts[i], self._originals[i] = convert_texts(
                texts, self._originals[i], self.units, units
            )
        self.units = units

    # --- cells ------------------------------------------------------------------------------

    def text(self, row: int, column: int) -> str:
        key = self.columns[column]
        if key == "downtime_reason":
            return self._reasons[row][1]
        return self._texts[row][key]

    def set_text(self, row: int, column: int, text: str) -> bool:
        key = self.columns[column]
        if key == "downtime_reason":
            if self._reasons[row][1] == text:
                return False
            self._reasons[row] = (self._reasons[row][0], text)
        else:
            if self._texts[row][key] == text:
                return False
            self._texts[row][key] = text
        self._results.pop(self.days[row], None)
        return True

    def is_changed(self, row: int) -> bool:
        texts, originals = self._texts[row], self._originals[row]
        stored_code, code = self._reasons[row]
        return code != stored_code or any(texts[k] != originals[k][0] for k in WEEK_FIELDS)

    def is_recorded(self, row: int) -> bool:
        return self.data is not None and self.days[row] in self.data.records

    def dirty_count(self) -> int:
        """Days typed and not saved: shown ones and those put aside."""
        return sum(self.is_changed(i) for i in range(len(self.days))) + len(self._stash)

    # --- checks and saving ------------------------------------------------------------------

    def _parsed(self, row: int) -> tuple[dict[str, float | int | None], list[Issue]]:
        return parse_values(self._texts[row], self.units, self._originals[row])

    def issues(self, row: int) -> list[Issue]:
        """For a changed row: what stops it or is unusual; otherwise its last save's issues."""
        if not self.is_changed(row):
            result = self._results.get(self.days[row])
            return list(result.issues) if result else []
        values, problems = self._parsed(row)
        if problems or self.data is None:
            return problems
        reason = self._reasons[row][1] or None
        rec = production_input(self.days[row], {**values, "downtime_reason": reason})
        return self.data.context.validate(rec)

    def status(self, row: int) -> RowStatus:
        result = self._results.get(self.days[row])
        if self.is_changed(row):
            if any(i.severity == Severity.ERROR for i in self.issues(row)):
                return "failed" if result and result.outcome == "failed" else "error"
            return "changed"
        if result is not None and result.outcome != "failed":
            return "saved"
        return "recorded" if self.is_recorded(row) else "empty"

    def status_text(self, row: int) -> str:
        words = STATUS_WORDS[self.status(row)]
        issues = [i for i in self.issues(row) if i.severity != Severity.INFO]
        return f"{words}: {issues[0].message}" if issues else words

    def rows_to_save(self) -> list[DayValues]:
        """The changed days without errors, in store units (the others wait, marked)."""
        out = []
        for i, day in enumerate(self.days):
            if not self.is_changed(i) or any(e.severity == Severity.ERROR for e in self.issues(i)):
                continue
            values, _problems = self._parsed(i)
            out.append(DayValues(day, values, self._reasons[i][1]))
        return out

    def blocked_rows(self) -> list[int]:
        return [i for i in range(len(self.days)) if self.status(i) in ("error", "failed")]

    def apply_outcomes(self, outcomes: Sequence[DayOutcome], data: ProductionWeek) -> None:
        """After Save all: refused days keep their typing and say why; the rest reload."""
        self.load(data, saved=[o.day for o in outcomes if o.outcome != "failed"])
        self._results = {o.day: o for o in outcomes}
