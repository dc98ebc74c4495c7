"""House rules that keep the layers apart (DESIGN §2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_and_shared_never_import_qt() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        "import shared, fieldapp.core, fieldapp.sync.engine, fieldapp.sync.autosync\n"
        "for pkg in (shared, fieldapp.core, fieldapp.sync):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "import fieldapp.cli\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_modules_stay_small() -> None:
    too_big = {
        str(p.relative_to(ROOT)): n
        for p in ROOT.glob("[fs]*/**/*.py")
        if ".venv" not in p.parts and (n := len(p.read_text().splitlines())) > 400
    }
    assert too_big == {}
