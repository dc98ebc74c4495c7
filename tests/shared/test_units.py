"""Tests for volume unit conversion and display units."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.units import (
    BBL_TO_M3,
    MCF_PER_BOE,
    MCF_TO_M3,
    UnitError,
    UnitKind,
    UnitSystem,
    boe,
    canonical_unit,
    convert,
    display_labels,
    display_units,
    gas_from_display,
    gas_to_display,
    liquid_from_display,
    liquid_to_display,
    unit_kind,
    unit_label,
)

props = settings(database=None, deadline=None)

LIQUID = ["bbl", "m3", "gal", "L"]
GAS = ["Mcf", "MMcf", "scf", "m3_gas", "e3m3"]


def test_constants_are_the_exact_definitions() -> None:
    assert math.isclose(BBL_TO_M3, 42 * 3.785411784 / 1000, rel_tol=1e-15)
    assert math.isclose(MCF_TO_M3, 1000 * 0.3048**3, rel_tol=1e-15)
    assert MCF_PER_BOE == 6.0


@pytest.mark.parametrize(
    ("value", "src", "dst", "expected"),
    [
        (1.0, "bbl", "m3", 0.158987294928),
        (1.0, "bbl", "gal", 42.0),
        (1.0, "bbl", "L", 158.987294928),
        (1.0, "m3", "bbl", 6.289810770432105),
        (100.0, "bbl", "bbl", 100.0),
        (1.0, "Mcf", "m3_gas", 28.316846592),
        (1.0, "MMcf", "Mcf", 1000.0),
        (1.0, "Mcf", "scf", 1000.0),
        (1.0, "e3m3", "Mcf", 35.31466672148859),
        (1000.0, "m3_gas", "e3m3", 1.0),
        (0.0, "Mcf", "m3_gas", 0.0),
        (-2.0, "bbl", "gal", -84.0),  # corrections may be negative
    ],
)
def test_known_values(value: float, src: str, dst: str, expected: float) -> None:
    assert convert(value, src, dst) == pytest.approx(expected, rel=1e-12)


def test_unit_names_are_case_insensitive_and_accept_superscript() -> None:
    assert canonical_unit("MCF") == "Mcf"
    assert canonical_unit(" mmcf ") == "MMcf"
    assert canonical_unit("m³") == "m3"
    assert canonical_unit("BBL") == "bbl"
    assert canonical_unit("l") == "L"
    assert convert(1.0, "BBL", "M³") == pytest.approx(BBL_TO_M3)


def test_unknown_unit() -> None:
    with pytest.raises(UnitError, match="furlong"):
        convert(1.0, "furlong", "bbl")
    with pytest.raises(UnitError, match="Unknown volume unit"):
        unit_label("cubits")


@pytest.mark.parametrize(("liquid", "gas"), [("bbl", "Mcf"), ("m3", "m3_gas"), ("gal", "scf")])
def test_liquid_and_gas_do_not_mix(liquid: str, gas: str) -> None:
    with pytest.raises(UnitError, match="Cannot convert"):
        convert(1.0, liquid, gas)
    with pytest.raises(UnitError, match="Cannot convert"):
        convert(1.0, gas, liquid)


def test_unit_error_is_value_error() -> None:
    with pytest.raises(ValueError, match="Cannot convert"):
        convert(1.0, "bbl", "Mcf")


def test_kinds_and_labels() -> None:
    assert {unit_kind(u) for u in LIQUID} == {UnitKind.LIQUID}
    assert {unit_kind(u) for u in GAS} == {UnitKind.GAS}
    assert unit_label("m3") == "m³"
    assert unit_label("m3_gas") == "m³"
    assert unit_label("Mcf") == "Mcf"


def test_display_systems() -> None:
    assert display_units(UnitSystem.FIELD) == ("bbl", "Mcf")
    assert display_units("metric") == ("m3", "m3_gas")
    assert display_labels(UnitSystem.FIELD) == ("bbl", "Mcf")
    assert display_labels(UnitSystem.METRIC) == ("m³", "m³")
    assert liquid_to_display(100.0, UnitSystem.FIELD) == 100.0
    assert gas_to_display(250.0, UnitSystem.FIELD) == 250.0
    assert liquid_to_display(100.0, UnitSystem.METRIC) == pytest.approx(15.8987294928)
    assert gas_to_display(1.0, UnitSystem.METRIC) == pytest.approx(28.316846592)
    assert liquid_from_display(15.8987294928, "metric") == pytest.approx(100.0)
    assert gas_from_display(28.316846592, "metric") == pytest.approx(1.0)


def test_unknown_unit_system() -> None:
    with pytest.raises(UnitError, match="imperial"):
        liquid_to_display(1.0, "imperial")


def test_boe() -> None:
    assert boe(100.0, 600.0) == 200.0
    assert boe(0.0, 6.0) == 1.0
    assert boe(12.5, 0.0) == 12.5


volumes = st.floats(-1e9, 1e9, allow_nan=False)
systems = st.sampled_from(list(UnitSystem))


@props
@given(volumes, st.sampled_from(LIQUID), st.sampled_from(LIQUID))
def test_liquid_round_trip(value: float, a: str, b: str) -> None:
    back = convert(convert(value, a, b), b, a)
    assert math.isclose(back, value, rel_tol=1e-12, abs_tol=1e-300)


@props
@given(volumes, st.sampled_from(GAS), st.sampled_from(GAS))
def test_gas_round_trip(value: float, a: str, b: str) -> None:
    back = convert(convert(value, a, b), b, a)
    assert math.isclose(back, value, rel_tol=1e-12, abs_tol=1e-300)


@props
@given(volumes, st.sampled_from(LIQUID), st.sampled_from(LIQUID), st.sampled_from(LIQUID))
def test_conversion_is_transitive(value: float, a: str, b: str, c: str) -> None:
    direct = convert(value, a, c)
    via = convert(convert(value, a, b), b, c)
    assert math.isclose(direct, via, rel_tol=1e-12, abs_tol=1e-300)


@props
@given(volumes, systems)
def test_display_round_trip(value: float, system: UnitSystem) -> None:
    assert math.isclose(
        liquid_from_display(liquid_to_display(value, system), system),
        value,
        rel_tol=1e-12,
        abs_tol=1e-300,
    )
    assert math.isclose(
        gas_from_display(gas_to_display(value, system), system),
        value,
        rel_tol=1e-12,
        abs_tol=1e-300,
    )


@props
@given(st.floats(0, 1e9), st.floats(0, 1e9))
def test_conversion_preserves_order(x: float, y: float) -> None:
    lo, hi = sorted((x, y))
    assert convert(lo, "bbl", "m3") <= convert(hi, "bbl", "m3")
    assert convert(lo, "Mcf", "m3_gas") <= convert(hi, "Mcf", "m3_gas")


@props
@given(st.floats(0, 1e6), st.floats(0, 1e6))
def test_boe_is_oil_plus_a_sixth_of_gas(oil: float, gas: float) -> None:
    assert boe(oil, gas) >= oil
    assert math.isclose(boe(oil, gas) - oil, gas / 6.0, rel_tol=1e-9, abs_tol=1e-6)
