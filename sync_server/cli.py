"""`sync-server` command line. The server itself lands with the sync-server issue (#3)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    print(
        "sync-server: error: the sync server is not part of this build yet;"
        " use 'fieldapp init --local' for a local-only store",
        file=sys.stderr,
    )
    return 2
