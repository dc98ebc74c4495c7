"""The Photos page: every photo on this laptop by well and date (newest first), filtered by
well, the kind of record it is attached to and its upload state; a double click (or Enter, or
Open) shows it in the viewer, which walks the filtered list. Loaded on the worker
(`load_photos`); the thumbnails are those this laptop holds, and other devices' are fetched
from the server (once each, on the worker) when the store is registered with one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from fieldapp.core.store import Store
from fieldapp.ui import theme
from fieldapp.ui.form_parts import fill_combo
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.page import Page
from fieldapp.ui.photo_fetch import fetcher_of
from fieldapp.ui.photo_viewer import PhotoViewer
from fieldapp.ui.photos_model import PhotosModel, photos_table
from fieldapp.ui.photos_state import KINDS, STATES, PhotosSnapshot, load_photos


def _combo(name: str, items: list[tuple[str, str | None]]) -> QComboBox:
    combo = QComboBox()
    theme.size_input(combo, name)
    fill_combo(combo, items, None)
    return combo


class PhotosPage(Page):
    name = "photos"
    title = "Photos"

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.model = PhotosModel(parent=self)
        self.viewer: PhotoViewer | None = None
        self.loaded = False
        self._asked: set[str] = set()  # thumbnails asked of the server since the unlock

        heading = QLabel("Photos")
        heading.setObjectName("title")
        self.well_combo = _combo("Show photos of well", [("All wells", None)])
        kinds = [("All records", None), *((f"{t} photos", k) for k, t in KINDS.items())]
        self.kind_combo = _combo("Show photos attached to", kinds)
        states = [("Any upload state", None), *((t, k) for k, t in STATES.items())]
        self.state_combo = _combo("Show photos in upload state", states)
        for combo in (self.well_combo, self.kind_combo, self.state_combo):
            combo.currentIndexChanged.connect(lambda _i: self._apply_filter())
        filters = QHBoxLayout()
        filters.setSpacing(theme.SPACING)
        filters.addWidget(self.well_combo, 2)
        filters.addWidget(self.kind_combo, 1)
        filters.addWidget(self.state_combo, 1)

        self.summary = QLabel("")
        self.summary.setAccessibleName("Photos shown")
        self.table = photos_table(self.model)
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)
        self.open_button = QPushButton("&Open")
        theme.size_button(self.open_button, "Open the selected photo")
        self.open_button.clicked.connect(self.open_selected)
        bottom = QHBoxLayout()
        bottom.setSpacing(theme.SPACING)
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.open_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(heading)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    # --- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.runner.run(load_photos, self.apply_snapshot, self._failed)

    def apply_snapshot(self, snapshot: PhotosSnapshot) -> None:
        well = self.well_combo.currentData()
        wells = [(w.name, w.well_id) for w in snapshot.wells]
        fill_combo(self.well_combo, [("All wells", None), *wells], well)
        self.model.set_snapshot(snapshot)
        self.loaded = True
        self._apply_filter()
        self._fetch_thumbnails()

    def _fetch_thumbnails(self) -> None:
        """Other devices' thumbnails of the rows shown, fetched one by one on the worker
        (a local store, or no fetcher: none)."""
        fetcher = fetcher_of(self.runner)
        if fetcher is None:
            return
        for photo_id in self.model.state.missing_thumbnails():
            if photo_id in self._asked:
                continue
            self._asked.add(photo_id)

            def op(store: Store, pid: str = photo_id) -> tuple[str, bytes | None]:
                if not fetcher.can_fetch(store):
                    return pid, None
                return pid, fetcher.fetch(store, pid, thumbnail=True)

            self.runner.run(op, self._thumbnail_fetched, self._fetch_failed)

    def _thumbnail_fetched(self, answer: tuple[str, bytes | None]) -> None:
        photo_id, data = answer
        if data is not None and self.loaded:
            self.model.add_thumbnail(photo_id, data)

    def _fetch_failed(self, error: BaseException) -> None:
        self.summary.setText(f"{self.model.state.summary()} · not fetched: {error}")

    def clear(self) -> None:
        self._asked.clear()
        self.model.clear()
        self.loaded = False
        self.summary.setText("")

    def show_context(self, args: dict[str, Any]) -> None:
        """Show the photos of `well_id` (all kinds, any state)."""
        well_id = args.get("well_id")
        if isinstance(well_id, str):
            found = self.well_combo.findData(well_id)
            self.well_combo.setCurrentIndex(max(found, 0))

    def _failed(self, error: BaseException) -> None:
        self.message.emit(f"Could not load the photos: {error}")

    def _apply_filter(self) -> None:
        self.model.set_filter(
            self.well_combo.currentData(),
            self.kind_combo.currentData(),
            self.state_combo.currentData(),
        )
        self.summary.setText(self.model.state.summary())
        self.open_button.setEnabled(self.model.rowCount() > 0)

    # --- the viewer ---------------------------------------------------------------------------

    def open_selected(self) -> None:
        index = self.table.currentIndex()
        self.open_at(index.row() if index.isValid() else 0)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_at(index.row())

    def open_at(self, row: int) -> PhotoViewer | None:
        photos = self.model.state.photos()
        if not 0 <= row < len(photos):
            return None
        self.viewer = PhotoViewer(self.runner, photos, row, self)
        self.viewer.changed.connect(self._viewer_changed)
        self.viewer.open()
        return self.viewer

    def _viewer_changed(self) -> None:
        self.saved.emit()  # a caption or a removal: something new to sync
        self.refresh()
