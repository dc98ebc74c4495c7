"""The `fieldapp` commands over the core. Raises CliError/StoreError; cli.main() prints them."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import date
from functools import cache

from pydantic import ValidationError

from fieldapp.cli import CliError
from fieldapp.core.errors import ValidationFailedError
from fieldapp.core.exporter import ExportFilter, export_production
from fieldapp.core.importer import import_production, write_import_report
from fieldapp.core.keystore import Keystore
from fieldapp.core.production import save_production
from fieldapp.core.store import Store
from fieldapp.core.verify import verify_store
from fieldapp.core.wells import list_wells, register_well, well_by_api
from shared.contracts import ProductionRecorded, WellRegistered
from shared.validation import Issue, Severity


def passphrase_source(args: argparse.Namespace) -> Callable[[], str | None]:
    """Where the passphrase comes from: --passphrase-stdin, FIELDAPP_PASSPHRASE, or a prompt."""

    @cache
    def read() -> str | None:
        if args.passphrase_stdin:
            line = sys.stdin.readline()
            if not line:
                raise CliError("--passphrase-stdin given but standard input is empty")
            return line.rstrip("\r\n")
        if env := os.environ.get("FIELDAPP_PASSPHRASE"):
            return env
        if sys.stdin.isatty():
            return getpass.getpass("Store passphrase: ")
        return None

    return read


def open_store(args: argparse.Namespace) -> Store:
    return Store.open(args.data_dir, Keystore(), passphrase_source(args))


def parse_day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{option} '{text}' is not a date (YYYY-MM-DD)") from None


def _print_issues(issues: Iterable[Issue]) -> None:
    for issue in issues:
        print(f"warning: {issue.field}: {issue.message}")


def new_passphrase(args: argparse.Namespace) -> str:
    """The passphrase of a store being created (asked twice at a prompt)."""
    secret = passphrase_source(args)()
    if secret is None:
        raise CliError("a passphrase is needed: FIELDAPP_PASSPHRASE, --passphrase-stdin or a tty")
    interactive = not args.passphrase_stdin and not os.environ.get("FIELDAPP_PASSPHRASE")
    if interactive and getpass.getpass("Repeat passphrase: ") != secret:
        raise CliError("the passphrases do not match; nothing was created")
    return secret


def cmd_init(args: argparse.Namespace) -> int:
    if args.server:
        from fieldapp.sync_commands import init_server

        return init_server(args)
    if args.org or args.user or args.password_stdin:
        raise CliError("--org, --user and --password-stdin go with --server")
    secret = new_passphrase(args)
    keystore = Keystore()
    with Store.create(args.data_dir, secret, keystore, timezone=args.timezone) as store:
        where = "OS keystore" if store.keyfile.use_keystore else "passphrase only (no keystore)"
        print(f"created local store in {args.data_dir} (key: {where})")
        print(f"device {store.identity.device_id}")
    return 0


def cmd_well(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        if args.well_command == "list":
            with store.read() as conn:
                wells = list_wells(conn)
            if args.json:
                print(json.dumps([asdict(w) for w in wells]))
            else:
                for w in wells:
                    print(f"{w.api_number}  {w.name}")
            return 0
        try:
            details = WellRegistered(
                api_number=args.api,
                name=args.name,
                latitude=args.lat,
                longitude=args.lon,
                lease=args.lease,
                field=args.field,
            )
        except ValidationError as exc:
            raise CliError(_pydantic_message(exc)) from None
        well, issues = register_well(store, details)
        _print_issues(issues)
        print(f"registered well {well.api_number} '{well.name}' ({well.well_id})")
    return 0


def _pydantic_message(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}"


def cmd_record(args: argparse.Namespace) -> int:
    day = parse_day(args.date, "--date")
    assert day is not None
    with open_store(args) as store:
        with store.read() as conn:
            well = well_by_api(conn, args.well)
        try:
            record = ProductionRecorded(
                well_id=well.well_id,
                production_date=day,
                oil_bbl=args.oil,
                gas_mcf=args.gas,
                water_bbl=args.water,
                hours_on=args.hours,
                downtime_hours=args.downtime,
                downtime_reason=args.reason,
                tubing_psi=args.tubing_psi,
                casing_psi=args.casing_psi,
                choke_64ths=args.choke,
                notes=args.notes,
            )
        except ValidationError as exc:
            raise CliError(_pydantic_message(exc)) from None
        try:
            result = save_production(store, record)
        except ValidationFailedError as exc:
            raise CliError(f"not saved: {exc}") from None
        _print_issues([i for i in result.issues if i.severity != Severity.ERROR])
        print(f"{result.outcome} {well.api_number} {day.isoformat()} (record {result.record_id})")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        summary = import_production(store, args.file)
    sys.stdout.write(write_import_report(summary))
    counts = summary.as_dict()
    print(" ".join(f"{name}={value}" for name, value in counts.items()))
    if summary.rejected:
        raise CliError(
            f"{summary.rejected} of {summary.read} rows rejected (listed above); fix them and"
            " import the file again: rows already imported are not duplicated"
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    start, end = parse_day(args.start, "--from"), parse_day(args.end, "--to")
    if not args.out.parent.is_dir():
        raise CliError(f"folder {args.out.parent} does not exist")
    with open_store(args) as store:
        well_id = None
        if args.well:
            with store.read() as conn:
                well_id = well_by_api(conn, args.well).well_id
        count = export_production(store, args.out, ExportFilter(start, end, well_id))
    print(f"exported {count} records to {args.out}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        status = store.status().as_dict()
    if args.json:
        print(json.dumps(status, sort_keys=True))
    else:
        for name, value in status.items():
            print(f"{name:>20}: {'-' if value is None else value}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        report = verify_store(store)
    for problem in report.problems:
        print(problem)
    if not report.ok:
        raise CliError(
            f"verification failed with {len(report.problems)} problem(s); first: "
            f"{report.problems[0]}"
        )
    print(f"ok: {report.events} events, chain intact, projections match ({report.seconds:.2f} s)")
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    source = passphrase_source(args)
    with open_store(args) as store:
        secret = source()
        if secret is None:
            raise CliError("rekey needs the store passphrase (FIELDAPP_PASSPHRASE or stdin)")
        store.rekey(secret, Keystore())
    print("store re-encrypted under a new key; the old key no longer opens it")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init,
    "well": cmd_well,
    "record": cmd_record,
    "import": cmd_import,
    "export": cmd_export,
    "status": cmd_status,
    "verify": cmd_verify,
    "rekey": cmd_rekey,
}


def run(args: argparse.Namespace) -> int:
    return COMMANDS[args.command](args)
