"""The photo viewer over a real store: the photo shown, keys and wheel, caption, remove, export."""

from __future__ import annotations

from pathlib import Path

import pytest
from photouikit import attach_jpegs, their_photo
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from uikit import on_worker

from fieldapp.core.photo_store import PhotoInfo, get_photo, list_photos
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.photo_viewer import PhotoViewer


@pytest.fixture
def target(wells: list[Well]) -> PhotoTarget:
    return PhotoTarget("well", wells[0].well_id)


@pytest.fixture
def photos(qtbot: QtBot, runner: OpRunner, target: PhotoTarget, tmp_path: Path) -> list[PhotoInfo]:
    return on_worker(qtbot, runner, lambda s: attach_jpegs(s, target, tmp_path, 1, 2))


def open_viewer(
    qtbot: QtBot, runner: OpRunner, photos: list[PhotoInfo], index: int = 0
) -> PhotoViewer:
    viewer = PhotoViewer(runner, photos, index)
    qtbot.addWidget(viewer)
    viewer.show()
    qtbot.waitExposed(viewer)
    qtbot.waitUntil(lambda: viewer.pixmap is not None, timeout=10_000)
    return viewer


def test_the_photo_is_fitted_then_zoomed_by_keys_and_wheel(
    qtbot: QtBot, runner: OpRunner, photos: list[PhotoInfo]
) -> None:
    viewer = open_viewer(qtbot, runner, photos)
    assert viewer.pixmap is not None and viewer.pixmap.size().width() == 800
    assert viewer.zoom_label.text().startswith("Fit (")
    viewer.setFocus()
    qtbot.keyClick(viewer, Qt.Key.Key_0)
    assert viewer.zoom_label.text() == "100 %"
    assert viewer.image.pixmap().width() == 800
    qtbot.keyClick(viewer, Qt.Key.Key_Plus)
    assert viewer.zoom_label.text() == "125 %" and viewer.image.pixmap().width() == 1000
    qtbot.keyClick(viewer, Qt.Key.Key_Minus)
    qtbot.keyClick(viewer, Qt.Key.Key_Minus)
    assert viewer.zoom_label.text() == "80 %"
    wheel = QWheelEvent(
        QPointF(50, 50),
        QPointF(50, 50),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewer.scroller.viewport(), wheel)
    assert viewer.zoom_label.text() == "100 %"
    qtbot.keyClick(viewer, Qt.Key.Key_F)
    assert viewer.zoom_label.text().startswith("Fit (")


def test_arrows_walk_the_list_and_the_metadata_follows(
    qtbot: QtBot, runner: OpRunner, photos: list[PhotoInfo]
) -> None:
    viewer = open_viewer(qtbot, runner, photos)
    assert viewer.position.text() == "Photo 1 of 2" and not viewer.previous.isEnabled()
    first_taken = viewer.fact_labels["Taken at"].text()
    qtbot.keyClick(viewer, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: viewer.pixmap is not None, timeout=10_000)
    assert viewer.position.text() == "Photo 2 of 2" and not viewer.next.isEnabled()
    assert viewer.fact_labels["Taken at"].text() != first_taken
    assert viewer.fact_labels["Location"].text().endswith("(from the photo's EXIF)")
    assert viewer.fact_labels["Upload"].text() == "pending"
    viewer.previous.click()
    assert viewer.position.text() == "Photo 1 of 2"


def test_the_caption_is_saved_on_the_worker(
    qtbot: QtBot, runner: OpRunner, photos: list[PhotoInfo]
) -> None:
    viewer = open_viewer(qtbot, runner, photos)
    viewer.caption.setText("  leaking stuffing box ")
    with qtbot.waitSignal(viewer.changed, timeout=10_000):
        viewer.save.click()
    shot = photos[0].photo_id
    caption = on_worker(qtbot, runner, lambda s: _caption(s, shot))
    assert caption == "leaking stuffing box"
    assert viewer.note.text() == "Caption saved."


def _caption(store: Store, photo_id: str) -> str:
    with store.read() as conn:
        return get_photo(conn, photo_id).caption


def test_remove_asks_for_a_reason_and_a_second_press(
    qtbot: QtBot, runner: OpRunner, photos: list[PhotoInfo], target: PhotoTarget
) -> None:
    viewer = open_viewer(qtbot, runner, photos)
    assert viewer.confirm.isHidden()
    viewer.remove.click()
    assert viewer.confirm.isVisibleTo(viewer) and viewer.reason.isVisibleTo(viewer)
    viewer.reason.setText("blurred")
    with qtbot.waitSignal(viewer.changed, timeout=10_000):
        viewer.confirm.click()
    left = on_worker(qtbot, runner, lambda s: list_photos(s, target))
    assert [p.photo_id for p in left] == [photos[1].photo_id]
    assert viewer.position.text() == "Photo 1 of 1" and viewer.confirm.isHidden()
    gone = on_worker(qtbot, runner, lambda s: _removed(s, photos[0].photo_id))
    assert gone == (True, "blurred")


def _removed(store: Store, photo_id: str) -> tuple[bool, str]:
    with store.read() as conn:
        photo = get_photo(conn, photo_id)
        return photo.removed, photo.removed_reason


def test_export_writes_the_processed_jpeg(
    qtbot: QtBot, runner: OpRunner, photos: list[PhotoInfo], tmp_path: Path
) -> None:
    viewer = open_viewer(qtbot, runner, photos)
    out = tmp_path / "out" / "gauge.jpg"
    out.parent.mkdir()
    viewer.export_to(out)
    qtbot.waitUntil(lambda: viewer.note.text().startswith("Exported"), timeout=10_000)
    assert out.read_bytes()[:2] == b"\xff\xd8" and out.stat().st_size == photos[0].size


def test_a_photo_not_on_this_laptop_says_so_without_a_server(
    qtbot: QtBot, runner: OpRunner, wells: list[Well]
) -> None:
    shot = on_worker(qtbot, runner, lambda s: their_photo(s, "well", wells[0].well_id))
    (photo,) = [p for p in on_worker(qtbot, runner, lambda s: list_photos(s)) if p.photo_id == shot]
    viewer = PhotoViewer(runner, [photo])
    qtbot.addWidget(viewer)
    qtbot.waitUntil(lambda: "not on this laptop" in viewer.image.text(), timeout=10_000)
    assert viewer.fact_labels["Upload"].text() == "on server"
