"""Stored forecasts and declines (analytics_forecasts, migration 0006) through the real app: a
result is stored with the well's data version, served from the store while that version stands,
and computed again once the well's data change (a new day, a correction, a void) or the
organization's time zone does; row-level security keeps each organization's results apart."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import psycopg
import pytest
from apifieldkit import NEXT_DAY, Field, history, make_field, push, send
from starlette.testclient import TestClient

from shared.contracts import EventType
from sync_server.settings import APP_ROLE

MARK = "2000-01-01T00:00:00Z"


@pytest.fixture
def acme(client: TestClient, database_url: str, tmp_path: Any) -> Field:
    return make_field(client, database_url, tmp_path)


def well_of(f: Field) -> UUID:
    return next(iter(f.wells.values()))


def forecast(client: TestClient, f: Field, **params: Any) -> Any:
    response = client.get(
        f"/api/v1/analytics/wells/{well_of(f)}/forecast", params=params, headers=f.auth()
    )
    assert response.status_code == 200, response.text
    return response.json()


def stored(url: str, f: Field) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(f.org_id),))
        return conn.execute(
            "SELECT kind, metric, params, data_version FROM analytics_forecasts"
            " WHERE org_id = %s ORDER BY kind, metric, params::text",
            (f.org_id,),
        ).fetchall()


def well_version(url: str, f: Field) -> int:
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(f.org_id),))
        row = conn.execute(
            "SELECT max(server_seq) FROM production WHERE org_id = %s AND well_id = %s",
            (f.org_id, well_of(f)),
        ).fetchone()
    assert row is not None
    return int(row[0])


def mark_stored(url: str, f: Field) -> None:
    """Change what the store holds, so an answer from the store is recognisable."""
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(f.org_id),))
        conn.execute(
            "UPDATE analytics_forecasts SET result = jsonb_set(result, '{computed_at}', %s)"
            " WHERE org_id = %s",
            (f'"{MARK}"', f.org_id),
        )


def test_a_forecast_is_stored_with_the_wells_data_version_and_served_again(
    client: TestClient, database_url: str, acme: Field
) -> None:
    first = forecast(client, acme)
    version = well_version(database_url, acme)
    assert first["data_version"] == version
    assert stored(database_url, acme) == [("forecast", "oil", {"horizon": 7}, version)]
    mark_stored(database_url, acme)
    again = forecast(client, acme)
    assert again["computed_at"].startswith("2000-01-01")  # from the store, not recomputed
    assert {**again, "computed_at": first["computed_at"]} == first
    forecast(client, acme, horizon=14)
    forecast(client, acme, metric="gas")
    assert {(k, m, p["horizon"]) for k, m, p, _ in stored(database_url, acme)} == {
        ("forecast", "gas", 7),
        ("forecast", "oil", 7),
        ("forecast", "oil", 14),
    }


def test_new_data_a_correction_and_a_void_each_make_it_computed_again(
    client: TestClient, database_url: str, acme: Field
) -> None:
    well = well_of(acme)
    versions = [forecast(client, acme)["data_version"]]
    (new_day,) = push(client, acme, well, history(1.0, days=1, first=NEXT_DAY))
    corrections = [
        (EventType.PRODUCTION_CORRECTED, {"changes": {"oil_bbl": 1.0}}),
        (EventType.PRODUCTION_VOIDED, {"reason": "entered twice"}),
    ]
    mark_stored(database_url, acme)
    fresh = forecast(client, acme)
    assert fresh["computed_at"] != MARK and fresh["data_version"] > versions[-1]
    versions.append(fresh["data_version"])
    for base, (kind, extra) in enumerate(corrections, start=1):
        mark_stored(database_url, acme)
        day = {"well_id": str(well), "production_date": str(NEXT_DAY)}
        result = send(client, acme, kind, new_day, {**day, **extra}, base=base)
        assert result["status"] == "accepted", result
        answer = forecast(client, acme)
        assert not answer["computed_at"].startswith("2000"), kind
        assert answer["data_version"] == well_version(database_url, acme) > versions[-1]
        versions.append(answer["data_version"])


def test_a_changed_time_zone_makes_it_computed_again(
    client: TestClient, database_url: str, acme: Field
) -> None:
    forecast(client, acme)
    mark_stored(database_url, acme)
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "UPDATE organizations SET timezone = 'America/Denver' WHERE id = %s", (acme.org_id,)
        )
    assert not forecast(client, acme)["computed_at"].startswith("2000")


def test_declines_are_stored_per_parameters(
    client: TestClient, database_url: str, acme: Field
) -> None:
    url = f"/api/v1/analytics/wells/{well_of(acme)}/decline"
    for params in ({}, {"economic_limit": "5"}, {"economic_limit": "5.0"}):
        assert client.get(url, params=params, headers=acme.auth()).status_code == 200
    assert [p for k, _, p, _ in stored(database_url, acme) if k == "decline"] == [
        {"economic_limit": 2.0, "terminal_decline": 0.06},
        {"economic_limit": 5.0, "terminal_decline": 0.06},
    ]


def test_stored_results_are_kept_to_their_organization(
    client: TestClient, database_url: str, acme: Field, tmp_path: Any
) -> None:
    (tmp_path / "other").mkdir()
    other = make_field(client, database_url, tmp_path / "other", with_rows=False)
    forecast(client, acme)
    with psycopg.connect(database_url) as conn:
        conn.execute(f"SET ROLE {APP_ROLE}")
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(other.org_id),))
        seen = conn.execute("SELECT count(*) FROM analytics_forecasts").fetchone()
        assert seen == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # WITH CHECK: not theirs
            conn.execute(
                "INSERT INTO analytics_forecasts (org_id, well_id, kind, metric, params,"
                " data_version, code_version, result)"
                " VALUES (%s, %s, 'forecast', 'oil', '{}', 1, '1', '{}')",
                (acme.org_id, well_of(acme)),
            )
