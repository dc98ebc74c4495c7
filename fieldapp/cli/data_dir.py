"""Where the store lives when `--data-dir` is not given (README: the fieldapp command line)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "FIELDAPP_DATA_DIR"


def platform_data_dir() -> Path:
    """The per-user folder of this platform: %LOCALAPPDATA% on Windows, XDG elsewhere."""
    if os.name == "nt" and (base := os.environ.get("LOCALAPPDATA")):
        return Path(base) / "WellPulseField"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "wellpulse-field"


def default_data_dir() -> Path:
    """$FIELDAPP_DATA_DIR when set, else the platform's per-user folder."""
    if env := os.environ.get(ENV_VAR):
        return Path(env)
    return platform_data_dir()


def data_dir_help() -> str:
    """The --data-dir help text, naming the folder this machine would really use."""
    where = f"${ENV_VAR}, now {os.environ[ENV_VAR]}" if os.environ.get(ENV_VAR) else None
    fallback = platform_data_dir()
    if where:
        return f"store folder (default: {where})"
    return f"store folder (default: ${ENV_VAR}, else {fallback})"
