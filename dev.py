#!/usr/bin/env python3
"""WellPulse Field developer entry point: `python3 dev.py demo` and `python3 dev.py test`.

Needs only Python 3.11+. On first use it creates `.venv`, installs the project with the extras
the command needs, and installs missing system libraries (Qt's runtime) with apt-get when run
as root on Debian/Ubuntu. Later runs reinstall only when pyproject.toml changed.

`demo` seeds a demo sync server once (`.demo/server`), serves it on 127.0.0.1 while the desktop
app runs, registers the app's store (`.demo/field`) with it as operator1 on first use (which
pulls the history down), and stops the server when the app exits.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("WELLPULSE_VENV", ROOT / ".venv"))
DEMO_DIR = Path(os.environ.get("WELLPULSE_DEMO_DIR", ROOT / ".demo"))
DEMO_PASSPHRASE = "wellpulse-demo"  # the demo store's passphrase and the demo users' password
DEMO_USER = "operator1"
DEMO_PORT = 8765
SEEDED_MARKER = "dev-demo-seeded"  # in the server's data dir once `sync_server demo` succeeded
READY_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 60.0

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


def fail(message: str, detail: str = "") -> NoReturn:
    print(f"dev.py: error: {message}", file=sys.stderr)
    if detail:
        print(detail, file=sys.stderr)
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


# --- demo: a seeded sync server and the desktop app registered with it ---------------------


def pick_port(preferred: int) -> int:
    """`preferred` when nothing listens there (tried the way uvicorn binds), else a free one."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", preferred))
        except OSError:
            sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def log_tail(path: Path, lines: int = 25) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(f"  | {line}" for line in text.splitlines()[-lines:])


def seed_server(python: Path, env: dict[str, str]) -> bool:
    """`sync_server demo` once per server data dir; True when it ran now."""
    data = DEMO_DIR / "server"
    if (data / SEEDED_MARKER).exists():
        return False
    say("seeding the demo sync server: org 'demo', 50 wells, 2 years of history (~15 s)")
    started = time.monotonic()
    run([str(python), "-m", "sync_server", "--data-dir", str(data), "demo"], env=env, cwd=ROOT)
    (data / SEEDED_MARKER).write_text(time.strftime("%Y-%m-%dT%H:%M:%S%z\n"))
    say(f"seeded in {time.monotonic() - started:.0f} s")
    return True


def store_mode(python: Path, field: Path, env: dict[str, str]) -> str:
    cmd = [str(python), "-m", "fieldapp", "--data-dir", str(field), "status", "--json"]
    result = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    try:
        return str(json.loads(result.stdout)["mode"])
    except (ValueError, KeyError, TypeError):
        return "unknown"


def set_aside(field: Path, kind: str, why: str) -> None:
    target = field.with_name(f"field-{kind}-{time.strftime('%Y%m%d-%H%M%S')}")
    say(f"{why}: moving {field} aside to {target}")
    field.rename(target)


def demo_port(python: Path, field: Path, env: dict[str, str], reseeded: bool) -> int:
    """The port to serve on. The device store remembers its server's URL, so the port it was
    registered with is kept; a store that cannot talk to this server is moved aside."""
    state_file = DEMO_DIR / "demo.json"
    state = json.loads(state_file.read_text()) if state_file.exists() else {}
    registered = str(state.get("server_url", "")) if (field / "keys.json").exists() else ""
    if (field / "keys.json").exists() and not registered:
        mode = store_mode(python, field, env)
        set_aside(field, mode, f"the demo store in {field} is {mode}, not this demo server's")
    elif registered and reseeded:
        set_aside(field, "old", "the demo store was registered with an earlier demo server")
        registered = ""
    wanted = os.environ.get("WELLPULSE_DEMO_PORT") or registered.rpartition(":")[2]
    try:
        preferred = int(wanted or DEMO_PORT)
    except ValueError:
        fail(f"WELLPULSE_DEMO_PORT={wanted!r} is not a port number")
    port = pick_port(preferred)
    if port != preferred:
        say(f"port {preferred} is taken (an earlier demo server still running?); using {port}")
    if registered and registered != f"http://127.0.0.1:{port}":
        set_aside(field, "old", f"the demo store is registered with {registered}")
    return port


