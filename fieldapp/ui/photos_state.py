"""The Photos page without Qt: every photo of the store by well and date, and its filters.

`load_photos` (on the worker) reads the photos with the well and a short name of the record
each is attached to (a maintenance entry, an incident, a piece of equipment, a production day
or the well itself) and the thumbnails this laptop holds. `PhotosState` orders them by well
(the wells' order, photos of no well last) and date, newest first, and filters them by well,
record kind and upload state.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import Connection

from fieldapp.core.photo_store import PhotoInfo, list_photos, read_blob
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, list_wells
from fieldapp.ui.incidents_state import type_label
from fieldapp.ui.photo_strip_state import short, state_words

KINDS = {
    "maintenance": "Maintenance",
    "incident": "Incident",
    "equipment": "Equipment",
    "well": "Well",
    "production": "Production",
}
STATES = {
    "pending": "Pending",
    "uploading": "Uploading",
    "on_server": "On server",
    "refused": "Refused",
}
# kind -> SQL giving (record id, well id, a short name) of every record of that kind
_RECORDS = {
    "maintenance": "SELECT maintenance_id, well_id, maintenance_type || ' of ' || performed_on"
    " FROM maintenance",
    "incident": "SELECT incident_id, well_id, incident_type, substr(occurred_at, 1, 10)"
    " FROM incidents",
    "equipment": "SELECT equipment_id, well_id, equipment_type"
    " || CASE WHEN serial_number <> '' THEN ' ' || serial_number ELSE '' END FROM equipment",
    "production": "SELECT record_id, well_id, 'day ' || production_date FROM production",
}
FETCH_LIMIT = 60  # thumbnails fetched at a time for the Photos page (the rows in view, about)
LINE_CHARS = 18  # a caption in the table: two lines of at most this many characters
COLUMNS = (
    ("photo", "Photo"),
    ("well", "Well"),
    ("record", "Attached to"),
    ("taken", "Taken"),
    ("caption", "Caption"),
    ("sync", "Sync state"),
)


def two_lines(text: str, width: int = LINE_CHARS) -> str:
    """`text` on at most two lines of `width` characters, cut with an ellipsis."""
    lines = textwrap.wrap(text, width, max_lines=2, placeholder="…") or [""]
    return "\n".join(short(line, width) for line in lines)


@dataclass(frozen=True, slots=True)
class PhotoRow:
    photo: PhotoInfo
    well_id: str | None
    well: str  # its name ("" when the record has no well)
    record: str  # "Maintenance: Repair of 2026-11-02"
    has_thumbnail: bool

    @property
    def photo_id(self) -> str:
        return self.photo.photo_id

    @property
    def kind(self) -> str:
        return self.photo.target_type

    @property
    def sync(self) -> str:
        return state_words(self.photo, has_thumbnail=self.has_thumbnail)

    def display(self, key: str) -> str:
        """The cell as shown: the record's kind and the time on a second line (the rows are
        as tall as a thumbnail), a caption on two short lines, a refusal's reason left to the
        tooltip."""
        if key == "record":
            return self.record.replace(": ", "\n", 1)
        if key == "taken":
            return self.full(key).replace(" ", "\n", 1)
        if key == "caption":
            return two_lines(self.full(key))
        if key == "sync" and self.photo.upload_state == "refused":
            return "refused"  # the server's words are in the tooltip (and the viewer)
        return self.full(key)

    def full(self, key: str) -> str:
        """The cell's words on one line, uncut (spoken, and the tooltip)."""
        p = self.photo
        if key == "well":
            return self.well or "—"
        if key == "record":
            return self.record
        if key == "taken":
            return f"{p.taken_at:%Y-%m-%d %H:%M}" if p.taken_at is not None else "unknown"
        if key == "caption":
            return p.caption or p.original_name
        return self.sync if key == "sync" else ""


@dataclass(frozen=True, slots=True)
class PhotosSnapshot:
    wells: list[Well]
    rows: list[PhotoRow]
    thumbnails: dict[str, bytes]


def _records(conn: Connection, kind: str) -> dict[str, tuple[str | None, str]]:
    found: dict[str, tuple[str | None, str]] = {}
    for row in conn.exec_driver_sql(_RECORDS[kind]).all():
        name = f"{type_label(row[2])} of {row[3]}" if kind == "incident" else str(row[2])
        found[str(row[0])] = (row[1], name)
    return found


