"""The `fieldapp well` commands: add (local-only mode) and list."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from pydantic import ValidationError

from fieldapp.cli.errors import CliError
from fieldapp.cli.issues import print_issues, pydantic_message
from fieldapp.cli.unlock import open_store
from fieldapp.core.wells import list_wells, register_well
from shared.contracts import WellRegistered


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
            raise CliError(pydantic_message(exc)) from None
        well, issues = register_well(store, details)
        print_issues(issues)
        print(f"registered well {well.api_number} '{well.name}' ({well.well_id})")
    return 0
