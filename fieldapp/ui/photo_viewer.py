"""The photo viewer: one photo at a time, fit or zoomed, with its metadata and caption.

Keys: Left/Right (or Page Up/Down) previous and next, + and - zoom, 0 is 100 %, F fits; the
mouse wheel zooms too. The photo's bytes are read (or, for another device's photo, fetched
from the server and cached) on the worker; the caption is saved with `set_caption`, Remove asks
for a reason and a second press before `remove_photo`, Export… saves the processed JPEG
(`export_photo`). Every store call runs on the worker; `changed` tells the strip or the Photos
page to reload.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPixmap, QWheelEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.photo_store import PhotoInfo
from fieldapp.core.photos import export_photo, remove_photo, set_caption
from fieldapp.core.store import Store
from fieldapp.ui import theme
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.photo_fetch import fetcher_of, load_bytes
from fieldapp.ui.photo_viewer_state import ViewerState, details
from fieldapp.ui.sync_messages import show_message

SIDE_WIDTH = 440
ZOOM_KEYS = {Qt.Key.Key_Plus: 1, Qt.Key.Key_Equal: 1, Qt.Key.Key_Minus: -1}
STEP_KEYS = {
    Qt.Key.Key_Right: 1,
    Qt.Key.Key_PageDown: 1,
    Qt.Key.Key_Left: -1,
    Qt.Key.Key_PageUp: -1,
}


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    theme.size_button(button, name)
    button.setAutoDefault(False)  # Enter in the caption saves it, it presses no button
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # arrows stay the viewer's
    return button


class PhotoViewer(QDialog):
    changed = Signal()  # a caption was saved or a photo removed

    def __init__(
        self,
        runner: OpRunner,
        photos: Sequence[PhotoInfo],
        index: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.state = ViewerState.of(photos, index)
        self.pixmap: QPixmap | None = None
        self.setWindowTitle("Photo")
        self.setAccessibleName("Photo viewer")
        theme.apply_to_window(self)

        self.image = QLabel("Loading…")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setAccessibleName("Photo")
        self.scroller = QScrollArea()
        self.scroller.setAccessibleName("Photo, scrollable when zoomed")
        self.scroller.setWidget(self.image)
        self.scroller.setWidgetResizable(False)
        self.scroller.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroller.viewport().installEventFilter(self)

        self.previous = _button("◀ Previous", "Previous photo")
        self.previous.clicked.connect(lambda: self.step(-1))
        self.next = _button("Next ▶", "Next photo")
        self.next.clicked.connect(lambda: self.step(1))
        self.zoom_out = _button("−", "Zoom out")
        self.zoom_out.clicked.connect(lambda: self.zoom(-1))
        self.actual = _button("100 %", "Actual size, 100 percent")
        self.actual.clicked.connect(self.actual_size)
        self.zoom_in = _button("+", "Zoom in")
        self.zoom_in.clicked.connect(lambda: self.zoom(1))
        for narrow in (self.zoom_out, self.zoom_in):
            narrow.setMinimumWidth(theme.BUTTON_MIN_HEIGHT)  # one sign: square is enough
        self.fit = _button("Fit", "Fit the photo to the window")
        self.fit.clicked.connect(self.fit_to_window)
        self.zoom_label = QLabel("")
        self.zoom_label.setAccessibleName("Zoom")
        bar = QHBoxLayout()
        bar.setSpacing(theme.SPACING)
        for widget in (self.previous, self.next, self.zoom_out, self.actual, self.zoom_in):
            bar.addWidget(widget)
        bar.addWidget(self.fit)
        bar.addWidget(self.zoom_label, 1)
        left = QVBoxLayout()
        left.setSpacing(theme.SPACING)
        left.addWidget(self.scroller, 1)
        left.addLayout(bar)

        layout = QHBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addLayout(left, 1)
        side = self._side()
        side.setFixedWidth(SIDE_WIDTH)  # the metadata never squeezed into a sliver
        layout.addWidget(side)
        self.resize(1200, 720)
        self.show_current()

    def _side(self) -> QWidget:
        side = QWidget()
        self.position = QLabel("")
        self.position.setObjectName("title")
        self.facts = QFormLayout()
        self.facts.setVerticalSpacing(theme.SPACING // 2)
        self.fact_labels: dict[str, QLabel] = {}
        self.caption = QLineEdit()
        self.caption.setPlaceholderText("What the photo shows")
        self.caption.setMaxLength(400)
        theme.size_input(self.caption, "Caption")
        self.caption.returnPressed.connect(self.save_caption)
        self.save = _button("Save caption", "Save the caption")
        self.save.clicked.connect(self.save_caption)
        self.export = _button("Export…", "Export the photo to a file")
        self.export.clicked.connect(self.choose_export)
        self.remove = _button("Remove…", "Remove the photo from its record")
        self.remove.clicked.connect(self.ask_remove)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why it is removed (kept in the history)")
        self.reason.setMaxLength(400)
        theme.size_input(self.reason, "Reason for removing the photo")
        self.confirm = _button("Remove photo", "Confirm: remove the photo")
        self.confirm.setObjectName("danger")
        self.confirm.clicked.connect(self.confirm_remove)
        self.reason.hide()
        self.confirm.hide()
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Photo viewer messages")
        self.note.hide()
        close = _button("Close", "Close the viewer")
        close.clicked.connect(self.accept)
        column = QVBoxLayout(side)
        column.setSpacing(theme.SPACING)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.position)
        column.addLayout(self.facts)
        column.addWidget(self.caption)
        column.addWidget(self.save)
        row = QHBoxLayout()
        row.setSpacing(theme.SPACING)
        row.addWidget(self.export)
        row.addWidget(self.remove)
        column.addLayout(row)
        column.addWidget(self.reason)
        column.addWidget(self.confirm)
        column.addWidget(self.note)
        column.addStretch(1)
        column.addWidget(close)
        return side

    # --- the photo shown --------------------------------------------------------------------

    def show_current(self) -> None:
        photo = self.state.current
        self.previous.setEnabled(self.state.can_go(-1))
        self.next.setEnabled(self.state.can_go(1))
        self.position.setText(f"Photo {self.state.position}")
        self.reason.hide()
        self.confirm.hide()
        for widget in (self.save, self.export, self.remove, self.caption):
            widget.setEnabled(photo is not None)
        if photo is None:
            self.pixmap = None
            self.image.setText("No photo")
            self.image.adjustSize()
            return
        self.caption.setText(photo.caption)
        self._show_facts(photo)
        self.pixmap = None
        self.image.setPixmap(QPixmap())
        self.image.setText("Loading…")
        self.image.adjustSize()
        fetcher = fetcher_of(self.runner)
        photo_id = photo.photo_id

        def op(store: Store) -> tuple[str, bytes | None]:
            return photo_id, load_bytes(store, fetcher, photo_id, thumbnail=False)

        self.runner.run(op, self._loaded, self._load_failed)

    def _show_facts(self, photo: PhotoInfo) -> None:
        for label, value in details(photo):
            shown = self.fact_labels.get(label)
            if shown is None:
                shown = QLabel("")
                shown.setWordWrap(True)
                shown.setAccessibleName(label)
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.fact_labels[label] = shown
                self.facts.addRow(f"{label}:", shown)
            shown.setText(value)

    def _loaded(self, answer: tuple[str, bytes | None]) -> None:
        photo_id, data = answer
        photo = self.state.current
        if photo is None or photo.photo_id != photo_id:
            return  # moved on meanwhile
        pixmap = QPixmap()
        if data is None or not pixmap.loadFromData(data):
            self.image.setText("This photo is not on this laptop and the server has none to give.")
            self.image.adjustSize()
            return
        self.pixmap = pixmap
        self._paint()

    def _load_failed(self, error: BaseException) -> None:
        self.image.setText(f"Could not open the photo: {error}")
        self.image.adjustSize()

    def _sizes(self) -> tuple[tuple[int, int], tuple[int, int]]:
        pixmap = self.pixmap
        image = (pixmap.width(), pixmap.height()) if pixmap is not None else (0, 0)
        view = self.scroller.viewport().size()
        return image, (view.width() - 2, view.height() - 2)

    def _paint(self) -> None:
        if self.pixmap is None:
            return
        image, view = self._sizes()
        factor = self.state.factor(image, view)
        size = self.pixmap.size() * factor
        mode = Qt.TransformationMode.SmoothTransformation
        self.image.setPixmap(self.pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, mode))
        self.image.adjustSize()
        self.zoom_label.setText(self.state.zoom_words(image, view))

    # --- moving and zooming -----------------------------------------------------------------

    def step(self, step: int) -> None:
        if self.state.go(step):
            self.show_current()

    def zoom(self, steps: int) -> None:
        if self.pixmap is not None:
            self.state.zoom_by(steps, *self._sizes())
            self._paint()

    def actual_size(self) -> None:
        self.state.actual_size()
        self._paint()

    def fit_to_window(self) -> None:
        self.state.fit()
        self._paint()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        typing = self.caption.hasFocus() or self.reason.hasFocus()
        if key in STEP_KEYS and not typing:
            self.step(STEP_KEYS[key])
        elif key in ZOOM_KEYS and not typing:
            self.zoom(ZOOM_KEYS[key])
        elif key == Qt.Key.Key_0 and not typing:
            self.actual_size()
        elif key == Qt.Key.Key_F and not typing:
            self.fit_to_window()
        else:
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            delta = event.angleDelta().y()
            if delta:
                self.zoom(1 if delta > 0 else -1)
            return True
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.state.zoom is None:
            self._paint()

    # --- caption, remove, export ------------------------------------------------------------

    def save_caption(self) -> None:
        photo = self.state.current
        if photo is None:
            return
        photo_id, text = photo.photo_id, self.caption.text().strip()
        self.runner.run(lambda store: set_caption(store, photo_id, text), self._saved, self._error)

    def _saved(self, photo: PhotoInfo) -> None:
        self.state.replace(photo)
        show_message(self.note, "Caption saved.", "ok")
        self.changed.emit()

    def ask_remove(self) -> None:
        """The first press: the reason and a second button to confirm."""
        self.reason.show()
        self.confirm.show()
        self.reason.setFocus()
        show_message(self.note, "Remove this photo from its record? Say why, then confirm.", "")

    def confirm_remove(self) -> None:
        photo = self.state.current
        if photo is None:
            return
        photo_id, why = photo.photo_id, self.reason.text().strip()
        self.runner.run(
            lambda store: remove_photo(store, photo_id, why), self._removed, self._error
        )

    def _removed(self, photo: PhotoInfo) -> None:
        self.state.remove(photo.photo_id)
        self.reason.clear()
        show_message(self.note, "Photo removed (its history stays).", "ok")
        self.changed.emit()
        self.show_current()

    def choose_export(self) -> None:
        photo = self.state.current
        if photo is None:
            return
        name = Path(photo.original_name or "photo").stem + ".jpg"
        path, _ = QFileDialog.getSaveFileName(self, "Export photo", name, "JPEG (*.jpg)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        photo = self.state.current
        if photo is None:
            return
        photo_id = photo.photo_id
        self.runner.run(
            lambda store: export_photo(store, photo_id, path),
            lambda size: show_message(self.note, f"Exported {size:,} bytes to {path}.", "ok"),
            self._error,
        )

    def _error(self, error: BaseException) -> None:
        show_message(self.note, str(error) or type(error).__name__, "error")
