"""A seeded synthetic oil field for measuring how often validation flags ordinary days.

Not the demo simulator (wellpulse_demo): this one is built to look like a real field's daily
history to the rules, with everything that made the old rules noisy, and every row labelled
with what an engineer would say about it:

- **Declines**: Arps hyperbolic per well, ``q(t) = qi / (1 + b Di t)^(1/b)``, qi 20-3,000
  bbl/d (two high-rate wells at 11,000-14,000 bbl/d), Di 0.2-1.2 /year, b 0.3-1.2.
- **Choke changes**: about 3 a year per well, one or two steps along the usual bean sizes; the
  rate scales with ``(choke / choke0) ** 0.8``. Most wells report the choke; a quarter do not.
- **Shut-ins with reasons**: rod parts (1-3 days), workovers (3-8 days), weather (1-2 days),
  each with partial days at its ends (back on part of the day); pump failures and field power
  outages take 1-10 hours. A shut-in day is ``hours_on 0``, the day's length as downtime, a
  reason code and zero volumes.
- **Partial days**: hours on as the pumper writes them, to the half hour, while the well ran
  that ± 15 minutes; volumes follow the true hours.
- **DST days** (America/Chicago, 23 h and 25 h): half the pumpers write the day's real length,
  half a habitual 24 + 0.
- **Meter noise**: oil lognormal 4 %, gas-oil ratio 4 % around a slow rise, water cut 1.5
  points around a slow logistic rise; volumes to 0.1 bbl / Mcf; about 1 % of days not recorded.

Planted rows: ``spike`` (oil counted 4x on a full day; an engineer calls it suspicious),
``negative`` (oil below 0), ``no_hours`` (volumes with hours on 0) and ``long_day`` (30 hours
on): the last three are impossible and must be errors. Every other row is ``ordinary``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from shared.validation import ProductionInput, day_length_hours

TZ = "America/Chicago"
CHOKES = (12, 16, 20, 24, 28, 32, 40, 48, 56, 64)
REASONS = {"rod": "ROD_PART", "workover": "WORKOVER", "weather": "WEATHER"}


@dataclass(frozen=True, slots=True)
class FieldRow:
    well: int
    label: str  # ordinary | spike | negative | no_hours | long_day
    record: ProductionInput


@dataclass(slots=True)
class _Well:
    qi: float
    di: float
    b: float
    gor0: float
    gor_rise: float
    logit_wc: float
    wc_rise: float
    choke_at: int  # index into CHOKES
    reports_choke: bool
    exact_dst: bool


def _new_well(rng: random.Random, high_rate: bool) -> _Well:
    wc0 = rng.uniform(0.1, 0.7)
    return _Well(
        qi=rng.uniform(11_000, 14_000) if high_rate else math.exp(rng.uniform(3.0, 8.0)),
        di=rng.uniform(0.2, 1.2),
        b=rng.uniform(0.3, 1.2),
        gor0=rng.uniform(0.4, 3.0),
        gor_rise=rng.uniform(0.0, 0.3),
        logit_wc=math.log(wc0 / (1 - wc0)),
        wc_rise=rng.uniform(0.05, 0.4),
        choke_at=rng.randrange(2, len(CHOKES) - 2),
        reports_choke=rng.random() < 0.75,
        exact_dst=rng.random() < 0.5,
    )


def _downtime(rng: random.Random, days: int, outages: dict[int, float]) -> dict[int, float]:
    """Day index -> hours down (24 or more: the whole day)."""
    down: dict[int, float] = dict(outages)
    day = 0
    while day < days:
        day += int(rng.expovariate(1 / 45)) + 1  # an event every ~6 weeks
        kind = rng.choice(("pump", "pump", "rod", "workover", "weather"))
        if kind == "pump":
            down[day] = max(down.get(day, 0.0), rng.uniform(1, 10))
            continue
        length = {"rod": (1, 3), "workover": (3, 8), "weather": (1, 2)}[kind]
        span = rng.randint(*length)
        down[day] = rng.uniform(4, 20)  # went down during the day
        for k in range(1, span + 1):
            down[day + k] = 99.0
        down[day + span + 1] = rng.uniform(2, 18)  # back on during the day
        day += span + 2
    return down


def _reasons(rng: random.Random, down: dict[int, float]) -> dict[int, str]:
    """A reason per downtime day: a run of days with a whole day down shares one (rod part,
    workover, weather); a lone partial day is a pump failure or a power outage."""
    out: dict[int, str] = {}
    days = sorted(down)
    run: list[int] = []
    for i, day in enumerate(days):
        run.append(day)
        if i + 1 < len(days) and days[i + 1] == day + 1:
            continue
        whole = any(down[k] >= 24 for k in run)
        reason = REASONS[rng.choice(list(REASONS))] if whole else rng.choice(("PUMP_FAIL", "POWER"))
        out.update(dict.fromkeys(run, reason))
        run = []
    return out


def _hours(rng: random.Random, day_len: float, lost: float, exact_dst: bool) -> tuple[float, float]:
    """(true hours on, hours on as written)."""
    if lost <= 0:
        written = day_len if exact_dst or day_len == 24 else 24.0
        return day_len, written
    if lost >= 24:
        return 0.0, 0.0
    written = min(day_len - 0.5, max(0.5, round((day_len - lost) * 2) / 2))
    return max(0.1, written + rng.uniform(-0.25, 0.25)), written


def synthetic_field(
    seed: int = 16, *, wells: int = 60, days: int = 400, first: date = date(2025, 1, 1)
) -> list[FieldRow]:
    """The field's rows in date order (day by day, well by well), planted rows included."""
    rng = random.Random(seed)
    field_wells = [_new_well(rng, high_rate=i < 2) for i in range(wells)]
    outages = {d: rng.uniform(1, 6) for d in range(days) if rng.random() < 4 / 365}
    per_well: list[list[FieldRow]] = []
    for index, w in enumerate(field_wells):
        wrng = random.Random(f"{seed}:{index}")
        down = _downtime(wrng, days, {d: h for d, h in outages.items() if wrng.random() < 0.8})
        reasons = _reasons(wrng, down)
        chokes = {int(wrng.uniform(0, days)) for _ in range(wrng.randint(2, 5))}
        spikes = {d for d in range(40, days) if wrng.random() < 1 / 300 and d not in down}
        choke0, rows = CHOKES[w.choke_at], []
        for day in range(days):
            d = first + timedelta(days=day)
            if day in chokes:
                w.choke_at = min(len(CHOKES) - 1, max(0, w.choke_at + wrng.choice((-2, -1, 1, 2))))
            t = day / 365.25
            q = w.qi / (1 + w.b * w.di * t) ** (1 / w.b) * (CHOKES[w.choke_at] / choke0) ** 0.8
            q *= math.exp(wrng.gauss(0, 0.04))
            day_len = day_length_hours(d, TZ)
            lost = down.get(day, 0.0)
            true_on, written = _hours(wrng, day_len, lost, w.exact_dst)
            oil = q * true_on / 24
            gor = w.gor0 * (1 + w.gor_rise * t) * math.exp(wrng.gauss(0, 0.04))
            wc = 1 / (1 + math.exp(-(w.logit_wc + w.wc_rise * t)))
            wc = min(0.98, max(0.0, wc + wrng.gauss(0, 0.015)))
            water = oil * wc / (1 - wc)
            label = "ordinary"
            if day in spikes:
                oil, label = oil * 4, "spike"
            if wrng.random() < 0.01 and label == "ordinary":
                continue  # not recorded that day
            written_down = 0.0 if lost <= 0 else day_len - written
            rec = ProductionInput(
                d,
                round(oil, 1),
                round(oil * gor, 1),
                round(water, 1),
                hours_on=written,
                downtime_hours=written_down,
                downtime_reason=reasons.get(day) if written_down > 0 else None,
                choke_64ths=CHOKES[w.choke_at] if w.reports_choke else None,
            )
            rows.append(FieldRow(index, label, rec))
        per_well.append(_plant_errors(wrng, index, rows))
    merged = [row for rows in per_well for row in rows]
    merged.sort(key=lambda r: (r.record.production_date, r.well))
    return merged


def _plant_errors(rng: random.Random, well: int, rows: list[FieldRow]) -> list[FieldRow]:
    """One of each impossible row per well, on a copy of an ordinary producing day."""
    out = list(rows)
    for label in ("negative", "no_hours", "long_day"):
        pick = rng.choice([r for r in rows if r.label == "ordinary" and (r.record.hours_on or 0)])
        rec = pick.record
        if label == "negative":
            bad = ProductionInput(rec.production_date, -rec.oil_bbl, rec.gas_mcf, rec.water_bbl)
        elif label == "no_hours":
            bad = ProductionInput(
                rec.production_date, rec.oil_bbl, rec.gas_mcf, rec.water_bbl, 0.0, 24.0, "OTHER"
            )
        else:
            bad = ProductionInput(rec.production_date, rec.oil_bbl, rec.gas_mcf, rec.water_bbl, 30)
        out.insert(out.index(pick), FieldRow(well, label, bad))  # sent before the good one
    return out
