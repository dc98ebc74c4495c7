"""Production pushed to the server is checked again with the shared rules: the 500 ft geofence
(docs/gps.md) is flagged by the server too, whatever the device said, against real Postgres."""

from __future__ import annotations

from typing import Any

import psycopg
from starlette.testclient import TestClient

from shared.contracts import EventType as E
from shared.events import new_id

from .test_sync_batch import Device, corrected, recorded, setup, statuses
from .test_sync_changes import pull

WELL_AT = (31.9686, -102.0779)
FAR = {"lat": 31.9786, "lon": -102.0779, "accuracy_m": 5.0, "source": "gps"}  # 3,648 ft
NEAR = {"lat": 31.9690, "lon": -102.0779, "source": "typed"}  # 146 ft


def site(url: str, well_id: str, at: tuple[float, float] | None = WELL_AT) -> None:
    with psycopg.connect(url) as conn:
        conn.execute(
            "UPDATE wells SET latitude = %s, longitude = %s WHERE id = %s",
            (at[0] if at else None, at[1] if at else None, well_id),
        )


def stored(url: str, record_id: str) -> tuple[int, list[dict[str, Any]], dict[str, Any] | None]:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT quality_score, flags, location FROM production WHERE id = %s", (record_id,)
        ).fetchone()
    assert row is not None
    return row[0], row[1], row[2]


def push(dev: Device, kind: E, record_id: str, payload: dict[str, Any], base: int = 0) -> None:
    assert statuses(dev.push(dev.event(kind, record_id, payload, base))) == ["accepted"]


def test_the_server_flags_an_entry_outside_the_geofence(
    client: TestClient, database_url: str
) -> None:
    (dev,), well = setup(client, database_url)
    site(database_url, well)
    record = new_id()
    push(dev, E.PRODUCTION_RECORDED, record, recorded(well, location=FAR))
    score, flags, location = stored(database_url, record)
    assert [f["rule"] for f in flags] == ["outside_geofence"]
    assert flags[0]["severity"] == "warning" and flags[0]["field"] == "location"
    assert "3,648 ft (1,112 m) from the well" in flags[0]["message"]
    assert score == 85
    assert location == FAR
    # a correction keeps the location, so the server checks the fence again
    push(dev, E.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=101.0), base=1)
    assert [f["rule"] for f in stored(database_url, record)[1]] == ["outside_geofence"]
    pulled = [c["record"] for c in pull(dev)["changes"] if c.get("record")]
    assert pulled[-1]["flags"][0]["rule"] == "outside_geofence"


def test_no_flag_near_the_well_or_when_a_side_has_no_coordinates(
    client: TestClient, database_url: str
) -> None:
    (dev,), well = setup(client, database_url)
    site(database_url, well)
    near = new_id()
    push(dev, E.PRODUCTION_RECORDED, near, recorded(well, location=NEAR))
    assert stored(database_url, near)[:2] == (100, [])
    site(database_url, well, None)
    unsited = new_id()
    later = recorded(well, location=FAR)
    later["production_date"] = "2020-01-01"
    push(dev, E.PRODUCTION_RECORDED, unsited, later)
    assert stored(database_url, unsited)[:2] == (100, [])
    nowhere = new_id()
    other = add_well_elsewhere(database_url, dev)
    push(dev, E.PRODUCTION_RECORDED, nowhere, recorded(other))
    assert stored(database_url, nowhere)[:2] == (100, [])


def add_well_elsewhere(url: str, dev: Device) -> str:
    """A second sited well of the device's organization."""
    well_id = new_id()
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO wells (id, org_id, api_number, name, latitude, longitude, server_seq)"
            " VALUES (%s, %s, '4250120131', 'Jones 1', 31.9, -102.1, next_server_seq(%s))",
            (well_id, dev.identity.org_id, dev.identity.org_id),
        )
    return well_id


def test_a_conflict_s_resolution_is_checked_against_the_fence_again(
    client: TestClient, database_url: str
) -> None:
    (a, b), well = setup(client, database_url, users=2)
    site(database_url, well)
    record = new_id()
    push(a, E.PRODUCTION_RECORDED, record, recorded(well, location=FAR))
    push(a, E.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=90.0), base=1)
    clash = b.event(E.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=111.0), base=1)
    raised = b.push(clash).json()["results"][0]
    assert raised["status"] == "conflict", raised
    resolution = {"conflict_id": raised["conflict_id"], "keep": "theirs"}
    push(a, E.CONFLICT_RESOLVED, record, resolution, base=3)
    score, flags, _ = stored(database_url, record)
    assert [f["rule"] for f in flags] == ["outside_geofence"] and score == 85
