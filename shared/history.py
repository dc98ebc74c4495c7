"""Per-well days: the history the validation rules compare a record against.

The trend rules compare *rates*, not raw volumes: a day's volume normalised to a full day on,
``volume × day length / hours_on`` (the volume itself when hours on is unknown), so a partial
day or a 23-hour daylight-saving day is not a drop. Shut-in days (hours on 0, or hours unknown
and every volume 0) are no rate at all: they stay in the history as days, but never in the
columns the rules read (docs/design.md §6.3).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from shared.day_length import day_length_hours


@dataclass(frozen=True, slots=True)
class DayVolumes:
    production_date: date
    oil_bbl: float
    gas_mcf: float
    water_bbl: float
    hours_on: float | None = None
    choke_64ths: int | None = None


def is_producing(oil: float, gas: float, water: float, hours_on: float | None) -> bool:
    """Producing: hours on above 0, or hours unknown and some volume above 0; else shut in."""
    if hours_on is not None:
        return hours_on > 0
    return oil > 0 or gas > 0 or water > 0


def day_rate(volume: float, hours_on: float | None, day_hours: float) -> float:
    """The volume normalised to a full day on (the volume itself when hours are unknown)."""
    return volume * day_hours / hours_on if hours_on else volume


def water_cut(oil: float, water: float) -> float | None:
    """Water as a percentage of the liquid; None without liquid."""
    liquid = oil + water
    return water * 100.0 / liquid if liquid > 0 else None


@dataclass(frozen=True, slots=True)
class ProducingDay:
    """The last producing day before a record, as the day-over-day rules need it."""

    production_date: date
    oil_rate: float  # bbl/day, normalised to hours on
    hours_on: float | None
    choke_64ths: int | None
    water_cut: float | None


class Window:
    """The producing days of ``[d - days, d - 1]``: their oil rates, their gas/oil ratios (days
    with oil above 0, Mcf/bbl), their water cuts (%; days with liquid) and the last of them.
    Ratios and cuts are sliced only when a rule asks (the import's hot path)."""

    __slots__ = ("_history", "_i", "_j", "previous", "rates")

    def __init__(self, history: WellHistory | None = None, i: int = 0, j: int = 0) -> None:
        self._history, self._i, self._j = history, i, j
        self.rates: list[float] = history._rates[i:j] if history is not None else []
        self.previous = history._last[j - 1] if history is not None and j > i else None

    @property
    def ratios(self) -> list[float]:
        h = self._history
        if h is None:
            return []
        with_oil = h._with_oil[self._i : self._j]
        ratios = h._ratios[self._i : self._j]
        if all(with_oil):
            return ratios
        return [r for r, has in zip(ratios, with_oil, strict=True) if has]

    @property
    def cuts(self) -> list[float]:
        h = self._history
        return [] if h is None else [c for c in h._cuts[self._i : self._j] if c >= 0]


class WellHistory:
    """One well's days, with date-sorted columns of its producing days.

    Every day is kept by date (``get``, ``window_before``); the producing days also go into
    parallel columns (ordinal, oil rate, gas/oil ratio, the day itself), so a window is two
    bisections and a slice and an import that walks a well day by day only appends.
    """

    __slots__ = (
        "_all",
        "_by_ordinal",
        "_cuts",
        "_last",
        "_ordinals",
        "_rates",
        "_ratios",
        "_with_oil",
        "tz",
        "window_days",
    )

    def __init__(
        self, days: Iterable[DayVolumes] = (), window_days: int = 30, tz: str = "America/Chicago"
    ) -> None:
        self.window_days = window_days
        self.tz = tz
        self._by_ordinal: dict[int, DayVolumes] = {}
        self._all: list[int] = []  # ordinals of every day, sorted
        self._ordinals: list[int] = []  # ordinals of the producing days, sorted
        self._rates: list[float] = []  # their oil rates
        self._ratios: list[float] = []  # their gas/oil ratios (Mcf/bbl; 0 where no oil)
        self._with_oil: list[bool] = []  # whether they had oil (a ratio)
        self._cuts: list[float] = []  # their water cuts (%; -1 without liquid)
        self._last: list[ProducingDay] = []  # each as the next day's "last producing day"
        for day in days:
            self.add(day)

    def add(self, day: DayVolumes) -> None:
        """Insert the day, replacing any earlier entry for the same date."""
        key = day.production_date.toordinal()
        if key in self._by_ordinal:
            self._drop(key)
        else:
            self._all.insert(bisect_left(self._all, key), key)
        self._by_ordinal[key] = day
        oil, hours = day.oil_bbl, day.hours_on
        if not is_producing(oil, day.gas_mcf, day.water_bbl, hours):
            return
        rate = oil * day_length_hours(day.production_date, self.tz) / hours if hours else oil
        cut = water_cut(oil, day.water_bbl)
        last = ProducingDay(day.production_date, rate, hours, day.choke_64ths, cut)
        ordinals = self._ordinals
        if not ordinals or key > ordinals[-1]:  # the common case: the next day of an import
            ordinals.append(key)
            self._rates.append(rate)
            self._ratios.append(day.gas_mcf / oil if oil > 0 else 0.0)
            self._with_oil.append(oil > 0)
            self._cuts.append(-1.0 if cut is None else cut)
            self._last.append(last)
            return
        i = bisect_left(ordinals, key)
        ordinals.insert(i, key)
        self._rates.insert(i, rate)
        self._ratios.insert(i, day.gas_mcf / oil if oil > 0 else 0.0)
        self._with_oil.insert(i, oil > 0)
        self._cuts.insert(i, -1.0 if cut is None else cut)
        self._last.insert(i, last)

    def _drop(self, key: int) -> None:
        """Take the day ``key`` out of the producing columns (it stays in ``_all``)."""
        i = bisect_left(self._ordinals, key)
        if i < len(self._ordinals) and self._ordinals[i] == key:
            del self._ordinals[i], self._rates[i]
            del self._ratios[i], self._with_oil[i], self._cuts[i], self._last[i]

    def discard(self, d: date) -> None:
        """Forget the day ``d`` (a voided record), if present."""
        key = d.toordinal()
        if self._by_ordinal.pop(key, None) is not None:
            self._drop(key)
            del self._all[bisect_left(self._all, key)]

    def get(self, d: date) -> DayVolumes | None:
        return self._by_ordinal.get(d.toordinal())

    def window_before(self, d: date, days: int | None = None) -> list[DayVolumes]:
        """Every day in ``[d - days, d - 1]`` sorted by date (``days`` defaults to window_days),
        shut-in days included."""
        end = d.toordinal()
        lo = bisect_left(self._all, end - (self.window_days if days is None else days))
        keys = self._all[lo : bisect_left(self._all, end, lo)]
        return [self._by_ordinal[k] for k in keys]

    def __len__(self) -> int:
        return len(self._by_ordinal)

    def producing_window(self, d: date, days: int) -> Window:
        """The producing days of ``[d - days, d - 1]`` (see :class:`Window`)."""
        end = d.toordinal()
        ordinals = self._ordinals
        i = bisect_left(ordinals, end - days)
        return Window(self, i, bisect_left(ordinals, end, i))
