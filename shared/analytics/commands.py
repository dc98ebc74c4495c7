"""The well commands of both command lines: `analytics summary|trend|forecast|decline --well API
[--days N] [--json]` of `sync-server` (a well of an organization) and of `fieldapp` (a well of
the laptop's store; docs/analytics-api.md). Their defaults, the checks of their options, the
answer each computes from the well's rows and what it prints, so the two command lines differ
only in where the rows come from.

- summary: daily totals of the last `days` days of data (default 30, at least 1);
- trend: the rate trends over the last `days` days (default 30; 0: every day);
- forecast: `days` days ahead (default 7, 1 to 90) of the `metric` rate (oil, gas, water);
- decline: the Arps fit of the `metric` rate (oil, gas) over the last `days` days of data
  (default 0: all of it), with `terminal_decline` (a fraction a year, between 0 and 1) and
  `economic_limit` (a rate per day, positive).

The windows count calendar days back from the well's last recorded day, not from today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel

from shared.analytics.answers import (
    DEFAULT_ECONOMIC_LIMIT,
    DEFAULT_HORIZON,
    DEFAULT_TERMINAL_DECLINE,
    WellData,
    decline_answer,
    forecast_answer,
    series_answer,
    trend_answer,
)
from shared.analytics.tables import table_of
from shared.analytics_contracts import (
    DeclineAnswer,
    ForecastAnswer,
    Metric,
    SeriesAnswer,
    TrendAnswer,
)

Command = Literal["summary", "trend", "forecast", "decline"]
COMMANDS: tuple[Command, ...] = ("summary", "trend", "forecast", "decline")
DEFAULT_DAYS: dict[Command, int] = {
    "summary": 30,
    "trend": 30,
    "forecast": DEFAULT_HORIZON,
    "decline": 0,
}
MAX_FORECAST_DAYS = 90
MAX_ECONOMIC_LIMIT = 1e6
FORECAST_METRICS: tuple[Metric, ...] = ("oil", "gas", "water")
DECLINE_METRICS: tuple[Metric, ...] = ("oil", "gas")


class OptionError(ValueError):
    """An option out of its range; the message names the option."""


@dataclass(frozen=True, slots=True)
class WellOptions:
    """A well command's options as given (None: the command's default)."""

    command: Command
    days: int | None = None
    metric: Metric = "oil"
    terminal_decline: float | None = None
    economic_limit: float | None = None
    as_json: bool = False

    @classmethod
    def from_args(cls, args: Any) -> WellOptions:
        """The options of a parsed `analytics ACTION` command line (argparse's namespace), the
        same on the laptop and the server."""
        return cls(
            command=args.analytics_command,
            days=args.days,
            metric=getattr(args, "metric", "oil"),
            terminal_decline=getattr(args, "terminal_decline", None),
            economic_limit=getattr(args, "economic_limit", None),
            as_json=args.json,
        )

    @property
    def window(self) -> int:
        return DEFAULT_DAYS[self.command] if self.days is None else self.days

    @property
    def terminal(self) -> float:
        given = self.terminal_decline
        return DEFAULT_TERMINAL_DECLINE if given is None else given

    @property
    def limit(self) -> float:
        return DEFAULT_ECONOMIC_LIMIT if self.economic_limit is None else self.economic_limit


def check(options: WellOptions) -> None:
    """OptionError for an option out of range (the same words on both command lines)."""
    command, days = options.command, options.days
    least = 1 if command in ("summary", "forecast") else 0
    if days is not None and (days < least or (command == "forecast" and days > MAX_FORECAST_DAYS)):
        most = f" to {MAX_FORECAST_DAYS}" if command == "forecast" else ""
        raise OptionError(f"--days must be from {least}{most} for {command}")
    allowed = DECLINE_METRICS if command == "decline" else FORECAST_METRICS
    if command in ("forecast", "decline") and options.metric not in allowed:
        raise OptionError(f"--metric must be one of {', '.join(allowed)} for {command}")
    if command == "decline" and not 0 < options.terminal < 1:
        raise OptionError("--terminal-decline must be between 0 and 1 (a fraction a year)")
    if command == "decline" and not 0 < options.limit < MAX_ECONOMIC_LIMIT:
        raise OptionError("--economic-limit must be a positive rate per day")


def last_days(data: WellData, days: int) -> WellData:
    """The well's rows of the last `days` calendar days up to its last row (0: all of them)."""
    if not days or not data.rows:
        return data
    since = max(r.production_date for r in data.rows) - timedelta(days=days - 1)
    kept = tuple(r for r in data.rows if r.production_date >= since)
    return WellData(data.well_id, kept, data.version)


def summary(data: WellData, tz: str, days: int) -> SeriesAnswer:
    """Daily totals of the last `days` days of data."""
    last = max((r.production_date for r in data.rows), default=None)
    first = None if last is None else last - timedelta(days=days - 1)
    return series_answer("well", data.well_id, [data.rows], tz, "day", first, last, 1)


def trend(data: WellData, tz: str, days: int) -> TrendAnswer:
    return trend_answer(data, tz, days or None)


def forecast(data: WellData, tz: str, days: int, metric: Metric, now: datetime) -> ForecastAnswer:
    return forecast_answer(data, tz, metric, days, now)


def decline(
    data: WellData,
    tz: str,
    days: int,
    metric: Metric,
    terminal_decline: float,
    economic_limit: float,
    now: datetime,
) -> DeclineAnswer:
    """The fit over the last `days` days of data (0: all of it)."""
    recent = last_days(data, days)
    return decline_answer(recent, tz, metric, terminal_decline, economic_limit, now)


def now() -> datetime:
    """The computed_at of a command's answer: now in UTC, to the second (as the API)."""
    return datetime.now(UTC).replace(microsecond=0)


def answer(data: WellData, tz: str, options: WellOptions, now: datetime) -> BaseModel:
    """The command's answer (the API's model); `now`: its computed_at (forecast, decline)."""
    match options.command:
        case "summary":
            return summary(data, tz, options.window)
        case "trend":
            return trend(data, tz, options.window)
        case "forecast":
            return forecast(data, tz, options.window, options.metric, now)
        case "decline":
            return decline(
                data, tz, options.window, options.metric, options.terminal, options.limit, now
            )


def output(data: WellData, tz: str, title: str, options: WellOptions, now: datetime) -> str:
    """What the command prints: the answer's JSON (--json) or its table under `title`."""
    check(options)
    found = answer(data, tz, options, now)
    return found.model_dump_json(indent=2) if options.as_json else table_of(title, found)
