"""Placeholder replaced by the UI work."""

from __future__ import annotations

from pathlib import Path


def run_app(data_dir: Path) -> int:
    raise NotImplementedError(str(data_dir))
