"""What the Sync screen reads in one snapshot and a page at a time, on a real demo store whose
push answers were stored by the real outbox and inbox code."""

from __future__ import annotations

from answerkit import demo_answers, many_conflicts

from fieldapp.core.store import Store
from fieldapp.ui.sync_state import (
    PAGE_SIZE,
    PENDING_LIMIT,
    conflicts_through,
    load_snapshot,
    more_conflicts,
)


def test_the_snapshot_holds_every_list_its_totals_and_the_sync_state(store: Store) -> None:
    before = load_snapshot(store)
    assert not before.server_mode and before.last_sync is None and before.cursor == 0
    assert before.pending_total == store.status().pending
    assert len(before.pending) == min(before.pending_total, PENDING_LIMIT)
    assert before.outcomes == [] and before.conflicts.items == [] and not before.conflicts.more

    demo_answers(store)
    data = load_snapshot(store)
    assert data.cursor == 1  # the pulled conflict notice moved it
    assert (data.conflicts_total, data.rejections_total) == (1, 2)
    assert len(data.conflicts.items) == 1 and not data.rejections.more
    assert data.pending_total == before.pending_total - 40
    assert {o.status for o in data.outcomes} == {"accepted", "conflict", "rejected"}


def test_the_long_lists_come_a_page_at_a_time_and_up_to_a_given_conflict(store: Store) -> None:
    demo_answers(store)
    (newest,) = load_snapshot(store).conflicts.items
    many_conflicts(store, newest.conflict.aggregate_id, 2 * PAGE_SIZE + 10)  # all older
    data = load_snapshot(store)
    first = data.conflicts
    assert len(first.items) == PAGE_SIZE and first.more and data.conflicts_total == 411
    second = more_conflicts(store, first.items[-1].conflict.key)
    assert len(second.items) == PAGE_SIZE and second.more
    assert second.items[0].conflict.key > first.items[-1].conflict.key
    found = conflicts_through(store, first.items[-1].conflict.key, newest.conflict.conflict_id)
    assert len(found.items) == 211 and not found.more  # the pages up to the newest: the last
    assert found.items[-1].conflict.conflict_id == newest.conflict.conflict_id
    kept = load_snapshot(store, conflicts=300)  # a reload keeps as many as are shown
    assert len(kept.conflicts.items) == 300 and kept.conflicts.more
