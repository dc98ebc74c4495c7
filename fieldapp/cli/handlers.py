"""Which function runs each `fieldapp` command.

A command group's module is imported only when one of its commands runs: `fieldapp --help` and
the desktop app load no command module, and a local command never loads httpx through the sync
commands.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

Handler = Callable[[argparse.Namespace], int]


def handler_for(args: argparse.Namespace) -> Handler:
    """The function that runs the parsed command `args.command` (never None here)."""
    match args.command:
        case "init" if args.server:
            from fieldapp.cli.sync_commands import cmd_init_server

            return cmd_init_server
        case "init" | "status" | "verify" | "rekey":
            from fieldapp.cli.store_commands import COMMANDS as STORE_COMMANDS

            return STORE_COMMANDS[args.command]
        case "well":
            from fieldapp.cli.well_commands import cmd_well

            return cmd_well
        case "record" | "import" | "export":
            from fieldapp.cli.production_commands import COMMANDS as PRODUCTION_COMMANDS

            return PRODUCTION_COMMANDS[args.command]
        case "photo":
            from fieldapp.cli.photo_commands import cmd_photo

            return cmd_photo
        case "analytics":
            from fieldapp.cli.analytics_commands import cmd_analytics

            return cmd_analytics
        case _:
            from fieldapp.cli.sync_commands import COMMANDS as SYNC_COMMANDS

            return SYNC_COMMANDS[args.command]