def load_photos(store: Store) -> PhotosSnapshot:
    """On the worker: every photo not removed, with its well, its record and its thumbnail."""
    photos = list_photos(store)
    with store.read() as conn:
        wells = list_wells(conn)
        kinds = {p.target_type for p in photos} - {"well"}
        records = {kind: _records(conn, kind) for kind in kinds if kind in _RECORDS}
        thumbnails = {}
        for photo in photos:
            if photo.thumbnail_cached:
                data = read_blob(conn, photo.sha256, "thumbnail")
                if data is not None:
                    thumbnails[photo.photo_id] = data
    names = {w.well_id: w.name for w in wells}
    rows = []
    for photo in photos:
        kind = KINDS.get(photo.target_type, photo.target_type)
        if photo.target_type == "well":
            well_id: str | None = photo.target_id
            record = kind
        else:
            well_id, name = records.get(photo.target_type, {}).get(photo.target_id, (None, "?"))
            record = f"{kind}: {name}"
        has_thumb = photo.photo_id in thumbnails
        rows.append(PhotoRow(photo, well_id, names.get(well_id or "", ""), record, has_thumb))
    return PhotosSnapshot(wells, rows, thumbnails)


@dataclass(slots=True)
class PhotosState:
    wells: list[Well] = field(default_factory=list)
    rows: list[PhotoRow] = field(default_factory=list)  # every photo, in the page's order
    shown: list[PhotoRow] = field(default_factory=list)  # those the filters let through
    thumbnails: dict[str, bytes] = field(default_factory=dict)
    well_id: str | None = None
    kind: str | None = None
    state: str | None = None

    def set_snapshot(self, snapshot: PhotosSnapshot) -> None:
        self.wells = list(snapshot.wells)
        self.thumbnails = dict(snapshot.thumbnails)
        order = {w.well_id: i for i, w in enumerate(self.wells)}
        rows = sorted(snapshot.rows, key=_newest_first)
        self.rows = sorted(rows, key=lambda r: order.get(r.well_id or "", len(order)))
        self._filter()

    def set_filter(
        self, well_id: str | None = None, kind: str | None = None, state: str | None = None
    ) -> None:
        self.well_id, self.kind, self.state = well_id, kind, state
        self._filter()

    def _filter(self) -> None:
        self.shown = [
            r
            for r in self.rows
            if (self.well_id is None or r.well_id == self.well_id)
            and (self.kind is None or r.kind == self.kind)
            and (self.state is None or r.photo.upload_state == self.state)
        ]

    def index_of(self, photo_id: str) -> int | None:
        return next((i for i, r in enumerate(self.shown) if r.photo_id == photo_id), None)

    def missing_thumbnails(self, limit: int = FETCH_LIMIT) -> list[str]:
        """The shown photos (the first `limit`) whose thumbnails are not on this laptop."""
        return [r.photo_id for r in self.shown[:limit] if not r.has_thumbnail]

    def add_thumbnail(self, photo_id: str, data: bytes) -> int | None:
        """A thumbnail fetched from the server; the shown row it belongs to, if any."""
        self.thumbnails[photo_id] = data

        def found(row: PhotoRow) -> PhotoRow:
            return replace(row, has_thumbnail=True) if row.photo_id == photo_id else row

        self.rows = [found(r) for r in self.rows]
        self.shown = [found(r) for r in self.shown]
        return self.index_of(photo_id)

    def photos(self) -> Sequence[PhotoInfo]:
        """The photos shown, in order (the viewer walks them)."""
        return [r.photo for r in self.shown]

    def summary(self) -> str:
        total, shown = len(self.rows), len(self.shown)
        if total == 0:
            return "No photos yet: attach them on a maintenance entry, an incident or equipment."
        if shown == total:
            return f"{total} photo{'s' if total != 1 else ''}, by well, newest first"
        return f"{shown} of {total} photos, by well, newest first"


def _newest_first(row: PhotoRow) -> tuple[bool, float, int]:
    taken = row.photo.taken_at  # naive: the camera's clock, read as this laptop's time
    return (taken is None, -(taken.timestamp() if taken else 0.0), -row.photo.last_seq)
