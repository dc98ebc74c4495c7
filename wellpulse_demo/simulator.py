"""A documented, deterministic production simulator for the `sync-server demo` history.

Pure code: no I/O, no database, no clock (the caller passes the last day); ``random`` and
``math`` only. The same seed, well count, day count and end date give the same numbers.

**Wells.** Wells are split between two Permian fields (Spraberry Trend in Midland County and
Wolfbone Flats in Reeves County); each has a Texas API number (state 42, odd county codes, so no
parity warning), a lease, a name and a location scattered around its field's centre.

**Oil rate.** Each well follows an Arps hyperbolic decline over the history,
``q(t) = qi / (1 + b * Di * t) ** (1 / b)`` with ``t`` in years, drawn per well: ``qi`` 40-450
bbl/d at the first day, nominal ``Di`` 0.15-0.6 per year (mature wells), ``b`` 0.3-1.1. The
daily rate is the decline times a multiplicative lognormal noise ``exp(f + 0.05 * z)``:

- ``f`` is a slow factor shared by the wells of a field (AR(1), 0.995 a day, sd 2%: reservoir
  support, gathering-line back pressure);
- ``z = sqrt(0.35) * c + sqrt(0.65) * e`` is a standard normal mixing ``c``, a daily draw shared
  by the field (temperature, line pressure), and ``e``, the well's own gauge noise, so the daily
  noise of two wells of one field correlates at about 0.35 and of two fields not at all. ``z`` is
  clipped at +-1.5 because a tank gauge is never wildly off.

This keeps the shared validation rules (docs/design.md §6) quiet on ordinary days: they compare
rates normalised to hours on with the median and MAD of the trailing 30 producing days, and a
20% day-to-day change in rate never happens without a cause.

**Gas and water.** The gas-oil ratio starts at 600-2,500 scf/bbl and rises 5-40% a year as
reservoir pressure falls; gas = oil * GOR with 3% meter noise. The water cut starts at 15-55% and
rises along a logistic curve (0.1-0.35 per year on the logit scale); water = oil * wc / (1 - wc)
with 3% noise. Tubing and casing pressures fall slowly with the rate.

**Downtime.** A day has ``day_length_hours`` hours in the org time zone (24, or 23/25 on the
daylight-saving days), and always ``hours_on + downtime_hours == day length``; volumes scale with
``hours_on``; a day with downtime always has a reason code (the desktop form's codes
PUMP_FAIL, ROD_PART, POWER, WEATHER, WORKOVER, OTHER) and a note. Field-wide POWER outages (about
6 a year per field) and WEATHER events (about 2 a year, 1-3 days, a freeze can stop a whole day)
hit most wells of a field on the same day; each well also has its own pump failures (a few hours),
rod parts (1-2 days down) and workovers (2-4 days down). Shut-in and partial days draw no trend
warning: the rules skip shut-ins and normalise a partial day's volume to its hours on.

**Planted anomalies.** A few well-days (at least one of each kind, about one per 6,000
well-days) are deliberately wrong in a way the shared rules flag as *warnings*, never errors:
``oil_spike`` (oil 4-6x the day's rate: a tank counted twice; rule ``oil_vs_median``),
``gor_jump`` (gas 2.1-2.6x: a meter fault; rule ``gor_jump``) and ``water_cut_jump`` (a water
breakthrough: the water cut steps up 30-40 points and stays there; rule ``water_cut_jump``).
They are placed 31+ days into the history on days with no downtime around them and are listed
in :attr:`Simulation.anomalies`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from shared.downtime import DOWNTIME_REASONS as SHARED_REASONS
from shared.validation import day_length_hours

#: field name -> (county code, centre latitude, centre longitude, leases)
FIELDS: dict[str, tuple[int, float, float, tuple[str, ...]]] = {
    "Spraberry Trend": (329, 31.97, -102.02, ("Mabee", "Scharbauer", "Tippett", "Estes")),
    "Wolfbone Flats": (389, 31.42, -103.49, ("Pecos Draw", "Toyah", "Saragosa", "Balmorhea")),
}
DOWNTIME_REASONS = tuple(code for code, _ in SHARED_REASONS)  # the order picks are made in
NOTES = {
    "PUMP_FAIL": "Pump off; reset controller and restarted",
    "ROD_PART": "Parted rods; pulling unit on location",
    "POWER": "Field power outage",
    "WEATHER": "Storm / freeze, wells shut in",
    "WORKOVER": "Workover rig on well",
    "OTHER": "Flowline leak repaired",
}
SLOW_SD, SLOW_PHI = 0.02, 0.995  # shared slow field factor (log scale): sd, AR(1) per day
DAILY_SD, FIELD_SHARE, CLIP = 0.05, 0.35, 1.5  # daily noise: sd, shared part, clipped at sd
DI_RANGE = (0.15, 0.6)  # nominal decline per year on the first day
ANOMALY_RULES = {
    "oil_spike": "oil_vs_median",
    "gor_jump": "gor_jump",
    "water_cut_jump": "water_cut_jump",
}


@dataclass(frozen=True, slots=True)
class SimWell:
    api_number: str  # dashed, e.g. 42-329-41234
    name: str
    field: str
    lease: str
    latitude: float
    longitude: float
    qi: float  # bbl/d on the first day
    di: float  # nominal decline per year on the first day
    b: float  # Arps exponent


@dataclass(frozen=True, slots=True)
class SimDay:
    well: int  # index into Simulation.wells
    production_date: date
    oil_bbl: float
    gas_mcf: float
    water_bbl: float
    hours_on: float
    downtime_hours: float
    downtime_reason: str | None
    tubing_psi: float
    casing_psi: float
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Anomaly:
    well: int
    production_date: date
    kind: str  # oil_spike | gor_jump | water_cut_jump
    rule: str  # the validation rule that flags it


@dataclass(frozen=True, slots=True)
class Simulation:
    wells: list[SimWell]
    days: list[SimDay]  # by date, then well: one per well-day
    anomalies: list[Anomaly]
    first_day: date
    last_day: date


def _clipped(rng: random.Random, sd: float, limit: float = 1.5) -> float:
    return max(-limit * sd, min(limit * sd, rng.gauss(0.0, sd)))


def _make_wells(count: int, seed: int) -> list[SimWell]:
    rng = random.Random(f"{seed}:wells")
    names = list(FIELDS)
    numbers = rng.sample(range(30000, 49999), count)
    wells = []
    for i in range(count):
        field = names[i % 2]
        county, lat, lon, leases = FIELDS[field]
        lease = leases[(i // 2) % len(leases)]
        wells.append(
            SimWell(
                api_number=f"42-{county:03d}-{numbers[i]:05d}",
                name=f"{lease} {i // (2 * len(leases)) + 1}{'H' if i % 3 else ''}",
                field=field,
                lease=f"{lease} Unit",
                latitude=round(lat + rng.uniform(-0.12, 0.12), 5),
                longitude=round(lon + rng.uniform(-0.12, 0.12), 5),
                qi=round(rng.uniform(40.0, 450.0), 1),
                di=round(rng.uniform(*DI_RANGE), 3),
                b=round(rng.uniform(0.3, 1.1), 2),
            )
        )
    return wells


def _field_factors(field: str, days: int, seed: int) -> list[tuple[float, float]]:
    """Per day: the shared slow AR(1) log-multiplier and the shared daily standard normal draw."""
    rng = random.Random(f"{seed}:field:{field}")
    slow = rng.gauss(0.0, SLOW_SD)
    out = []
    for _ in range(days):
        slow = SLOW_PHI * slow + rng.gauss(0.0, SLOW_SD * math.sqrt(1 - SLOW_PHI**2))
        out.append((slow, rng.gauss(0.0, 1.0)))
    return out


def _field_downtime(field: str, days: int, seed: int) -> dict[int, tuple[str, float]]:
    """Field-wide events: day index -> (reason, hours down before per-well jitter)."""
    rng = random.Random(f"{seed}:field-events:{field}")
    events: dict[int, tuple[str, float]] = {}
    for day in range(days):
        if rng.random() < 6 / 365:
            events[day] = ("POWER", float(rng.choice((2, 3, 4, 6, 8, 10))))
        elif rng.random() < 2 / 365:
            for k in range(rng.randint(1, 3)):
                events[day + k] = ("WEATHER", float(rng.choice((4, 6, 12, 24))))
    return events


def _well_downtime(rng: random.Random, days: int) -> dict[int, tuple[str, float]]:
    """The well's own downtime: day index -> (reason, hours down; 24 means the whole day)."""
    out: dict[int, tuple[str, float]] = {}
    day = 0
    while day < days:
        roll = rng.random() * 365
        if roll < 4.0:  # pump off for a few hours, about 4 times a year
            out[day] = ("PUMP_FAIL", float(rng.choice((1.5, 2, 3, 4, 6, 8))))
        elif roll < 5.0:  # parted rods: 1-2 days down, back on part of the next day
            n = rng.randint(1, 2)
            out.update({day + k: ("ROD_PART", 24.0) for k in range(n)})
            out[day + n] = ("ROD_PART", float(rng.choice((6, 8, 10))))
            day += n
        elif roll < 5.3:  # a workover rig: 2-4 days down
            n = rng.randint(2, 4)
            out.update({day + k: ("WORKOVER", 24.0) for k in range(n)})
            day += n - 1
        elif roll < 5.8:
            out[day] = ("OTHER", float(rng.choice((2, 4, 5))))
        day += 1
    return out


