"""`fieldapp` command line (docs/design.md §7), as layers that import only downwards:

- `program`: main() — parse, dispatch, report every error in one line, exit codes;
- `parser`: the argparse tree; `handlers`: which function runs each command (each command
  group's module is imported on first use, so `fieldapp --help` stays light);
- `store_commands`, `well_commands`, `production_commands`, `sync_commands`,
  `analytics_commands`: one module per command group;
- `unlock`, `issues`, `errors`: the helpers the commands share.

`fieldapp.cli:main` is the console-script entry point.
"""

from fieldapp.cli.program import main

__all__ = ["main"]
