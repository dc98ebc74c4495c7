"""How a command unlocks the store: the passphrase from the environment or standard input, or
the OS keystore alone (docs/design.md §7)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from clikit import API_A, API_B, ErrorRuns, ok, prod_row, run_all, sh, status_of
from fieldkit import (
    IMPORT_COLUMNS,
    PASSPHRASE,
    CliResult,
    assert_user_error,
    days_ago,
    run_cli,
    snapshot,
    write_csv,
)


def test_wrong_passphrase_is_refused_and_touches_no_file(error_runs: ErrorRuns) -> None:
    data = error_runs.data
    before = snapshot(data)
    csv_path = write_csv(error_runs.files / "good.csv", [prod_row(API_A, 5)], IMPORT_COLUMNS)
    results = run_all(
        [
            lambda: sh(data, "status", passphrase="not the passphrase"),
            lambda: sh(
                data,
                f"record production --well {API_A} --date {days_ago(6)} --oil 1 --gas 1 --water 1",
                passphrase=PASSPHRASE.title(),
            ),
            lambda: sh(
                data,
                f"--passphrase-stdin import production {csv_path}",
                passphrase=PASSPHRASE,  # the stdin line wins over the environment
                stdin="wrong passphrase\n",
            ),
        ]
    )
    for result in results:
        assert "wrong passphrase" in assert_user_error(result)
    assert snapshot(data) == before
    assert status_of(data) == error_runs.before


def test_keystore_mode_unlocks_without_passphrase_and_survives_a_keystore_reset(
    tmp_path: Path,
) -> None:
    data, keyring_file = tmp_path / "store", tmp_path / "keyring.json"

    def cli(*args: str, passphrase: str | None = None) -> CliResult:
        return run_cli(data, *args, passphrase=passphrase, keyring_file=keyring_file)

    created = ok(cli("init", "--local", passphrase=PASSPHRASE))
    assert "OS keystore" in created.stdout
    assert json.loads((data / "keys.json").read_text())["use_keystore"] is True
    entries = json.loads(keyring_file.read_text())
    assert len(entries) == 1
    ((entry, stored_key),) = entries.items()
    assert re.fullmatch(r"[0-9a-f]{64}", stored_key)

    ok(cli("well", "add", "--api", API_A, "--name", "Alpha 1"))  # no passphrase anywhere
    assert json.loads(ok(cli("status", "--json")).stdout)["events"] == 1

    keyring_file.unlink()  # the OS keystore was reset
    assert re.search(r"locked", assert_user_error(cli("status")))
    status = json.loads(ok(cli("status", "--json", passphrase=PASSPHRASE)).stdout)
    assert status["events"] == 1
    assert json.loads(keyring_file.read_text()) == entries  # the passphrase put the key back

    # a stale keystore entry (another key) is not trusted: the passphrase still unlocks
    keyring_file.write_text(json.dumps({entry: "ab" * 32}))
    ok(cli("well", "add", "--api", API_B, "--name", "Bravo 2", passphrase=PASSPHRASE))
    ok(cli("rekey", passphrase=PASSPHRASE))
    assert json.loads(keyring_file.read_text())[entry] not in (stored_key, "ab" * 32)
    status = json.loads(ok(cli("status", "--json")).stdout)  # the keystore has the new key
    assert (status["events"], status["wells"]) == (2, 2)
