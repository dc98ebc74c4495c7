"""The photo strip under a record's details: thumbnails with their sync state, and attaching.

`PhotoStrip.show_record(target)` loads the record's photos on the worker (`load_strip`); each
thumbnail says its state under it and in its tooltip. Photos are attached with "Add photos…"
(a file dialog, several files), by dropping image files on the strip, by pasting (Ctrl+V: an
image on the clipboard is written to a temporary file and attached; copied files are attached)
and, where Qt Multimedia finds a camera, with "Take photo" (the button is absent otherwise).
Refused files are named with their reason under the strip; the others are attached. Another
device's photo shows "not on this laptop" until its thumbnail is fetched (on the worker, when
the strip is shown and a server is linked). Double-click (or Enter) opens the viewer.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QImage,
    QKeySequence,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.photo_store import PhotoInfo
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.photo_uploads import retry_upload
from fieldapp.core.photos import AttachResult, attach
from fieldapp.core.store import Store
from fieldapp.ui import theme
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.photo_camera import camera_available, take_photo
from fieldapp.ui.photo_fetch import fetcher_of
from fieldapp.ui.photo_strip_state import (
    IMAGE_FILTER,
    PhotoStripState,
    StripLoad,
    image_paths,
    load_strip,
    looks_like_image,
    refusal_message,
    short,
    tooltip,
)
from fieldapp.ui.photo_viewer import PhotoViewer
from fieldapp.ui.sync_messages import show_message

THUMB = 72
ID_ROLE = Qt.ItemDataRole.UserRole


def placeholder_icon() -> QIcon:
    pixmap = QPixmap(THUMB, THUMB)
    pixmap.fill(Qt.GlobalColor.lightGray)
    return QIcon(pixmap)


def thumbnail_icon(data: bytes | None) -> QIcon:
    if data:
        pixmap = QPixmap()
        if pixmap.loadFromData(data):
            return QIcon(pixmap)
    return placeholder_icon()


class PhotoStrip(QWidget):
    changed = Signal()  # photos were attached (something new to sync)
    message = Signal(str)  # a line for the status bar

    def __init__(
        self, runner: OpRunner, parent: QWidget | None = None, *, compact: bool = False
    ) -> None:
        """`compact`: no title line above the thumbnails, for a page with no room to spare
        (the title is still the thumbnails' accessible name)."""
        super().__init__(parent)
        self.runner = runner
        self.state = PhotoStripState()
        self.viewer: PhotoViewer | None = None
        self._events_connected = False
        self._heading = "Photos"
        self.setAcceptDrops(True)
        self.setAccessibleName("Photos of the selected record")

        self.title = QLabel("Photos: select a record")
        self.list = QListWidget()
        self.list.setAccessibleName("Photos, newest first")
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setFlow(QListWidget.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 72, THUMB + 36))
        self.list.setWordWrap(True)
        # one row of thumbnails and a scroll bar, as high as the two buttons beside it
        self.list.setFixedHeight(2 * theme.BUTTON_MIN_HEIGHT + theme.SPACING)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.list.itemActivated.connect(self._open_item)
        self.list.currentItemChanged.connect(lambda *_: self._show_retry())

        self.add_button = QPushButton("Add photos…")
        theme.size_button(self.add_button, "Add photos to the selected record")
        self.add_button.clicked.connect(self.choose_files)
        self.paste_button = QPushButton("Paste")
        theme.size_button(self.paste_button, "Paste a photo from the clipboard")
        self.paste_button.clicked.connect(self.paste)
        self.retry_button = QPushButton("Retry upload")
        theme.size_button(self.retry_button, "Retry the refused upload of the selected photo")
        self.retry_button.clicked.connect(self.retry_selected)
        self.retry_button.hide()
        self.open_action = QAction("Open", self.list)
        self.open_action.triggered.connect(self._open_current)
        self.retry_action = QAction("Retry upload", self.list)
        self.retry_action.triggered.connect(self.retry_selected)
        self.list.addActions([self.open_action, self.retry_action])
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.camera_button: QPushButton | None = None
        buttons = QGridLayout()  # beside the thumbnails: the strip stays two buttons high
        buttons.setSpacing(theme.SPACING)
        buttons.addWidget(self.add_button, 0, 0)
        buttons.addWidget(self.paste_button, 1, 0)
        if camera_available():
            self.camera_button = QPushButton("Take photo")
            theme.size_button(self.camera_button, "Take a photo with the camera")
            self.camera_button.clicked.connect(self.capture)
            buttons.addWidget(self.camera_button, 0, 1)
        buttons.addWidget(self.retry_button, 1, 1)
        row = QHBoxLayout()
        row.setSpacing(theme.SPACING)
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Photo messages")
        self.note.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACING)
        if compact:
            self.title.hide()
        else:
            layout.addWidget(self.title)
        layout.addLayout(row)
        layout.addWidget(self.note)
        paste = QShortcut(QKeySequence.StandardKey.Paste, self.list)
        paste.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        paste.activated.connect(self.paste)
        self._set_enabled(False)

    # --- the record -------------------------------------------------------------------------

    def show_record(self, target: PhotoTarget | None, title: str = "") -> None:
        """Show the photos of `target` (None: no record selected); reloads every time."""
        self._connect_events()
        if self.state.set_target(target):
            show_message(self.note, "", "")
            self.list.clear()
        self._set_enabled(target is not None)
        if target is None:
            self.title.setText("Photos: select a record")
            self.list.clear()
            return
        self._heading = f"Photos of {title}" if title else "Photos"
        self.title.setText(self._heading)
        self.reload()

    def clear(self) -> None:
        self.show_record(None)

    def reload(self) -> None:
        target = self.state.target
        if target is None:
            return
        fetcher = fetcher_of(self.runner)

        def op(store: Store) -> StripLoad:
            return load_strip(store, target, fetcher is not None and fetcher.can_fetch(store))

        self.runner.run(op, self._loaded, self._failed)

    def _loaded(self, load: StripLoad) -> None:
        if not self.state.apply(load):
            return
        self._paint()
        self._fetch_thumbnails()

    def _paint(self) -> None:
        current = self.list.currentItem()
        keep = current.data(ID_ROLE) if current is not None else None
        self.list.clear()
        for photo in self.state.photos:
            words = self.state.words(photo)
            icon = thumbnail_icon(self.state.thumbnails.get(photo.photo_id))
            item = QListWidgetItem(icon, short(words))
            item.setData(ID_ROLE, photo.photo_id)
            item.setToolTip(tooltip(photo, words))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, tooltip(photo, words))
            self.list.addItem(item)
            if photo.photo_id == keep:
                self.list.setCurrentItem(item)
        count = len(self.state.photos)
        self.title.setText(f"{self._heading}: {count} photo{'s' if count != 1 else ''}")
        self.list.setAccessibleName(self.title.text())
        self._show_retry()

    def _repaint_states(self) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            index = self.state.index_of(str(item.data(ID_ROLE)))
            if index is not None:
                photo = self.state.photos[index]
                item.setText(short(self.state.words(photo)))
                item.setToolTip(tooltip(photo, self.state.words(photo)))

    def _fetch_thumbnails(self) -> None:
        fetcher = fetcher_of(self.runner)
        if fetcher is None:
            return
        for photo_id in self.state.to_fetch():

            def op(store: Store, pid: str = photo_id) -> tuple[str, bytes | None]:
                return pid, fetcher.fetch(store, pid, thumbnail=True)

            self.runner.run(op, self._thumbnail_fetched, self._fetch_failed)

    def _thumbnail_fetched(self, answer: tuple[str, bytes | None]) -> None:
        photo_id, data = answer
        if self.state.fetched(photo_id, data):
            self._paint()

    def _fetch_failed(self, error: BaseException) -> None:
        show_message(self.note, f"Could not fetch a photo from the server: {error}", "warning")

    def _failed(self, error: BaseException) -> None:
        show_message(self.note, f"Could not load the photos: {error}", "error")

    # --- sync events ------------------------------------------------------------------------

    def _connect_events(self) -> None:
        fetcher = fetcher_of(self.runner)
        if fetcher is not None and not self._events_connected:
            fetcher.sync_event.connect(self.on_sync_event)
            self._events_connected = True

    def on_sync_event(self, name: str, details: dict[str, object]) -> None:
        if not self.state.on_sync_event(name, dict(details)):
            return
        if name == "sync.photo":
            self.reload()
        else:
            self._repaint_states()

    # --- attaching --------------------------------------------------------------------------

    def choose_files(self) -> None:
        if self.state.target is None:
            return
        names, _ = QFileDialog.getOpenFileNames(self, "Add photos", "", IMAGE_FILTER)
        self.attach_files([Path(n) for n in names])

    def attach_files(self, files: Sequence[Path], cleanup: str | None = None) -> None:
        """Attach `files` on the worker (`cleanup`: a temporary folder removed afterwards)."""
        target = self.state.target
        if target is None or not files:
            if cleanup:
                shutil.rmtree(cleanup, ignore_errors=True)
            return
        batch = list(files)

        def op(store: Store) -> list[AttachResult]:
            try:
                return attach(store, target, batch)
            finally:
                if cleanup:
                    shutil.rmtree(cleanup, ignore_errors=True)

        self._set_enabled(False)
        show_message(self.note, f"Attaching {len(batch)} file(s)…", "")
        self.runner.run(op, self._attached, self._attach_failed)

    def _attached(self, results: list[AttachResult]) -> None:
        self._set_enabled(self.state.target is not None)
        text, tone = refusal_message(results)
        show_message(self.note, text, tone)
        self.message.emit(text)
        if any(r.ok and not r.duplicate for r in results):
            self.changed.emit()
        self.reload()

    def _attach_failed(self, error: BaseException) -> None:
        self._set_enabled(self.state.target is not None)
        show_message(self.note, f"Not attached: {error}", "error")

    def paste(self) -> None:
        self.attach_mime(QGuiApplication.clipboard().mimeData())

    def attach_mime(self, mime: QMimeData | None) -> None:
        """Attach what was pasted or dropped: local files, else an image (written to a
        temporary PNG first)."""
        if mime is None or self.state.target is None:
            return
        if mime.hasUrls():
            files = image_paths(u.toLocalFile() for u in mime.urls() if u.isLocalFile())
            if files:
                self.attach_files(files)
                return
        if mime.hasImage():
            image = QImage(mime.imageData())
            if not image.isNull():
                folder = tempfile.mkdtemp(prefix="wellpulse-paste-")
                path = Path(folder) / "pasted.png"
                if image.save(str(path)):
                    self.attach_files([path], cleanup=folder)
                    return
                shutil.rmtree(folder, ignore_errors=True)
        show_message(self.note, "Nothing to attach: the clipboard holds no image or file.", "")

    def capture(self) -> None:
        if self.state.target is not None:
            take_photo(self, lambda path, folder: self.attach_files([path], cleanup=folder))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        urls = mime.urls() if mime.hasUrls() else []
        wanted = any(u.isLocalFile() and looks_like_image(u.toLocalFile()) for u in urls)
        if self.state.target is not None and (wanted or mime.hasImage()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        self.attach_mime(event.mimeData())
        event.acceptProposedAction()

    # --- retry and the viewer ---------------------------------------------------------------

    def selected(self) -> PhotoInfo | None:
        item = self.list.currentItem()
        index = None if item is None else self.state.index_of(str(item.data(ID_ROLE)))
        return None if index is None else self.state.photos[index]

    def _show_retry(self) -> None:
        photo = self.selected()
        refused = photo is not None and photo.upload_state == "refused"
        self.retry_button.setVisible(refused)
        self.retry_action.setEnabled(refused)
        self.open_action.setEnabled(photo is not None)

    def retry_selected(self) -> None:
        photo = self.selected()
        if photo is None or photo.upload_state != "refused":
            return
        sha = photo.sha256
        self.runner.run(lambda store: retry_upload(store, sha), self._retried, self._failed)

    def _retried(self, _result: object) -> None:
        show_message(self.note, "The photo is queued again: the next sync sends it.", "ok")
        self.changed.emit()
        self.reload()

    def _open_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._open_item(item)

    def _open_item(self, item: QListWidgetItem) -> None:
        index = self.state.index_of(str(item.data(ID_ROLE)))
        if index is not None:
            self.open_viewer(index)

    def open_viewer(self, index: int) -> PhotoViewer:
        self.viewer = PhotoViewer(self.runner, self.state.photos, index, self)
        self.viewer.changed.connect(self.reload)
        self.viewer.changed.connect(self.changed)
        self.viewer.open()
        return self.viewer

    def _set_enabled(self, on: bool) -> None:
        for button in (self.add_button, self.paste_button, self.camera_button):
            if button is not None:
                button.setEnabled(on)