def _downtime(
    own: dict[int, tuple[str, float]],
    shared: dict[int, tuple[str, float]],
    rng: random.Random,
    days: int,
) -> dict[int, tuple[str, float]]:
    merged = dict(own)
    for day, (reason, hours) in shared.items():
        if day < days and rng.random() < 0.85 and merged.get(day, ("", 0.0))[1] < hours:
            jitter = 0.0 if hours >= 24 else rng.choice((-1.0, -0.5, 0.0, 0.5, 1.0))
            merged[day] = (reason, max(0.5, hours + jitter))
    return merged


def _anomalies(
    rng: random.Random, n_wells: int, days: int, down: list[dict[int, tuple[str, float]]]
) -> dict[tuple[int, int], str]:
    """(well, day index) -> kind: 31+ days in, no downtime the day before, of, or after; on
    different wells while there are wells enough, else 32+ days apart."""
    out: dict[tuple[int, int], str] = {}
    if n_wells == 0 or days < 40:
        return out
    per_kind = max(1, round(n_wells * days / 18_000))
    distinct = n_wells >= per_kind * len(ANOMALY_RULES)
    for kind in ANOMALY_RULES:
        placed, tries = 0, 0
        while placed < per_kind and tries < 1000:
            tries += 1
            well, day = rng.randrange(n_wells), rng.randrange(31, days - 1)
            if any(d in down[well] for d in (day - 1, day, day + 1)):
                continue
            if any(w == well and (distinct or abs(d - day) < 32) for w, d in out):
                continue
            out[well, day] = kind
            placed += 1
    return out


