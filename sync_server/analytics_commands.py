"""`sync-server analytics summary|trend|forecast|decline --org SLUG --well API`
(docs/analytics-api.md): the well's rows read over the owner's connection, then the answers,
checks and tables of `shared.analytics.commands` (the same as `fieldapp analytics`), printed as
a table or as the API's JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
from psycopg.rows import dict_row

from shared.analytics import commands
from shared.analytics.answers import WellData
from shared.api_number import ApiNumberError, normalize_api_number
from sync_server.db.pool import TENANT_SQL
from sync_server.services import analytics_reads as reads
from sync_server.services.admin import AdminError, org_id_of


@dataclass(frozen=True, slots=True)
class Well:
    api_number: str
    name: str
    data: WellData
    tz: str


def load_well(url: str, org: str, api: str) -> Well:
    """The well `api` of the organization `org` with its rows; AdminError when there is none."""
    try:
        number = normalize_api_number(api)
    except ApiNumberError as exc:
        raise AdminError(f"--well {api!r}: {exc}") from None
    with psycopg.connect(url, row_factory=dict_row) as conn:
        org_id = org_id_of(conn, org)
        conn.execute(TENANT_SQL, (str(org_id),))
        found = conn.execute(reads.WELL_BY_API, {"org": org_id, "api": number}).fetchone()
        if found is None:
            raise AdminError(f"no well with API number {api} in '{org}'")
        well_id = UUID(str(found["id"]))
        rows = conn.execute(reads.ROWS, reads.rows_params(org_id, [well_id])).fetchall()
        tz_row = conn.execute(reads.TIMEZONE, {"org": org_id}).fetchone()
    tz = str(tz_row["timezone"]) if tz_row else "UTC"
    data = reads.well_data_from([well_id], rows)[0]
    return Well(str(found["api_number"]), str(found["name"]), data, tz)


def options_of(args: Any) -> commands.WellOptions:
    """The parsed options of `analytics ACTION` (None where the command's default)."""
    return commands.WellOptions.from_args(args)


def run_well_command(url: str, args: Any) -> str:
    """What `analytics summary|trend|forecast|decline` prints (shared.analytics.commands);
    OptionError for an option out of range, before anything is read."""
    options = options_of(args)
    commands.check(options)
    well = load_well(url, args.org, args.well)
    title = f"{well.api_number} {well.name}"
    return commands.output(well.data, well.tz, title, options, commands.now())
