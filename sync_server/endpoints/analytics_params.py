"""Query and path parameters of the analytics endpoints: each one checked, and every mistake an
RFC 7807 400 naming the parameter (`errors: [{field, message}]`)."""

from __future__ import annotations

import math
from collections.abc import Collection
from datetime import date
from typing import TypeVar
from uuid import UUID

from starlette.requests import Request

from sync_server.problems import Problem

T = TypeVar("T", bound=str)
MAX_WINDOW = 36_600  # days (100 years): any real history fits


def bad(name: str, message: str) -> Problem:
    return Problem(
        400, "Invalid parameter", f"{name}: {message}", errors=[{"field": name, "message": message}]
    )


class Query:
    """The request's query parameters, read one by one; `done()` refuses any left unread."""

    def __init__(self, request: Request, path: dict[str, str] | None = None) -> None:
        self.request = request
        self.path = path or {}
        self.read: set[str] = set()

    def text(self, name: str) -> str | None:
        self.read.add(name)
        values = self.request.query_params.getlist(name)
        if len(values) > 1:
            raise bad(name, "given more than once")
        return values[0] if values else None

    def done(self) -> None:
        unknown = sorted(set(self.request.query_params.keys()) - self.read)
        if unknown:
            raise bad(unknown[0], "unknown parameter")

    def choice(self, name: str, choices: Collection[T], default: T | None = None) -> T:
        text = self.text(name)
        if text is None and default is not None:
            return default
        for choice in choices:
            if text == choice:
                return choice
        if text is None:
            raise bad(name, f"required, one of {', '.join(choices)}")
        raise bad(name, f"must be one of {', '.join(choices)}")

    def day(self, name: str) -> date | None:
        text = self.text(name)
        if text is None:
            return None
        try:
            if len(text) != 10:
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError:
            raise bad(name, "must be a date YYYY-MM-DD") from None

    def span(self) -> tuple[date | None, date | None]:
        """`from` and `to` (both optional, inclusive); `from` after `to` is refused."""
        first, last = self.day("from"), self.day("to")
        if first and last and first > last:
            raise bad("from", "must not be after to")
        return first, last

    def integer(self, name: str, default: int, *, least: int, most: int) -> int:
        text = self.text(name)
        if text is None:
            return default
        try:
            value = int(text) if text.strip().lstrip("-").isdigit() else least - 1
        except ValueError:
            value = least - 1
        if not least <= value <= most:
            raise bad(name, f"must be a whole number from {least} to {most}")
        return value

    def fraction(self, name: str, default: float, *, above: float, below: float) -> float:
        """A finite number strictly between `above` and `below`."""
        text = self.text(name)
        if text is None:
            return default
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and above < value < below):
            raise bad(name, f"must be a number greater than {above:g} and less than {below:g}")
        return value

    def window(self) -> int | None:
        """`window`: days back from the last day (30, 90, 365 or any 2 to 36600), or `all`."""
        text = self.text("window")
        if text == "all":
            return None
        if text is None:
            return 30
        if text.isdigit() and 2 <= int(text) <= MAX_WINDOW:
            return int(text)
        raise bad("window", f"must be all or a whole number of days from 2 to {MAX_WINDOW}")

    def uuid(self, name: str, text: str | None) -> UUID:
        if text is None:
            raise bad(name, "required")
        try:
            return UUID(text)
        except ValueError:
            raise bad(name, "must be a UUID") from None

    def well_id(self) -> UUID:
        return self.uuid("well_id", self.path.get("well_id"))
