"""Production validation rules (docs/design.md §6), shared by the desktop form, CSV import and
server.

Pure code: no I/O, no database, no clock reads except :func:`org_today`. Errors block saving
and are kept for what cannot be true (a negative or non-finite volume, hours outside the day,
volume with zero hours, downtime without a reason, a future date); warnings save the record
with a review flag. The trend warnings compare the oil *rate* (volume normalised to hours on)
of producing days only, with robust statistics (median and MAD), so a shut-in, a partial day
or one outlier in the history sets nothing off. Imports validate tens of thousands of rows a
second, so the hot path uses plain arithmetic, cached day lengths and, optionally, a
:class:`WellHistory` whose trailing window is two bisections and a slice.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shared.analytics.robust import median, median_mad, robust_z
from shared.day_length import day_length_hours, max_day_hours, org_today
from shared.downtime import REASON_CODES, codes_text
from shared.geo import GeofenceVerdict, Point, geofence
from shared.history import DayVolumes, WellHistory, Window, is_producing, water_cut
from shared.thresholds import DEFAULT_THRESHOLDS, Thresholds

__all__ = [  # re-exported: callers build histories and thresholds for the rules
    "DEFAULT_THRESHOLDS",
    "DayVolumes",
    "Thresholds",
    "WellHistory",
    "day_length_hours",
    "org_today",
]


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
class ProductionInput:
    production_date: date
    oil_bbl: float
    gas_mcf: float
    water_bbl: float
    hours_on: float | None = None
    downtime_hours: float | None = None
    downtime_reason: str | None = None
    choke_64ths: int | None = None
    location: Point | None = None  # where the entry was made (lat, lon)
    well_location: Point | None = None  # the well's coordinates (lat, lon)


MIN_STAT_DAYS = 5  # producing days in the window before a statistic is trusted
Z_FLOOR = 0.02  # the robust z's scale is at least 2 % of the median rate
_HOURS_TOLERANCE = 0.01


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


def _volume_issues(
    field: str, value: float, limit: float, rule: str, out: list[Issue], warn: list[Issue]
) -> bool:
    """Range issues for one volume; True if the value is usable for trends."""
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
        msg = (
            f"{label} {_num(value)} {unit} is above the organization's usual maximum of "
            f"{_num(limit)} {unit}."
        )
        warn.append(Issue(rule, field, Severity.WARNING, msg))
    return True


def _hours_ok(
    value: float, field: str, rule: str, label: str, d: date, tz: str, out: list[Issue]
) -> bool:
    """Hours must be within 0-24; a longer day (DST fall-back, 25 h) allows up to its length."""
    if 0 <= value <= 24:
        return True
    most = max_day_hours(d, tz)
    if 0 <= value <= most:
        return True
    if not math.isfinite(value):
        msg = f"{label} is not a valid number."
    elif value < 0:
        msg = f"{label} {_num(value)} h is negative; enter 0–{_num(most)} h."
    else:
        msg = f"{label} {_num(value)} h is more than the {_num(most)} h of {d.isoformat()}."
    out.append(Issue(rule, field, Severity.ERROR, msg))
    return False


def _long_enough(hours: float | None, t: Thresholds) -> bool:
    return hours is None or hours >= t.rate_min_hours


def _day_change(
    rec: ProductionInput, rate: float, center: float | None, w: Window, t: Thresholds
) -> Issue | None:
    """The oil rate against the last producing day's (same choke, both days long enough), when
    it is off the window's median rate too: the day after an outlier, back to normal, is not
    the odd one."""
    prev = w.previous
    if prev is None or prev.oil_rate <= 0:
        return None
    if not (_long_enough(rec.hours_on, t) and _long_enough(prev.hours_on, t)):
        return None
    if rec.choke_64ths is not None and prev.choke_64ths not in (None, rec.choke_64ths):
        return None  # the choke was changed: a step in the rate is what it is for
    pct = abs(rate - prev.oil_rate) * 100.0 / prev.oil_rate
    if pct <= t.day_change_pct:
        return None
    if center is not None and abs(rate - center) * 100.0 <= t.day_change_pct * center:
        return None
    direction = "up" if rate > prev.oil_rate else "down"
    msg = (
        f"Oil rate {_num(rate)} bbl/d is {direction} {pct:.0f}% from the last producing day "
        f"({prev.production_date.isoformat()}, {_num(prev.oil_rate)} bbl/d)."
    )
    return Issue("oil_day_change", "oil_bbl", Severity.WARNING, msg)


def _outlier(rate: float, center: float | None, w: Window, t: Thresholds) -> Issue | None:
    """The robust check: far from the window's median rate in ratio *and* in robust z."""
    if center is None or center <= 0:
        return None
    rel = rate / center
    if t.median_low_ratio <= rel <= t.median_high_ratio:
        return None  # the cheap test first: the MAD is only needed for the rare far value
    _, spread = median_mad(w.rates)
    z = robust_z(rate, center, spread, floor=Z_FLOOR * center)
    if abs(z) <= t.zscore_limit:
        return None
    msg = (
        f"Oil rate {_num(rate)} bbl/d is {_ratio(rel)} the {t.history_days}-day median of "
        f"producing days ({_num(center)} bbl/d; robust z {z:+.1f})."
    )
    return Issue("oil_vs_median", "oil_bbl", Severity.WARNING, msg)


