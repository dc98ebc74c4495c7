"""The argparse tree of `fieldapp`. A usage error raises CliError with EXIT_USAGE."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NoReturn

from fieldapp.cli.data_dir import data_dir_help
from fieldapp.cli.errors import EXIT_USAGE, CliError
from shared.downtime import codes_text  # a tuple of words: --help stays light


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see '{self.prog} --help')", EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="fieldapp", description="WellPulse Field: offline production recording.")
    p.add_argument("--data-dir", type=Path, help=data_dir_help())
    p.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="read the passphrase from the first line of standard input",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    init = sub.add_parser("init", help="create the encrypted store on this laptop")
    mode = init.add_mutually_exclusive_group(required=True)
    mode.add_argument("--local", action="store_true", help="a local-only store")
    mode.add_argument("--server", metavar="URL", help="register with a sync server")
    init.add_argument("--org", help="organization slug (with --server)")
    init.add_argument("--user", help="user name (with --server)")
    init.add_argument("--password-stdin", action="store_true")
    init.add_argument("--timezone", default="America/Chicago", help="the field's IANA time zone")

    link = sub.add_parser(
        "link", help="register this local store with a sync server, keeping its records"
    )
    link.add_argument("--server", required=True, metavar="URL")
    link.add_argument("--org", required=True, help="organization slug")
    link.add_argument("--user", required=True, help="user name")
    link.add_argument("--password-stdin", action="store_true")

    well = sub.add_parser("well", help="wells").add_subparsers(
        dest="well_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    add = well.add_parser("add", help="register a well (local-only mode)")
    add.add_argument("--api", required=True, help="API number, 10/12/14 digits, dashes optional")
    add.add_argument("--name", required=True)
    add.add_argument("--lat", type=float)
    add.add_argument("--lon", type=float)
    add.add_argument("--lease")
    add.add_argument("--field")
    lst = well.add_parser("list", help="list wells")
    lst.add_argument("--json", action="store_true")

    record = sub.add_parser("record", help="record field data").add_subparsers(
        dest="record_command", metavar="KIND", required=True, parser_class=_Parser
    )
    prod = record.add_parser("production", help="record one well-day of production")
    prod.add_argument("--well", required=True, metavar="API")
    prod.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    prod.add_argument("--oil", required=True, type=float, metavar="BBL")
    prod.add_argument("--gas", required=True, type=float, metavar="MCF")
    prod.add_argument("--water", required=True, type=float, metavar="BBL")
    prod.add_argument("--hours", type=float, metavar="H", help="hours on")
    prod.add_argument("--downtime", type=float, metavar="H", help="downtime hours")
    prod.add_argument(
        "--reason", metavar="CODE", help=f"downtime reason: {codes_text()} (or its words)"
    )
    prod.add_argument("--tubing-psi", type=float)
    prod.add_argument("--casing-psi", type=float)
    prod.add_argument("--choke", type=int, metavar="64THS")
    prod.add_argument("--notes", default="")
    prod.add_argument("--lat", type=float, metavar="X", help="where it was gauged (WGS 84)")
    prod.add_argument("--lon", type=float, metavar="Y", help="longitude (with --lat)")
    prod.add_argument("--accuracy", type=float, metavar="M", help="the location's error in m")

    imp = sub.add_parser("import", help="import records").add_subparsers(
        dest="import_command", metavar="KIND", required=True, parser_class=_Parser
    )
    imp.add_parser("production", help="import a production CSV").add_argument("file", type=Path)

    exp = sub.add_parser("export", help="export records").add_subparsers(
        dest="export_command", metavar="KIND", required=True, parser_class=_Parser
    )
    expp = exp.add_parser("production", help="export production to CSV")
    expp.add_argument("--out", required=True, type=Path)
    expp.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
    expp.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
    expp.add_argument("--well", metavar="API")

    status = sub.add_parser("status", help="pending, acknowledged, conflicts, rejected, sync")
    status.add_argument("--json", action="store_true")
    sync = sub.add_parser("sync", help="push then pull until nothing is left pending")
    sync.add_argument(
        "--watch", action="store_true", help="keep running: sync whenever the server is reachable"
    )
    conflicts = sub.add_parser("conflicts", help="list conflicts (open ones by default)")
    conflicts.add_argument("--json", action="store_true")
    conflicts.add_argument("--all", action="store_true", help="resolved ones too")
    resolve = sub.add_parser("resolve", help="resolve a conflict")
    resolve.add_argument("conflict_id", metavar="ID")
    resolve.add_argument("--keep", required=True, choices=("mine", "theirs"))
    rejected = sub.add_parser("rejected", help="events the server refused, with the reasons")
    rejected.add_argument("--json", action="store_true")
    resubmit = sub.add_parser("resubmit", help="fix a rejected event and send it again")
    resubmit.add_argument("seq", type=int, metavar="SEQ")
    resubmit.add_argument(
        "--set", action="append", default=[], metavar="FIELD=VALUE", help="a value to change"
    )
    sub.add_parser("verify", help="cipher integrity + hash chain + projections == replay")
    sub.add_parser("rekey", help="re-encrypt the store under a new key")
    _analytics_parser(sub)
    _photo_parser(sub)
    return p


PHOTO_TARGETS = "maintenance:ID | incident:ID | equipment:ID | well:API | production:ID"


def _photo_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    """`photo add|list|export|remove|caption|uploads|retry` (docs/photos.md)."""
    photo = sub.add_parser("photo", help="photos of records: attach, list, export, remove")
    actions = photo.add_subparsers(
        dest="photo_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    add = actions.add_parser("add", help="attach photo files to a record")
    add.add_argument("--to", required=True, metavar="TARGET", help=PHOTO_TARGETS)
    add.add_argument("files", nargs="+", metavar="FILE")
    add.add_argument("--caption", default="", metavar="TEXT")
    lst = actions.add_parser("list", help="photos, newest first, with their upload state")
    lst.add_argument("--to", metavar="TARGET", help=f"one record's only: {PHOTO_TARGETS}")
    lst.add_argument("--well", metavar="API", help="a well's and its records' photos")
    lst.add_argument("--json", action="store_true")
    exp = actions.add_parser("export", help="write a photo (the processed JPEG) to a file")
    exp.add_argument("photo_id", metavar="ID")
    exp.add_argument("--out", required=True, type=Path, metavar="FILE")
    rem = actions.add_parser("remove", help="take a photo off its record (its history stays)")
    rem.add_argument("photo_id", metavar="ID")
    rem.add_argument("--reason", default="", metavar="TEXT")
    cap = actions.add_parser("caption", help="change a photo's caption")
    cap.add_argument("photo_id", metavar="ID")
    cap.add_argument("text", metavar="TEXT")
    ups = actions.add_parser("uploads", help="photos to upload, on the server, refused")
    ups.add_argument("--json", action="store_true")
    retry = actions.add_parser("retry", help="queue a refused photo's upload again")
    retry.add_argument("photo_id", metavar="ID")


# the defaults and ranges of shared.analytics.commands, written out: `fieldapp --help` imports
# nothing from shared (tests/fieldapp/cli/test_analytics_commands.py checks they agree)
ANALYTICS_HELPS = {
    "summary": "a well's daily totals over the last --days days of data (default 30)",
    "trend": "a well's rate trends over the last --days days (default 30; 0: all)",
    "forecast": "a well's rate forecast --days days ahead (default 7, at most 90)",
    "decline": "a well's Arps decline fit over the last --days days (default 0: all)",
}


def _analytics_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    """`analytics summary|trend|forecast|decline --well API`, as `sync-server analytics`."""
    analytics = sub.add_parser("analytics", help="a well's production analytics, offline")
    actions = analytics.add_subparsers(
        dest="analytics_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    for name, text in ANALYTICS_HELPS.items():
        action = actions.add_parser(name, help=text)
        action.add_argument("--well", required=True, metavar="API", help="API number")
        action.add_argument("--days", type=int, metavar="N")
        action.add_argument("--json", action="store_true", help="the server API's JSON answer")
        if name in ("forecast", "decline"):
            metrics = ["oil", "gas", "water"] if name == "forecast" else ["oil", "gas"]
            action.add_argument("--metric", choices=metrics, default="oil")
        if name == "decline":
            action.add_argument(
                "--terminal-decline", type=float, metavar="D", help="a fraction a year (0.06)"
            )
            action.add_argument(
                "--economic-limit", type=float, metavar="Q", help="a rate per day (2.0)"
            )
