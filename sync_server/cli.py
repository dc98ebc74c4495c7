"""`sync-server` command line (docs/design.md §7). Every user error: one line on stderr, non-zero
exit."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from sync_server import photo_commands
from sync_server.services.admin import AdminError
from sync_server.settings import Settings


class CliError(Exception):
    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see '{self.prog} --help')", 2)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="sync-server", description="WellPulse Field sync server.")
    p.add_argument("--data-dir", type=Path, help="server data (embedded Postgres, keys)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=_Parser)
    run = sub.add_parser("run", help="serve the API (embedded Postgres unless DATABASE_URL)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    sub.add_parser("migrate", help="apply database migrations")
    org = sub.add_parser("org", help="organizations").add_subparsers(
        dest="org_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    create = org.add_parser("create", help="create an organization")
    create.add_argument("slug")
    create.add_argument("--name", required=True)
    create.add_argument("--timezone", default="America/Chicago")
    settings = org.add_parser("settings", help="show or set the validation thresholds")
    settings.add_argument("--org", required=True, help="the organization's slug")
    settings.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set a threshold (repeatable), e.g. max_oil_bbl=40000; VALUE 'default' resets it",
    )
    user = sub.add_parser("user", help="users").add_subparsers(
        dest="user_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    ucreate = user.add_parser("create", help="create a user")
    ucreate.add_argument("--org", required=True)
    ucreate.add_argument("--username", required=True)
    ucreate.add_argument("--role", required=True, choices=["operator", "supervisor", "admin"])
    ucreate.add_argument("--password-stdin", action="store_true")
    well = sub.add_parser("well", help="wells").add_subparsers(
        dest="well_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    wimport = well.add_parser("import", help="import wells from CSV")
    wimport.add_argument("--org", required=True)
    wimport.add_argument("file", type=Path)
    _analytics_parser(sub)
    photo_commands.add_parser(sub, _Parser)
    demo = sub.add_parser("demo", help="demo org, users, wells and simulated history")
    demo.add_argument("--days", type=int, default=730, help="days of history (default 730)")
    demo.add_argument("--wells", type=int, default=50, help="number of wells (default 50)")
    return p


def _analytics_parser(sub: Any) -> None:
    """`analytics rebuild|summary|trend|forecast|decline` (docs/analytics-server.md,
    docs/analytics-api.md)."""
    analytics = sub.add_parser("analytics", help="production analytics").add_subparsers(
        dest="analytics_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    helps = {
        "summary": "a well's daily totals over the last --days days (default 30)",
        "trend": "a well's rate trends over the last --days days (default 30; 0: all)",
        "forecast": "a well's forecast --days ahead (default 7); without --well: store"
        " every well's forecasts and declines that are out of date",
        "decline": "a well's Arps decline fit over the last --days days (default: all)",
    }
    rebuild = analytics.add_parser("rebuild", help="recompute the aggregates from production")
    rebuild.add_argument("--org", help="organization slug (default: every organization)")
    for name, text in helps.items():
        action = analytics.add_parser(name, help=text)
        action.add_argument("--org", required=True)
        action.add_argument("--well", required=name != "forecast", help="API number")
        action.add_argument("--days", type=int)
        action.add_argument("--json", action="store_true", help="the API's JSON answer")
        if name in ("forecast", "decline"):
            metrics = ["oil", "gas", "water"] if name == "forecast" else ["oil", "gas"]
            action.add_argument("--metric", choices=metrics, default="oil")
        if name == "forecast":
            action.add_argument(
                "--workers",
                type=int,
                help="worker processes; 1: none (default: CPUs - 1 from 4 CPUs up, else 1)",
            )
        if name == "decline":
            action.add_argument("--terminal-decline", type=float, help="default 0.06 a year")
            action.add_argument("--economic-limit", type=float, help="default 2.0 a day")


def _analytics(url: str, args: argparse.Namespace) -> None:
    from shared.analytics import commands
    from sync_server import admin_commands, analytics_commands
    from sync_server.services import analytics_bulk

    command = args.analytics_command
    if command == "rebuild":
        for done in admin_commands.rebuild_analytics(url, args.org):
            print(
                f"{done.slug}: analytics_daily_rollups={done.daily}"
                f" analytics_monthly={done.monthly} rows in {done.seconds:.2f} s"
            )
        return
    days = args.days
    if command == "forecast" and args.well is None:
        if days is not None:
            raise CliError("--days is for one well (--well); the bulk run stores 7 days", 2)
        if args.workers is not None and args.workers < 1:
            raise CliError("--workers must be at least 1", 2)
        result = analytics_bulk.bring_up_to_date(url, args.org, workers=args.workers)
        line = analytics_bulk.summary_line(result)
        print(json.dumps(dataclasses.asdict(result)) if args.json else line)
        return
    if command == "forecast" and args.workers is not None:
        raise CliError("--workers is for the bulk run (without --well)", 2)
    try:
        commands.check(analytics_commands.options_of(args))
    except commands.OptionError as exc:
        raise CliError(str(exc), 2) from None
    print(analytics_commands.run_well_command(url, args))


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise CliError("--password-stdin given but standard input is empty")
        return line
    if not sys.stdin.isatty():
        raise CliError("no password: use --password-stdin or run in a terminal")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise CliError("the passwords do not match; nothing was created")
    return first


def run(args: argparse.Namespace) -> int:
    from sync_server import admin_commands

    settings = Settings.from_env(args.data_dir)
    if args.command == "run":
        return admin_commands.serve(settings, args.host, args.port)
    url = admin_commands.owner_url(settings)
    if args.command == "migrate":
        print(f"database at migration {admin_commands.migrate(url)}")
    elif args.command == "org" and args.org_command == "settings":
        _settings(url, args.org, args.set)
    elif args.command == "org":
        org_id = admin_commands.create_org(url, args.slug, args.name, args.timezone)
        print(f"created organization {args.slug} ({org_id})")
    elif args.command == "user":
        user_id = admin_commands.create_user(
            url, args.org, args.username, args.role, _password(args)
        )
        print(f"created {args.role} {args.username} in {args.org} ({user_id})")
    elif args.command == "well":
        result = admin_commands.import_wells(url, args.org, args.file)
        for problem in result.problems:
            print(f"error: {problem}")
        print(
            f"created={result.created} updated={result.updated} unchanged={result.unchanged}"
            f" rejected={len(result.problems)}"
        )
        if result.problems:
            raise CliError(f"{len(result.problems)} rows rejected (listed above)")
    elif args.command == "demo":
        _demo(url, args.days, args.wells)
    elif args.command == "analytics":
        upgrade_first(url)
        _analytics(url, args)
    elif args.command == "photos":
        upgrade_first(url)
        photo_commands.run(url, settings, args)
    return 0


def upgrade_first(url: str) -> None:
    from sync_server.db.migrate import upgrade

    upgrade(url)


def _settings(url: str, org: str, assignments: list[str]) -> None:
    """Print the organization's thresholds, after applying `assignments` (KEY=VALUE)."""
    from shared.thresholds import DEFAULT_THRESHOLDS, SettingError, as_settings, parse_assignment
    from sync_server import admin_commands

    change: dict[str, object] = {}
    try:
        for text in assignments:
            key, _, raw = text.partition("=")
            if raw.strip() == "default":
                change[key.strip()] = None
            else:
                name, value = parse_assignment(text)
                change[name] = value
        found = admin_commands.org_thresholds(url, org, change)
    except SettingError as exc:
        raise CliError(f"--set {exc}", 2) from None
    defaults = as_settings(DEFAULT_THRESHOLDS)
    for key, value in as_settings(found).items():
        note = "" if value != defaults[key] else "  (default)"
        print(f"{key:<22} {value}{note}")