def _near_median_cut(wc: float, w: Window, t: Thresholds) -> bool:
    """Whether the water cut is within the jump limit of the window's median cut."""
    cuts = w.cuts
    return len(cuts) >= MIN_STAT_DAYS and abs(wc - median(cuts)) <= t.water_cut_jump_points


def _trend_issues(
    rec: ProductionInput,
    rate: float,
    gas_ok: bool,
    water_ok: bool,
    w: Window,
    t: Thresholds,
    out: list[Issue],
) -> None:
    """History warnings for a producing day with a finite, non-negative oil volume."""
    center = median(w.rates) if len(w.rates) >= MIN_STAT_DAYS else None
    for found in (_day_change(rec, rate, center, w, t), _outlier(rate, center, w, t)):
        if found is not None:
            out.append(found)
    oil = rec.oil_bbl
    ratios = w.ratios if gas_ok and oil > 0 else []
    if len(ratios) >= MIN_STAT_DAYS:  # GOR scf/bbl = 1000 * Mcf/bbl
        med_ratio, ratio = median(ratios), rec.gas_mcf / oil
        pct = abs(ratio - med_ratio) * 100.0 / med_ratio if med_ratio > 0 else 0.0
        if pct > t.gor_jump_pct:
            way = "up" if ratio > med_ratio else "down"
            msg = (
                f"Gas-oil ratio {ratio * 1000:,.0f} scf/bbl is {way} {pct:.0f}% from the "
                f"{t.history_days}-day median ({med_ratio * 1000:,.0f} scf/bbl)."
            )
            out.append(Issue("gor_jump", "gas_mcf", Severity.WARNING, msg))
    prev = w.previous
    if water_ok and prev is not None and prev.water_cut is not None:
        wc = water_cut(oil, rec.water_bbl)
        if wc is not None and abs(diff := wc - prev.water_cut) > t.water_cut_jump_points:
            if _near_median_cut(wc, w, t):
                return  # back in line after an odd day: that day was the jump
            msg = (
                f"Water cut {wc:.0f}% changed {abs(diff):.0f} points from the last producing "
                f"day ({prev.production_date.isoformat()}, {prev.water_cut:.0f}%)."
            )
            out.append(Issue("water_cut_jump", "water_bbl", Severity.WARNING, msg))


