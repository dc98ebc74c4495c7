"""What the operator chose on the Charts screen, as one immutable value (Qt-free).

`ChartOptions` is the range (30 / 90 / 365 days, all, or custom dates), the metrics shown
(oil, gas, water), daily or cumulative, rates or volumes, linear or log y, and the display
units. Changing a choice makes a new value (`with_`), so a view computed on the worker
always knows exactly which choices it answers, and a result for older choices is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from fieldapp.ui.charts_analysis import METRICS, Metric
from shared.units import UnitSystem

RangeKey = Literal["30", "90", "365", "all", "custom"]
RANGES: tuple[tuple[RangeKey, str], ...] = (
    ("30", "30 days"),
    ("90", "90 days"),
    ("365", "365 days"),
    ("all", "All"),
    ("custom", "Custom…"),
)
MAX_CUSTOM_DAYS = 366 * 50


@dataclass(frozen=True, slots=True)
class ChartOptions:
    range_key: RangeKey = "90"
    custom: tuple[date, date] | None = None  # (first, last) when range_key is "custom"
    metrics: tuple[Metric, ...] = METRICS  # shown, in METRICS order
    cumulative: bool = False
    rates: bool = True  # daily rates (normalised to hours on) or daily volumes
    log_y: bool = False
    units: UnitSystem = UnitSystem.FIELD

    def __post_init__(self) -> None:
        if self.range_key not in {key for key, _ in RANGES}:
            raise ValueError(f"unknown range {self.range_key!r}")
        if self.range_key == "custom":
            if self.custom is None:
                raise ValueError("a custom range needs its first and last day")
            first, last = self.custom
            if first > last or (last - first).days > MAX_CUSTOM_DAYS:
                raise ValueError(f"the range {first} to {last} is not a range of days")
        unknown = set(self.metrics) - set(METRICS)
        if unknown:
            raise ValueError(f"unknown metric {sorted(unknown)[0]!r}")
        object.__setattr__(self, "metrics", tuple(m for m in METRICS if m in self.metrics))

    def with_(self, **changes: Any) -> ChartOptions:
        """These options with some choices changed (checked like new ones)."""
        return replace(self, **changes)

    def toggled(self, metric: Metric, shown: bool) -> ChartOptions:
        metrics = set(self.metrics) | {metric} if shown else set(self.metrics) - {metric}
        return self.with_(metrics=tuple(m for m in METRICS if m in metrics))

    @property
    def mode_words(self) -> str:
        if self.cumulative:
            return "cumulative volumes"
        return "daily rates" if self.rates else "daily volumes"
