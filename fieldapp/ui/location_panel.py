"""The Settings screen's "Location and GPS" section (docs/gps.md): whether entries record a
location at all, whether "Use GPS" reads a receiver, and which one — a serial port (COM3,
/dev/ttyUSB0, or a pyserial URL such as socket://host:port) at a baud rate, or an NMEA log
file replayed for demos and training (blank: the sample drive shipped with the app).

The values are `fieldapp.core.location_settings.LocationSettings`, saved with the other
preferences by the Settings page's Save; this panel only shows and collects them.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.location_settings import (
    BAUD_RATES,
    SOURCE_KINDS,
    SOURCE_LABELS,
    LocationSettings,
    SourceKind,
)
from fieldapp.ui import theme

SOURCE_NOTE = (
    "The app reads the receiver's NMEA sentences itself (no Qt Positioning needed). A fix older"
    " than 10 s is not used."
)


class LocationPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Location and GPS settings")
        self.record = QCheckBox("&Record a location with production, maintenance and incidents")
        theme.size_button(self.record, "Record locations")
        self.gps = QCheckBox("Use a &GPS receiver (the forms get a Use GPS button)")
        theme.size_button(self.gps, "Use a GPS receiver")
        self.source = QComboBox()
        for kind in SOURCE_KINDS:
            self.source.addItem(SOURCE_LABELS[kind], kind)
        theme.size_input(self.source, "GPS source")
        self.port = QLineEdit()
        self.port.setPlaceholderText("COM3, /dev/ttyUSB0 or socket://host:port")
        theme.size_input(self.port, "GPS serial port")
        self.baud = QComboBox()
        for rate in BAUD_RATES:
            self.baud.addItem(f"{rate} baud", rate)
        theme.size_input(self.baud, "GPS baud rate")
        self.log_file = QLineEdit()
        self.log_file.setPlaceholderText("Blank: the sample drive near the demo wells")
        theme.size_input(self.log_file, "NMEA log file")
        self.browse = QPushButton("&Browse…")
        theme.size_button(self.browse, "Choose an NMEA log file")
        self.browse.clicked.connect(self._browse)
        note = QLabel(SOURCE_NOTE)
        note.setWordWrap(True)

        grid = QGridLayout()
        grid.setSpacing(theme.SPACING)
        rows: list[tuple[str, QWidget, QWidget | None]] = [
            ("Source", self.source, None),
            ("Serial port", self.port, self.baud),
            ("Log file", self.log_file, self.browse),
        ]
        for row, (caption, widget, extra) in enumerate(rows):
            label = QLabel(caption)
            label.setBuddy(widget)
            grid.addWidget(label, row, 0)
            grid.addWidget(widget, row, 1)
            if extra is not None:
                grid.addWidget(extra, row, 2)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self.record)
        layout.addWidget(self.gps)
        layout.addLayout(grid)
        layout.addWidget(note)
        for box in (self.record, self.gps):
            box.toggled.connect(self._enable)
        self.source.currentIndexChanged.connect(self._enable)
        self.show_settings(LocationSettings())

    def show_settings(self, settings: LocationSettings) -> None:
        self.record.setChecked(settings.record_locations)
        self.gps.setChecked(settings.positioning)
        self.source.setCurrentIndex(max(self.source.findData(settings.source), 0))
        self.port.setText(settings.port)
        self.baud.setCurrentIndex(max(self.baud.findData(settings.baud), 0))
        self.log_file.setText(settings.log_file)
        self._enable()

    def chosen(self) -> LocationSettings:
        source: SourceKind = next(
            (k for k in SOURCE_KINDS if k == self.source.currentData()), "serial"
        )
        return LocationSettings(
            record_locations=self.record.isChecked(),
            positioning=self.gps.isChecked(),
            source=source,
            port=self.port.text().strip(),
            log_file=self.log_file.text().strip(),
            baud=int(self.baud.currentData()),
        )

    def _enable(self, *_args: object) -> None:
        """Only what applies is editable: GPS needs locations, a port needs the serial source."""
        recorded = self.record.isChecked()
        self.gps.setEnabled(recorded)
        on = recorded and self.gps.isChecked()
        serial = self.source.currentData() == "serial"
        self.source.setEnabled(on)
        parts: list[tuple[QWidget, bool]] = [(self.port, serial), (self.baud, serial)]
        parts += [(self.log_file, not serial), (self.browse, not serial)]
        for widget, applies in parts:
            widget.setEnabled(on and applies)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "NMEA log file", self.log_file.text(), "NMEA logs (*.nmea *.log *.txt);;All (*)"
        )
        if path:
            self.log_file.setText(path)
