"""The user errors of the command line and their exit codes."""

from __future__ import annotations

EXIT_USAGE = 2


class CliError(Exception):
    """A user error with its exit code; main() prints it as one line."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code
