#!/usr/bin/env python3
"""WellPulse Field developer entry point: `python3 dev.py demo` and `python3 dev.py test`.

Needs only Python 3.11+. On first use it creates `.venv`, installs the project with the extras
the command needs, and installs missing system libraries (Qt's runtime) with apt-get when run
as root on Debian/Ubuntu. Later runs reinstall only when pyproject.toml changed.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("WELLPULSE_VENV", ROOT / ".venv"))
DEMO_DIR = Path(os.environ.get("WELLPULSE_DEMO_DIR", ROOT / ".demo"))
DEMO_PASSPHRASE = "wellpulse-demo"

# shared library name -> Debian package providing it (what Qt's xcb/offscreen platforms load)
QT_RUNTIME = {
    "EGL": "libegl1",
    "GL": "libgl1",
    "xkbcommon": "libxkbcommon0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "fontconfig": "libfontconfig1",
    "freetype": "libfreetype6",
    "dbus-1": "libdbus-1-3",
    "glib-2.0": "libglib2.0-0",
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-shape": "libxcb-shape0",
    "xcb-xinerama": "libxcb-xinerama0",
    "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-image": "libxcb-image0",
    "X11-xcb": "libx11-xcb1",
}


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def fail(message: str) -> None:
    print(f"dev.py: error: {message}", file=sys.stderr)
    raise SystemExit(1)


def run(cmd: list[str], **kwargs: object) -> None:
    result = subprocess.run(cmd, check=False, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        fail(f"'{' '.join(cmd)}' exited {result.returncode}")


def apt_install(packages: list[str]) -> None:
    if not packages:
        return
    if not shutil.which("apt-get"):
        fail(f"missing system libraries; install the packages providing: {', '.join(packages)}")
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    say(f"installing system packages: {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run([*prefix, "apt-get", "update", "-qq"], env=env)
    run([*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], env=env)


def ensure_qt_runtime() -> None:
    if sys.platform != "linux":
        return
    missing = sorted({pkg for lib, pkg in QT_RUNTIME.items() if not ctypes.util.find_library(lib)})
    apt_install(missing)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv(extras: str) -> Path:
    """Create the venv and install the project with `extras` when anything changed."""
    python = venv_python()
    if not python.exists():
        say(f"creating virtual environment in {VENV}")
        result = subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=False)
        if result.returncode != 0:
            apt_install([f"python{sys.version_info.major}.{sys.version_info.minor}-venv"])
            shutil.rmtree(VENV, ignore_errors=True)
            run([sys.executable, "-m", "venv", str(VENV)])
    stamp = VENV / ".wellpulse-installed"
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if not stamp.exists() or stamp.read_text() != want:
        say(f"installing wellpulse-field[{extras}] into {VENV}")
        pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q"]
        run([*pip, "install", "--upgrade", "pip"])
        run([*pip, "install", "-e", f"{ROOT}[{extras}]"])
        stamp.write_text(want)
    return python


def cmd_test(args: list[str]) -> int:
    ensure_qt_runtime()
    python = ensure_venv("client,server,dev")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"}
    steps = [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
        ["pytest", *args],
    ]
    for step in steps:
        say(" ".join(step))
        code = subprocess.run([str(python), "-m", *step], cwd=ROOT, env=env, check=False)
        if code.returncode != 0:
            return code.returncode
    return 0


def cmd_demo(args: list[str]) -> int:
    ensure_qt_runtime()
    python = ensure_venv("client,server,dev")
    env = {**os.environ, "FIELDAPP_PASSPHRASE": DEMO_PASSPHRASE}
    store = DEMO_DIR / "field"
    if not (store / "keys.json").exists():
        say(f"creating the demo store in {store}")
        run([str(python), "-m", "fieldapp.demo", "--data-dir", str(store)], env=env, cwd=ROOT)
    if (
        sys.platform == "linux"
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        and not os.environ.get("QT_QPA_PLATFORM")
    ):
        fail("no display: run it in a desktop session (or under xvfb-run)")
    say("opening WellPulse Field")
    return subprocess.run(
        [str(python), "-m", "fieldapp", "--data-dir", str(store), *args], env=env, check=False
    ).returncode


def main() -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an old python3
        fail("Python 3.11 or newer is needed")
    commands = {"demo": cmd_demo, "test": cmd_test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        fail("usage: python3 dev.py demo | test [pytest args]")
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    raise SystemExit(main())
