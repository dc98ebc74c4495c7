"""The tables the analytics commands of both command lines print (`sync-server analytics`,
`fieldapp analytics`; docs/analytics-api.md): one function per answer, each taking the well's
title ("API name") and the answer the API would give. Numbers have thousands separators and a
fixed number of decimals per column; "-" stands for no value. Columns are right-aligned."""

from __future__ import annotations

from pydantic import BaseModel

from shared.analytics_contracts import DeclineAnswer, ForecastAnswer, SeriesAnswer, TrendAnswer


def _n(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [header, ["-" * w for w in widths], *rows]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in lines)


def summary_table(title: str, answer: SeriesAnswer) -> str:
    rows = [
        [
            p.label,
            _n(p.totals.oil_bbl),
            _n(p.totals.gas_mcf),
            _n(p.totals.water_bbl),
            _n(p.totals.boe),
            _n(p.totals.hours_on),
            "producing" if p.totals.producing_days else "shut in" if p.totals.shut_in_days else "-",
        ]
        for p in answer.periods
    ]
    head = f"{title} ({answer.timezone})"
    table = _table(["day", "oil bbl", "gas mcf", "water bbl", "boe", "hours", "status"], rows)
    return f"{head}\n{table}"


def trend_table(title: str, answer: TrendAnswer) -> str:
    rows = [
        [metric]
        + (
            ["-", "-", "-", "-", "too few points", "0"]
            if line is None
            else [
                _n(line.slope_per_day, 3),
                _n(line.pct_change),
                _n(line.r_squared, 3),
                _n(line.p_value, 4),
                line.direction,
                str(line.n),
            ]
        )
        for metric, line in answer.trends.items()
    ]
    window = "all days" if answer.window is None else f"last {answer.window} days"
    head = f"{title}: trend of daily rates, {window} to {answer.last_day}"
    return (
        head + "\n" + _table(["metric", "slope/day", "change %", "R²", "p", "direction", "n"], rows)
    )


def forecast_table(title: str, answer: ForecastAnswer) -> str:
    head = f"{title}: {answer.metric} rate forecast"
    if answer.forecast is None:
        return f"{head}: none ({answer.refusal})"
    body = answer.forecast
    rows = [[p.day.isoformat(), _n(p.mean), _n(p.lower), _n(p.upper)] for p in body.points]
    method = f"{body.method}, {body.n_obs} producing days" + (f"; {body.note}" if body.note else "")
    return f"{head} ({method})\n" + _table(["day", "mean", "95% low", "95% high"], rows)


def decline_table(title: str, answer: DeclineAnswer) -> str:
    head = f"{title}: Arps decline of the {answer.metric} rate"
    if answer.fit is None:
        return f"{head}: no fit ({answer.refusal})"
    f = answer.fit
    rows = [
        ["qi (per day)", _n(f.qi)],
        ["Di (per day)", _n(f.di, 5)],
        ["b", _n(f.b, 3)],
        ["terminal decline (a year)", _n(answer.terminal_decline, 3)],
        ["economic limit (per day)", _n(answer.economic_limit)],
        ["R²", _n(f.r_squared, 3)],
        ["RMSE", _n(f.rmse, 2)],
        ["producing days fitted", str(f.n_obs)],
        ["cumulative", _n(f.cumulative, 0)],
        ["EUR", _n(f.eur, 0)],
        ["remaining", _n(f.remaining, 0)],
        ["economic limit reached", "-" if f.limit_day is None else f.limit_day.isoformat()],
    ]
    return f"{head}\n" + _table(["", "value"], rows)


def table_of(title: str, answer: BaseModel) -> str:
    """The table of any of the four answers."""
    if isinstance(answer, SeriesAnswer):
        return summary_table(title, answer)
    if isinstance(answer, TrendAnswer):
        return trend_table(title, answer)
    if isinstance(answer, ForecastAnswer):
        return forecast_table(title, answer)
    if isinstance(answer, DeclineAnswer):
        return decline_table(title, answer)
    raise TypeError(f"no table for {type(answer).__name__}")
