"""The downtime reason codes: one list for the form, the 7-day grid, the command line, CSV
import, the server's validation and the demo (docs/design.md §6).

A record with downtime names one of these codes. The command line and CSV import also take a
code in any case or the words of its label ("pump failure" → PUMP_FAIL) and store the code.
"""

from __future__ import annotations

DOWNTIME_REASONS: tuple[tuple[str, str], ...] = (
    ("PUMP_FAIL", "Pump failure"),
    ("ROD_PART", "Rod part"),
    ("POWER", "Power outage"),
    ("WEATHER", "Weather"),
    ("WORKOVER", "Workover"),
    ("OTHER", "Other (see notes)"),
)
REASON_CODES: frozenset[str] = frozenset(code for code, _ in DOWNTIME_REASONS)
REASON_LABELS: dict[str, str] = dict(DOWNTIME_REASONS)
_BY_WORDS = {
    **{code.casefold(): code for code in REASON_CODES},
    **{label.casefold(): code for code, label in DOWNTIME_REASONS},
    **{label.split(" (")[0].casefold(): code for code, label in DOWNTIME_REASONS},
}


def reason_code(text: str | None) -> str | None:
    """The code `text` names (a code in any case, or its label's words), None when blank.

    Raises ValueError naming the codes when `text` names none of them."""
    words = " ".join((text or "").split())
    if not words:
        return None
    code = _BY_WORDS.get(words.casefold()) or _BY_WORDS.get(words.replace(" ", "_").casefold())
    if code is None:
        raise ValueError(f"'{words}' is not a downtime reason; use one of {codes_text()}")
    return code


def codes_text() -> str:
    """The codes as a list for messages and help: PUMP_FAIL, ROD_PART, … or OTHER."""
    codes = [code for code, _ in DOWNTIME_REASONS]
    return ", ".join(codes[:-1]) + f" or {codes[-1]}"
