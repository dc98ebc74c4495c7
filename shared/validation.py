"""Production validation rules (docs/design.md §6), shared by the desktop form, CSV import and
server.

Pure code: no I/O, no database, no clock reads except :func:`org_today`. Errors block saving,
warnings save the record with a review flag. Imports validate tens of thousands of rows a second,
so the hot path uses plain arithmetic (no :mod:`statistics`), cached day lengths and, optionally,
a :class:`WellHistory` whose trailing window is two bisections and a slice.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from operator import mul
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.history import DayVolumes, WellHistory

__all__ = ["DayVolumes", "WellHistory"]  # re-exported: callers build histories for the rules


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Issue:
    rule: str
    field: str
    severity: Severity
    message: str


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Per-organization validation settings; defaults from the design."""

    max_oil_bbl: float = 10_000.0
    max_gas_mcf: float = 100_000.0
    max_water_bbl: float = 50_000.0
    day_change_pct: float = 20.0
    median_high_ratio: float = 3.0
    median_low_ratio: float = 0.3
    zscore_limit: float = 2.0
    gor_jump_pct: float = 50.0
    water_cut_jump_points: float = 20.0
    timezone: str = "America/Chicago"
    history_days: int = 30


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True, slots=True)
class ProductionInput:
    production_date: date
    oil_bbl: float
    gas_mcf: float
    water_bbl: float
    hours_on: float | None = None
    downtime_hours: float | None = None
    downtime_reason: str | None = None


_MIN_STAT_DAYS = 5
_HOURS_TOLERANCE = 0.01


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"Unknown time zone {tz!r}") from exc


def org_today(tz: str, now: datetime | None = None) -> date:
    """Today's date in the organization's time zone (a naive ``now`` is taken as UTC)."""
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(_zone(tz)).date()


@lru_cache(maxsize=8192)
def day_length_hours(d: date, tz: str) -> float:
    """Length of the local calendar day: 24, or 23/25 on daylight-saving change days."""
    zone = _zone(tz)
    start = datetime(d.year, d.month, d.day, tzinfo=zone).astimezone(UTC)
    nxt = d + timedelta(days=1)
    end = datetime(nxt.year, nxt.month, nxt.day, tzinfo=zone).astimezone(UTC)
    return (end - start).total_seconds() / 3600.0


def _num(x: float) -> str:
    """A volume or hour count rounded for people: 1,250 / 37.5 / 0.25."""
    a = abs(x)
    if not math.isfinite(x):
        return str(x)
    if a >= 100 or a == int(a):
        return f"{x:,.0f}"
    if a >= 10:
        return f"{x:.1f}".rstrip("0").rstrip(".")
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _ratio(x: float) -> str:
    return f"{x:.1f}x" if x >= 1 else f"{x:.2f}x"


_LABELS = {"oil_bbl": ("Oil", "bbl"), "gas_mcf": ("Gas", "Mcf"), "water_bbl": ("Water", "bbl")}


def _volume_issues(field: str, value: float, limit: float, rule: str, out: list[Issue]) -> bool:
    """Append range issues for one volume; return True if the value is usable for trends."""
    label, unit = _LABELS[field]
    if not math.isfinite(value):
        out.append(
            Issue("volume_invalid", field, Severity.ERROR, f"{label} is not a valid number.")
        )
        return False
    if value < 0:
        msg = f"{label} {_num(value)} {unit} is negative; volumes must be 0 or more."
        out.append(Issue("volume_negative", field, Severity.ERROR, msg))
        return False
    if value > limit:
        msg = f"{label} {_num(value)} {unit} is above the maximum of {_num(limit)} {unit}."
        out.append(Issue(rule, field, Severity.ERROR, msg))
    return True


def _hours_ok(
    value: float, field: str, rule: str, label: str, d: date, tz: str, out: list[Issue]
) -> bool:
    """Hours must be within 0-24; a longer day (DST fall-back, 25 h) allows up to its length."""
    if 0 <= value <= 24:
        return True
    max_hours = max(24.0, day_length_hours(d, tz))
    if 0 <= value <= max_hours:
        return True
    if not math.isfinite(value):
        msg = f"{label} is not a valid number."
    elif value < 0:
        msg = f"{label} {_num(value)} h is negative; enter 0–{_num(max_hours)} h."
    else:
        msg = f"{label} {_num(value)} h is more than the {_num(max_hours)} h of {d.isoformat()}."
    out.append(Issue(rule, field, Severity.ERROR, msg))
    return False


