"""The photo strip over a real store: attaching (files, paste, drop), refusals, retry, viewer."""

from __future__ import annotations

from pathlib import Path

import pytest
from photocorekit import write_jpeg, write_not_an_image
from photouikit import attach_jpegs
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from pytestqt.qtbot import QtBot
from uikit import on_worker

from fieldapp.core.photo_store import list_photos
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.photo_uploads import mark_upload
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.photo_camera import camera_available
from fieldapp.ui.photo_strip import PhotoStrip


@pytest.fixture
def target(wells: list[Well]) -> PhotoTarget:
    return PhotoTarget("well", wells[0].well_id)


@pytest.fixture
def strip(qtbot: QtBot, runner: OpRunner, target: PhotoTarget) -> PhotoStrip:
    shown = PhotoStrip(runner)
    qtbot.addWidget(shown)
    shown.resize(900, 360)
    shown.show()
    shown.show_record(target, "Well 1")
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    return shown


def wait_idle(qtbot: QtBot, runner: OpRunner) -> None:
    qtbot.waitUntil(lambda: not runner.busy, timeout=20_000)


def texts(strip: PhotoStrip) -> list[str]:
    return [strip.list.item(i).text() for i in range(strip.list.count())]


def test_nothing_selected_offers_nothing(qtbot: QtBot, runner: OpRunner) -> None:
    strip = PhotoStrip(runner)
    qtbot.addWidget(strip)
    strip.show_record(None)
    assert not strip.add_button.isEnabled() and not strip.paste_button.isEnabled()
    assert strip.title.text() == "Photos: select a record"
    if not camera_available():  # no Qt Multimedia or no camera: no button at all
        assert strip.camera_button is None


def test_files_are_attached_and_each_refused_file_is_named(
    qtbot: QtBot, runner: OpRunner, strip: PhotoStrip, tmp_path: Path
) -> None:
    good = write_jpeg(tmp_path / "IMG_0001.jpg", seed=3)
    bad = write_not_an_image(tmp_path / "drawing.jpg")
    with qtbot.waitSignal(strip.changed, timeout=20_000):
        strip.attach_files([good, bad])
    wait_idle(qtbot, runner)
    assert texts(strip) == ["pending"]
    note = strip.note.text()
    assert note.startswith("Attached 1 photo. Not attached: drawing.jpg ")
    assert strip.note.property("severity") == "error"
    assert strip.title.text() == "Photos of Well 1: 1 photo"
    item = strip.list.item(0)
    assert "Sync: pending" in item.toolTip()
    assert not item.icon().isNull()


def test_an_image_on_the_clipboard_is_pasted_as_a_photo(
    qtbot: QtBot, runner: OpRunner, strip: PhotoStrip, target: PhotoTarget
) -> None:
    image = QImage(320, 200, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkCyan)
    QGuiApplication.clipboard().setImage(image)
    with qtbot.waitSignal(strip.changed, timeout=20_000):
        strip.paste()
    wait_idle(qtbot, runner)
    (photo,) = on_worker(qtbot, runner, lambda s: list_photos(s, target))
    assert (photo.original_name, photo.width, photo.height) == ("pasted.png", 320, 200)
    assert texts(strip) == ["pending"]


