"""The selected rejected record's panel: the fix form (typed and chosen fields, drafts kept
across reloads and records) and Resolve again for a refused resolution; real widgets, filled
from a real demo store whose push answers were stored by the real outbox code."""

from __future__ import annotations

from answerkit import accepted, answer, demo_answers, rejected
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from fieldapp.core.incidents import report_incident
from fieldapp.core.rejections import open_rejections
from fieldapp.core.store import Store
from fieldapp.ui.sync_fix_state import fix_fields
from fieldapp.ui.sync_rejection_panel import RejectionPanel
from fieldapp.ui.sync_state import load_snapshot
from shared.contracts import IncidentReported
from shared.units import UnitSystem

_LEFT = Qt.MouseButton.LeftButton


def panel(qtbot: QtBot) -> RejectionPanel:
    shown = RejectionPanel()
    qtbot.addWidget(shown)
    shown.show()
    return shown


def test_the_fix_form_keeps_what_was_typed_across_reloads_and_records(
    qtbot: QtBot, store: Store
) -> None:
    demo_answers(store)
    first, second = load_snapshot(store).rejections.items
    editor = panel(qtbot)
    editor.show_rejection(first, UnitSystem.FIELD)
    oil = editor.inputs["oil_bbl"]
    assert isinstance(oil, QLineEdit)
    assert editor.heading.text().startswith(f"{first.well_name} · {first.day}")
    assert editor.button.text() == "&Fix and send again" and editor.button.isVisible()
    assert not editor.resolve.isVisible()
    oil.setText("12")
    editor.show_rejection(first, UnitSystem.FIELD)  # a reload: the same fields stay
    assert editor.inputs["oil_bbl"] is oil and oil.text() == "12"
    editor.show_rejection(second, UnitSystem.FIELD)
    assert editor.inputs["oil_bbl"].text() == fix_fields(second, UnitSystem.FIELD)[0].text  # type: ignore[union-attr]
    editor.show_rejection(first, UnitSystem.FIELD)
    assert editor.inputs["oil_bbl"].text() == "12" and editor.unsaved() == 1  # type: ignore[union-attr]
    with qtbot.waitSignal(editor.submit) as sent:
        qtbot.mouseClick(editor.button, _LEFT)
    assert sent.args == [first.rejection.device_seq, {"oil_bbl": 12.0}]
    editor.show_rejection(None, UnitSystem.FIELD)
    assert editor.inputs == {} and not editor.button.isEnabled()
    editor.keep_drafts({second.rejection.device_seq}, more=True)  # first is before: fixed
    assert editor.unsaved() == 0


def test_an_incident_is_fixed_by_choosing_from_a_list(qtbot: QtBot, store: Store) -> None:
    report_incident(
        store,
        IncidentReported(
            incident_type="leak",
            severity="high",
            occurred_at="2026-11-18T13:00:00Z",  # type: ignore[arg-type]
            description="drip at the flange",
        ),
    )
    with store.read() as conn:
        waiting = int(conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar_one())
    severity = {"rule": "payload", "field": "severity", "message": "not a severity"}
    answer(store, *[accepted(n) for n in range(1, waiting)], rejected(severity))
    with store.read() as conn:
        (shown,) = open_rejections(conn, 5)
    editor = panel(qtbot)
    editor.show_rejection(shown, UnitSystem.FIELD)
    choice = editor.inputs["severity"]
    assert isinstance(choice, QComboBox) and choice.currentData() == "high"
    assert choice.minimumHeight() >= 50 and choice.accessibleName() == "Severity"
    choice.setCurrentIndex(choice.findData("critical"))
    assert editor.unsaved() == 1
    with qtbot.waitSignal(editor.submit) as sent:
        qtbot.mouseClick(editor.button, _LEFT)
    assert sent.args == [shown.rejection.device_seq, {"severity": "critical"}]
