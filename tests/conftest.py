"""Shared fixtures; helper code lives in tests/support (put on sys.path here)."""

from __future__ import annotations

import os
import sys

# One BLAS thread, set before anything imports numpy: statsmodels' L-BFGS-B fits make thousands
# of tiny BLAS calls, and OpenBLAS's thread pool turns each into a 25-50x slower hand-off when
# the cores are busy (docs/forecast.md, "Performance").
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
from collections.abc import Callable
from pathlib import Path

import pytest

SUPPORT = Path(__file__).resolve().parent / "support"
if str(SUPPORT) not in sys.path:
    sys.path.insert(0, str(SUPPORT))

import fieldkit  # noqa: E402
from serverkit import (  # noqa: E402, F401 - fixtures for the server and end-to-end tests
    client,
    database_url,
    live_server,
    live_server_process,
    settings,
)

from fieldapp.core.keystore import Keystore  # noqa: E402


@pytest.fixture
def fail_keystore() -> Keystore:
    """A keystore that is never usable: stores are unlocked by their passphrase only."""
    return fieldkit.fail_keystore()


@pytest.fixture(scope="session")
def cli() -> Callable[..., fieldkit.CliResult]:
    """`cli(data_dir, *args, passphrase=..., stdin=..., keyring_file=...) -> CliResult`."""
    return fieldkit.run_cli
