"""Tests for haversine distances and the 500 ft geofence (docs/gps.md)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.contracts import Location
from shared.geo import (
    EARTH_RADIUS_M,
    GEOFENCE_M,
    feet_to_metres,
    geofence,
    haversine_m,
    metres_to_feet,
    point_of,
)

props = settings(database=None, deadline=None)
DEGREE_M = math.pi * EARTH_RADIUS_M / 180  # one degree of a great circle: 111,195.08 m
WELL = (31.9686, -102.0779)  # Midland County, TX


def test_the_constants_are_the_definitions() -> None:
    assert EARTH_RADIUS_M == 6_371_008.8
    assert feet_to_metres(500) == pytest.approx(GEOFENCE_M, abs=1e-9)
    assert metres_to_feet(0.3048) == pytest.approx(1.0)
    assert metres_to_feet(GEOFENCE_M) == pytest.approx(500.0)


def test_known_distances() -> None:
    assert haversine_m((0, 0), (0, 1)) == pytest.approx(111_195.08, abs=0.01)
    assert haversine_m((0, 0), (1, 0)) == pytest.approx(DEGREE_M, rel=1e-12)
    assert haversine_m((90, 0), (-90, 0)) == pytest.approx(math.pi * EARTH_RADIUS_M)
    # one degree of longitude at 60°N is half of one at the equator
    assert haversine_m((60, 10), (60, 11)) == pytest.approx(55_596.0, abs=5)
    # Paris (Notre-Dame) to London (St Paul's): about 343.5 km on the mean sphere
    assert haversine_m((48.8530, 2.3499), (51.5138, -0.0984)) / 1000 == pytest.approx(
        343.5, abs=1.0
    )
    assert haversine_m((10, 179.9995), (10, -179.9995)) == pytest.approx(
        0.001 * DEGREE_M * math.cos(math.radians(10)), rel=1e-6
    )  # across the antimeridian: a metre-scale step, not the way round


@props
@given(st.floats(-89.9, 89.9), st.floats(-180, 180), st.floats(-89.9, 89.9), st.floats(-180, 180))
def test_distance_is_symmetric_and_bounded(la1: float, lo1: float, la2: float, lo2: float) -> None:
    d = haversine_m((la1, lo1), (la2, lo2))
    assert d == pytest.approx(haversine_m((la2, lo2), (la1, lo1)), abs=1e-6)
    assert 0 <= d <= math.pi * EARTH_RADIUS_M + 1e-6


def test_an_entry_at_the_wellhead_is_inside() -> None:
    verdict = geofence(Location(lat=WELL[0], lon=WELL[1]), *WELL)
    assert verdict is not None
    assert verdict.distance_m == 0 and not verdict.outside


def test_the_fence_is_500_ft_and_strictly_more_is_outside() -> None:
    step = GEOFENCE_M / DEGREE_M  # degrees of latitude in 152.4 m
    inside = geofence({"lat": WELL[0] + step * 0.999, "lon": WELL[1]}, *WELL)
    outside = geofence({"lat": WELL[0] + step * 1.001, "lon": WELL[1]}, *WELL)
    assert inside is not None and not inside.outside
    assert outside is not None and outside.outside
    assert outside.distance_ft == pytest.approx(500.5, abs=0.1)
    assert outside.distance_m == pytest.approx(152.55, abs=0.01)


def test_a_verdict_describes_feet_then_metres() -> None:
    far = geofence((WELL[0] + 0.01, WELL[1]), *WELL)
    assert far is not None and far.outside
    assert far.describe() == (
        "3,648 ft (1,112 m) from the well, outside the 500 ft (152.4 m) geofence."
    )
    assert far.as_json() == {"distance_m": 1112.0, "distance_ft": 3648.1, "outside": True}
    near = geofence((WELL[0] + 0.00005, WELL[1]), *WELL)
    assert near is not None
    assert near.describe().startswith("18 ft (5.6 m) from the well, inside")


def test_no_verdict_without_coordinates_on_either_side() -> None:
    assert geofence(None, *WELL) is None
    assert geofence(Location(lat=1, lon=2), None, WELL[1]) is None
    assert geofence(Location(lat=1, lon=2), WELL[0], None) is None
    assert geofence({"lat": None, "lon": 2.0}, *WELL) is None
    assert geofence({"latitude": float("nan"), "longitude": 2.0}, *WELL) is None
    assert geofence((1.0, 2.0), 95.0, 0.0) is None  # not a latitude


def test_point_of_reads_every_shape_a_location_comes_in() -> None:
    assert point_of(Location(lat=1.5, lon=-2.5, source="gps")) == (1.5, -2.5)
    assert point_of({"lat": 1.5, "lon": -2.5, "accuracy_m": 4}) == (1.5, -2.5)
    assert point_of({"latitude": 1.5, "longitude": -2.5}) == (1.5, -2.5)
    assert point_of((1.5, -2.5)) == (1.5, -2.5)
    assert point_of({"latitude": True, "longitude": 0}) is None
    assert point_of({}) is None