def _demo(url: str, days: int, wells: int) -> None:
    from sync_server.db.migrate import upgrade
    from wellpulse_demo import server_seed as demo

    if days < 1 or wells < 1:
        raise CliError("--days and --wells must be at least 1", 2)
    upgrade(url)

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\rloading history: {done}/{total} events", end="", file=sys.stderr)

    try:
        summary = demo.run_demo(url, days=days, wells=wells, progress=progress)
    except demo.DemoError as exc:
        raise CliError(str(exc)) from None
    finally:
        if sys.stderr.isatty():
            print(file=sys.stderr)
    users = ", ".join(f"{name} ({role})" for name, role in summary.users)
    if not summary.created:
        print(f"organization {summary.org} already exists; nothing changed")
        print(f"users: {users}; password: {summary.password}")
        return
    print(f"created organization {summary.org} ({summary.org_id})")
    print(f"users: {users}; password: {summary.password}")
    print(f"wells: {summary.wells} in {', '.join(summary.fields)}")
    print(f"history: {summary.first_day} to {summary.last_day}, {summary.events} events accepted")
    kinds = ", ".join(
        f"{a.kind} ({summary.well_apis[a.well]} {a.production_date})" for a in summary.anomalies
    )
    print(f"flagged records: {summary.flagged}; planted anomalies: {kinds or 'none'}")


def main(argv: Sequence[str] | None = None) -> int:
    # One BLAS thread unless told otherwise, set before anything imports numpy: the forecasts'
    # fits make thousands of tiny BLAS calls, which OpenBLAS's thread pool makes many times
    # slower on busy cores (docs/forecast.md); the bulk run's worker processes inherit it.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    logging.basicConfig(level=logging.WARNING, format="sync-server: %(levelname)s: %(message)s")
    try:
        return run(build_parser().parse_args(argv))
    except CliError as exc:
        return _fail(str(exc), exc.code)
    except AdminError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Exception as exc:
        if os.environ.get("WELLPULSE_DEBUG"):
            raise
        first = (str(exc).strip().splitlines() or [""])[0]
        return _fail(f"{type(exc).__name__}: {first} (WELLPULSE_DEBUG=1 for details)")


def _fail(message: str, code: int = 1) -> int:
    print(f"sync-server: error: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