_ONE_DAY = timedelta(days=1)


def _context(
    history: Sequence[DayVolumes] | WellHistory, d: date, days: int
) -> tuple[list[float], list[float], DayVolumes | None]:
    """Window oil volumes, window gas/oil ratios (days with oil > 0) and the previous day.

    The window is the unique dates in ``[d - days, d - 1]``; for duplicate dates in a plain
    sequence the last entry wins.
    """
    prev_date = d - _ONE_DAY
    if isinstance(history, WellHistory):
        oils, ratios = history._columns(d, days)
        return oils, ratios, history.get(prev_date) if days >= 1 else None
    lo = d - timedelta(days=days)
    window = {h.production_date: h for h in history if lo <= h.production_date < d}
    prev = window.get(prev_date)
    days_in = window.values()
    oils = [h.oil_bbl for h in days_in]
    ratios = [h.gas_mcf / h.oil_bbl for h in days_in if h.oil_bbl > 0]
    return oils, ratios, prev


def _median(values: list[float]) -> float:
    values.sort()
    n = len(values)
    mid = n // 2
    return values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2.0


def _water_cut(oil: float, water: float) -> float | None:
    liquid = oil + water
    return water * 100.0 / liquid if liquid > 0 else None


def _trend_issues(
    rec: ProductionInput,
    gas_ok: bool,
    water_ok: bool,
    oils: list[float],
    ratios: list[float],
    prev: DayVolumes | None,
    t: Thresholds,
    out: list[Issue],
) -> None:
    """History-based warnings; only called when the record's oil is finite and not negative."""
    oil = rec.oil_bbl
    span = f"{t.history_days}-day"  # for messages
    if prev is not None and prev.oil_bbl > 0:
        pct = abs(oil - prev.oil_bbl) * 100.0 / prev.oil_bbl
        if pct > t.day_change_pct:
            direction = "up" if oil > prev.oil_bbl else "down"
            msg = (
                f"Oil {_num(oil)} bbl is {direction} {pct:.0f}% from the previous day "
                f"({_num(prev.oil_bbl)} bbl)."
            )
            out.append(Issue("oil_day_change", "oil_bbl", Severity.WARNING, msg))

    n = len(oils)
    if n >= _MIN_STAT_DAYS:
        mean = sum(oils) / n
        # One-pass variance; near-constant windows (sd below 1e-5 of the mean, far finer than
        # any meter) count as constant so rounding noise never produces a huge z-score.
        var = (sum(map(mul, oils, oils)) - mean * mean * n) / (n - 1)
        med = _median(oils)  # sorts oils in place: oils[0] is now the minimum, oils[-1] the maximum
        rel = oil / med if med > 0 else 1.0
        if rel > t.median_high_ratio or rel < t.median_low_ratio:
            msg = f"Oil {_num(oil)} bbl is {_ratio(rel)} the {span} median ({_num(med)} bbl)."
            out.append(Issue("oil_vs_median", "oil_bbl", Severity.WARNING, msg))
        if var > 1e-10 * mean * mean and oils[0] != oils[-1]:
            z = (oil - mean) / math.sqrt(var)
            if abs(z) > t.zscore_limit:
                side = "above" if z > 0 else "below"
                msg = (
                    f"Oil {_num(oil)} bbl is {abs(z):.1f} standard deviations {side} the "
                    f"{span} average ({_num(mean)} bbl)."
                )
                out.append(Issue("oil_zscore", "oil_bbl", Severity.WARNING, msg))

    if gas_ok and oil > 0 and len(ratios) >= _MIN_STAT_DAYS:  # GOR scf/bbl = 1000 * Mcf/bbl
        med_ratio, ratio = _median(ratios), rec.gas_mcf / oil
        pct = abs(ratio - med_ratio) * 100.0 / med_ratio if med_ratio > 0 else 0.0
        if pct > t.gor_jump_pct:
            way = "up" if ratio > med_ratio else "down"
            msg = (
                f"Gas-oil ratio {ratio * 1000:,.0f} scf/bbl is {way} {pct:.0f}% from the "
                f"{span} median ({med_ratio * 1000:,.0f} scf/bbl)."
            )
            out.append(Issue("gor_jump", "gas_mcf", Severity.WARNING, msg))

    if water_ok and prev is not None:
        wc = _water_cut(oil, rec.water_bbl)
        wc_prev = _water_cut(prev.oil_bbl, prev.water_bbl)
        if wc is not None and wc_prev is not None:
            diff = wc - wc_prev
            if abs(diff) > t.water_cut_jump_points:
                msg = (
                    f"Water cut {wc:.0f}% changed {abs(diff):.0f} points from the previous "
                    f"day ({wc_prev:.0f}%)."
                )
                out.append(Issue("water_cut_jump", "water_bbl", Severity.WARNING, msg))


