"""Incidents with the words for where they happened, from one laptop to the server to another
(docs/design.md §3: `location_description` is an optional field added to `incident.reported`)."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from serverkit import new_org
from starlette.testclient import TestClient
from synckit import Device as Laptop
from synckit import add_wells

from fieldapp.core.incidents import get_incident, list_incidents, report_incident
from shared.contracts import EventType as E
from shared.contracts import IncidentReported
from shared.events import new_id

from .test_record_events import aggregate, one, org, push1, rejected
from .test_sync_changes import pull

WHERE = "tank battery, north side"
V3_PAYLOAD = {  # an incident as an app from before the field sends it
    "incident_type": "leak",
    "severity": "low",
    "occurred_at": "2026-11-18T13:00:00Z",
    "location": None,
    "description": "flange weeping",
    "injuries": False,
    "environmental_impact": "",
    "regulatory_notification_required": False,
}
migration = importlib.import_module(
    "sync_server.db.migrations.versions.0004_incident_location_description"
)


def test_an_incident_with_its_location_syncs_is_stored_and_reaches_the_other_laptop(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    slug = new_org(database_url, (("op0", "operator"), ("op1", "operator")))
    (api,) = add_wells(database_url, slug, 1)
    a = Laptop.register(tmp_path / "a", client, slug, "op0")
    b = Laptop.register(tmp_path / "b", client, slug, "op1")
    reported = report_incident(
        a.store,
        IncidentReported(
            well_id=a.well_id(api),
            incident_type="spill",
            severity="high",
            occurred_at=datetime.now(UTC) - timedelta(hours=1),
            description="stock tank overflow",
            location_description=WHERE,
            injuries=False,
            regulatory_notification_required=True,
        ),
    )
    report = a.sync()
    assert (report.pushed.counts, report.pending) == ({"accepted": 1}, 0)

    kind, well, state, version = aggregate(database_url, reported.incident_id)  # type: ignore[misc]
    assert (kind, well, version) == ("incident", a.well_id(api), 1)
    assert state["location_description"] == WHERE and state["severity"] == "high"
    stored = one(
        database_url,
        "SELECT values FROM aggregate_versions WHERE aggregate_id = %s",
        reported.incident_id,
    )
    assert stored[0]["location_description"] == WHERE

    b.sync()
    with b.store.read() as conn:
        theirs = get_incident(conn, reported.incident_id)
        assert len(list_incidents(conn)) == 1
    assert theirs.location_description == WHERE
    assert (theirs.description, theirs.regulatory_notification_required) == (
        "stock tank overflow",
        True,
    )
    assert a.verify() == [] and b.verify() == []


def test_an_incident_from_an_older_app_is_accepted_and_stored_blank(
    client: TestClient, database_url: str
) -> None:
    _, well, dev, _ = org(client, database_url)
    old = new_id()
    assert push1(dev, E.INCIDENT_REPORTED, old, V3_PAYLOAD | {"well_id": well})["status"] == (
        "accepted"
    )
    state = aggregate(database_url, old)[2]  # type: ignore[index]
    assert state["location_description"] == "" and state["description"] == "flange weeping"
    too_long = V3_PAYLOAD | {"location_description": "x" * 401}
    result = push1(dev, E.INCIDENT_REPORTED, new_id(), too_long)
    rejected(database_url, result, "payload")
    assert result["reasons"][0]["field"] == "location_description"


def test_incidents_stored_before_the_field_are_given_it_blank(
    client: TestClient, database_url: str
) -> None:
    """Migration 0004 fills the default into incidents the server kept before it existed, so a
    laptop pulling them gets every field of today's contract."""
    _, well, dev, _ = org(client, database_url)
    ids = [new_id(), new_id()]
    for incident_id in ids:
        push1(dev, E.INCIDENT_REPORTED, incident_id, V3_PAYLOAD | {"well_id": well})
    kept = new_id()
    push1(dev, E.INCIDENT_REPORTED, kept, V3_PAYLOAD | {"location_description": WHERE})
    with psycopg.connect(database_url) as conn:  # as the server stored them before 0004
        for table, column, key in (
            ("aggregates", "state", "id"),
            ("aggregate_versions", "values", "aggregate_id"),
        ):
            conn.execute(
                f"UPDATE {table} SET {column} = {column} - 'location_description'"
                f" WHERE {key} = ANY(%s::uuid[])",
                (ids,),
            )
        assert "location_description" not in aggregate_state(conn, ids[0])
        for statement in migration.BACKFILL:
            conn.execute(statement)
    for incident_id in ids:
        assert aggregate(database_url, incident_id)[2]["location_description"] == ""  # type: ignore[index]
    assert aggregate(database_url, kept)[2]["location_description"] == WHERE  # type: ignore[index]
    records = {
        c["record"]["id"]: c["record"]["values"]
        for c in pull(dev)["changes"]
        if c["kind"] == "event" and c["record"] and c["record"]["kind"] == "incident"
    }
    assert {records[i]["location_description"] for i in ids} == {""}
    assert records[kept]["location_description"] == WHERE


def aggregate_state(conn: psycopg.Connection[Any], aggregate_id: str) -> dict[str, Any]:
    row = conn.execute("SELECT state FROM aggregates WHERE id = %s", (aggregate_id,)).fetchone()
    assert row is not None
    return dict(row[0])
