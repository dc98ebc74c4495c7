"""The laptop's position: NMEA from a serial GPS receiver, or a replayed NMEA log (docs/gps.md).

Qt-free and blocking: the desktop app reads a source on its worker (`fieldapp.ui.ops`), never
on the GUI thread. A source turns sentences into fixes (`nmea`); `read(timeout_s)` reads until
a fresh fix arrives or the time is up and answers a `Reading`: a fix with its age, the last fix
gone stale, or no fix at all — each with words an operator understands. The age of a fix is
measured on this laptop's clock from when its sentence arrived (a receiver's clock and the
laptop's can differ, a log's times are from the day it was recorded).

`LogReplaySource` replays a log file a fix at a time, round and round: tests and demos use the
sample route shipped in `fieldapp/core/data/demo-route.nmea`, near the demo wells.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time
from importlib import resources
from pathlib import Path
from typing import Literal, Protocol

from fieldapp.core.nmea import FixQuality, Gga, NmeaError, Rmc, accuracy_m, parse
from shared.contracts import Location

STALE_AFTER_S = 10.0  # a fix older than this is not where the laptop is now
DEFAULT_BAUD = 4800  # NMEA 0183's rate; many USB receivers use 9600 (settings)
DEMO_LOG = "demo-route.nmea"


class PositioningError(Exception):
    """The source cannot be read at all (no such port, no such file); the message says why."""


@dataclass(frozen=True, slots=True)
class Fix:
    lat: float
    lon: float
    accuracy_m: float | None
    quality: FixQuality
    satellites: int | None
    fix_time: datetime | None  # the receiver's UTC time, when RMC gave the date
    received: float  # this laptop's monotonic clock when the sentence arrived
    epoch: time | None = None  # the receiver's UTC time of day: GGA and RMC of one fix share it

    def location(self) -> Location:
        return Location(lat=self.lat, lon=self.lon, accuracy_m=self.accuracy_m, source="gps")


Status = Literal["fix", "stale", "no_fix"]


@dataclass(frozen=True, slots=True)
class Reading:
    status: Status
    fix: Fix | None  # the newest fix (stale: the last one known)
    age_s: float | None

    @property
    def usable(self) -> bool:
        return self.status == "fix" and self.fix is not None

    def describe(self) -> str:
        if self.fix is None or self.age_s is None:
            return "No GPS fix yet: check the receiver has a view of the sky."
        accuracy = f" ±{self.fix.accuracy_m:g} m" if self.fix.accuracy_m is not None else ""
        where = f"{self.fix.lat:.6f}, {self.fix.lon:.6f}{accuracy}"
        if self.status == "stale":
            return f"GPS fix lost: the last one ({where}) is {self.age_s:.0f} s old."
        return f"GPS fix {where} ({self.age_s:.0f} s old)."


class LineSource(Protocol):
    def readline(self) -> bytes: ...


class Assembler:
    """Sentences in, the newest fix out; noise and bad checksums are counted and skipped."""

    def __init__(self, now: Callable[[], float] = clock.monotonic) -> None:
        self.now = now
        self.latest: Fix | None = None
        self.rejected = 0
        self._gga: Gga | None = None

    def feed(self, line: str) -> Fix | None:
        """The fix this line completes (GGA, or RMC with the last GGA's quality), or None."""
        try:
            found = parse(line)
        except NmeaError:
            self.rejected += 1
            return None
        if isinstance(found, Gga):
            self._gga = found if found.has_fix else None
            if not found.has_fix:
                return None
            assert found.lat is not None and found.lon is not None
            fix = Fix(
                found.lat,
                found.lon,
                accuracy_m(found.hdop, found.quality),
                found.quality,
                found.satellites,
                None,
                self.now(),
                found.at,
            )
        elif isinstance(found, Rmc) and found.has_fix:
            assert found.lat is not None and found.lon is not None
            gga = self._gga
            accuracy = accuracy_m(gga.hdop, gga.quality) if gga else None
            quality = gga.quality if gga else FixQuality.GPS
            sats = gga.satellites if gga else None
            epoch = found.at.timetz() if found.at else None
            fix = Fix(found.lat, found.lon, accuracy, quality, sats, found.at, self.now(), epoch)
        else:
            return None
        self.latest = fix
        return fix

    def reading(self, stale_after_s: float = STALE_AFTER_S) -> Reading:
        fix = self.latest
        if fix is None:
            return Reading("no_fix", None, None)
        age = max(0.0, self.now() - fix.received)
        return Reading("stale" if age > stale_after_s else "fix", fix, age)


class NmeaSource:
    """Sentences from a line source (a serial port, a file) until a fresh fix arrives."""

    def __init__(self, lines: LineSource, now: Callable[[], float] = clock.monotonic) -> None:
        self.lines = lines
        self.assembler = Assembler(now)

    def read(self, timeout_s: float = 3.0, stale_after_s: float = STALE_AFTER_S) -> Reading:
        deadline = self.assembler.now() + timeout_s
        while self.assembler.now() < deadline:
            raw = self.lines.readline()
            if not raw:
                if not self._at_end():
                    continue
                break
            if self.assembler.feed(raw.decode("ascii", "replace")) is not None:
                break
        return self.assembler.reading(stale_after_s)

    def _at_end(self) -> bool:
        """Whether an empty read means no more lines ever (a serial port only timed out)."""
        return False

    def close(self) -> None:
        closer = getattr(self.lines, "close", None)
        if closer is not None:
            closer()


def open_serial(port: str, baud: int = DEFAULT_BAUD) -> NmeaSource:
    """A receiver on a serial port (`COM3`, `/dev/ttyUSB0`) with pyserial; its URLs work too
    (`socket://host:port` for NMEA shared over TCP, `loop://` in tests)."""
    import serial  # the client extra; imported here so the rest needs no port library

    try:
        handle = serial.serial_for_url(port, baud, timeout=0.5)
    except (serial.SerialException, ValueError, OSError) as exc:
        raise PositioningError(f"cannot open GPS port {port}: {exc}") from None
    return NmeaSource(handle)


class _Loop:
    """A log's lines, round and round (a replayed drive never ends)."""

    def __init__(self, lines: list[bytes]) -> None:
        self._lines = lines
        self._at = self._cycle()

    def _cycle(self) -> Iterator[bytes]:
        while True:
            yield from self._lines

    def readline(self) -> bytes:
        return next(self._at)


class LogReplaySource(NmeaSource):
    """An NMEA log replayed one fix per read: the next fix of the file, as if just received."""

    def __init__(self, path: Path, now: Callable[[], float] = clock.monotonic) -> None:
        try:
            lines = [line for line in path.read_bytes().splitlines() if line.strip()]
        except OSError as exc:
            raise PositioningError(f"cannot read NMEA log {path}: {exc.strerror}") from None
        if not lines:
            raise PositioningError(f"NMEA log {path} is empty")
        super().__init__(_Loop(lines), now)
        self._count = len(lines)

    def read(self, timeout_s: float = 3.0, stale_after_s: float = STALE_AFTER_S) -> Reading:
        last = self.assembler.latest
        for _ in range(self._count):  # one full turn at most: a log without fixes has none
            raw = self.lines.readline()
            fix = self.assembler.feed(raw.decode("ascii", "replace"))
            if fix is not None and (last is None or fix.epoch is None or fix.epoch != last.epoch):
                break  # the next epoch (its RMC after its GGA is the same fix again)
        return self.assembler.reading(stale_after_s)


def demo_log() -> Path:
    """The sample drive shipped with the app (near the demo wells)."""
    return Path(str(resources.files("fieldapp.core") / "data" / DEMO_LOG))


@dataclass(frozen=True, slots=True)
class SourceConfig:
    kind: str  # serial | log
    target: str  # the port, or the log file (blank: the sample drive)
    baud: int = DEFAULT_BAUD


class Positioner:
    """The one open source of the app, on the worker: opened at the first reading, kept open
    (a serial port stays claimed between readings), reopened when the settings change."""

    def __init__(self) -> None:
        self._config: SourceConfig | None = None
        self._source: NmeaSource | None = None

    def read(self, config: SourceConfig, timeout_s: float = 3.0) -> Reading:
        if config != self._config or self._source is None:
            self.close()
            self._source = open_source(config.kind, config.target, config.baud)
            self._config = config
        return self._source.read(timeout_s)

    def close(self) -> None:
        if self._source is not None:
            self._source.close()
        self._source, self._config = None, None


def open_source(kind: str, target: str, baud: int = DEFAULT_BAUD) -> NmeaSource:
    """`serial` (a port name) or `log` (a file path; empty: the demo log)."""
    if kind == "log":
        return LogReplaySource(Path(target) if target else demo_log())
    if kind == "serial":
        if not target:
            raise PositioningError("no GPS port set: choose one in Settings")
        return open_serial(target, baud)
    raise PositioningError(f"unknown positioning source {kind!r}; use serial or log")
