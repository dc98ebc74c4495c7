"""GET /api/v1/analytics/… through the real app and Postgres: the answers equal shared.analytics
on the same rows (and plain sums), ETag / If-None-Match, row-level security between
organizations, and a 400 problem naming each bad parameter."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from apifieldkit import FALL_BACK, NEXT_DAY, Field, make_field
from starlette.testclient import TestClient

from shared.analytics.aggregates import aggregate
from shared.analytics.anomalies import anomalies
from shared.analytics.decline import DeclineRefusal, fit_decline
from shared.analytics.forecast import forecast
from shared.analytics.series import DailyRow, daily_series, sum_series
from shared.analytics.trends import trend
from shared.analytics_contracts import number

TZ = "America/Chicago"  # new_org's default


@pytest.fixture(scope="module")
def acme(client: TestClient, database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Field:
    return make_field(client, database_url, tmp_path_factory.mktemp("acme"))


@pytest.fixture(scope="module")
def other(client: TestClient, database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Field:
    return make_field(client, database_url, tmp_path_factory.mktemp("other"))


def get(client: TestClient, f: Field, path: str, **params: Any) -> Any:
    response = client.get(f"/api/v1/analytics/{path}", params=params, headers=f.auth())
    assert response.status_code == 200, response.text
    return response.json()


def first_well(f: Field) -> Any:
    return next(iter(f.wells.values()))


def close(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (
        a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(b))
    )


def rates(rows: list[DailyRow], metric: str) -> tuple[Any, Any]:
    s = daily_series(rows, tz=TZ)
    r = s.rate(metric)  # type: ignore[arg-type]
    keep = s.producing() & np.isfinite(r)
    return s.days[keep], r[keep]


# --- series ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("interval", ["day", "week", "month"])
def test_a_wells_series_equals_shared_aggregates_on_its_rows(
    client: TestClient, acme: Field, interval: str
) -> None:
    well = first_well(acme)
    answer = get(client, acme, "series", scope="well", id=str(well), interval=interval)
    expected = aggregate(daily_series(acme.rows[well], tz=TZ), interval)  # type: ignore[arg-type]
    assert answer["wells"] == 1 and answer["timezone"] == TZ
    assert [p["label"] for p in answer["periods"]] == [p.label for p in expected]
    for got, want in zip(answer["periods"], expected, strict=True):
        assert got["start"] == want.start.isoformat() and got["end"] == want.end.isoformat()
        t = got["totals"]
        assert t["producing_days"] == want.totals.producing_days
        assert t["shut_in_days"] == want.totals.shut_in_days
        assert close(t["boe"], want.totals.boe)
        assert close(t["gor_scf_per_bbl"], number(want.totals.gor_scf_per_bbl))


def test_monthly_totals_equal_plain_sums_of_the_rows(client: TestClient, acme: Field) -> None:
    """Independent of shared.analytics: a lease's month is the sum of its wells' rows."""
    answer = get(client, acme, "series", scope="lease", id=str(acme.lease_id), interval="month")
    oil: dict[str, float] = defaultdict(float)
    producing: dict[str, int] = defaultdict(int)
    for rows in acme.rows.values():
        for r in rows:
            oil[r.production_date.strftime("%Y-%m")] += r.oil_bbl
            producing[r.production_date.strftime("%Y-%m")] += r.hours_on not in (None, 0.0)
    assert answer["wells"] == 2
    assert {p["label"]: round(p["totals"]["oil_bbl"], 6) for p in answer["periods"]} == {
        k: round(v, 6) for k, v in oil.items()
    }
    assert {p["label"]: p["totals"]["producing_days"] for p in answer["periods"]} == producing


def test_lease_field_and_org_are_the_sum_of_their_wells(client: TestClient, acme: Field) -> None:
    summed = sum_series([daily_series(rows, tz=TZ) for rows in acme.rows.values()])
    expected = aggregate(summed, "week")
    for scope, ident in [("lease", acme.lease_id), ("field", acme.field_id), ("org", None)]:
        params = {"scope": scope, "interval": "week", **({"id": str(ident)} if ident else {})}
        answer = get(client, acme, "series", **params)
        assert [(p["label"], round(p["totals"]["oil_bbl"], 6)) for p in answer["periods"]] == [
            (p.label, round(p.totals.oil_bbl, 6)) for p in expected
        ]


def test_from_and_to_keep_the_days_in_range(client: TestClient, acme: Field) -> None:
    well = first_well(acme)
    answer = get(
        client,
        acme,
        "series",
        scope="well",
        id=str(well),
        **{"from": str(FALL_BACK - timedelta(days=2))},
        to=str(FALL_BACK + timedelta(days=1)),
    )
    assert [p["label"] for p in answer["periods"]] == [
        str(FALL_BACK + timedelta(days=d)) for d in (-2, -1, 0, 1)
    ]
    by_day = {r.production_date.isoformat(): r for r in acme.rows[well]}
    for p in answer["periods"]:
        assert close(p["totals"]["oil_bbl"], by_day[p["label"]].oil_bbl)
    empty = get(client, acme, "series", scope="well", id=str(well), **{"from": str(NEXT_DAY)})
    assert empty["periods"] == [] and empty["first_day"] is None


# --- a well's trend, anomalies, forecast, decline -------------------------------------------------


@pytest.mark.parametrize("window", ["30", "90", "all"])
def test_trend_equals_shared_trend_on_the_producing_rates(
    client: TestClient, acme: Field, window: str
) -> None:
    well = first_well(acme)
    answer = get(client, acme, f"wells/{well}/trend", window=window)
    for metric in ("oil", "gas", "water"):
        days, values = rates(acme.rows[well], metric)
        want = trend(days, values, window=None if window == "all" else int(window))
        got = answer["trends"][metric]
        assert want is not None and got is not None
        assert close(got["slope_per_day"], want.slope_per_day)
        assert close(got["r_squared"], want.r_squared)
        assert (got["direction"], got["n"]) == (want.direction, want.n)


def test_anomalies_equal_shared_anomalies_within_the_range(client: TestClient, acme: Field) -> None:
    well = first_well(acme)
    found = anomalies(daily_series(acme.rows[well], tz=TZ))
    answer = get(client, acme, f"wells/{well}/anomalies")
    assert [(a["day"], a["metric"]) for a in answer["anomalies"]] == [
        (a.day.isoformat(), a.metric) for a in found
    ]
    late = get(
        client, acme, f"wells/{well}/anomalies", **{"from": str(FALL_BACK - timedelta(days=17))}
    )
    assert [a["day"] for a in late["anomalies"]] == [
        a.day.isoformat() for a in found if a.day >= FALL_BACK - timedelta(days=17)
    ]


@pytest.mark.parametrize(("metric", "horizon"), [("oil", 7), ("gas", 30), ("water", 1)])
def test_forecast_equals_shared_forecast(
    client: TestClient, acme: Field, metric: str, horizon: int
) -> None:
    well = first_well(acme)
    answer = get(client, acme, f"wells/{well}/forecast", metric=metric, horizon=horizon)
    days, values = rates(acme.rows[well], metric)
    want = forecast(days, values, horizon=horizon)
    body = answer["forecast"]
    assert answer["refusal"] is None and body["method"] == want.method
    assert [p["day"] for p in body["points"]] == [
        date.fromordinal(int(d)).isoformat() for d in want.days
    ]
    for point, mean, lower, upper in zip(
        body["points"], want.mean, want.lower, want.upper, strict=True
    ):
        assert close(point["mean"], float(mean)) and close(point["lower"], float(lower))
        assert close(point["upper"], float(upper))


def test_decline_equals_shared_fit_decline(client: TestClient, acme: Field) -> None:
    well = first_well(acme)
    answer = get(client, acme, f"wells/{well}/decline", terminal_decline="0.08", economic_limit="5")
    days, values = rates(acme.rows[well], "oil")
    want = fit_decline(days, values, terminal_decline=0.08, economic_limit=5.0)
    assert (answer["terminal_decline"], answer["economic_limit"]) == (0.08, 5.0)
    if isinstance(want, DeclineRefusal):
        assert answer["fit"] is None and answer["refusal"] == want.reason
    else:
        assert answer["refusal"] is None
        for name in ("qi", "di", "b", "eur", "remaining", "cumulative"):
            assert close(answer["fit"][name], float(getattr(want, name))), name


def test_a_well_without_production_is_answered_not_refused(
    client: TestClient, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    empty = make_field(client, database_url, tmp_path_factory.mktemp("empty"), with_rows=False)
    well = first_well(empty)
    assert get(client, empty, "series", scope="well", id=str(well))["periods"] == []
    assert get(client, empty, f"wells/{well}/trend")["trends"] == {
        "oil": None,
        "gas": None,
        "water": None,
    }
    assert get(client, empty, f"wells/{well}/anomalies")["anomalies"] == []
    for kind in ("forecast", "decline"):
        answer = get(client, empty, f"wells/{well}/{kind}")
        assert answer["refusal"] and answer["data_version"] == 0


# --- ETag, 304, tenancy, errors -------------------------------------------------------------------


def test_etag_and_if_none_match(client: TestClient, acme: Field) -> None:
    url = f"/api/v1/analytics/wells/{first_well(acme)}/trend"
    first = client.get(url, headers=acme.auth())
    tag = first.headers["etag"]
    assert first.status_code == 200 and tag.startswith('"') and not tag.startswith("W/")
    for sent in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        again = client.get(url, headers={**acme.auth(), "If-None-Match": sent})
        assert again.status_code == 304 and again.content == b"", sent
        assert again.headers["etag"] == tag
    changed = client.get(
        url, params={"window": "all"}, headers={**acme.auth(), "If-None-Match": tag}
    )
    assert changed.status_code == 200 and changed.headers["etag"] != tag


def test_another_organizations_wells_and_scopes_are_not_found(
    client: TestClient, acme: Field, other: Field
) -> None:
    theirs = first_well(other)
    for path in ("trend", "anomalies", "forecast", "decline"):
        response = client.get(f"/api/v1/analytics/wells/{theirs}/{path}", headers=acme.auth())
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"
    for scope, ident in [
        ("well", theirs),
        ("lease", other.lease_id),
        ("field", other.field_id),
        ("org", other.org_id),
    ]:
        response = client.get(
            "/api/v1/analytics/series",
            params={"scope": scope, "id": str(ident)},
            headers=acme.auth(),
        )
        assert response.status_code == 404, scope
    mine = get(client, acme, "series", interval="month")
    assert mine["wells"] == len(acme.wells)  # the other org's wells do not count


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("series", {"scope": "route"}, "scope"),
        ("series", {"scope": "well"}, "id"),
        ("series", {"scope": "lease", "id": "nope"}, "id"),
        ("series", {"interval": "year"}, "interval"),
        ("series", {"from": "2026-13-01"}, "from"),
        ("series", {"to": "yesterday"}, "to"),
        ("series", {"from": "2026-11-02", "to": "2026-11-01"}, "from"),
        ("series", {"colour": "red"}, "colour"),
        ("WELL/trend", {"window": "1"}, "window"),
        ("WELL/trend", {"window": "week"}, "window"),
        ("WELL/forecast", {"horizon": "0"}, "horizon"),
        ("WELL/forecast", {"horizon": "91"}, "horizon"),
        ("WELL/forecast", {"horizon": "7.5"}, "horizon"),
        ("WELL/forecast", {"metric": "boe"}, "metric"),
        ("WELL/decline", {"metric": "water"}, "metric"),
        ("WELL/decline", {"terminal_decline": "1.5"}, "terminal_decline"),
        ("WELL/decline", {"terminal_decline": "nan"}, "terminal_decline"),
        ("WELL/decline", {"economic_limit": "-1"}, "economic_limit"),
        ("WELL/anomalies", {"from": "2026-1-1"}, "from"),
        ("not-a-uuid/trend", {}, "well_id"),
    ],
)
def test_a_bad_parameter_is_a_400_problem_naming_it(
    client: TestClient, acme: Field, path: str, params: dict[str, str], field: str
) -> None:
    url = "/api/v1/analytics/" + ("series" if path == "series" else "wells/" + path)
    url = url.replace("WELL", str(first_well(acme)))
    response = client.get(url, params=params, headers=acme.auth())
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["errors"][0]["field"] == field and body["detail"].startswith(field)


def test_a_repeated_parameter_is_refused(client: TestClient, acme: Field) -> None:
    response = client.get(
        "/api/v1/analytics/series?interval=day&interval=month", headers=acme.auth()
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "interval"


def test_analytics_need_a_token(client: TestClient, acme: Field) -> None:
    response = client.get(f"/api/v1/analytics/wells/{first_well(acme)}/forecast")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
