"""The operator's location settings (docs/gps.md): whether entries record a location at all,
and the GPS receiver to read one from. Plain values, Qt-free, kept with the other preferences
(`fieldapp.core.preferences`, stored by the UI in the data folder's settings.ini).

Nothing here opens a port: `config()` says what to open, and `fieldapp.core.positioning`
opens it on the worker when "Use GPS" is pressed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from fieldapp.core.positioning import DEFAULT_BAUD, SourceConfig

SourceKind = Literal["serial", "log"]
SOURCE_KINDS: tuple[SourceKind, ...] = ("serial", "log")
SOURCE_LABELS: dict[SourceKind, str] = {
    "serial": "GPS receiver on a serial port",
    "log": "NMEA log file (replayed; for demos and training)",
}
BAUD_RATES = (4800, 9600, 19200, 38400, 57600, 115200)


class LocationSettingError(ValueError):
    """A location setting that is not allowed; the message says which values are."""


@dataclass(frozen=True, slots=True)
class LocationSettings:
    record_locations: bool = True  # off: entries carry no location, typed or GPS
    positioning: bool = False  # "Use GPS" reads a receiver (off: typed only)
    source: SourceKind = "serial"
    port: str = ""  # COM3, /dev/ttyUSB0, or a pyserial URL (socket://host:port)
    log_file: str = ""  # blank: the sample drive shipped with the app
    baud: int = DEFAULT_BAUD

    def __post_init__(self) -> None:
        if self.source not in SOURCE_KINDS:
            raise LocationSettingError(
                f"unknown GPS source {self.source!r}; use {' or '.join(SOURCE_KINDS)}"
            )
        if self.baud not in BAUD_RATES:
            rates = ", ".join(map(str, BAUD_RATES))
            raise LocationSettingError(f"baud rate {self.baud} is not one of {rates}")

    @property
    def gps_on(self) -> bool:
        """Whether "Use GPS" is offered: locations recorded, and a source switched on."""
        return self.record_locations and self.positioning

    def config(self) -> SourceConfig | None:
        """What to open for a reading; None when GPS is off."""
        if not self.gps_on:
            return None
        target = self.port if self.source == "serial" else self.log_file
        return SourceConfig(self.source, target.strip(), self.baud)

    def to_mapping(self) -> dict[str, str]:
        return {
            "record_locations": _flag(self.record_locations),
            "gps_enabled": _flag(self.positioning),
            "gps_source": self.source,
            "gps_port": self.port,
            "gps_log_file": self.log_file,
            "gps_baud": str(self.baud),
        }

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> LocationSettings:
        """Settings from stored text; an unusable value falls back to its default."""
        default = cls()
        source_text = str(values.get("gps_source") or default.source)
        source: SourceKind = next((k for k in SOURCE_KINDS if k == source_text), default.source)
        try:
            baud = int(str(values.get("gps_baud") or default.baud))
        except ValueError:
            baud = default.baud
        return cls(
            record_locations=_read_flag(values.get("record_locations"), default.record_locations),
            positioning=_read_flag(values.get("gps_enabled"), default.positioning),
            source=source,
            port=str(values.get("gps_port") or ""),
            log_file=str(values.get("gps_log_file") or ""),
            baud=baud if baud in BAUD_RATES else default.baud,
        )


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _read_flag(value: object, default: bool) -> bool:
    text = str(value).strip().lower() if value is not None else ""
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    return default
