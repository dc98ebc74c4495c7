"""NMEA 0183 parsing: GGA and RMC, checksums, fix quality, HDOP as accuracy (docs/gps.md)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from fieldapp.core.nmea import (
    FixQuality,
    Gga,
    NmeaError,
    Rmc,
    accuracy_m,
    checksum,
    parse,
    sentence,
    verified_fields,
)

# the textbook examples (NMEA 0183 references), checksums as published
GGA = "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47"
RMC = "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A"


def test_the_checksum_is_the_xor_of_the_body() -> None:
    assert checksum(GGA[1:-3]) == "47"
    assert checksum(RMC[1:-3]) == "6A"
    assert sentence(GGA[1:-3]) == GGA
    assert verified_fields(GGA.lower().replace("$gpgga", "$GPGGA").upper())[0] == "GPGGA"


def test_a_gga_gives_position_quality_satellites_hdop_and_altitude() -> None:
    found = parse(GGA + "\r\n")
    assert isinstance(found, Gga) and found.has_fix
    assert found.lat == pytest.approx(48 + 7.038 / 60)
    assert found.lon == pytest.approx(11 + 31.0 / 60)
    assert (found.quality, found.satellites, found.hdop) == (FixQuality.GPS, 8, 0.9)
    assert found.altitude_m == 545.4 and found.at == time(12, 35, 19, tzinfo=UTC)


def test_an_rmc_gives_position_date_and_validity() -> None:
    found = parse(RMC)
    assert isinstance(found, Rmc) and found.has_fix
    assert found.at == datetime(1994, 3, 23, 12, 35, 19, tzinfo=UTC)
    assert found.speed_knots == 22.4
    south_west = parse(sentence("GNRMC,010203.50,A,3157.0274,S,10157.3889,W,0.0,,071226,,,A"))
    assert isinstance(south_west, Rmc)
    assert south_west.lat == pytest.approx(-(31 + 57.0274 / 60))
    assert south_west.lon == pytest.approx(-(101 + 57.3889 / 60))
    assert south_west.at == datetime(2026, 12, 7, 1, 2, 3, 500000, tzinfo=UTC)


def test_no_fix_is_told_apart_from_a_fix() -> None:
    gga = parse(sentence("GPGGA,140500.00,,,,,0,00,99.9,,M,,M,,"))
    assert isinstance(gga, Gga) and not gga.has_fix and gga.quality == FixQuality.INVALID
    rmc = parse(sentence("GPRMC,140500.00,V,,,,,,,071226,,,N"))
    assert isinstance(rmc, Rmc) and not rmc.has_fix
    void_with_position = parse(sentence(RMC[1:-3].replace(",A,", ",V,")))
    assert isinstance(void_with_position, Rmc) and not void_with_position.has_fix


@pytest.mark.parametrize(
    ("line", "said"),
    [
        (GGA[:-3], "no checksum"),
        (GGA[:-2] + "48", "checksum 48 does not match 47"),
        (GGA[1:], r"starts with \$"),
        (sentence("GPGGA,123519,4807.038,Q,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"), "hemisphere"),
        (sentence("GPGGA,123519,4867.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"), "minutes"),
        (sentence("GPGGA,12x519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"), "hhmmss"),
        (sentence("GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,2303,003.1,W"), "ddmmyy"),
        (sentence("GPGGA,123519,4807.038,N"), "fields"),
        (sentence("GPGGA,123519,4807.038,N,01131.000,E,9,08,0.9,545.4,M,46.9,M,,"), "GPGGA"),
    ],
)
def test_a_malformed_sentence_is_refused_with_the_reason(line: str, said: str) -> None:
    with pytest.raises(NmeaError, match=said):
        parse(line)


def test_other_sentence_types_are_skipped() -> None:
    assert parse(sentence("GPGSA,A,3,04,05,09,12,17,24,25,,,,,,1.8,1.0,1.5")) is None
    assert (
        parse(sentence("GPGSV,3,1,11,03,03,111,00,04,15,270,00,06,01,010,00,13,06,292,00")) is None
    )


def test_the_accuracy_is_hdop_times_the_fix_quality_s_range_error() -> None:
    assert accuracy_m(0.9, FixQuality.GPS) == 4.5
    assert accuracy_m(0.9, FixQuality.DGPS) == 0.9
    assert accuracy_m(1.0, FixQuality.RTK_FIXED) == 0.05
    assert accuracy_m(None, FixQuality.GPS) is None
    assert accuracy_m(1.0, FixQuality.INVALID) is None
    assert accuracy_m(0.0, FixQuality.GPS) is None
