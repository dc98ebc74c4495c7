"""`fieldapp analytics summary|trend|forecast|decline --well API [--days N] [--json]`: a well's
analytics from the laptop's encrypted store, offline (docs/analytics-api.md, "Command line").

The well's live records are read as the Charts screen reads them
(`fieldapp.core.analytics_source`), in the store's time zone (`store.thresholds.timezone`);
the defaults, the checks, the answers and the tables are those of `sync-server analytics`
(`shared.analytics.commands`), so the same rows print the same table and the same JSON on the
laptop and on the server. Only `data_version` differs in meaning: the server's is the largest
server_seq of the well's rows; the laptop's is a fingerprint of the well's live records (the
sum of their local event seqs and their versions), which moves with every new day, correction,
void or pulled change.
"""

from __future__ import annotations

import argparse
from uuid import UUID

from fieldapp.cli.errors import CliError
from fieldapp.cli.unlock import open_store
from fieldapp.core.analytics_source import DataVersion, well_rows, well_version
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, well_by_api
from shared.analytics import commands
from shared.analytics.answers import WellData


def options_of(args: argparse.Namespace) -> commands.WellOptions:
    """The parsed options of `analytics ACTION` (None where the command's default)."""
    return commands.WellOptions.from_args(args)


def version_number(version: DataVersion) -> int:
    """The laptop's `data_version` of a well: sum of its live records' seqs and versions."""
    _count, _top, seqs, versions = version
    return seqs + versions


def well_data(store: Store, api: str) -> tuple[Well, WellData]:
    """The well `api` of the store (UnknownWellError when there is none) and its live rows."""
    with store.read() as conn:
        well = well_by_api(conn, api)
        rows = well_rows(conn, well.well_id)
        version = well_version(conn, well.well_id)
    return well, WellData(UUID(well.well_id), tuple(rows), version_number(version))


def cmd_analytics(args: argparse.Namespace) -> int:
    options = options_of(args)
    try:
        commands.check(options)  # before the store is unlocked: a typo costs no passphrase
    except commands.OptionError as exc:
        raise CliError(str(exc)) from None
    with open_store(args) as store:
        well, data = well_data(store, args.well)
        tz = store.thresholds.timezone
    title = f"{well.api_number} {well.name}"
    print(commands.output(data, tz, title, options, commands.now()))
    return 0
