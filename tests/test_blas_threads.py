"""The app and the server start with one BLAS thread unless the user chose otherwise."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from fieldkit import REPO


@pytest.mark.parametrize("package", ["fieldapp", "sync_server"])
def test_importing_the_package_sets_one_blas_thread_before_numpy(package: str) -> None:
    code = (
        f"import {package}, os, sys; "
        "print(os.environ['OPENBLAS_NUM_THREADS'], 'numpy' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["1", "False"]


def test_a_thread_count_the_user_set_is_kept() -> None:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "4"}
    code = "import fieldapp, os; print(os.environ['OPENBLAS_NUM_THREADS'])"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "4"
