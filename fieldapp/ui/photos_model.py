"""A thin Qt table model over `PhotosState`: text, tooltips, accessibility and the thumbnail
column (the decoration role, from the thumbnails this laptop holds; a grey square for a photo
not on this laptop), and the page's table view with rows tall enough for the thumbnails."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QTableView

from fieldapp.ui.photos_state import COLUMNS, PhotoRow, PhotosSnapshot, PhotosState
from fieldapp.ui.table_model import Index, ListTableModel, table_view

THUMB_HEIGHT = 64
ROW_HEIGHT = THUMB_HEIGHT + 8
PHOTO_COLUMN = 0
_TITLES = tuple(title for _key, title in COLUMNS)


class PhotosModel(ListTableModel[PhotoRow]):
    def __init__(self, state: PhotosState | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.state = state or PhotosState()
        self._pixmaps: dict[str, QPixmap] = {}

    def set_snapshot(self, snapshot: PhotosSnapshot) -> None:
        self.beginResetModel()
        self.state.set_snapshot(snapshot)
        self._pixmaps = {k: v for k, v in self._pixmaps.items() if k in self.state.thumbnails}
        self.endResetModel()

    def set_filter(
        self, well_id: str | None = None, kind: str | None = None, state: str | None = None
    ) -> None:
        self.beginResetModel()
        self.state.set_filter(well_id, kind, state)
        self.endResetModel()

    def add_thumbnail(self, photo_id: str, data: bytes) -> None:
        """A thumbnail fetched from the server: its row repaints (picture and sync state)."""
        self._pixmaps.pop(photo_id, None)
        row = self.state.add_thumbnail(photo_id, data)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def clear(self) -> None:
        self.set_snapshot(PhotosSnapshot([], [], {}))

    def rows(self) -> Sequence[PhotoRow]:
        return self.state.shown

    def titles(self) -> Sequence[str]:
        return _TITLES

    def thumbnail(self, row: PhotoRow) -> QPixmap:
        pixmap = self._pixmaps.get(row.photo_id)
        if pixmap is None:
            pixmap = QPixmap()
            data = self.state.thumbnails.get(row.photo_id)
            if data is None or not pixmap.loadFromData(data):
                pixmap = QPixmap(THUMB_HEIGHT, THUMB_HEIGHT)
                pixmap.fill(Qt.GlobalColor.lightGray)
            else:
                pixmap = pixmap.scaledToHeight(
                    THUMB_HEIGHT, Qt.TransformationMode.SmoothTransformation
                )
            self._pixmaps[row.photo_id] = pixmap
        return pixmap

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        found = self.cell(index)
        if found is None:
            return None
        row, number = found
        key, title = COLUMNS[number]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.display(key)
        if role == Qt.ItemDataRole.DecorationRole and number == PHOTO_COLUMN:
            return self.thumbnail(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if key == "photo":
                return f"Photo: {row.photo.caption or row.photo.original_name or 'no caption'}"
            return f"{title}: {row.full(key)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(f"{t}: {row.full(k)}" for k, t in COLUMNS if k != "photo")
        return None


def photos_table(model: PhotosModel) -> QTableView:
    view = table_view(model, "Photos, by well, newest first", stretch=4, wrap=False)
    view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    return view
