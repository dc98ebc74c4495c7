"""Helpers shared by the benchmark scripts (not a test module)."""

from __future__ import annotations

import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring.backends.fail

from fieldapp.core.keystore import Keystore
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, register_well
from shared.contracts import WellRegistered

PASSPHRASE = "benchmark-passphrase"


def no_keystore() -> Keystore:
    return Keystore(keyring.backends.fail.Keyring())


@contextmanager
def temp_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="wellpulse-bench-", dir="/var/tmp") as tmp:
        yield Path(tmp)


def new_store(folder: Path, wells: int = 1) -> tuple[Store, list[Well]]:
    store = Store.create(folder / "store", PASSPHRASE, no_keystore())
    created = [
        register_well(
            store, WellRegistered(api_number=f"42-501-{20001 + i:05d}", name=f"Bench {i}")
        )[0]
        for i in range(wells)
    ]
    return store, created


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def describe(label: str, samples: list[float]) -> str:
    return (
        f"{label}: p50 {statistics.median(samples) * 1e3:.3f} ms, "
        f"p95 {percentile(samples, 95) * 1e3:.3f} ms, "
        f"p99 {percentile(samples, 99) * 1e3:.3f} ms over {len(samples)}"
    )
