"""Volume units.

Volumes are stored in base units, barrels (bbl) for oil and water and thousand cubic feet (Mcf)
for gas; the display unit system is a user setting. Conversions go through cubic metres using
the exact definitions: 1 bbl = 42 US gal = 0.158987294928 m³ and 1 ft³ = 0.028316846592 m³.
Gas volumes are at standard conditions; no temperature/pressure base correction is applied, so
1 Mcf = 28.316846592 m³ as most production software reports it.

Units (case-insensitive, ``³`` accepted for ``3``):

* liquid: ``bbl``, ``m3``, ``gal`` (US gallon), ``L``
* gas: ``Mcf``, ``MMcf``, ``scf`` (= ft³), ``m3_gas``, ``e3m3`` (thousand m³)

Liquid ``m3`` and gas ``m3_gas`` are kept apart so that an oil volume cannot be converted into a
gas unit by accident; :func:`convert` raises :class:`UnitError` across kinds.
"""

from __future__ import annotations

from enum import StrEnum

BBL_TO_M3 = 0.158987294928
MCF_TO_M3 = 28.316846592
MCF_PER_BOE = 6.0
GAL_TO_M3 = 0.003785411784


class UnitError(ValueError):
    """Unknown unit, unknown unit system, or a conversion between liquid and gas units."""


class UnitKind(StrEnum):
    LIQUID = "liquid"
    GAS = "gas"


class UnitSystem(StrEnum):
    FIELD = "field"  # bbl / Mcf
    METRIC = "metric"  # m³ / m³


# canonical name -> (kind, cubic metres per unit)
_UNITS: dict[str, tuple[UnitKind, float]] = {
    "bbl": (UnitKind.LIQUID, BBL_TO_M3),
    "m3": (UnitKind.LIQUID, 1.0),
    "gal": (UnitKind.LIQUID, GAL_TO_M3),
    "L": (UnitKind.LIQUID, 0.001),
    "Mcf": (UnitKind.GAS, MCF_TO_M3),
    "MMcf": (UnitKind.GAS, MCF_TO_M3 * 1000.0),
    "scf": (UnitKind.GAS, MCF_TO_M3 / 1000.0),
    "m3_gas": (UnitKind.GAS, 1.0),
    "e3m3": (UnitKind.GAS, 1000.0),
}
_LOOKUP: dict[str, str] = {name.lower(): name for name in _UNITS}
_LABELS: dict[str, str] = {"m3": "m³", "m3_gas": "m³", "e3m3": "10³m³"}

_DISPLAY: dict[UnitSystem, tuple[str, str]] = {
    UnitSystem.FIELD: ("bbl", "Mcf"),
    UnitSystem.METRIC: ("m3", "m3_gas"),
}


def canonical_unit(unit: str) -> str:
    """The canonical spelling of a unit name (``"MCF"`` -> ``"Mcf"``, ``"m³"`` -> ``"m3"``)."""
    name = _LOOKUP.get(unit.strip().replace("³", "3").lower())
    if name is None:
        known = ", ".join(_UNITS)
        raise UnitError(f"Unknown volume unit {unit!r}; known units: {known}")
    return name


def unit_kind(unit: str) -> UnitKind:
    return _UNITS[canonical_unit(unit)][0]


def unit_label(unit: str) -> str:
    """Display label for a unit, e.g. ``m³`` for both ``m3`` and ``m3_gas``."""
    name = canonical_unit(unit)
    return _LABELS.get(name, name)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a volume between two units of the same kind (liquid or gas)."""
    src = canonical_unit(from_unit)
    dst = canonical_unit(to_unit)
    if src == dst:
        return float(value)
    src_kind, src_m3 = _UNITS[src]
    dst_kind, dst_m3 = _UNITS[dst]
    if src_kind is not dst_kind:
        raise UnitError(f"Cannot convert {src_kind} unit {src!r} to {dst_kind} unit {dst!r}")
    return value * src_m3 / dst_m3


def _system(system: UnitSystem | str) -> UnitSystem:
    try:
        return UnitSystem(system)
    except ValueError as exc:
        raise UnitError(f"Unknown unit system {system!r}; use 'field' or 'metric'") from exc


def display_units(system: UnitSystem | str) -> tuple[str, str]:
    """(liquid unit, gas unit) names used for display in the given system."""
    return _DISPLAY[_system(system)]


def display_labels(system: UnitSystem | str) -> tuple[str, str]:
    """(liquid label, gas label) for column headers, e.g. ``("bbl", "Mcf")``."""
    liquid, gas = display_units(system)
    return unit_label(liquid), unit_label(gas)


def liquid_to_display(bbl: float, system: UnitSystem | str) -> float:
    """A stored liquid volume (bbl) in the display unit of ``system``."""
    return convert(bbl, "bbl", display_units(system)[0])


def liquid_from_display(value: float, system: UnitSystem | str) -> float:
    """A liquid volume entered in the display unit of ``system``, back in bbl."""
    return convert(value, display_units(system)[0], "bbl")


def gas_to_display(mcf: float, system: UnitSystem | str) -> float:
    """A stored gas volume (Mcf) in the display unit of ``system``."""
    return convert(mcf, "Mcf", display_units(system)[1])


def gas_from_display(value: float, system: UnitSystem | str) -> float:
    """A gas volume entered in the display unit of ``system``, back in Mcf."""
    return convert(value, display_units(system)[1], "Mcf")


def boe(oil_bbl: float, gas_mcf: float) -> float:
    """Barrels of oil equivalent, with gas at 6 Mcf per barrel."""
    return oil_bbl + gas_mcf / MCF_PER_BOE
