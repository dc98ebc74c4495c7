"""What the Sync screen reads from the store, without Qt: one snapshot of everything it shows,
and the next page of a long list.

`load_snapshot` runs on the worker: the waiting events, the last answer per record, the first
pages of the open conflicts and rejections, their totals (the tab titles count every one, not
the loaded ones) and the sync state, from one consistent read. `more_conflicts` and
`more_rejections` read the page after the last row shown (a keyset cursor: no row is skipped or
shown twice while the list grows or shrinks); `conflicts_through` pages on until a given
conflict is among the rows (Resolve again takes the operator to it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Connection

from fieldapp.core.conflicts import ConflictKey, OpenConflict, open_conflict_count, open_conflicts
from fieldapp.core.outbox import PendingEvent, pending_count, pending_events
from fieldapp.core.outcomes import RecordOutcome, record_outcomes
from fieldapp.core.record_places import Places
from fieldapp.core.rejections import OpenRejection, open_rejection_count, open_rejections
from fieldapp.core.store import Store

T = TypeVar("T")
PAGE_SIZE = 200  # rows of a conflicts or rejections page
PENDING_LIMIT = 500
OUTCOME_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Paged(Generic[T]):
    items: list[T]
    more: bool  # rows wait after the last of these


@dataclass(frozen=True, slots=True)
class SyncSnapshot:
    server_mode: bool
    pending: list[PendingEvent]
    pending_total: int
    outcomes: list[RecordOutcome]
    conflicts: Paged[OpenConflict]
    conflicts_total: int
    rejections: Paged[OpenRejection]
    rejections_total: int
    last_sync: str | None
    cursor: int


def _paged(read: Callable[[int], Sequence[T]], limit: int) -> Paged[T]:
    """`limit` rows of `read` (asked for one more, to know whether more wait)."""
    rows = list(read(limit + 1))
    return Paged(rows[:limit], len(rows) > limit)


def _conflicts(
    conn: Connection, store: Store, limit: int, after: ConflictKey | None, places: Places
) -> Paged[OpenConflict]:
    device = str(store.identity.device_id)
    return _paged(lambda n: open_conflicts(conn, device, n, after=after, places=places), limit)


def load_snapshot(
    store: Store, *, conflicts: int = PAGE_SIZE, rejections: int = PAGE_SIZE
) -> SyncSnapshot:
    """Everything the Sync screen shows, from one consistent read: `conflicts` and
    `rejections` rows of those lists (a reload keeps as many as were shown)."""
    with store.read() as conn:
        state = {
            str(k): str(v) for k, v in conn.exec_driver_sql("SELECT key, value FROM sync_state")
        }
        places = Places(conn)  # names and records looked up once for every list
        return SyncSnapshot(
            server_mode=store.meta.get("mode") == "server",
            pending=pending_events(conn, PENDING_LIMIT, places=places),
            pending_total=pending_count(conn),
            outcomes=record_outcomes(conn, OUTCOME_LIMIT, places=places),
            conflicts=_conflicts(conn, store, max(conflicts, PAGE_SIZE), None, places),
            conflicts_total=open_conflict_count(conn),
            rejections=_paged(
                lambda n: open_rejections(conn, n, places=places), max(rejections, PAGE_SIZE)
            ),
            rejections_total=open_rejection_count(conn),
            last_sync=state.get("last_sync"),
            cursor=int(state.get("cursor", 0)),
        )


def more_conflicts(
    store: Store, after: ConflictKey | None, limit: int = PAGE_SIZE
) -> Paged[OpenConflict]:
    with store.read() as conn:
        return _conflicts(conn, store, limit, after, Places(conn))


def more_rejections(store: Store, after: int, limit: int = PAGE_SIZE) -> Paged[OpenRejection]:
    with store.read() as conn:
        places = Places(conn)
        return _paged(lambda n: open_rejections(conn, n, after=after, places=places), limit)


def conflicts_through(
    store: Store, after: ConflictKey | None, conflict_id: str
) -> Paged[OpenConflict]:
    """The pages after `after` up to the one holding `conflict_id` (every page, when it is
    not open any more)."""
    found: list[OpenConflict] = []
    with store.read() as conn:
        places = Places(conn)
        while True:
            page = _conflicts(conn, store, PAGE_SIZE, after, places)
            found.extend(page.items)
            if not page.more or any(c.conflict.conflict_id == conflict_id for c in page.items):
                return Paged(found, page.more)
            after = page.items[-1].conflict.key