def validate_production(
    rec: ProductionInput,
    *,
    today: date,
    history: Sequence[DayVolumes] | WellHistory = (),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[Issue]:
    """All issues for one well-day, errors first in rule order, then warnings.

    ``history`` holds the same well's other days in any order; only days strictly before the
    record's date and at most ``thresholds.history_days`` before it are used. ``today`` is the
    current date in the organization's time zone (see :func:`org_today`).
    """
    t = thresholds
    d = rec.production_date
    tz = t.timezone
    out: list[Issue] = []

    oil_ok = _volume_issues("oil_bbl", rec.oil_bbl, t.max_oil_bbl, "oil_max", out)
    gas_ok = _volume_issues("gas_mcf", rec.gas_mcf, t.max_gas_mcf, "gas_max", out)
    water_ok = _volume_issues("water_bbl", rec.water_bbl, t.max_water_bbl, "water_max", out)

    if d > today:
        msg = f"Production date {d.isoformat()} is in the future (today is {today.isoformat()})."
        out.append(Issue("future_date", "production_date", Severity.ERROR, msg))

    hours = rec.hours_on
    hours_ok = False
    if hours is not None:
        hours_ok = _hours_ok(hours, "hours_on", "hours_range", "Hours on", d, tz, out)
        if hours == 0 and (rec.oil_bbl > 0 or rec.gas_mcf > 0 or rec.water_bbl > 0):
            msg = "Volumes are reported but hours on is 0; enter the hours the well produced."
            out.append(Issue("volume_without_hours", "hours_on", Severity.ERROR, msg))

    down = rec.downtime_hours
    down_ok = False
    if down is not None:
        down_ok = _hours_ok(down, "downtime_hours", "downtime_range", "Downtime", d, tz, out)
        reason = (rec.downtime_reason or "").strip()
        if 0 < down < math.inf and not reason:
            msg = f"Downtime of {_num(down)} h needs a downtime reason."
            out.append(Issue("downtime_reason_required", "downtime_reason", Severity.ERROR, msg))

    if hours_ok and down_ok and hours is not None and down is not None:
        total = hours + down
        day_len = day_length_hours(d, tz)
        if abs(total - day_len) > _HOURS_TOLERANCE:
            msg = (
                f"Hours on ({_num(hours)}) + downtime ({_num(down)}) = {_num(total)} h, "
                f"but {d.isoformat()} has {_num(day_len)} h."
            )
            out.append(Issue("hours_sum", "hours_on", Severity.WARNING, msg))

    if history and oil_ok:
        oils, ratios, prev = _context(history, d, t.history_days)
        if oils or prev is not None:
            _trend_issues(rec, gas_ok, water_ok, oils, ratios, prev, t, out)
    return out


_PENALTY = {Severity.ERROR: 40, Severity.WARNING: 15, Severity.INFO: 5}


def quality_score(issues: Iterable[Issue]) -> int:
    """0..100: 100 - 40 per error - 15 per warning - 5 per info, floored at 0."""
    score = 100
    for issue in issues:
        score -= _PENALTY[issue.severity]
    return max(score, 0)


def has_errors(issues: Iterable[Issue]) -> bool:
    return any(issue.severity == Severity.ERROR for issue in issues)
