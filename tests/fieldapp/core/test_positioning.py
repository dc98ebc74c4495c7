"""Position sources: a replayed NMEA log and a real pyserial port (its loop:// device), fixes
with their age, no fix and stale fixes (docs/gps.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldapp.core.nmea import FixQuality, sentence
from fieldapp.core.positioning import (
    Assembler,
    LogReplaySource,
    PositioningError,
    demo_log,
    open_serial,
    open_source,
)
from shared.geo import geofence
from wellpulse_demo.server_seed import DEFAULT_SEED
from wellpulse_demo.simulator import _make_wells

GGA = sentence("GPGGA,140540.00,3157.0274,N,10157.3889,W,1,07,1.1,870.2,M,-24.1,M,,")
RMC = sentence("GPRMC,140540.00,A,3157.0274,N,10157.3889,W,0.0,90.0,071226,,,A")
NO_FIX = sentence("GPGGA,140500.00,,,,,0,00,99.9,,M,,M,,")


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_a_fix_has_its_age_and_goes_stale() -> None:
    clock = Clock()
    assembler = Assembler(clock)
    assert assembler.reading().status == "no_fix"
    assert assembler.feed(NO_FIX) is None
    assert assembler.reading().describe().startswith("No GPS fix yet")
    fix = assembler.feed(GGA)
    assert fix is not None and fix.quality == FixQuality.GPS and fix.accuracy_m == 5.5
    clock.t += 4
    reading = assembler.reading()
    assert (reading.status, reading.age_s, reading.usable) == ("fix", 4.0, True)
    assert reading.describe() == "GPS fix 31.950457, -101.956482 ±5.5 m (4 s old)."
    clock.t += 20
    stale = assembler.reading()
    assert (stale.status, stale.usable) == ("stale", False)
    assert stale.describe().startswith("GPS fix lost: the last one (31.950457")


def test_rmc_completes_a_fix_with_the_gga_s_quality_and_noise_is_counted() -> None:
    assembler = Assembler(Clock())
    assembler.feed(GGA)
    fix = assembler.feed(RMC)
    assert fix is not None and fix.fix_time is not None and fix.fix_time.year == 2026
    assert fix.accuracy_m == 5.5 and fix.satellites == 7
    assert assembler.feed("garbage\x00\xff") is None
    assert assembler.feed(GGA[:-2] + "00") is None  # a wrong checksum never moves the fix
    assert assembler.rejected == 2
    location = fix.location()
    assert (location.source, location.accuracy_m) == ("gps", 5.5)


def test_the_demo_log_replays_fix_by_fix_round_and_round_near_the_demo_wells() -> None:
    source = LogReplaySource(demo_log())
    wells = _make_wells(50, DEFAULT_SEED)[:6:2]  # Mabee 1, Scharbauer 1H, Tippett 1H
    readings = [source.read() for _ in range(60)]
    assert all(r.usable for r in readings)
    fixes = [r.fix for r in readings if r.fix is not None]
    near = {
        w.name
        for w in wells
        for f in fixes
        if (v := geofence((f.lat, f.lon), w.latitude, w.longitude)) and not v.outside
    }
    assert near == {"Mabee 1", "Scharbauer 1H", "Tippett 1H"}
    tippett = wells[2]
    outside = [
        v
        for f in fixes
        if (v := geofence((f.lat, f.lon), tippett.latitude, tippett.longitude))
        and 152.4 < v.distance_m < 400
    ]
    assert outside, "the route passes the lease road outside Tippett 1H's fence"
    assert len({(f.lat, f.lon) for f in fixes}) > 15  # it moves, and comes round again


def test_a_log_without_a_fix_reads_as_no_fix(tmp_path: Path) -> None:
    log = tmp_path / "cold.nmea"
    log.write_text(f"{NO_FIX}\r\n{NO_FIX}\r\n")
    reading = LogReplaySource(log).read()
    assert (reading.status, reading.fix) == ("no_fix", None)


def test_an_unreadable_source_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PositioningError, match="cannot read NMEA log"):
        LogReplaySource(tmp_path / "missing.nmea")
    (tmp_path / "empty.nmea").write_text("")
    with pytest.raises(PositioningError, match="is empty"):
        open_source("log", str(tmp_path / "empty.nmea"))
    with pytest.raises(PositioningError, match="cannot open GPS port"):
        open_serial(str(tmp_path / "no-such-port"))
    with pytest.raises(PositioningError, match="no GPS port set"):
        open_source("serial", "")
    with pytest.raises(PositioningError, match="unknown positioning source"):
        open_source("bluetooth", "x")


def test_a_serial_port_is_read_until_a_fix_arrives() -> None:
    source = open_serial("loop://")  # pyserial's loopback device: what is written is read
    try:
        source.lines.write(f"{NO_FIX}\r\n$GPGSA,junk\r\n{GGA}\r\n".encode())  # type: ignore[attr-defined]
        reading = source.read(timeout_s=2.0)
        assert reading.usable and reading.fix is not None
        assert reading.fix.lat == pytest.approx(31.950457, abs=1e-6)
        assert source.assembler.rejected == 1
        silent = source.read(timeout_s=0.6)  # nothing more: the fix stays, getting older
        assert silent.status == "fix" and silent.fix == reading.fix
    finally:
        source.close()


def test_the_demo_log_ships_with_the_package() -> None:
    assert demo_log().name == "demo-route.nmea" and demo_log().is_file()
    assert open_source("log", "").read().usable


def test_the_positioner_keeps_its_source_open_and_reopens_on_a_new_config(
    tmp_path: Path,
) -> None:
    from fieldapp.core.positioning import Positioner, SourceConfig

    other = tmp_path / "other.nmea"
    other.write_text(f"{GGA}\r\n")
    positioner = Positioner()
    demo = SourceConfig("log", "")
    first, second = positioner.read(demo), positioner.read(demo)
    assert first.fix is not None and second.fix is not None
    assert (first.fix.lat, first.fix.lon) != (second.fix.lat, second.fix.lon)  # the same replay
    moved = positioner.read(SourceConfig("log", str(other)))
    assert moved.fix is not None and moved.fix.lat == pytest.approx(31.950457, abs=1e-6)
    positioner.close()
    with pytest.raises(PositioningError):
        positioner.read(SourceConfig("serial", ""))
