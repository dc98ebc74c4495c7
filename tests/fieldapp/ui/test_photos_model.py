"""The Photos table model: Qt's model tester, the thumbnail decoration, text and tooltips."""

from __future__ import annotations

from pathlib import Path

from photouikit import attach_jpegs, their_photo
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester

from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from fieldapp.ui.photos_model import THUMB_HEIGHT, PhotosModel
from fieldapp.ui.photos_state import load_photos


def test_the_model_passes_qt_model_tester_filtered_or_not(
    qapp: QApplication, qtmodeltester: ModelTester, store: Store, wells: list[Well], tmp_path: Path
) -> None:
    attach_jpegs(store, PhotoTarget("well", wells[0].well_id), tmp_path, 1, 2)
    their_photo(store, "well", wells[1].well_id)
    model = PhotosModel()
    model.set_snapshot(load_photos(store))
    qtmodeltester.check(model, force_py=True)  # it stays connected: the resets below too
    assert (model.rowCount(), model.columnCount()) == (3, 6)
    model.set_filter(well_id=wells[1].well_id)
    assert model.rowCount() == 1
    model.clear()
    assert model.rowCount() == 0
    qtmodeltester.check(PhotosModel(), force_py=True)  # empty


def test_the_photo_column_is_the_cached_thumbnail(
    qapp: QApplication, store: Store, wells: list[Well], tmp_path: Path
) -> None:
    attach_jpegs(store, PhotoTarget("well", wells[0].well_id), tmp_path, 4, caption="gauge")
    their_photo(store, "well", wells[0].well_id, caption="leak")
    model = PhotosModel()
    model.set_snapshot(load_photos(store))
    rows = {model.row_at(r).photo.caption: r for r in range(model.rowCount())}  # type: ignore[union-attr]
    mine = model.data(model.index(rows["gauge"], 0), Qt.ItemDataRole.DecorationRole)
    theirs = model.data(model.index(rows["leak"], 0), Qt.ItemDataRole.DecorationRole)
    assert isinstance(mine, QPixmap) and mine.height() == THUMB_HEIGHT
    assert mine.width() == THUMB_HEIGHT * 4 // 3  # the 800 x 600 photo's shape
    assert isinstance(theirs, QPixmap) and theirs.width() == theirs.height()  # the grey square
    assert model.data(model.index(rows["gauge"], 4)) == "gauge"
    assert model.data(model.index(rows["leak"], 5)) == "not on this laptop"
    spoken = model.data(model.index(rows["gauge"], 0), Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == "Photo: gauge"
    tip = model.data(model.index(rows["gauge"], 2), Qt.ItemDataRole.ToolTipRole)
    assert "Attached to: Well" in tip and "Sync state: pending" in tip
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Photo"
