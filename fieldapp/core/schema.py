"""Versioned schema migrations of the local store (`PRAGMA user_version`).

Each released schema is a step here and is never edited once released; the upgrade test opens a
store created by step 1 with today's code.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from fieldapp.core.errors import StoreError

V1 = """
CREATE TABLE store_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE event_log (
    device_seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    body TEXT NOT NULL,
    hash TEXT NOT NULL,
    signature TEXT NOT NULL,
    issues TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX event_log_aggregate ON event_log (aggregate_id);
CREATE TABLE outbox (
    device_seq INTEGER PRIMARY KEY REFERENCES event_log (device_seq),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    last_attempt_at TEXT
);
CREATE TABLE wells (
    well_id TEXT PRIMARY KEY,
    api_number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    lease TEXT,
    field TEXT,
    latitude REAL,
    longitude REAL,
    status TEXT NOT NULL,
    well_type TEXT NOT NULL,
    version INTEGER NOT NULL,
    last_seq INTEGER NOT NULL
);
CREATE TABLE production (
    record_id TEXT NOT NULL PRIMARY KEY,
    well_id TEXT NOT NULL REFERENCES wells (well_id),
    production_date TEXT NOT NULL,
    oil_bbl REAL NOT NULL,
    gas_mcf REAL NOT NULL,
    water_bbl REAL NOT NULL,
    hours_on REAL,
    downtime_hours REAL,
    downtime_reason TEXT,
    tubing_psi REAL,
    casing_psi REAL,
    choke_64ths INTEGER,
    notes TEXT NOT NULL,
    entry_method TEXT NOT NULL,
    latitude REAL,
    longitude REAL,
    accuracy_m REAL,
    quality_score INTEGER NOT NULL,
    flags TEXT NOT NULL,
    voided INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL,
    last_seq INTEGER NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX production_well_day ON production (well_id, production_date)
    WHERE voided = 0;
"""

V2 = """
CREATE TABLE equipment (
    equipment_id TEXT PRIMARY KEY,
    well_id TEXT NOT NULL REFERENCES wells (well_id),
    equipment_type TEXT NOT NULL,
    manufacturer TEXT NOT NULL,
    model TEXT NOT NULL,
    serial_number TEXT NOT NULL,
    installed_on TEXT,
    status TEXT NOT NULL,
    notes TEXT NOT NULL,
    version INTEGER NOT NULL,
    last_seq INTEGER NOT NULL
);
CREATE TABLE maintenance (
    maintenance_id TEXT PRIMARY KEY,
    well_id TEXT NOT NULL REFERENCES wells (well_id),
    equipment_id TEXT,
    performed_on TEXT NOT NULL,
    maintenance_type TEXT NOT NULL,
    description TEXT NOT NULL,
    technician TEXT NOT NULL,
    cost REAL,
    next_due TEXT,
    version INTEGER NOT NULL,
    last_seq INTEGER NOT NULL
);
CREATE TABLE photos (
    photo_id TEXT PRIMARY KEY,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    caption TEXT NOT NULL,
    version INTEGER NOT NULL,
    last_seq INTEGER NOT NULL
);
CREATE TABLE photo_blobs (
    sha256 TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
CREATE TABLE incidents (
    incident_id TEXT PRIMARY KEY,
    well_id TEXT,
    incident_type TEXT NOT NULL,
    severity TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    latitude REAL,
    longitude REAL,
    description TEXT NOT NULL,
    injuries INTEGER NOT NULL,
    environmental_impact TEXT NOT NULL,
    regulatory_notification_required INTEGER NOT NULL,
    version INTEGER NOT NULL,
    last_seq INTEGER NOT NULL
);
CREATE TABLE sync_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE receipts (
    device_seq INTEGER PRIMARY KEY REFERENCES event_log (device_seq),
    status TEXT NOT NULL,
    server_seq INTEGER,
    version INTEGER,
    received_at TEXT NOT NULL
);
CREATE TABLE rejections (
    device_seq INTEGER PRIMARY KEY REFERENCES event_log (device_seq),
    reasons TEXT NOT NULL,
    rejected_at TEXT NOT NULL,
    resolved_by_seq INTEGER
);
CREATE TABLE conflicts (
    conflict_id TEXT PRIMARY KEY,
    aggregate_id TEXT NOT NULL,
    device_seq INTEGER,
    mine TEXT NOT NULL,
    theirs TEXT NOT NULL,
    fields TEXT NOT NULL,
    status TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    resolved_at TEXT
);
"""

# Sync with a server: what was pulled (the confirmed state, replayable by `verify`), the ids a
# record also answers to, and the conflict notices as the server sends them.
V3 = """
CREATE TABLE server_changes (
    server_seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    aggregate_id TEXT,
    event_id TEXT,
    event_type TEXT,
    device_id TEXT,
    version INTEGER,
    body TEXT NOT NULL
);
CREATE INDEX server_changes_record ON server_changes (record_id, server_seq);
CREATE TABLE aliases (
    alias_id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL
);
ALTER TABLE conflicts ADD COLUMN aggregate_type TEXT NOT NULL DEFAULT 'production';
ALTER TABLE conflicts ADD COLUMN event_id TEXT;
ALTER TABLE conflicts ADD COLUMN raised_by TEXT;
ALTER TABLE conflicts ADD COLUMN policy TEXT;
ALTER TABLE conflicts ADD COLUMN resolution TEXT;
ALTER TABLE conflicts ADD COLUMN server_seq INTEGER;
CREATE INDEX receipts_server_seq ON receipts (server_seq)
"""

# Incidents say in words where on the lease they happened (`incident.reported` gained the
# optional `location_description`; older events and rows mean "not given").
V4 = """
ALTER TABLE incidents ADD COLUMN location_description TEXT NOT NULL DEFAULT ''
"""

# The Sync screen pages the open conflicts and rejections by a keyset cursor; each page is one
# range of these partial indexes however many there are (the open counts read them too).
V5 = """
CREATE INDEX conflicts_open ON conflicts (opened_at, conflict_id) WHERE status = 'open';
CREATE INDEX rejections_open ON rejections (device_seq) WHERE resolved_by_seq IS NULL
"""

# The Charts screen sums a lease, a field or every well day by day: one ordered scan of this
# covering index (date first, so GROUP BY production_date needs no sort) instead of a lookup
# per row in the wide production table; its last_seq and version make the data version.
V6 = """
CREATE INDEX production_by_day ON production (
    production_date, well_id, oil_bbl, gas_mcf, water_bbl, hours_on, downtime_hours,
    last_seq, version
) WHERE voided = 0
"""

# Photos on the laptop (docs/photos.md "On the laptop"): the projection keeps what processing
# found and whether the photo was removed; the bytes live in the encrypted store, one row per
# sha256 and kind ('photo': the processed JPEG, 'thumbnail'), so a photo attached twice is kept
# once and a thumbnail fetched from the server can be cached without its photo; and the upload
# queue of the photos attached here: per sha256 its state and the bytes the server holds.
V7 = """
ALTER TABLE photos ADD COLUMN width INTEGER;
ALTER TABLE photos ADD COLUMN height INTEGER;
ALTER TABLE photos ADD COLUMN taken_at TEXT;
ALTER TABLE photos ADD COLUMN latitude REAL;
ALTER TABLE photos ADD COLUMN longitude REAL;
ALTER TABLE photos ADD COLUMN location_source TEXT;
ALTER TABLE photos ADD COLUMN camera TEXT NOT NULL DEFAULT '';
ALTER TABLE photos ADD COLUMN original_name TEXT NOT NULL DEFAULT '';
ALTER TABLE photos ADD COLUMN original_size INTEGER;
ALTER TABLE photos ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE photos ADD COLUMN removed_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX photos_target ON photos (target_type, target_id) WHERE removed = 0;
CREATE INDEX photos_sha256 ON photos (sha256);
CREATE TABLE photo_blobs_v7 (
    sha256 TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('photo', 'thumbnail')),
    data BLOB NOT NULL,
    PRIMARY KEY (sha256, kind)
);
INSERT INTO photo_blobs_v7 (sha256, kind, data) SELECT sha256, 'photo', data FROM photo_blobs;
DROP TABLE photo_blobs;
ALTER TABLE photo_blobs_v7 RENAME TO photo_blobs;
CREATE TABLE photo_uploads (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'uploading', 'on_server', 'refused')),
    held_bytes INTEGER NOT NULL DEFAULT 0,
    upload_id TEXT,
    refusal TEXT,
    queued_seq INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX photo_uploads_open ON photo_uploads (queued_seq)
    WHERE state IN ('pending', 'uploading')
"""

MIGRATIONS: tuple[str, ...] = (V1, V2, V3, V4, V5, V6, V7)
CURRENT_VERSION = len(MIGRATIONS)

PROJECTION_TABLES: dict[str, str] = {
    "wells": "well_id",
    "production": "record_id",
    "equipment": "equipment_id",
    "maintenance": "maintenance_id",
    "photos": "photo_id",
    "incidents": "incident_id",
}


def statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def schema_version(conn: Connection) -> int:
    return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())


def migrate(conn: Connection, *, target: int = CURRENT_VERSION) -> list[int]:
    """Apply the missing steps up to `target` in one transaction; returns the steps applied."""
    current = schema_version(conn)
    if current > CURRENT_VERSION:
        raise StoreError(
            f"store schema {current} is newer than this app understands ({CURRENT_VERSION});"
            " update WellPulse Field"
        )
    applied: list[int] = []
    steps: Sequence[str] = MIGRATIONS[current:target]
    for number, script in enumerate(steps, start=current + 1):
        for statement in statements(script):
            conn.exec_driver_sql(statement)
        conn.exec_driver_sql(f"PRAGMA user_version = {number}")
        applied.append(number)
    return applied