def start_server(python: Path, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`sync_server run` in its own session: Ctrl+C reaches the app, and the server is stopped
    with SIGTERM afterwards (which also stops its embedded Postgres)."""
    cmd = [
        str(python),
        "-m",
        "sync_server",
        "--data-dir",
        str(DEMO_DIR / "server"),
        "run",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    say(f"starting the demo sync server on port {port} (log: {DEMO_DIR / 'server.log'})")
    with (DEMO_DIR / "server.log").open("wb") as log:
        return subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_ready(server: subprocess.Popen[bytes], url: str) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            fail(
                f"the demo server exited with {server.returncode} before it was ready; its log:",
                log_tail(DEMO_DIR / "server.log"),
            )
        try:
            with opener.open(f"{url}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass  # not listening yet, or 503 while the database starts
        time.sleep(0.25)
    fail(
        f"the demo server at {url} was not ready after {READY_TIMEOUT_S:.0f} s; its log:",
        log_tail(DEMO_DIR / "server.log"),
    )


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    say("stopping the demo sync server")
    server.send_signal(signal.SIGTERM)
    while True:
        try:
            server.wait(STOP_TIMEOUT_S)
            return
        except KeyboardInterrupt:
            say("waiting for the demo server to stop its database")
        except subprocess.TimeoutExpired:
            print("dev.py: warning: the demo server did not stop; killing it", file=sys.stderr)
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            return


def register_device(python: Path, field: Path, url: str, env: dict[str, str]) -> None:
    say(f"registering the demo device with {url} as {DEMO_USER} and pulling the history")
    started = time.monotonic()
    cmd = [
        str(python),
        "-m",
        "fieldapp",
        "--data-dir",
        str(field),
        "init",
        "--server",
        url,
        "--org",
        "demo",
        "--user",
        DEMO_USER,
        "--password-stdin",
    ]
    result = subprocess.run(
        cmd, input=f"{DEMO_PASSPHRASE}\n", text=True, env=env, cwd=ROOT, check=False
    )
    if result.returncode != 0:
        fail(f"registering the demo device failed (exit {result.returncode})")
    (DEMO_DIR / "demo.json").write_text(json.dumps({"server_url": url}) + "\n")
    say(f"registered and synced in {time.monotonic() - started:.0f} s")


def run_app(cmd: list[str], env: dict[str, str]) -> int:
    app = subprocess.Popen(cmd, cwd=ROOT, env=env)
    try:
        return app.wait()
    except KeyboardInterrupt:  # the app got it too (or dev.py was told to stop): it closes
        app.send_signal(signal.SIGINT)  # its store and exits
        try:
            return app.wait(20)
        except subprocess.TimeoutExpired:
            app.terminate()
            return app.wait()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def cmd_demo(args: list[str]) -> int:
    ensure_qt_runtime()
    python = ensure_venv("client,server,dev")
    if (
        sys.platform == "linux"
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        and not os.environ.get("QT_QPA_PLATFORM")
    ):
        fail("no display: run it in a desktop session (or under xvfb-run)")
    for name in ("SIGTERM", "SIGHUP"):  # stop the server on these too, as on Ctrl+C
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _interrupt)
    DEMO_DIR.mkdir(parents=True, exist_ok=True)
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # embedded Postgres
    env = {**base, "FIELDAPP_PASSPHRASE": DEMO_PASSPHRASE, "NO_PROXY": "127.0.0.1,localhost"}
    field = DEMO_DIR / "field"
    reseeded = seed_server(python, base)
    port = demo_port(python, field, env, reseeded)
    url = f"http://127.0.0.1:{port}"
    server = start_server(python, port, base)
    try:
        wait_ready(server, url)
        if not (field / "keys.json").exists():
            register_device(python, field, url, env)
        say("opening WellPulse Field")
        return run_app([str(python), "-m", "fieldapp", "--data-dir", str(field), *args], env)
    finally:
        stop_server(server)


USAGE = """usage: python3 dev.py COMMAND [ARGS]

  demo            seed the demo sync server once, serve it and open the desktop app on it
  test [ARGS]     ruff check, ruff format --check, mypy, then pytest (ARGS go to pytest)
  setup           only create .venv and install everything demo and test need
  help            this text (also -h, --help)

Every command sets up .venv on first use (and after pyproject.toml changes)."""


def cmd_setup(args: list[str]) -> int:
    if args:
        fail(f"setup takes no arguments, got {' '.join(args)}")
    ensure_qt_runtime()
    python = ensure_venv("client,server,dev")
    say(f"ready: {python}")
    return 0


def main() -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an old python3
        fail("Python 3.11 or newer is needed")
    commands = {"demo": cmd_demo, "test": cmd_test, "setup": cmd_setup}
    if len(sys.argv) >= 2 and sys.argv[1] in ("help", "-h", "--help"):
        print(USAGE)
        return 0
    if len(sys.argv) < 2:
        fail("a command is needed: demo, test or setup (python3 dev.py --help)")
    if sys.argv[1] not in commands:
        fail(f"unknown command {sys.argv[1]!r}: use demo, test or setup (python3 dev.py --help)")
    try:
        return commands[sys.argv[1]](sys.argv[2:])
    except KeyboardInterrupt:
        print("dev.py: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
