"""The validation thresholds: an organization setting (docs/design.md §6.2).

Admins set them on the server (`sync-server org settings`, `PATCH /api/v1/settings/validation`);
devices fetch them with every sync and keep them in their store, so the form, the import and the
server check a record against the same numbers. This module holds the values, their defaults,
what each may be, and the parsing shared by the command line, the endpoint and the device.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Per-organization validation settings; the defaults are the design's."""

    max_oil_bbl: float = 10_000.0  # above: a warning ("the organization's usual maximum")
    max_gas_mcf: float = 100_000.0
    max_water_bbl: float = 50_000.0
    day_change_pct: float = 20.0  # oil rate vs the previous producing day
    median_high_ratio: float = 3.0  # robust check: the rate is this many times the median ...
    median_low_ratio: float = 0.3  # ... or this fraction of it, and
    zscore_limit: float = 3.5  # ... |robust z| (median/MAD) is above this
    gor_jump_pct: float = 50.0
    water_cut_jump_points: float = 20.0
    rate_min_hours: float = 4.0  # day-over-day needs both days on at least this long
    history_days: int = 30
    timezone: str = "America/Chicago"


DEFAULT_THRESHOLDS = Thresholds()
KEYS: tuple[str, ...] = tuple(f.name for f in fields(Thresholds))

# key -> (smallest, largest, whether the bounds themselves are allowed)
_RANGES: dict[str, tuple[float, float, bool]] = {
    "max_oil_bbl": (0.0, math.inf, False),
    "max_gas_mcf": (0.0, math.inf, False),
    "max_water_bbl": (0.0, math.inf, False),
    "day_change_pct": (0.0, math.inf, False),
    "median_high_ratio": (1.0, math.inf, False),
    "median_low_ratio": (0.0, 1.0, False),
    "zscore_limit": (0.0, math.inf, False),
    "gor_jump_pct": (0.0, math.inf, False),
    "water_cut_jump_points": (0.0, 100.0, False),
    "rate_min_hours": (0.0, 24.0, True),
    "history_days": (5.0, 366.0, True),
}


class SettingError(ValueError):
    """An unknown setting or a value it cannot take (one line, naming the key)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.reason = message


def _describe(key: str) -> str:
    low, high, closed = _RANGES[key]
    kind = "a whole number" if key == "history_days" else "a number"
    if high == math.inf:
        return f"{kind} above {low:g}"
    if closed:
        return f"{kind} from {low:g} to {high:g}"
    return f"{kind} between {low:g} and {high:g}"


def check_setting(key: str, value: Any) -> float | int | str:
    """`value` as the type of `key`, or SettingError (unknown key, wrong type, out of range)."""
    if key not in KEYS:
        raise SettingError(key, f"unknown setting (known: {', '.join(KEYS)})")
    if key == "timezone":
        if not isinstance(value, str) or not value:
            raise SettingError(key, "must be an IANA time zone name such as America/Chicago")
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingError(key, f"unknown time zone {value!r}") from None
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SettingError(key, f"must be {_describe(key)}")
    number = float(value)
    low, high, closed = _RANGES[key]
    inside = low <= number <= high if closed else low < number < high
    if not math.isfinite(number) or not inside:
        raise SettingError(key, f"must be {_describe(key)}, not {value!r}")
    if key == "history_days":
        if number != int(number):
            raise SettingError(key, f"must be {_describe(key)}, not {value!r}")
        return int(number)
    return number


def parse_assignment(text: str) -> tuple[str, float | int | str]:
    """`KEY=VALUE` from a command line, checked: ("max_oil_bbl", 40000.0)."""
    key, sep, raw = text.partition("=")
    key, raw = key.strip(), raw.strip()
    if not sep or not key:
        raise SettingError(text, "expected KEY=VALUE")
    if key == "timezone":
        return key, check_setting(key, raw)
    try:
        number: float | int = int(raw) if raw.lstrip("+-").isdigit() else float(raw)
    except ValueError:
        if key not in KEYS:
            raise SettingError(key, f"unknown setting (known: {', '.join(KEYS)})") from None
        raise SettingError(key, f"must be {_describe(key)}, not {raw!r}") from None
    return key, check_setting(key, number)


def with_settings(base: Thresholds, values: Mapping[str, Any]) -> Thresholds:
    """`base` with every valid known setting of `values`; unknown keys (a newer server's) and
    values this version cannot take keep `base`'s value, so a stored or pulled setting never
    stops the store from opening."""
    changes: dict[str, Any] = {}
    for key, value in values.items():
        try:
            changes[key] = check_setting(key, value)
        except SettingError:
            continue
    return replace(base, **changes) if changes else base


def as_settings(thresholds: Thresholds) -> dict[str, Any]:
    """Every threshold as a JSON object (the settings endpoint's body)."""
    return asdict(thresholds)


def settings_etag(thresholds: Thresholds) -> str:
    """A strong ETag of the settings: the SHA-256 of their sorted JSON."""
    body = json.dumps(as_settings(thresholds), sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def differences(thresholds: Thresholds) -> dict[str, Any]:
    """The settings that differ from the defaults (what an organization stores)."""
    default = as_settings(DEFAULT_THRESHOLDS)
    return {k: v for k, v in as_settings(thresholds).items() if default[k] != v}


class ValidationSettings(BaseModel):
    """The thresholds in force for an organization (`GET /api/v1/settings/validation`)."""

    model_config = ConfigDict(extra="ignore")  # a newer server may know more settings

    max_oil_bbl: float = Field(description="Oil above this (bbl/day) is warned")
    max_gas_mcf: float = Field(description="Gas above this (Mcf/day) is warned")
    max_water_bbl: float = Field(description="Water above this (bbl/day) is warned")
    day_change_pct: float = Field(description="Oil rate change vs the last producing day, %")
    median_high_ratio: float = Field(description="Robust check: rate above this x the median")
    median_low_ratio: float = Field(description="Robust check: rate below this x the median")
    zscore_limit: float = Field(description="Robust check: |median/MAD z| above this")
    gor_jump_pct: float = Field(description="Gas-oil ratio vs the window's median, %")
    water_cut_jump_points: float = Field(description="Water cut vs the last producing day")
    rate_min_hours: float = Field(description="Day-over-day needs both days on this long, h")
    history_days: int = Field(description="Days of history the trend rules look back")
    timezone: str = Field(description="The organization's IANA time zone")


class ValidationSettingsChange(BaseModel):
    """`PATCH /api/v1/settings/validation`: the settings to change; `null` puts a threshold
    back to its default."""

    model_config = ConfigDict(extra="forbid", strict=True)

    max_oil_bbl: float | None = None
    max_gas_mcf: float | None = None
    max_water_bbl: float | None = None
    day_change_pct: float | None = None
    median_high_ratio: float | None = None
    median_low_ratio: float | None = None
    zscore_limit: float | None = None
    gor_jump_pct: float | None = None
    water_cut_jump_points: float | None = None
    rate_min_hours: float | None = None
    history_days: int | None = None
    timezone: str | None = None


def changed(base: Thresholds, change: Mapping[str, Any]) -> Thresholds:
    """`base` with `change` applied (None: back to the default); SettingError naming the first
    key that is unknown or cannot take its value."""
    values: dict[str, Any] = {}
    for key, value in change.items():
        if value is None:
            if key == "timezone":
                raise SettingError(key, "an organization always has a time zone")
            if key not in KEYS:
                raise SettingError(key, f"unknown setting (known: {', '.join(KEYS)})")
            values[key] = getattr(DEFAULT_THRESHOLDS, key)
        else:
            values[key] = check_setting(key, value)
    return replace(base, **values)
