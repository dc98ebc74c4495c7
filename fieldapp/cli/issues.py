"""How validation findings reach the terminal: warnings as lines, a refused value as one line."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import ValidationError

from shared.validation import Issue


def print_issues(issues: Iterable[Issue]) -> None:
    for issue in issues:
        print(f"warning: {issue.field}: {issue.message}")


def pydantic_message(exc: ValidationError) -> str:
    """The first refused field of `exc` as `where: message`."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}"
