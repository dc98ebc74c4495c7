"""The production commands: record production, import production, export production."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date

from pydantic import ValidationError

from fieldapp.cli.errors import CliError
from fieldapp.cli.issues import print_issues, pydantic_message
from fieldapp.cli.unlock import open_store
from fieldapp.core.errors import ValidationFailedError
from fieldapp.core.exporter import ExportFilter, export_production
from fieldapp.core.importer import import_production, write_import_report
from fieldapp.core.production import save_production
from fieldapp.core.wells import well_by_api
from shared.contracts import Location, ProductionRecorded
from shared.downtime import reason_code
from shared.validation import Severity


def parse_day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{option} '{text}' is not a date (YYYY-MM-DD)") from None


def typed_location(args: argparse.Namespace) -> Location | None:
    """--lat/--lon [--accuracy] as a typed location; None when not given."""
    if args.lat is None and args.lon is None:
        if args.accuracy is not None:
            raise CliError("--accuracy needs --lat and --lon")
        return None
    if args.lat is None or args.lon is None:
        raise CliError("--lat and --lon go together: give both")
    try:
        return Location(lat=args.lat, lon=args.lon, accuracy_m=args.accuracy, source="typed")
    except ValidationError as exc:
        err = exc.errors()[0]
        option = {"lat": "--lat", "lon": "--lon", "accuracy_m": "--accuracy"}[str(err["loc"][0])]
        raise CliError(f"{option}: {err['msg']}") from None


def cmd_record(args: argparse.Namespace) -> int:
    day = parse_day(args.date, "--date")
    assert day is not None
    location = typed_location(args)
    try:
        reason = reason_code(args.reason)
    except ValueError as exc:
        raise CliError(f"--reason: {exc}") from None
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
                downtime_reason=reason,
                tubing_psi=args.tubing_psi,
                casing_psi=args.casing_psi,
                choke_64ths=args.choke,
                notes=args.notes,
                location=location,
            )
        except ValidationError as exc:
            raise CliError(pydantic_message(exc)) from None
        try:
            result = save_production(store, record)
        except ValidationFailedError as exc:
            raise CliError(f"not saved: {exc}") from None
        print_issues([i for i in result.issues if i.severity != Severity.ERROR])
        print(f"{result.outcome} {well.api_number} {day.isoformat()} (record {result.record_id})")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        summary = import_production(store, args.file)
    if summary.encoding != "utf-8":
        note = f"note: {args.file.name} is not UTF-8; read it as {summary.encoding}"
        print(note, file=sys.stderr)
    sys.stderr.write(write_import_report(summary))  # every row's problem, in line order
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
    if start is not None and end is not None and start > end:
        raise CliError(f"--from {start.isoformat()} is later than --to {end.isoformat()}")
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


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "record": cmd_record,
    "import": cmd_import,
    "export": cmd_export,
}
