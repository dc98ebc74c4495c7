"""Open conflicts as the Sync screen lists them, a page at a time, and resolving one, on a real
store; the server's answers and notices are written by the real outbox and inbox code."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

from answerkit import accepted, answer, conflict_notice, many_conflicts, rejected
from corekit import TODAY
from photocorekit import write_jpeg

from fieldapp.core.conflicts import (
    OpenConflict,
    list_conflicts,
    open_conflict_count,
    open_conflicts,
    resolve,
)
from fieldapp.core.outbox import next_batch, pending_events
from fieldapp.core.outcomes import record_outcomes
from fieldapp.core.photo_store import get_photo
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.photos import attach, set_caption
from fieldapp.core.production import save_production
from fieldapp.core.rejections import open_rejections
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from shared.contracts import ProductionRecorded

STALE = {"rule": "stale_resolution", "field": "", "message": "the record changed since"}


def day(n: int) -> date:
    today: date = TODAY
    return today - timedelta(days=n)


def in_conflict(store: Store, well: Well) -> tuple[str, str]:
    """A record of this device the server took with a conflict, its notice pulled (the
    record's own change not yet); returns (record id, conflict id)."""
    entry = ProductionRecorded(
        well_id=well.well_id,
        production_date=day(4),
        oil_bbl=100.0,
        gas_mcf=120.0,
        water_bbl=30.0,
        hours_on=24.0,
    )
    record_id = save_production(store, entry, today=TODAY).record_id
    (_, sent) = next_batch(store, limit=10, max_bytes=1_000_000)
    cid = str(uuid4())
    answer(
        store,
        accepted(1),
        {"status": "conflict", "server_seq": 3, "version": 2, "conflict_id": cid},
    )
    notice = {"mine": {"oil_bbl": 100.0}, "theirs": {"oil_bbl": 140.0}}
    conflict_notice(store, record_id, sent.event_id, cid, **notice, server_seq=2)
    return record_id, cid


def shown(store: Store) -> list[OpenConflict]:
    with store.read() as conn:
        return open_conflicts(conn, str(store.identity.device_id), 50)


def test_an_open_conflict_is_shown_with_its_record_until_it_is_resolved(
    store: Store, well: Well
) -> None:
    record_id, cid = in_conflict(store, well)
    (seen,) = shown(store)
    assert (seen.well_name, seen.day) == ("Smith 1H", day(4).isoformat())
    conflict = seen.conflict
    assert (conflict.mine, conflict.theirs) == ({"oil_bbl": 100.0}, {"oil_bbl": 140.0})
    assert seen.record["oil_bbl"] == 100.0 and seen.record["gas_mcf"] == 120.0
    with store.read() as conn:
        (result,) = [o for o in record_outcomes(conn, 50) if o.record_id == record_id]
        assert open_conflict_count(conn) == 1
    assert (result.status, result.detail) == ("conflict", "open")

    resolve(store, cid, "theirs")
    assert shown(store) == []
    with store.read() as conn:
        pending = pending_events(conn, 50)
        (result,) = [o for o in record_outcomes(conn, 50) if o.record_id == record_id]
        assert open_conflict_count(conn) == 0
    assert [p.event_type for p in pending] == ["conflict.resolved"]
    assert pending[0].values == {"oil_bbl": 140.0}
    assert pending[0].well_name == "Smith 1H"
    assert result.detail == "resolved"


def test_ten_thousand_conflicts_page_in_order_each_once_while_some_are_resolved(
    store: Store, well: Well
) -> None:
    record_id, _ = in_conflict(store, well)
    many_conflicts(store, record_id, 10_000)
    device = str(store.identity.device_id)
    with store.read() as conn:
        everything = [c.key for c in list_conflicts(conn, device)]
        assert open_conflict_count(conn) == len(everything) == 10_001
    seen: list[tuple[str, str]] = []
    after = None
    while True:
        with store.read() as conn:
            page = open_conflicts(conn, device, 200, after=after)
        if not page:
            break
        assert len(page) <= 200
        seen.extend(c.conflict.key for c in page)
        after = page[-1].conflict.key
        if len(seen) == 1_000:  # meanwhile one conflict shown and one not shown are resolved
            with store.write() as txn:
                txn.db.executemany(
                    "UPDATE conflicts SET status = 'resolved' WHERE conflict_id = ?",
                    [(seen[10][1],), (everything[5_000][1],)],
                )
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    assert set(seen) == set(everything) - {everything[5_000]}
    (row,) = [c for c in shown(store) if c.conflict.conflict_id == everything[0][1]]
    assert row.well_name == "Smith 1H" and row.record["oil_bbl"] == 100.0


def test_resolving_again_settles_the_resolution_the_server_refused(
    store: Store, well: Well
) -> None:
    _, cid = in_conflict(store, well)
    resolve(store, cid, "mine")
    answer(store, rejected(STALE))  # the record changed on the server since
    (reopened,) = shown(store)
    assert reopened.conflict.conflict_id == cid
    with store.read() as conn:
        (refused,) = open_rejections(conn, 50)
    assert (refused.conflict_id, refused.conflict_open) == (cid, True)
    assert not refused.can_resubmit and refused.fixable == ()
    assert refused.rejection.rules == ("stale_resolution",)
    assert (refused.well_name, refused.day) == ("Smith 1H", day(4).isoformat())

    sealed = resolve(store, cid, "theirs")
    assert shown(store) == []
    with store.read() as conn:
        assert open_rejections(conn, 50) == []
        settled = conn.exec_driver_sql(
            "SELECT resolved_by_seq FROM rejections WHERE device_seq = ?",
            (refused.rejection.device_seq,),
        ).scalar_one()
    assert settled == sealed.body["device_seq"]


def test_a_photo_caption_conflict_is_shown_and_resolved_onto_the_photo(
    store: Store, well: Well, tmp_path: Path
) -> None:
    """The server conflicts a caption like an equipment change (docs/photos-server.md): the
    notice shows both captions and the photo's current one; keeping theirs changes the photo."""
    (attached,) = attach(store, PhotoTarget("well", well.well_id), [write_jpeg(tmp_path / "a.jpg")])
    assert attached.photo is not None
    photo_id = attached.photo.photo_id
    set_caption(store, photo_id, "mine")
    (_, _, sent) = next_batch(store, limit=10, max_bytes=10_000_000)
    assert sent.aggregate_id == photo_id and "photo.updated" in sent.envelope_json
    cid = str(uuid4())
    conflicted = {"status": "conflict", "server_seq": 3, "version": 2, "conflict_id": cid}
    answer(store, accepted(1), accepted(2), conflicted)  # the well, the photo, its caption
    conflict_notice(
        store,
        photo_id,
        sent.event_id,
        cid,
        mine={"caption": "mine"},
        theirs={"caption": "theirs"},
        aggregate_type="photo",
    )
    (seen,) = shown(store)
    assert (seen.conflict.mine, seen.conflict.theirs) == (
        {"caption": "mine"},
        {"caption": "theirs"},
    )
    assert seen.record == {"caption": "mine"}
    resolve(store, cid, "theirs")
    assert shown(store) == []
    with store.read() as conn:
        assert get_photo(conn, photo_id).caption == "theirs"
