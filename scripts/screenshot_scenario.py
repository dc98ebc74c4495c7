"""The data behind the screenshots: the demo server's org and a laptop that has worked with it.

A real sync server (in process, on an embedded or given PostgreSQL) is seeded with the demo
org; two laptops register with it as operator1 and operator2. operator1's laptop then gets
what a working day leaves behind: equipment, maintenance (some overdue) and incidents, a
corrected record, a well-day both operators recorded differently (a conflict), a record the
server refused (a rejection), photos (`screenshot_photos.py`) and today's records not yet sent.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import httpx
from keyring.backends import fail
from screenshot_photos import add_photos
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from fieldapp.core.keystore import Keystore
from fieldapp.core.production import find_day, save_production
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, list_wells
from fieldapp.sync.connect import Registration, engine_for, register
from shared.contracts import EventType, ProductionRecorded
from shared.events import new_id
from shared.validation import org_today
from sync_server.app import create_app
from sync_server.db.embedded import ensure_database, start_embedded, stop_embedded
from sync_server.db.migrate import upgrade
from sync_server.settings import Settings
from wellpulse_demo.field_records import add_field_records
from wellpulse_demo.server_seed import DEMO_PASSWORD, DEMO_SLUG, DEMO_TIMEZONE, run_demo

PASSPHRASE = DEMO_PASSWORD
DEMO_DAYS = 365  # a year: enough history for the Charts screen's Arps fit
DEMO_WELLS = 20


def no_keystore() -> Keystore:
    return Keystore(fail.Keyring())  # type: ignore[no-untyped-call]


@contextmanager
def demo_server(folder: Path, database_url: str | None) -> Iterator[httpx.Client]:
    """The seeded demo server, reached in process (the same app `sync-server run` serves)."""
    admin_url = database_url or start_embedded(folder / "server")
    try:
        yield from _seeded_client(folder, admin_url)
    finally:
        if database_url is None:  # ours: stop it before the caller deletes its folder
            stop_embedded(folder / "server")


def _seeded_client(folder: Path, admin_url: str) -> Iterator[httpx.Client]:
    name = f"wellpulse_shots_{secrets.token_hex(4)}"
    ensure_database(admin_url, name)
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    run_demo(url, days=DEMO_DAYS, wells=DEMO_WELLS)
    settings = Settings(
        data_dir=folder / "server-data",
        database_url=url,
        jwt_secret=secrets.token_hex(32),
        rate_limit_per_minute=100_000,
    )
    with TestClient(create_app(settings)) as client:
        yield client


def laptop(folder: Path, http: httpx.Client, username: str) -> Store:
    reg = Registration(
        "http://testserver", DEMO_SLUG, username, DEMO_PASSWORD, DEMO_TIMEZONE, f"{username} laptop"
    )
    store = register(folder, PASSPHRASE, no_keystore(), http, reg)
    engine_for(store, no_keystore(), http=http).pull_all()
    return store


def sync(store: Store, http: httpx.Client) -> None:
    engine_for(store, no_keystore(), http=http).sync()


def record(store: Store, well: Well, day: date, oil: float, **values: object) -> None:
    fields: dict[str, object] = {"gas_mcf": oil * 1.3, "water_bbl": oil * 0.7, "hours_on": 24.0}
    fields.update(values)
    save_production(
        store, ProductionRecorded(well_id=well.well_id, production_date=day, oil_bbl=oil, **fields)
    )


def usual_oil(store: Store, well: Well, day: date) -> float:
    with store.read() as conn:
        row = find_day(conn, well.well_id, day - timedelta(days=1))
    return float(row["oil_bbl"]) if row is not None else 50.0


def build(folder: Path, http: httpx.Client) -> Path:
    """operator1's laptop folder, after the day described in the module docstring."""
    mine = laptop(folder / "operator1", http, "operator1")
    theirs = laptop(folder / "operator2", http, "operator2")
    today = org_today(mine.thresholds.timezone)
    with mine.read() as conn:
        wells = list_wells(conn)
    add_field_records(mine, wells[:12], today)
    corrected = wells[2]  # yesterday's gauge was misread: a correction with its history
    record(mine, corrected, today - timedelta(days=1), usual_oil(mine, corrected, today) + 6)
    both = wells[3]  # both operators gauged it today and wrote different figures
    oil = usual_oil(mine, both, today)
    record(mine, both, today, oil, notes="Gauged at 07:40")
    record(theirs, both, today, oil + 9, notes="Gauged at 09:15 after the pumper")
    sync(mine, http)
    sync(theirs, http)
    sync(mine, http)
    refused = {
        "well_id": wells[4].well_id,
        "production_date": today.isoformat(),
        "oil_bbl": -12.0,
        "gas_mcf": 40.0,
        "water_bbl": 8.0,
        "hours_on": 24.0,
        "notes": "entered on the old tablet app",
    }
    with mine.write() as txn:  # as an older app whose rules let a negative volume through
        txn.append(EventType.PRODUCTION_RECORDED, new_id(), refused)
    sync(mine, http)
    add_photos(mine, theirs, http)
    theirs.close()
    mine.close()
    return folder / "operator1"


def today_records(store: Store) -> None:
    """Two wells recorded today and not yet sent; one of them unusually high (flagged)."""
    today = org_today(store.thresholds.timezone)
    with store.read() as conn:
        wells = list_wells(conn)
    for well, factor in ((wells[0], 1.0), (wells[1], 2.6)):
        record(store, well, today, round(usual_oil(store, well, today) * factor, 1))
