"""The Sync screen's table models (qtmodeltester) and its fix editor, filled from a real demo
store whose push answers were stored by the real outbox and inbox code."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.qtbot import QtBot

from fieldapp.core.inbox import apply_page
from fieldapp.core.outbox import next_batch, record_results
from fieldapp.core.store import Store
from fieldapp.core.sync_overview import SyncOverview, overview
from fieldapp.ui import theme
from fieldapp.ui.sync_models import (
    ITEM_ROLE,
    ComparisonModel,
    ConflictsModel,
    FixEditor,
    OutcomesModel,
    PendingModel,
    RejectionsModel,
)
from fieldapp.ui.sync_tables import comparisons, fix_fields
from shared.contracts import BatchResponse, ChangesPage, EventResult
from shared.units import UnitSystem

NEGATIVE = [{"rule": "volume_negative", "field": "oil_bbl", "message": "negative oil"}]


def answered(store: Store) -> SyncOverview:
    """The demo's first 40 events answered: accepted, but one production record a conflict
    (with its notice pulled) and two rejected; the rest still pending."""
    sent = next_batch(store, limit=40, max_bytes=1_000_000)
    production = [
        n
        for n, item in enumerate(sent)
        if json.loads(item.envelope_json)["event_type"] == "production.recorded"
    ]
    clash, *refused = production[:3]
    cid = str(uuid4())
    results: list[dict[str, Any]] = [
        {"status": "accepted", "server_seq": n + 1, "version": 1} for n in range(len(sent))
    ]
    results[clash] = {
        "status": "conflict",
        "server_seq": clash + 1,
        "version": 2,
        "conflict_id": cid,
    }
    for n in refused:
        results[n] = {"status": "rejected", "reasons": NEGATIVE}
    response = BatchResponse(
        results=[
            EventResult(event_id=item.event_id, **result)
            for item, result in zip(sent, results, strict=True)
        ]
    )
    record_results(store, sent, response)
    notice = {
        "conflict_id": cid,
        "aggregate_id": sent[clash].aggregate_id,
        "aggregate_type": "production",
        "event_id": sent[clash].event_id,
        "device_id": str(store.identity.device_id),
        "fields": ["oil_bbl"],
        "mine": {"oil_bbl": 1.0},
        "theirs": {"oil_bbl": 2.0},
        "policy": "last_write_wins",
        "status": "open",
        "resolution": None,
    }
    change = {"server_seq": 50, "kind": "conflict", "version": 2, "data": notice}
    apply_page(
        store,
        ChangesPage.model_validate({"changes": [change], "next_cursor": 50, "has_more": False}),
    )
    return overview(store)


def test_every_model_passes_the_model_tester_with_real_rows(
    qtmodeltester: Any, store: Store
) -> None:
    data = answered(store)
    assert data.pending and data.outcomes and data.conflicts and len(data.rejections) == 2
    for model, items in (
        (PendingModel(), data.pending),
        (OutcomesModel(), data.outcomes),
        (ConflictsModel(), data.conflicts),
        (ComparisonModel(), comparisons(data.conflicts[0])),
        (RejectionsModel(), data.rejections),
    ):
        model.set_items(items)
        assert model.rowCount() == len(items) > 0
        qtmodeltester.check(model, force_py=True)
        model.set_units(UnitSystem.METRIC)
        qtmodeltester.check(model, force_py=True)


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
    comparison.set_items(comparisons(data.conflicts[0]))
    oil = comparison.index(0, 0)
    assert oil.data() == "Oil (bbl) — differs"
    assert oil.data(Qt.ItemDataRole.BackgroundRole).color().name() == theme.WARNING_PAPER


def test_the_fix_editor_keeps_what_was_typed_across_reloads_and_records(
    qtbot: QtBot, store: Store
) -> None:
    first, second = answered(store).rejections
    editor = FixEditor()
    qtbot.addWidget(editor)
    editor.show_rejection(first, UnitSystem.FIELD)
    oil = editor.inputs["oil_bbl"]
    assert editor.heading.text().startswith(f"{first.well_name} · {first.day}")
    oil.setText("12")
    editor.show_rejection(first, UnitSystem.FIELD)  # a reload: the same fields stay
    assert editor.inputs["oil_bbl"] is oil and oil.text() == "12"
    editor.show_rejection(second, UnitSystem.FIELD)
    assert editor.inputs["oil_bbl"].text() == fix_fields(second, UnitSystem.FIELD)[0].text
    editor.show_rejection(first, UnitSystem.FIELD)
    assert editor.inputs["oil_bbl"].text() == "12" and editor.unsaved() == 1
    with qtbot.waitSignal(editor.submit) as sent:
        qtbot.mouseClick(editor.button, Qt.MouseButton.LeftButton)
    assert sent.args == [first.rejection.device_seq, {"oil_bbl": 12.0}]
    editor.show_rejection(None, UnitSystem.FIELD)
    assert editor.inputs == {} and not editor.button.isEnabled()
