"""`python3 dev.py`: help exits 0, a wrong command is one line on stderr with a non-zero exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def dev(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "dev.py"), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize("flag", ["--help", "-h", "help"])
def test_help_lists_every_command_and_exits_0(flag: str) -> None:
    result = dev(flag)
    assert result.returncode == 0, result
    assert result.stderr == ""
    for command in ("demo", "test", "setup"):
        assert f"\n  {command}" in result.stdout


@pytest.mark.parametrize(("args", "says"), [((), "a command is needed"), (("bogus",), "bogus")])
def test_a_missing_or_unknown_command_is_one_line_on_stderr(
    args: tuple[str, ...], says: str
) -> None:
    result = dev(*args)
    assert result.returncode == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("dev.py: error: ")
    assert says in line


def test_setup_takes_no_arguments() -> None:
    result = dev("setup", "--now")
    assert result.returncode == 1
    assert "setup takes no arguments" in result.stderr