def simulate(
    *,
    wells: int = 50,
    days: int = 730,
    end: date,
    seed: int = 2024,
    timezone: str = "America/Chicago",
) -> Simulation:
    """``days`` of daily history for ``wells`` wells ending on ``end`` (inclusive)."""
    sim_wells, anomalies, by_well = simulate_by_well(
        wells=wells, days=days, end=end, seed=seed, timezone=timezone
    )
    series = list(by_well)
    out = [series[i][d] for d in range(days) for i in range(wells)]
    first = end - timedelta(days=days - 1)
    return Simulation(sim_wells, out, anomalies, first, end)


def simulate_by_well(
    *,
    wells: int,
    days: int,
    end: date,
    seed: int = 2024,
    timezone: str = "America/Chicago",
) -> tuple[list[SimWell], list[Anomaly], Iterator[list[SimDay]]]:
    """The same history as :func:`simulate`, one well's days at a time (for histories too
    big to hold at once, such as the aggregates benchmark's 10,000 wells)."""
    if wells < 0 or days < 0:
        raise ValueError("wells and days must be 0 or more")
    first = end - timedelta(days=days - 1)
    sim_wells = _make_wells(wells, seed)
    factors = {f: _field_factors(f, days, seed) for f in FIELDS}
    shared = {f: _field_downtime(f, days, seed) for f in FIELDS}
    rngs = [random.Random(f"{seed}:well:{i}") for i in range(wells)]
    down = [
        _downtime(_well_downtime(r, days), shared[w.field], r, days)
        for r, w in zip(rngs, sim_wells, strict=True)
    ]
    kinds = _anomalies(random.Random(f"{seed}:anomalies"), wells, days, down)
    anomalies = [
        Anomaly(w, first + timedelta(days=d), kind, ANOMALY_RULES[kind])
        for (w, d), kind in sorted(kinds.items(), key=lambda item: (item[0][1], item[0][0]))
    ]
    series = (
        _well_days(i, w, rngs[i], factors[w.field], down[i], kinds, first, timezone)
        for i, w in enumerate(sim_wells)
    )
    return sim_wells, anomalies, series


