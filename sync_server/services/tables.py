"""Tables as the push path writes them: each declared once, by column name, and the set-based
SQL built from that declaration.

A `Table` lists its columns in order; a row is a mapping from those names to values. The rows
of one statement travel as one array per column (`unnest` of binary arrays: one round trip
for the whole set, not one per row), and every array is read from the rows by its column's
name. A row that lacks a declared column, or holds a name the table does not declare, is
refused before any SQL is sent, so adding, dropping or moving a column can never shift a value
into its neighbour's place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any
from uuid import UUID

from sync_server.db.pool import Conn

Row = Mapping[str, Any]


class RowShapeError(ValueError):
    """A row does not have exactly the columns its table declares."""


@dataclass(frozen=True, slots=True)
class Column:
    name: str  # the row's key, the unnest column, and (unless `target`) the table's column
    type: str  # Postgres type of the values, as sent (`text` for json carried as text)
    value: str = ""  # SQL for what is stored, from u.<name> (default: u.<name> itself)
    target: str = ""  # the table's column, when it is not `name`
    on_update: str = ""  # SQL for an update, when it differs from `value` (t: the table)
    key: bool = False  # names the row an update changes
    fixed: bool = False  # written once, by the insert; an update leaves it

    @property
    def column(self) -> str:
        return self.target or self.name

    @property
    def stored(self) -> str:
        return self.value or f"u.{self.name}"


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    org_scoped: bool = True  # has org_id, given once per statement (the request's tenant)
    computed: tuple[tuple[str, str], ...] = ()  # (column, SQL from u) with no value of its own

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def unnest(self) -> str:
        arrays = ", ".join(f"%b::{c.type}[]" for c in self.columns)
        return f"unnest({arrays}) AS u({', '.join(self.names)})"

    def insert_sql(self, suffix: str = "") -> str:
        targets = [c.column for c in self.columns] + [name for name, _ in self.computed]
        values = [c.stored for c in self.columns] + [sql for _, sql in self.computed]
        if self.org_scoped:
            targets.insert(0, "org_id")
            values.insert(0, "%s")
        return (
            f"INSERT INTO {self.name} ({', '.join(targets)})"
            f" SELECT {', '.join(values)} FROM {self.unnest()}{suffix}"
        )

    def update_sql(self) -> str:
        sets = [
            f"{c.column} = {c.on_update or c.stored}"
            for c in self.columns
            if not (c.key or c.fixed)
        ] + [f"{name} = {sql}" for name, sql in self.computed]
        keys = [f"t.{c.column} = u.{c.name}" for c in self.columns if c.key]
        if not keys:
            raise RowShapeError(f"{self.name} declares no key column to update by")
        return (
            f"UPDATE {self.name} t SET {', '.join(sets)}"
            f" FROM {self.unnest()} WHERE {' AND '.join(keys)}"
        )

    def arrays(self, rows: Sequence[Row]) -> list[list[Any]]:
        """One list per declared column, in declaration order, each read from the rows by its
        column's name; RowShapeError when a row lacks a declared name or holds another."""
        names = self.names
        if not rows:
            return [[] for _ in names]
        try:
            values: list[Any] | None = list(map(itemgetter(*names), rows))
        except KeyError:  # a declared name missing from a row
            values = None
        if values is None or set(map(len, rows)) != {len(names)}:
            raise self._misfit(rows)
        if len(names) == 1:  # itemgetter of one name gives the value, not a tuple
            return [values]
        return [list(column) for column in zip(*values, strict=True)]

    def _misfit(self, rows: Sequence[Row]) -> RowShapeError:
        declared = set(self.names)
        bad = next(r for r in rows if r.keys() != declared)
        return RowShapeError(
            f"a row for {self.name} does not match its columns:"
            f" missing {sorted(declared - bad.keys())}, undeclared {sorted(bad.keys() - declared)}"
        )


async def insert(
    conn: Conn, table: Table, org_id: UUID | None, rows: Sequence[Row], suffix: str = ""
) -> None:
    """All `rows` in one INSERT … SELECT FROM unnest(…) (nothing when there are none)."""
    if not rows:
        return
    arrays = table.arrays(rows)
    params = [org_id, *arrays] if table.org_scoped else arrays
    await conn.execute(table.insert_sql(suffix), params)


async def update(conn: Conn, table: Table, rows: Sequence[Row]) -> None:
    """All `rows` in one UPDATE … FROM unnest(…), matched by the key columns."""
    if rows:
        await conn.execute(table.update_sql(), table.arrays(rows))
