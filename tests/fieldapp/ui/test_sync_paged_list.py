"""A list of the Sync screen loaded a page at a time: the note, Show more, scrolling to the
end, and a page read before a reload not added to the rows read after it (real widgets)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fieldapp.core.outbox import PendingEvent
from fieldapp.ui.sync_models import PendingModel
from fieldapp.ui.sync_paged_list import PagedList


def events(first: int, count: int) -> list[PendingEvent]:
    return [
        PendingEvent(n, "well.updated", "w", "Smith 1H", "", {"lease": f"L{n}"}, "t")
        for n in range(first, first + count)
    ]


def paged_list(qtbot: QtBot) -> PagedList:
    shown = PagedList(PendingModel(), "Rejected records")
    qtbot.addWidget(shown)
    shown.resize(600, 400)
    shown.show()
    return shown


def test_show_more_and_scrolling_to_the_end_ask_for_the_next_page_once(qtbot: QtBot) -> None:
    paged = paged_list(qtbot)
    paged.set_items(events(1, 50), more=True, total=120)
    assert paged.note.text() == "Showing 50 of 120." and paged.button.isVisible()
    assert paged.button.accessibleName() == "Show more rejected records"
    asked: list[int] = []
    paged.more.connect(lambda: asked.append(paged.model.state.last_key()))  # type: ignore[arg-type]
    qtbot.mouseClick(paged.button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(paged.button, Qt.MouseButton.LeftButton)  # already loading: not asked again
    assert asked == [50]
    assert paged.add_page(events(51, 50), more=True, token=paged.token)
    bar = paged.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert asked == [50, 100]
    assert paged.add_page(events(101, 20), more=False, token=paged.token)
    assert paged.model.rowCount() == 120 and not paged.button.isVisible()
    assert not paged.note.isVisible()


def test_a_page_read_before_a_reload_is_not_added(qtbot: QtBot) -> None:
    paged = paged_list(qtbot)
    paged.set_items(events(1, 10), more=True, total=30)
    paged.ask_more()
    token = paged.token
    paged.set_items(events(1, 20), more=True, total=30)  # a reload answered first
    assert not paged.add_page(events(11, 10), more=True, token=token)
    assert paged.model.rowCount() == 20 and not paged.loading
    paged.ask_more()
    paged.page_failed()  # the read failed: the next press asks again
    assert not paged.loading
