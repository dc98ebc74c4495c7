"""NMEA 0183 sentences from a GPS receiver: GGA and RMC, checksums verified (docs/gps.md).

Rugged laptops' receivers show up as a serial port that prints sentences like
``$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47``. Only what a location
needs is read: GGA (position, fix quality, satellites, HDOP, altitude) and RMC (position, date,
valid or not). Any talker (GP, GN, GL, GA, BD...) is taken; other sentence types are skipped.
A sentence without a checksum, or with a wrong one, is refused: a serial line's noise must
not move a well by a mile.

The accuracy a receiver reports in GGA is only the HDOP (horizontal dilution of precision, a
unitless geometry factor); the estimate here is ``HDOP × UERE``, the user-equivalent range
error of the fix quality (5 m autonomous GPS, 1 m differential/SBAS, 0.05 m RTK fixed, 0.5 m
RTK float): a rough 1-sigma horizontal error, enough to tell a 3 m fix from a 50 m one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import IntEnum


class NmeaError(ValueError):
    """A sentence that is not well-formed NMEA (the message says why)."""


class FixQuality(IntEnum):  # GGA field 6
    INVALID = 0
    GPS = 1
    DGPS = 2
    PPS = 3
    RTK_FIXED = 4
    RTK_FLOAT = 5
    ESTIMATED = 6  # dead reckoning
    MANUAL = 7
    SIMULATION = 8


UERE_M = {  # user-equivalent range error by fix quality, metres
    FixQuality.GPS: 5.0,
    FixQuality.DGPS: 1.0,
    FixQuality.PPS: 1.0,
    FixQuality.RTK_FIXED: 0.05,
    FixQuality.RTK_FLOAT: 0.5,
    FixQuality.ESTIMATED: 25.0,
    FixQuality.MANUAL: 5.0,
    FixQuality.SIMULATION: 5.0,
}


@dataclass(frozen=True, slots=True)
class Gga:
    at: time | None
    lat: float | None
    lon: float | None
    quality: FixQuality
    satellites: int | None
    hdop: float | None
    altitude_m: float | None

    @property
    def has_fix(self) -> bool:
        return self.quality != FixQuality.INVALID and self.lat is not None and self.lon is not None


@dataclass(frozen=True, slots=True)
class Rmc:
    at: datetime | None  # date and time, UTC
    valid: bool  # status A (active) or V (void)
    lat: float | None
    lon: float | None
    speed_knots: float | None

    @property
    def has_fix(self) -> bool:
        return self.valid and self.lat is not None and self.lon is not None


Sentence = Gga | Rmc


def checksum(body: str) -> str:
    """The two hex digits of the XOR of the characters between `$` and `*`."""
    value = 0
    for char in body:
        value ^= ord(char)
    return f"{value:02X}"


def sentence(body: str) -> str:
    """A complete sentence for `body` (for logs and tests): ``$body*CS``."""
    return f"${body}*{checksum(body)}"


def verified_fields(line: str) -> list[str]:
    """The comma-separated fields of a sentence whose checksum is right; NmeaError if not."""
    text = line.strip()
    if not text.startswith(("$", "!")):
        raise NmeaError("a sentence starts with $")
    body, star, given = text[1:].rpartition("*")
    if not star:
        raise NmeaError("no checksum (*hh at the end)")
    if len(given) != 2 or given.upper() != checksum(body):
        raise NmeaError(f"checksum {given} does not match {checksum(body)}")
    return body.split(",")


def accuracy_m(hdop: float | None, quality: FixQuality) -> float | None:
    """The horizontal accuracy estimate (metres) of a fix: HDOP × the quality's UERE."""
    uere = UERE_M.get(quality)
    if hdop is None or uere is None or hdop <= 0:
        return None
    return round(hdop * uere, 2)


def parse(line: str) -> Sentence | None:
    """A GGA or RMC sentence; None for other (well-formed) sentence types."""
    fields = verified_fields(line)
    kind = fields[0][-3:] if len(fields[0]) == 5 else ""
    try:
        if kind == "GGA" and len(fields) >= 10:
            return _gga(fields)
        if kind == "RMC" and len(fields) >= 10:
            return _rmc(fields)
    except ValueError as exc:
        raise NmeaError(f"{fields[0]}: {exc}") from None
    if kind in ("GGA", "RMC"):
        raise NmeaError(f"{fields[0]} has {len(fields)} fields")
    return None


def _gga(f: list[str]) -> Gga:
    quality = FixQuality(int(f[6] or 0))
    return Gga(
        at=_time(f[1]),
        lat=_degrees(f[2], f[3], 2),
        lon=_degrees(f[4], f[5], 3),
        quality=quality,
        satellites=int(f[7]) if f[7] else None,
        hdop=float(f[8]) if f[8] else None,
        altitude_m=float(f[9]) if f[9] else None,
    )


def _rmc(f: list[str]) -> Rmc:
    moment = _time(f[1])
    day = _date(f[9])
    at = datetime.combine(day, moment, UTC) if moment is not None and day is not None else None
    return Rmc(
        at=at,
        valid=f[2] == "A",
        lat=_degrees(f[3], f[4], 2),
        lon=_degrees(f[5], f[6], 3),
        speed_knots=float(f[7]) if f[7] else None,
    )


def _time(text: str) -> time | None:
    """hhmmss(.sss) UTC."""
    if not text:
        return None
    if len(text) < 6 or not text[:6].isdigit():
        raise ValueError(f"time '{text}' is not hhmmss")
    seconds = float(text[4:])
    whole = int(seconds)
    micro = min(999_999, round((seconds - whole) * 1e6))
    return time(int(text[:2]), int(text[2:4]), whole, micro, UTC)


def _date(text: str) -> date | None:
    """ddmmyy; the years are 1980-2079 (GPS time starts in 1980)."""
    if not text:
        return None
    if len(text) != 6 or not text.isdigit():
        raise ValueError(f"date '{text}' is not ddmmyy")
    yy = int(text[4:])
    return date((2000 if yy < 80 else 1900) + yy, int(text[2:4]), int(text[:2]))


def _degrees(value: str, hemisphere: str, degree_digits: int) -> float | None:
    """(d)ddmm.mmmm and N/S/E/W as signed decimal degrees."""
    if not value:
        return None
    if hemisphere not in ("N", "S", "E", "W"):
        raise ValueError(f"hemisphere '{hemisphere}' is not N, S, E or W")
    degrees = int(value[:degree_digits])
    minutes = float(value[degree_digits:])
    if not 0 <= minutes < 60:
        raise ValueError(f"minutes {minutes} are not 0-60")
    result = degrees + minutes / 60
    if result > (90 if degree_digits == 2 else 180):
        raise ValueError(f"{result} degrees is off the globe")
    return -result if hemisphere in ("S", "W") else result
