"""Short-term rate forecasts with prediction intervals (docs/forecast.md).

The input is a well's producing days only (shut-in and missing days left out), oldest first.
They are fitted as consecutive steps of one series: a shut-in does not enter the fit and does
not stretch it either. The h-step forecast is placed on the h-th *calendar* day after the last
producing day, i.e. the forecast assumes the well produces every day from tomorrow on.

With 21 producing days or more the forecast is an exponential-smoothing state-space model
(statsmodels ``ETSModel``, additive error, no season), chosen by AIC among three trends: damped
additive ETS(A,Ad,N), additive ETS(A,A,N) and none ETS(A,N,N); the first listed wins a tie.
The initial level and trend come from statsmodels' heuristic (a straight line through the first
ten values) instead of being estimated with the smoothing parameters: about 5x fewer
likelihood evaluations for a difference that has decayed long before the last day. The point
forecast and the (1 - alpha) interval are ``get_prediction(start, end).summary_frame(alpha)``'s
``mean`` / ``pi_lower`` / ``pi_upper``.

Fewer than 21 producing days: the mean of the last <= 7 values, flat over the horizon, with a
t prediction interval for one new value from their sample standard deviation (none from a
single value). ``method`` names what was used and ``note`` says why.

A rate cannot be negative: mean, lower and upper are clipped at 0 (only the lower bound ever is
in practice), and ``note`` says on how many days.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats
from statsmodels.tools.eval_measures import aic as information_aic
from statsmodels.tools.sm_exceptions import ModelWarning
from statsmodels.tsa.exponential_smoothing.ets import ETSModel, ETSResults, ETSResultsWrapper

MIN_ETS_DAYS = 21  # fewer producing days than this: the recent-mean fallback
FALLBACK_WINDOW = 7  # the fallback averages at most this many of the last values
MAX_HORIZON = 90
FALLBACK_METHOD = "recent-mean"


@dataclass(frozen=True)
class Candidate:
    """One model of the fixed set: its name in ETS(error, trend, season) notation."""

    method: str
    trend: str | None
    damped: bool


CANDIDATES: tuple[Candidate, ...] = (
    Candidate("ETS(A,Ad,N)", "add", True),
    Candidate("ETS(A,A,N)", "add", False),
    Candidate("ETS(A,N,N)", None, False),
)


@dataclass(frozen=True)
class Forecast:
    """``days[i]`` (date ordinals) gets ``mean[i]`` within [``lower[i]``, ``upper[i]``]."""

    method: str
    days: NDArray[np.int64]
    mean: NDArray[np.float64]
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    n_obs: int
    note: str
    aic: float | None


def forecast(
    days: NDArray[np.int64],
    values: NDArray[np.float64],
    *,
    horizon: int = 7,
    alpha: float = 0.05,
) -> Forecast:
    """Forecast the next ``horizon`` calendar days from the producing days given."""
    day_arr, value_arr = _checked(days, values, horizon, alpha)
    ahead = day_arr[-1] + np.arange(1, horizon + 1, dtype=np.int64)
    n = len(value_arr)
    if n < MIN_ETS_DAYS:
        why = f"{n} producing days, fewer than the {MIN_ETS_DAYS} an ETS fit needs"
        return _fallback(value_arr, ahead, alpha, why)
    fitted = _fit_ets(value_arr, horizon, alpha)
    if isinstance(fitted, str):
        return _fallback(value_arr, ahead, alpha, fitted)
    method, aic, frame, note = fitted
    return _clipped(method, ahead, frame, n, note, aic)


# --- the ETS path ------------------------------------------------------------------------------


class _ParamsOnlyETS(ETSModel):  # type: ignore[misc]
    """``ETSModel`` whose ``fit`` stops at the estimated parameters.

    statsmodels' ``fit`` ends with ``smooth(params)``, which builds the whole results object: a
    smoothing pass, pandas series and frames, and a complex-step Hessian for standard errors.
    Choosing by AIC needs only the parameters and the log-likelihood, so here ``smooth`` returns
    just the parameters (``fit`` attaches ``mle_retvals`` to them as usual) and only the chosen
    model gets its results built, by ``results``, from the very same parameters.

    The optimiser calls ``_loglike_internal`` about 40 times a fit; for the real-valued,
    additive-error calls of ``fit`` it is statsmodels' own code without its per-call checks
    (complex input, int64 copy of ``is_fixed``, ``np.mean``'s dispatch): the same smoothing, the
    same residuals and the same pairwise sum divided by n, so the same bits and the same
    optimiser path (``test_forecast.py`` compares with the plain statsmodels calls).
    """

    def _loglike_internal(
        self,
        params: Any,
        yhat: Any,
        xhat: Any,
        is_fixed: Any = None,
        fixed_values: Any = None,
        use_beta_star: bool = False,
        use_gamma_star: bool = False,
    ) -> Any:
        if is_fixed is None or self.error != "add" or np.iscomplexobj(params):
            return super()._loglike_internal(
                params, yhat, xhat, is_fixed, fixed_values, use_beta_star, use_gamma_star
            )
        data = self.endog
        self._smoothing_func(
            params, data, yhat, xhat, is_fixed, fixed_values, use_beta_star, use_gamma_star
        )
        res = data - yhat
        return -self.nobs / 2 * (np.log(2 * np.pi * (np.add.reduce(res**2) / len(res))) + 1)

    def smooth(self, params: Any, return_raw: bool = False) -> Any:
        return SimpleNamespace(params=np.asarray(params))

    def results(self, params: Any) -> Any:
        """What ``ETSModel.fit`` would have returned (without the covariance, see below)."""
        return ETSModel.smooth(self, params)

    @property
    def _res_classes(self) -> dict[str, tuple[type, type]]:
        return {"fit": (_NoCovarianceResults, ETSResultsWrapper)}


class _NoCovarianceResults(ETSResults):  # type: ignore[misc]
    """``ETSResults`` without the parameters' covariance (the complex-step Hessian).

    The forecast uses none of it: the exact prediction interval of these additive models is
    σ²·(1 + Σ c_j²) from the fitted smoothing parameters, not their standard errors.
    """

    @property
    def cov_params_approx(self) -> NDArray[np.float64]:
        k = len(self.params)
        return np.full((k, k), np.nan)


def _fit_ets(
    values: NDArray[np.float64], horizon: int, alpha: float
) -> tuple[str, float, NDArray[np.float64], str] | str:
    """(method, AIC, [mean, lower, upper] rows, note) of the best candidate, or why none fit."""
    endog = pd.Series(values)  # statsmodels 0.15's get_prediction needs an index
    n = len(values)
    fitted: list[tuple[float, Candidate, Any, Any]] = []
    scores: list[str] = []
    troubles: list[str] = []
    with warnings.catch_warnings():
        # deliberate: the optimiser's warnings become words in the note, not noise
        warnings.simplefilter("ignore", ModelWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        for candidate in CANDIDATES:
            try:
                model = _ParamsOnlyETS(
                    endog,
                    error="add",
                    trend=candidate.trend,
                    damped_trend=candidate.damped,
                    initialization_method="heuristic",
                )
                estimate = model.fit(disp=False)
                # ETSResults.aic: -2 llf + 2 df_model, df_model = the free parameters + σ²
                llf = model.loglike(estimate.params)
                aic = float(information_aic(llf, model.nobs, len(estimate.params) + 1))
            except (ValueError, np.linalg.LinAlgError) as exc:
                troubles.append(f"{candidate.method} failed ({exc})")
                continue
            if not math.isfinite(aic):
                troubles.append(f"{candidate.method} has no finite AIC")
                continue
            if not estimate.mle_retvals.get("converged", True):
                troubles.append(f"{candidate.method} did not converge")
            scores.append(f"{candidate.method} {aic:.1f}")
            fitted.append((aic, candidate, model, estimate.params))
        # the lowest AIC; sorted() is stable, so the first listed wins a tie
        for aic, candidate, model, params in sorted(fitted, key=lambda f: f[0]):
            try:
                predicted = model.results(params).get_prediction(start=n, end=n + horizon - 1)
                # summary_frame's mean / pi_lower / pi_upper, without building its DataFrame
                rows = np.empty((horizon, 3), dtype=np.float64)
                rows[:, 0] = np.asarray(predicted.predicted_mean, dtype=np.float64)
                rows[:, 1:] = np.asarray(predicted.pred_int(alpha=alpha), dtype=np.float64)
            except (ValueError, np.linalg.LinAlgError) as exc:
                troubles.append(f"{candidate.method} failed ({exc})")
                continue
            note = f"chosen by AIC among {', '.join(scores)}; fitted on {n} producing days"
            if troubles:
                note += "; " + "; ".join(troubles)
            return candidate.method, aic, rows, note
    return "no ETS model could be fitted: " + "; ".join(troubles)


# --- the short-series fallback -----------------------------------------------------------------


def _fallback(
    values: NDArray[np.float64], ahead: NDArray[np.int64], alpha: float, why: str
) -> Forecast:
    """The mean of the last <= 7 values with a t interval for one new value."""
    recent = values[-FALLBACK_WINDOW:]
    k = len(recent)
    center = float(recent.mean())
    if k >= 2:
        spread = float(recent.std(ddof=1)) * math.sqrt(1.0 + 1.0 / k)
        half = float(stats.t.ppf(1.0 - alpha / 2.0, k - 1)) * spread
        interval = f"{1 - alpha:.0%} t interval from their standard deviation"
    else:
        half = math.nan
        interval = "no interval from a single value"
    rows = np.empty((len(ahead), 3), dtype=np.float64)
    rows[:] = (center, center - half, center + half)
    note = f"{why}: mean of the last {k} producing days, {interval}"
    return _clipped(FALLBACK_METHOD, ahead, rows, len(values), note, None)


# --- shared ------------------------------------------------------------------------------------


def _clipped(
    method: str,
    ahead: NDArray[np.int64],
    rows: NDArray[np.float64],
    n_obs: int,
    note: str,
    aic: float | None,
) -> Forecast:
    negative = int(np.count_nonzero(rows[:, 1] < 0.0))
    if negative:
        note += f"; lower bound clipped at 0 on {negative} of {len(ahead)} days"
    clipped = np.maximum(rows, 0.0)  # NaN (no interval) stays NaN
    return Forecast(
        method=method,
        days=ahead,
        mean=np.ascontiguousarray(clipped[:, 0]),
        lower=np.ascontiguousarray(clipped[:, 1]),
        upper=np.ascontiguousarray(clipped[:, 2]),
        n_obs=n_obs,
        note=note,
        aic=aic,
    )


def _checked(
    days: NDArray[np.int64], values: NDArray[np.float64], horizon: int, alpha: float
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer):
        raise ValueError(f"horizon must be a whole number of days, not {horizon!r}")
    if not 1 <= horizon <= MAX_HORIZON:
        raise ValueError(f"horizon must be 1 to {MAX_HORIZON} days, not {horizon}")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be between 0 and 1, not {alpha}")
    day_arr = np.asarray(days, dtype=np.int64)
    value_arr = np.asarray(values, dtype=np.float64)
    if day_arr.ndim != 1 or value_arr.shape != day_arr.shape:
        raise ValueError(
            f"days and values must be 1-D and the same length ({day_arr.shape} vs "
            f"{value_arr.shape})"
        )
    if len(value_arr) == 0:
        raise ValueError("no producing days to forecast from")
    bad = np.flatnonzero(~np.isfinite(value_arr))
    if len(bad):
        raise ValueError(
            f"{len(bad)} non-finite values (NaN or infinity), the first on day ordinal "
            f"{int(day_arr[bad[0]])}: pass producing days only, with their rates"
        )
    if np.any(np.diff(day_arr) <= 0):
        raise ValueError("days must be strictly increasing (oldest first, one value per day)")
    return day_arr, value_arr
