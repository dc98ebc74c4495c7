"""IncidentsModel: a correct Qt model that shows severity in words and colour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.modeltest import ModelTester

from fieldapp.core.incidents import Incident, report_incident
from fieldapp.core.store import Store
from fieldapp.ui import theme
from fieldapp.ui.contrast import contrast_ratio
from fieldapp.ui.incidents_model import IncidentsModel, severity_colours
from fieldapp.ui.incidents_state import load_incidents
from shared.contracts import IncidentReported

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def rows() -> list[Incident]:
    return [
        Incident(
            f"i{n}",
            None,
            kind,
            severity,
            NOW - timedelta(hours=n),
            None,
            None,
            "",
            "what happened",
            False,
            "",
            severity in ("high", "critical"),
            0,
            n,
        )
        for n, (kind, severity) in enumerate(
            [("spill", "critical"), ("leak", "high"), ("fire", "medium"), ("other", "low")]
        )
    ]


def test_model_passes_qt_model_tester(qtmodeltester: ModelTester) -> None:
    model = IncidentsModel()
    qtmodeltester.check(model, force_py=True)
    model.set_rows(rows())
    qtmodeltester.check(model, force_py=True)
    model.set_wells([])
    qtmodeltester.check(model, force_py=True)


def test_model_over_a_real_store(qtmodeltester: ModelTester, store: Store) -> None:
    report_incident(
        store,
        IncidentReported(
            incident_type="leak",
            severity="high",
            occurred_at=NOW,
            description="flange",
            location_description="separator",
        ),
    )
    model = IncidentsModel()
    wells, incidents = load_incidents(store)
    model.set_wells(wells)
    model.set_rows(incidents)
    assert model.rowCount() == 1
    qtmodeltester.check(model, force_py=True)


def test_severity_is_shown_in_words_marks_and_colour() -> None:
    model = IncidentsModel()
    model.set_rows(rows())
    texts = [model.index(r, 1).data() for r in range(4)]
    assert texts == ["!!! Critical", "!! High", "! Medium", "Low"]
    assert model.index(0, 1).data(Qt.ItemDataRole.AccessibleTextRole) == "Severity: Critical"
    high = model.index(1, 1).data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(high, QBrush)
    assert high.color().name() == theme.status_colours("error")[1]
    critical = model.index(0, 1).data(Qt.ItemDataRole.BackgroundRole)
    assert critical.color().name() == theme.status_colours("error")[0]  # inverted: stronger
    assert model.index(0, 2).data(Qt.ItemDataRole.BackgroundRole) is None  # only severity
    assert [model.index(r, 3).data() for r in range(4)] == ["Yes", "Yes", "No", "No"]
    assert severity_colours("unheard-of") is None
    for severity in ("low", "medium", "high", "critical"):
        colours = severity_colours(severity)
        assert colours is not None and contrast_ratio(*colours) >= 7