def _well_days(
    index: int,
    well: SimWell,
    rng: random.Random,
    factor: list[tuple[float, float]],
    down: dict[int, tuple[str, float]],
    kinds: dict[tuple[int, int], str],
    first: date,
    tz: str,
) -> list[SimDay]:
    gor0 = rng.uniform(0.6, 2.5)  # Mcf/bbl = 1000 scf/bbl
    gor_rise = rng.uniform(0.05, 0.4)
    logit_wc = math.log((wc0 := rng.uniform(0.15, 0.55)) / (1 - wc0))
    wc_rise = rng.uniform(0.1, 0.35)
    tubing0, casing_extra = rng.uniform(80.0, 250.0), rng.uniform(20.0, 150.0)
    out = []
    for day in range(len(factor)):
        t = day / 365.25
        d = first + timedelta(days=day)
        rate = well.qi / (1 + well.b * well.di * t) ** (1 / well.b)
        slow, shared = factor[day]
        daily = math.sqrt(FIELD_SHARE) * shared + math.sqrt(1 - FIELD_SHARE) * rng.gauss(0.0, 1.0)
        rate *= math.exp(slow + DAILY_SD * max(-CLIP, min(CLIP, daily)))
        kind = kinds.get((index, day))
        if kind == "water_cut_jump":  # breakthrough: the water cut steps up and stays up
            wc_now = 1 / (1 + math.exp(-(logit_wc + wc_rise * t)))
            target = min(0.97, wc_now + rng.uniform(0.30, 0.40))
            logit_wc += math.log(target / (1 - target)) - math.log(wc_now / (1 - wc_now))
        wc = 1 / (1 + math.exp(-(logit_wc + wc_rise * t)))
        gor = gor0 * (1 + gor_rise * t) * math.exp(_clipped(rng, 0.03))
        day_len = day_length_hours(d, tz)
        reason, lost = down.get(day, (None, 0.0))
        lost = day_len if lost >= 24 else lost  # whole-day downtime
        hours_on = day_len - lost
        oil = rate * hours_on / 24  # the true volume; gas and water follow it
        gas = oil * gor * (rng.uniform(2.1, 2.6) if kind == "gor_jump" else 1.0)
        water = oil * wc / (1 - wc) * math.exp(_clipped(rng, 0.03))
        if kind == "oil_spike":  # the tank was counted twice or more; the meters were right
            oil *= rng.uniform(4.0, 6.0)
        tubing = tubing0 * (rate / well.qi) ** 0.3 * math.exp(_clipped(rng, 0.02))
        out.append(
            SimDay(
                well=index,
                production_date=d,
                oil_bbl=round(oil, 1),
                gas_mcf=round(gas, 1),
                water_bbl=round(water, 1),
                hours_on=hours_on,
                downtime_hours=lost,
                downtime_reason=reason,
                tubing_psi=round(tubing),
                casing_psi=round(tubing + casing_extra),
                notes=NOTES[reason] if reason else "",
            )
        )
    return out
