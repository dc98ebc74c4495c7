"""The location field of the entry forms: latitude and longitude, "Use GPS", and the distance
to the well with the 500 ft geofence warning, shown before saving (docs/gps.md).

A thin widget over `location_state.LocationState`. "From photo…" takes the GPS position a
camera wrote into a photo's EXIF (source "photo"). "Use GPS" reads the positioning source on
the store's worker (`ops.OpRunner`, the GUI thread only paints); the one source is kept open
there by `POSITIONER` and reopened when the settings change. With "Record locations" off in
Settings the field is hidden and entries carry no location.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from fieldapp.core.location_settings import LocationSettings
from fieldapp.core.positioning import Positioner, Reading
from fieldapp.ui import theme
from fieldapp.ui.form_parts import message_label
from fieldapp.ui.location_state import LocationState
from fieldapp.ui.ops import OpRunner
from shared.contracts import Location
from shared.images import PhotoMetadata, check_size, photo_metadata
from shared.validation import Issue

POSITIONER = Positioner()  # used on the worker only
GPS_TIMEOUT_S = 3.0


def photo_location(path: Path) -> tuple[str, PhotoMetadata]:
    """(the file's name, its EXIF metadata): on the worker."""
    check_size(path.stat().st_size)  # refused before reading a 100 MB file
    return path.name, photo_metadata(path.read_bytes(), path.name)


class LocationField(QWidget):
    changed = Signal()  # typed, or filled from the GPS

    def __init__(
        self,
        latitude: QLineEdit | None = None,
        longitude: QLineEdit | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """With `latitude` and `longitude` given the form lays those out itself (the incident
        report's), and this field adds only Use GPS and the distance."""
        super().__init__(parent)
        self.setAccessibleName("Location")
        self.state = LocationState()
        self.settings = LocationSettings()
        self.runner: OpRunner | None = None
        self._reading = False
        self._putting = False
        self._owned = owned = latitude is None or longitude is None
        self.latitude = latitude or QLineEdit()
        self.longitude = longitude or QLineEdit()
        if owned:
            self.latitude.setPlaceholderText("e.g. 31.9686")
            theme.size_input(self.latitude, "Latitude (decimal degrees)")
            self.longitude.setPlaceholderText("e.g. -102.0779")
            theme.size_input(self.longitude, "Longitude (decimal degrees)")
        self.gps_button = QPushButton("Use &GPS")
        theme.size_button(self.gps_button, "Fill the location from the GPS")
        self.gps_button.clicked.connect(self.use_gps)
        self.photo_button = QPushButton("From &photo…")
        theme.size_button(self.photo_button, "Fill the location from a photo's EXIF")
        self.photo_button.clicked.connect(self.from_photo)
        self.choose_photo: Callable[[], Path | None] = self._ask_for_photo
        self.note = message_label("Location and distance to the well")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(theme.SPACING)
        for col, (caption, edit) in enumerate(
            (("Latitude", self.latitude), ("Longitude", self.longitude))
        ):
            edit.textChanged.connect(self._typed)
            if owned:
                label = QLabel(caption)
                label.setBuddy(edit)
                grid.addWidget(label, 0, col)
                grid.addWidget(edit, 1, col)
        buttons = QHBoxLayout()  # under the coordinates: the form's column is narrow
        buttons.setSpacing(theme.SPACING)
        buttons.addWidget(self.gps_button)
        buttons.addWidget(self.photo_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 2 if owned else 0, 0, 1, 2)
        grid.addWidget(self.note, 3 if owned else 1, 0, 1, 2)
        self.set_settings(self.settings)

    def attach(self, runner: OpRunner) -> None:
        """The worker that reads the GPS."""
        self.runner = runner

    def set_settings(self, settings: LocationSettings) -> None:
        self.settings = settings
        self.setVisible(settings.record_locations)
        self.gps_button.setVisible(settings.gps_on)
        if not self._owned:  # the form's own coordinate fields: off with the locations
            for edit in (self.latitude, self.longitude):
                edit.setEnabled(settings.record_locations)

    def set_well(self, lat: float | None, lon: float | None) -> None:
        self.state.set_well(lat, lon)
        self._paint()

    def show_location(self, lat: float | None, lon: float | None) -> None:
        """Show a stored location (or none), as typed."""
        self.state.clear()
        self.state.lat_text = "" if lat is None else f"{lat:.6f}"
        self.state.lon_text = "" if lon is None else f"{lon:.6f}"
        self._put_texts()
        self._paint()

    def clear(self) -> None:
        self.show_location(None, None)

    def set_editable(self, editable: bool) -> None:
        for edit in (self.latitude, self.longitude):
            edit.setReadOnly(not editable)
        self.gps_button.setEnabled(editable and not self._reading)
        self.photo_button.setEnabled(editable and not self._reading)

    def location(self) -> Location | list[Issue] | None:
        """What the entry records: nothing when locations are not recorded."""
        if not self.settings.record_locations:
            return None
        return self.state.parsed()

    # --- the GPS ------------------------------------------------------------------------------

    def use_gps(self) -> None:
        config = self.settings.config()
        if config is None or self.runner is None or self._reading:
            return
        self._reading = True
        self.gps_button.setEnabled(False)
        self.gps_button.setText("Reading GPS…")
        self.runner.run(
            lambda _store: POSITIONER.read(config, GPS_TIMEOUT_S), self.take_reading, self._failed
        )

    def take_reading(self, reading: Reading) -> None:
        self._done()
        if self.state.take_reading(reading):
            self._put_texts()
            self.changed.emit()
        self._paint()

    def _failed(self, error: BaseException) -> None:
        self._done()
        self.state.gps_failed(str(error))
        self._paint()

    def _done(self) -> None:
        self._reading = False
        self.gps_button.setText("Use &GPS")
        self.gps_button.setEnabled(not self.latitude.isReadOnly())
        self.photo_button.setEnabled(not self.latitude.isReadOnly())

    # --- a photo's EXIF -------------------------------------------------------------------------

    def _ask_for_photo(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Location from a photo", "", "Photos (*.jpg *.jpeg *.png *.heic *.heif *.webp)"
        )
        return Path(name) if name else None

    def from_photo(self) -> None:
        """Read the chosen photo's EXIF on the worker (a photo can be 25 MB) and take its GPS."""
        path = self.choose_photo()
        if path is None or self.runner is None or self._reading:
            return
        self._reading = True
        self.runner.run(lambda _store: photo_location(path), self.take_photo, self._photo_failed)

    def take_photo(self, found: tuple[str, PhotoMetadata]) -> None:
        self._done()
        name, meta = found
        if self.state.take_photo(name, meta.latitude, meta.longitude, meta.taken_at):
            self._put_texts()
            self.changed.emit()
        self._paint()

    def _photo_failed(self, error: BaseException) -> None:
        self._done()
        self.state.photo_failed(str(error))
        self._paint()

    # --- showing ------------------------------------------------------------------------------

    def _typed(self, *_args: object) -> None:
        texts = (self.latitude.text(), self.longitude.text())
        if self._putting or texts == (self.state.lat_text, self.state.lon_text):
            return  # what this field put there itself
        self.state.typed(*texts)
        self._paint()
        self.changed.emit()

    def _put_texts(self) -> None:
        self._putting = True
        try:
            self.latitude.setText(self.state.lat_text)
            self.longitude.setText(self.state.lon_text)
        finally:
            self._putting = False

    def _paint(self) -> None:
        text, tone = self.state.status()
        self.note.setText(text)
        self.note.setProperty("severity", tone or "ok")
        self.note.setVisible(bool(text))
        theme.repolish(self.note)
