"""The Sync screen's table models (qtmodeltester), filled from a real demo store whose push
answers were stored by the real outbox and inbox code; a page added to a long list."""

from __future__ import annotations

from typing import Any

from answerkit import demo_answers, many_conflicts, many_rejections
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from fieldapp.ui import theme
from fieldapp.ui.sync_conflicts_state import comparisons
from fieldapp.ui.sync_models import (
    ITEM_ROLE,
    ComparisonModel,
    ConflictsModel,
    OutcomesModel,
    PendingModel,
    RejectionsModel,
)
from fieldapp.ui.sync_state import SyncSnapshot, load_snapshot, more_conflicts, more_rejections
from shared.units import UnitSystem


def answered(store: Store) -> SyncSnapshot:
    demo_answers(store)
    return load_snapshot(store)


def test_every_model_passes_the_model_tester_with_real_rows(
    qtmodeltester: Any, store: Store
) -> None:
    data = answered(store)
    conflicts, rejections = data.conflicts.items, data.rejections.items
    assert data.pending and data.outcomes and conflicts and len(rejections) == 2
    for model, items in (
        (PendingModel(), data.pending),
        (OutcomesModel(), data.outcomes),
        (ConflictsModel(), conflicts),
        (ComparisonModel(), comparisons(conflicts[0])),
        (RejectionsModel(), rejections),
    ):
        model.set_items(items)
        assert model.rowCount() == len(items) > 0
        qtmodeltester.check(model, force_py=True)
        model.set_units(UnitSystem.METRIC)
        qtmodeltester.check(model, force_py=True)


def test_the_paged_models_take_the_next_pages_as_inserted_rows(
    qtmodeltester: Any, store: Store, wells: list[Well]
) -> None:
    many_rejections(store, wells[0].well_id, 450)  # before the answers: the wells are unconfirmed
    data = answered(store)
    many_conflicts(store, data.conflicts.items[0].conflict.aggregate_id, 450)
    data = load_snapshot(store)
    conflicts, rejections = ConflictsModel(), RejectionsModel()
    inserted: list[tuple[int, int]] = []
    conflicts.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    conflicts.set_items(data.conflicts.items, more=True, total=data.conflicts_total)
    qtmodeltester.check(conflicts, force_py=True)  # and it watches the inserts that follow
    while conflicts.state.more:
        page = more_conflicts(store, conflicts.state.last_conflict_key())
        conflicts.add_page(page.items, more=page.more)
    assert inserted == [(200, 399), (400, 450)]
    assert conflicts.rowCount() == data.conflicts_total == 451
    keys = [c.conflict.key for c in conflicts.state.items]
    assert keys == sorted(set(keys))
    qtmodeltester.check(conflicts, force_py=True)

    rejections.set_items(data.rejections.items, more=True, total=data.rejections_total)
    qtmodeltester.check(rejections, force_py=True)  # the tester follows one model at a time
    while rejections.state.more:
        page = more_rejections(store, rejections.state.last_seq())
        rejections.add_page(page.items, more=page.more)
    assert rejections.rowCount() == data.rejections_total == 452
    seqs = [r.rejection.device_seq for r in rejections.state.items]
    assert seqs == sorted(set(seqs))


def test_cells_carry_their_words_colours_accessible_text_and_item(store: Store) -> None:
    data = answered(store)
    model = OutcomesModel()
    model.set_items(data.outcomes)
    statuses = [model.index(r, 0).data() for r in range(model.rowCount())]
    row = statuses.index("✗ Rejected")
    cell = model.index(row, 0)
    assert cell.data(Qt.ItemDataRole.AccessibleTextRole) == "Result: ✗ Rejected"
    background = cell.data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(background, QBrush) and background.color().name() == theme.ERROR_PAPER
    assert model.index(row, 1).data(Qt.ItemDataRole.BackgroundRole) is None
    assert cell.data(ITEM_ROLE) is data.outcomes[row]
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Result"
    comparison = ComparisonModel()
    comparison.set_items(comparisons(data.conflicts.items[0]))
    oil = comparison.index(0, 0)
    assert oil.data() == "Oil (bbl) — differs"
    assert oil.data(Qt.ItemDataRole.BackgroundRole).color().name() == theme.WARNING_PAPER
