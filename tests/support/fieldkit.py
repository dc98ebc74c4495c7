"""Helpers shared by the fieldapp tests: a CLI runner, in-process stores, file snapshots."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import keyring.backends.fail

from fieldapp.core.keystore import Keystore
from fieldapp.core.store import Store
from fieldapp.core.wells import register_well
from shared.contracts import WellRegistered
from shared.validation import org_today

REPO = Path(__file__).resolve().parents[2]
SUPPORT = Path(__file__).resolve().parent
PASSPHRASE = "correct horse battery staple"
TIMEZONE = "America/Chicago"
FAIL_BACKEND = "keyring.backends.fail.Keyring"
FILE_BACKEND = "file_keyring.FileKeyring"
PYCACHE = Path(tempfile.gettempdir()) / f"wellpulse-test-pycache-{os.getuid()}"


def days_ago(n: int) -> date:
    """A gauge day `n` days before today in the org's time zone (never in the future)."""
    return org_today(TIMEZONE) - timedelta(days=n)


def fail_keystore() -> Keystore:
    """No usable keystore: the store is unlocked by the passphrase only."""
    return Keystore(keyring.backends.fail.Keyring())


def create_store(
    data_dir: Path, wells: Iterable[tuple[str, str]] = (), passphrase: str = PASSPHRASE
) -> Store:
    """An open passphrase-mode store (no keystore) with `wells` (api, name) registered."""
    store = Store.create(data_dir, passphrase, fail_keystore(), timezone=TIMEZONE)
    for api, name in wells:
        register_well(store, WellRegistered(api_number=api, name=name))
    return store


@dataclass(frozen=True)
class CliResult:
    code: int
    stdout: str
    stderr: str

    @property
    def stderr_lines(self) -> list[str]:
        return self.stderr.splitlines()


def cli_env(
    *, passphrase: str | None = PASSPHRASE, keyring_file: Path | None = None
) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FIELDAPP_", "PYTHON_KEYRING", "TEST_KEYRING"))
    }
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(SUPPORT)])
    # compiled modules go to a cache outside the work tree, so each CLI start skips compiling
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    if keyring_file is None:
        env["PYTHON_KEYRING_BACKEND"] = FAIL_BACKEND
    else:
        env["PYTHON_KEYRING_BACKEND"] = FILE_BACKEND
        env["TEST_KEYRING_FILE"] = str(keyring_file)
    if passphrase is not None:
        env["FIELDAPP_PASSPHRASE"] = passphrase
    return env


def run_cli(
    data_dir: Path,
    *args: str,
    passphrase: str | None = PASSPHRASE,
    stdin: str = "",
    keyring_file: Path | None = None,
    timeout: float = 120,
) -> CliResult:
    """`python -m fieldapp --data-dir DIR ARGS...`; stdin is a pipe (never a tty)."""
    proc = subprocess.run(
        [sys.executable, "-m", "fieldapp", "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=cli_env(passphrase=passphrase, keyring_file=keyring_file),
        timeout=timeout,
        check=False,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


def assert_user_error(result: CliResult) -> str:
    """One `fieldapp: error: ...` line on stderr, non-zero exit, no traceback; the message."""
    assert result.code != 0, result
    assert "Traceback" not in result.stderr + result.stdout, result
    assert len(result.stderr_lines) == 1, result
    line = result.stderr_lines[0]
    assert line.startswith("fieldapp: error: "), result
    message = line.removeprefix("fieldapp: error: ")
    assert "internal error" not in message, f"a user error reported as a bug: {line}"
    return message


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (recursively) by relative path, with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def write_csv(path: Path, rows: Iterable[Mapping[str, object]], header: Iterable[str]) -> Path:
    columns = list(header)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})
    return path


IMPORT_COLUMNS = (
    "api_number",
    "production_date",
    "oil_bbl",
    "gas_mcf",
    "water_bbl",
    "hours_on",
    "downtime_hours",
    "downtime_reason",
    "notes",
)
