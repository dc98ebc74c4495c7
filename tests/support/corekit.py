"""Helpers for the device-core tests: an in-memory keystore, constants, file snapshots."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

from keyring.backend import KeyringBackend

from fieldapp.core.production import save_production
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from shared.contracts import ProductionRecorded

PASSPHRASE = "test passphrase 1"
TODAY = date(2026, 11, 20)  # "today" in the org time zone for validation in tests


class MemoryKeyring(KeyringBackend):
    """An in-memory OS keystore stand-in (the one part we fake: we cannot run the real one)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


def snapshot_files(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under `folder`."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class FakeClock:
    """A monotonic clock the test moves by hand (`clock.now += 60`)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def day(n: int) -> date:
    """`n` days before TODAY."""
    return TODAY - timedelta(days=n)


def record(store: Store, well: Well, n: int, oil: float) -> str:
    """Record `well`'s day `n` days back with `oil` (gas and water in proportion); its id."""
    entry = ProductionRecorded(
        well_id=well.well_id,
        production_date=day(n),
        oil_bbl=oil,
        gas_mcf=oil * 1.2,
        water_bbl=oil * 0.3,
        hours_on=24.0,
    )
    return save_production(store, entry, today=TODAY).record_id
