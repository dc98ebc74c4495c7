"""main(): every user error of every command is one line on stderr with its exit code; the
desktop app without a display says so; `--help` loads no command module (docs/design.md §7)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from clikit import CASE_IDS, ErrorRuns, error_cases
from fieldkit import REPO, assert_user_error


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_user_error_is_one_line_without_traceback(error_runs: ErrorRuns, case_id: str) -> None:
    case = error_cases(error_runs.files)[case_id]
    result = error_runs.results[case_id]
    message = assert_user_error(result)
    assert re.search(case.expect, message, re.IGNORECASE), message
    assert result.code == (2 if case.usage else 1), result
    assert result.stdout == "", result


def test_user_errors_change_nothing(error_runs: ErrorRuns) -> None:
    assert error_runs.after == error_runs.before
    assert error_runs.before["events"] == 2
    assert not error_runs.missing_dir.exists()  # a failed command creates no store folder
    assert not (error_runs.files / "no").exists()
    assert sorted(p.name for p in error_runs.data.iterdir()) == ["keys.json", "store.db"]


def test_the_desktop_app_without_a_display_says_so_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    result = subprocess.run(
        [sys.executable, "-m", "fieldapp", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("fieldapp: error: no display")


def test_help_loads_no_command_module_and_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "from fieldapp.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        "heavy = ('PySide6', 'shiboken6', 'sqlalchemy', 'sqlcipher3', 'httpx', 'pydantic')\n"
        "light = ('shared', 'shared.downtime')  # the reason codes --help lists: a tuple\n"
        "print(sorted(m for m in sys.modules if m not in light and (m.split('.')[0] in heavy\n"
        "             or m.endswith('_commands') or m.startswith(('fieldapp.core', 'shared')))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert "usage: fieldapp" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[]"
