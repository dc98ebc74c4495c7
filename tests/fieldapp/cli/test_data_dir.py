"""Where the store lives by default, and the --help text that says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldapp.cli.data_dir import data_dir_help, default_data_dir, platform_data_dir
from fieldapp.cli.parser import build_parser


def test_the_environment_variable_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FIELDAPP_DATA_DIR", str(tmp_path / "here"))
    assert default_data_dir() == tmp_path / "here"
    assert str(tmp_path / "here") in data_dir_help()


def test_without_it_the_platform_folder_is_used_and_named_in_help(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("FIELDAPP_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    expected = (
        tmp_path / "local" / "WellPulseField"
        if platform_data_dir().name == "WellPulseField"
        else tmp_path / "xdg" / "wellpulse-field"
    )
    assert default_data_dir() == expected
    help_text = "".join(build_parser().format_help().split())  # argparse wraps at hyphens
    assert f"else{expected}" in help_text
    assert "%(default)s" not in help_text
    assert "default:None" not in help_text
