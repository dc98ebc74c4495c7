"""`fieldapp` main(): parse, run the command, report every user error in one line on stderr with
a non-zero exit code (docs/design.md §7). Without a command it starts the desktop app."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

from fieldapp.cli.data_dir import default_data_dir
from fieldapp.cli.errors import CliError
from fieldapp.cli.handlers import handler_for
from fieldapp.cli.parser import build_parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="fieldapp: %(levelname)s: %(message)s")
    try:
        args = build_parser().parse_args(argv)
        args.data_dir = args.data_dir or default_data_dir()
        if args.command is None:
            _require_display()
            from fieldapp.ui.app import run_app

            return run_app(args.data_dir)
        return handler_for(args)(args)
    except CliError as exc:
        return _fail(str(exc), exc.code)
    except KeyboardInterrupt:
        return _fail("interrupted; nothing was half-written", 130)
    except Exception as exc:  # a user error from the core, or a bug reported in one line
        from sqlalchemy.exc import DBAPIError

        from fieldapp.core.errors import StoreError
        from fieldapp.sync.errors import SyncError

        if isinstance(exc, StoreError | SyncError):
            return _fail(str(exc), 1)
        cause = (exc.orig or exc) if isinstance(exc, DBAPIError) else exc
        if type(cause).__module__.startswith("sqlcipher3"):
            return _fail(f"database error: {_first_line(cause)} (run 'fieldapp verify')", 1)
        if os.environ.get("FIELDAPP_DEBUG"):
            raise
        return _fail(
            f"internal error: {type(exc).__name__}: {_first_line(exc)}"
            " (FIELDAPP_DEBUG=1 for details)"
        )


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else ""


def _require_display() -> None:
    """Qt aborts the process without a display; say so in one line instead."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise CliError(
            "no display for the desktop app: run it in a desktop session"
            " (the command line works without one: see 'fieldapp --help')"
        )


def _fail(message: str, code: int = 1) -> int:
    print(f"fieldapp: error: {message}", file=sys.stderr)
    return code