def test_copied_and_dropped_files_are_attached(
    qtbot: QtBot, runner: OpRunner, strip: PhotoStrip, target: PhotoTarget, tmp_path: Path
) -> None:
    copied = QMimeData()
    copied.setUrls([QUrl.fromLocalFile(str(write_jpeg(tmp_path / "copied.jpg", seed=11)))])
    QGuiApplication.clipboard().setMimeData(copied)
    with qtbot.waitSignal(strip.changed, timeout=20_000):
        strip.paste()
    wait_idle(qtbot, runner)
    QGuiApplication.clipboard().clear()  # Qt frees the data it took, before Python's exit
    dropped = QMimeData()
    dropped.setUrls([QUrl.fromLocalFile(str(write_jpeg(tmp_path / "dropped.jpg", seed=12)))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        dropped,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(strip.changed, timeout=20_000):
        strip.dropEvent(event)
    wait_idle(qtbot, runner)
    names = {p.original_name for p in on_worker(qtbot, runner, lambda s: list_photos(s, target))}
    assert names == {"copied.jpg", "dropped.jpg"}
    assert strip.list.count() == 2


def test_a_refused_upload_says_why_and_retry_queues_it_again(
    qtbot: QtBot, runner: OpRunner, strip: PhotoStrip, target: PhotoTarget, tmp_path: Path
) -> None:
    def refuse(store: Store) -> str:
        (photo,) = attach_jpegs(store, target, tmp_path, 21)
        mark_upload(store, photo.sha256, "refused", 0, "up-9", "over the 25 MiB limit")
        return photo.sha256

    on_worker(qtbot, runner, refuse)
    strip.reload()
    wait_idle(qtbot, runner)
    assert texts(strip) == ["refused: over the 25 MiB…"]  # the tooltip says it all
    assert "Sync: refused: over the 25 MiB limit" in strip.list.item(0).toolTip()
    assert strip.retry_button.isHidden() and not strip.retry_action.isEnabled()
    strip.list.setCurrentRow(0)
    assert strip.retry_button.isVisibleTo(strip) and strip.retry_action.isEnabled()
    assert [a.text() for a in strip.list.actions()] == ["Open", "Retry upload"]  # its menu
    with qtbot.waitSignal(strip.changed, timeout=20_000):
        strip.retry_button.click()
    wait_idle(qtbot, runner)
    assert texts(strip) == ["pending"]
    assert strip.retry_button.isHidden()


def test_live_upload_progress_is_shown_then_the_stored_state(
    qtbot: QtBot, runner: OpRunner, strip: PhotoStrip, target: PhotoTarget, tmp_path: Path
) -> None:
    (photo,) = on_worker(qtbot, runner, lambda s: attach_jpegs(s, target, tmp_path, 31))
    strip.reload()
    wait_idle(qtbot, runner)
    strip.on_sync_event(
        "sync.photo_progress", {"sha256": photo.sha256, "held_bytes": photo.size, "size": 1}
    )
    assert texts(strip) == ["uploading 100 %"]
    on_worker(qtbot, runner, lambda s: mark_upload(s, photo.sha256, "on_server", photo.size, "u"))
    strip.on_sync_event("sync.photo", {"sha256": photo.sha256, "state": "on_server"})
    wait_idle(qtbot, runner)
    assert texts(strip) == ["on server"]


def test_activating_a_thumbnail_opens_the_viewer(
    qtbot: QtBot, runner: OpRunner, strip: PhotoStrip, target: PhotoTarget, tmp_path: Path
) -> None:
    on_worker(qtbot, runner, lambda s: attach_jpegs(s, target, tmp_path, 41, 42))
    strip.reload()
    wait_idle(qtbot, runner)
    strip.list.itemActivated.emit(strip.list.item(1))
    viewer = strip.viewer
    assert viewer is not None
    qtbot.addWidget(viewer)
    assert viewer.state.index == 1 and viewer.position.text() == "Photo 2 of 2"
    qtbot.waitUntil(lambda: viewer.pixmap is not None, timeout=10_000)
    viewer.close()


def test_a_compact_strip_has_no_title_line_but_names_its_thumbnails(
    qtbot: QtBot, runner: OpRunner, target: PhotoTarget
) -> None:
    strip = PhotoStrip(runner, compact=True)
    qtbot.addWidget(strip)
    strip.show()
    strip.show_record(target, "Rod pump RP-7")
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    assert not strip.title.isVisible()
    assert strip.list.accessibleName() == "Photos of Rod pump RP-7: 0 photos"


def test_a_drag_of_image_files_is_taken_and_one_of_text_is_not(
    strip: PhotoStrip, tmp_path: Path
) -> None:
    def drag(name: str) -> QDragEnterEvent:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(tmp_path / name))])
        event = QDragEnterEvent(
            QPoint(5, 5),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        strip.dragEnterEvent(event)
        return event

    assert drag("IMG_2.HEIC").isAccepted()
    assert not drag("notes.txt").isAccepted()
    strip.show_record(None)
    assert not drag("IMG_3.jpg").isAccepted()  # no record: nothing to attach to
