"""How the 7-day grid shows a column of numbers: one number of decimals down the column, and a
dash where a recorded day did not report a value.

Typed text is kept as typed (`WeekState.text`); this is only the shown text, so a column reads
253.4 / 213.0 / 333.5 instead of 253.4 / 213 / 333.45, and a recorded day without downtime reads
"—" instead of a blank that looks like a value still to type. Decimals follow the column's most
precise value, from 1 (volumes) or 0 (hours) up to 2, so no stored digit is hidden beyond that.
"""

from __future__ import annotations

from collections.abc import Sequence

NOT_REPORTED = "—"
MAX_DECIMALS = 2
_MIN_DECIMALS = {"oil_bbl": 1, "gas_mcf": 1, "water_bbl": 1}  # hours: 0


def _decimals(text: str) -> int:
    _, dot, tail = text.partition(".")
    return len(tail.rstrip("0")) if dot else 0


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def column_texts(key: str, texts: Sequence[str], recorded: Sequence[bool]) -> list[str]:
    """The shown text of each row of one numeric column (`texts` as typed or stored)."""
    numbers = [_number(t.strip()) if t.strip() else None for t in texts]
    places = [_decimals(t.strip()) for t, n in zip(texts, numbers, strict=True) if n is not None]
    decimals = min(max([_MIN_DECIMALS.get(key, 0), *places]), MAX_DECIMALS)
    shown: list[str] = []
    for text, number, was_recorded in zip(texts, numbers, recorded, strict=True):
        if number is not None:
            shown.append(f"{number:.{decimals}f}")
        elif not text.strip():
            shown.append(NOT_REPORTED if was_recorded else "")
        else:
            shown.append(text)  # not a number (being fixed): as typed, so the error reads right
    return shown