def validate_production(
    rec: ProductionInput,
    *,
    today: date,
    history: Sequence[DayVolumes] | WellHistory = (),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[Issue]:
    """All issues for one well-day: errors in rule order, then warnings.

    ``history`` holds the same well's other days in any order (for duplicate dates in a plain
    sequence the last entry wins); only producing days strictly before the record's date and
    at most ``thresholds.history_days`` before it are compared with. ``today`` is the current
    date in the organization's time zone (see :func:`org_today`).
    """
    t = thresholds
    d = rec.production_date
    tz = t.timezone
    out: list[Issue] = []
    warn: list[Issue] = []

    oil_ok = _volume_issues("oil_bbl", rec.oil_bbl, t.max_oil_bbl, "oil_max", out, warn)
    gas_ok = _volume_issues("gas_mcf", rec.gas_mcf, t.max_gas_mcf, "gas_max", out, warn)
    water_ok = _volume_issues("water_bbl", rec.water_bbl, t.max_water_bbl, "water_max", out, warn)

    if d > today:
        msg = f"Production date {d.isoformat()} is in the future (today is {today.isoformat()})."
        out.append(Issue("future_date", "production_date", Severity.ERROR, msg))

    hours = rec.hours_on
    hours_ok = hours is None
    if hours is not None:
        hours_ok = _hours_ok(hours, "hours_on", "hours_range", "Hours on", d, tz, out)
        if hours == 0 and (rec.oil_bbl > 0 or rec.gas_mcf > 0 or rec.water_bbl > 0):
            msg = "Volumes are reported but hours on is 0; enter the hours the well produced."
            out.append(Issue("volume_without_hours", "hours_on", Severity.ERROR, msg))

    _reason_issues(rec.downtime_reason, out)
    down = rec.downtime_hours
    if down is not None:
        down_ok = _hours_ok(down, "downtime_hours", "downtime_range", "Downtime", d, tz, out)
        reason = (rec.downtime_reason or "").strip()
        if 0 < down < math.inf and not reason:
            msg = f"Downtime of {_num(down)} h needs a downtime reason."
            out.append(Issue("downtime_reason_required", "downtime_reason", Severity.ERROR, msg))
        if hours_ok and down_ok and hours is not None:
            total = hours + down
            day_len = day_length_hours(d, tz)
            off = abs(total - day_len) > _HOURS_TOLERANCE
            if off and day_len != 24 and abs(total - 24) <= _HOURS_TOLERANCE:
                off = False  # a round 24 h on a 23/25 h day is the habit of a full day on
            if off:
                msg = (
                    f"Hours on ({_num(hours)}) + downtime ({_num(down)}) = {_num(total)} h, "
                    f"but {d.isoformat()} has {_num(day_len)} h."
                )
                warn.append(Issue("hours_sum", "hours_on", Severity.WARNING, msg))

    if (
        history
        and oil_ok
        and hours_ok
        and is_producing(rec.oil_bbl, rec.gas_mcf, rec.water_bbl, hours)
    ):
        if not isinstance(history, WellHistory):
            history = WellHistory(history, t.history_days, tz)
        window = history.producing_window(d, t.history_days)
        if window.previous is not None:
            rate = rec.oil_bbl * day_length_hours(d, tz) / hours if hours else rec.oil_bbl
            _trend_issues(rec, rate, gas_ok, water_ok, window, t, warn)
    if rec.location is not None and rec.well_location is not None:
        _geofence_issue(rec.location, rec.well_location, warn)
    return out + warn if warn else out


def geofence_issue(verdict: GeofenceVerdict | None) -> Issue | None:
    """The `outside_geofence` warning of a verdict beyond the fence (shared/geo.py)."""
    if verdict is None or not verdict.outside:
        return None
    msg = f"The entry's location is {verdict.describe()}"
    return Issue("outside_geofence", "location", Severity.WARNING, msg)


def _geofence_issue(here: Point, well: Point, out: list[Issue]) -> None:
    """The 500 ft geofence: an entry made farther from its well is flagged."""
    found = geofence_issue(geofence(here, *well))
    if found is not None:
        out.append(found)


def _reason_issues(reason: str | None, out: list[Issue]) -> None:
    code = (reason or "").strip()
    if code and code not in REASON_CODES:
        msg = f"Downtime reason '{code}' is not a reason code; use one of {codes_text()}."
        out.append(Issue("downtime_reason_unknown", "downtime_reason", Severity.ERROR, msg))


_PENALTY = {Severity.ERROR: 40, Severity.WARNING: 15, Severity.INFO: 5}


def quality_score(issues: Iterable[Issue]) -> int:
    """0..100: 100 - 40 per error - 15 per warning - 5 per info, floored at 0."""
    score = 100
    for issue in issues:
        score -= _PENALTY[issue.severity]
    return max(score, 0)


def has_errors(issues: Iterable[Issue]) -> bool:
    return any(issue.severity == Severity.ERROR for issue in issues)
