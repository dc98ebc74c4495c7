"""The Photos page over a real store: the list, its filters, the viewer over the filtered list."""

from __future__ import annotations

from pathlib import Path

import pytest
from photouikit import attach_jpegs, their_photo
from pytestqt.qtbot import QtBot
from uikit import on_worker

from fieldapp.core.photo_store import PhotoInfo
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.wells import Well
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.photos_page import PhotosPage


@pytest.fixture
def photos(qtbot: QtBot, runner: OpRunner, wells: list[Well], tmp_path: Path) -> list[PhotoInfo]:
    mine = on_worker(
        qtbot,
        runner,
        lambda s: attach_jpegs(s, PhotoTarget("well", wells[0].well_id), tmp_path, 1, 2),
    )
    on_worker(qtbot, runner, lambda s: their_photo(s, "well", wells[1].well_id))
    return mine


@pytest.fixture
def page(qtbot: QtBot, runner: OpRunner, photos: list[PhotoInfo]) -> PhotosPage:
    shown = PhotosPage(runner)
    qtbot.addWidget(shown)
    shown.resize(1100, 700)
    shown.show()
    shown.refresh()
    qtbot.waitUntil(lambda: shown.loaded, timeout=10_000)
    return shown


def test_every_photo_is_listed_and_the_filters_narrow_it(
    page: PhotosPage, wells: list[Well]
) -> None:
    assert page.model.rowCount() == 3
    assert page.summary.text() == "3 photos, by well, newest first"
    page.well_combo.setCurrentIndex(page.well_combo.findData(wells[1].well_id))
    assert page.model.rowCount() == 1
    assert page.summary.text() == "1 of 3 photos, by well, newest first"
    page.well_combo.setCurrentIndex(0)
    page.state_combo.setCurrentIndex(page.state_combo.findData("pending"))
    assert page.model.rowCount() == 2
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("incident"))
    assert page.model.rowCount() == 0 and not page.open_button.isEnabled()


def test_a_well_from_another_page_filters_the_list(page: PhotosPage, wells: list[Well]) -> None:
    page.show_context({"well_id": wells[0].well_id})
    assert page.model.rowCount() == 2


def test_double_click_opens_the_viewer_over_the_list_and_changes_reload(
    qtbot: QtBot, runner: OpRunner, page: PhotosPage, wells: list[Well]
) -> None:
    page.show_context({"well_id": wells[0].well_id})
    page.table.doubleClicked.emit(page.model.index(1, 2))
    viewer = page.viewer
    assert viewer is not None
    qtbot.addWidget(viewer)
    assert viewer.position.text() == "Photo 2 of 2"
    qtbot.waitUntil(lambda: viewer.pixmap is not None, timeout=10_000)
    viewer.caption.setText("wellhead")
    with qtbot.waitSignal(page.saved, timeout=10_000):
        viewer.save.click()
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    captions = [page.model.row_at(r).photo.caption for r in range(2)]  # type: ignore[union-attr]
    assert "wellhead" in captions


def test_locking_forgets_the_list(page: PhotosPage) -> None:
    page.clear()
    assert page.model.rowCount() == 0 and not page.loaded
