"""Per-well day volumes: the history the validation rules compare a record against."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import cast


@dataclass(frozen=True, slots=True)
class DayVolumes:
    production_date: date
    oil_bbl: float
    gas_mcf: float
    water_bbl: float


class WellHistory:
    """Per-well rolling day volumes for validation context.

    A dict keyed by date ordinal plus date-sorted parallel columns (ordinal, day, oil, gas/oil
    ratio or None when oil is 0), so a window is two bisections and a slice and an import that
    walks a well day by day only appends.
    """

    __slots__ = ("_by_ordinal", "_days", "_oils", "_ordinals", "_ratios", "window_days")

    def __init__(self, days: Iterable[DayVolumes] = (), window_days: int = 30) -> None:
        self.window_days = window_days
        self._by_ordinal: dict[int, DayVolumes] = {}
        self._ordinals: list[int] = []
        self._days: list[DayVolumes] = []
        self._oils: list[float] = []
        self._ratios: list[float | None] = []  # Mcf/bbl
        for day in days:
            self.add(day)

    def add(self, day: DayVolumes) -> None:
        """Insert the day, replacing any earlier entry for the same date."""
        key = day.production_date.toordinal()
        oil = day.oil_bbl
        ratio = day.gas_mcf / oil if oil > 0 else None
        i = bisect_left(self._ordinals, key)
        if key in self._by_ordinal:
            self._days[i], self._oils[i], self._ratios[i] = day, oil, ratio
        else:
            self._ordinals.insert(i, key)
            self._days.insert(i, day)
            self._oils.insert(i, oil)
            self._ratios.insert(i, ratio)
        self._by_ordinal[key] = day

    def discard(self, d: date) -> None:
        """Forget the day ``d`` (a voided record), if present."""
        key = d.toordinal()
        if self._by_ordinal.pop(key, None) is not None:
            i = bisect_left(self._ordinals, key)
            del self._ordinals[i], self._days[i], self._oils[i], self._ratios[i]

    def get(self, d: date) -> DayVolumes | None:
        return self._by_ordinal.get(d.toordinal())

    def window_before(self, d: date, days: int | None = None) -> list[DayVolumes]:
        """Days in ``[d - days, d - 1]`` sorted by date (``days`` defaults to window_days)."""
        return self._days[self._span(d, self.window_days if days is None else days)]

    def __len__(self) -> int:
        return len(self._by_ordinal)

    def _span(self, d: date, days: int) -> slice:
        end = d.toordinal()
        i = bisect_left(self._ordinals, end - days)
        return slice(i, bisect_left(self._ordinals, end, i))

    def _columns(self, d: date, days: int) -> tuple[list[float], list[float]]:
        """Oil volumes and gas/oil ratios (days with oil > 0) of ``[d - days, d - 1]``."""
        span = self._span(d, days)
        ratios = self._ratios[span]
        if None in ratios:
            return self._oils[span], [r for r in ratios if r is not None]
        return self._oils[span], cast("list[float]", ratios)
