"""Table declarations and the SQL built from them (sync_server/services/tables.py): pure."""

from __future__ import annotations

import re

import pytest

from sync_server.services.tables import Column, RowShapeError, Table

WELL_DAY = Table(
    "well_days",
    (
        Column("id", "uuid", key=True),
        Column("day", "date", fixed=True),
        Column("oil", "float8"),
        Column("notes", "text"),
        Column("flags", "text", "u.flags::jsonb"),
        Column("deleted", "bool", "CASE WHEN u.deleted THEN now() END", target="deleted_at"),
    ),
    computed=(("touched_at", "now()"),),
)
ROWS = [
    {"id": "a", "day": "d1", "oil": 1.0, "notes": "x", "flags": "[]", "deleted": False},
    {"notes": "y", "deleted": True, "flags": "[1]", "oil": 2.0, "day": "d2", "id": "b"},
]


def test_each_array_is_read_from_the_rows_by_its_columns_name() -> None:
    arrays = WELL_DAY.arrays(ROWS)  # the second row lists its keys in another order
    assert arrays == [
        ["a", "b"],
        ["d1", "d2"],
        [1.0, 2.0],
        ["x", "y"],
        ["[]", "[1]"],
        [False, True],
    ]
    assert WELL_DAY.arrays([]) == [[] for _ in WELL_DAY.columns]
    one = Table("t", (Column("id", "uuid"),))
    assert one.arrays([{"id": 1}, {"id": 2}]) == [[1, 2]]


def test_a_column_added_in_the_middle_of_a_declaration_refuses_rows_without_it() -> None:
    columns = list(WELL_DAY.columns)
    columns.insert(3, Column("gas", "float8"))  # between oil and notes
    widened = Table(WELL_DAY.name, tuple(columns))
    with pytest.raises(RowShapeError, match=r"missing \['gas'\], undeclared \[\]"):
        widened.arrays(ROWS)
    with pytest.raises(RowShapeError, match=r"missing \[\], undeclared \['gas'\]"):
        WELL_DAY.arrays([{**ROWS[0], "gas": 3.0}, ROWS[1]])  # a value with no column of its own
    renamed = {k if k != "notes" else "note": v for k, v in ROWS[1].items()}
    with pytest.raises(RowShapeError, match=r"missing \['notes'\], undeclared \['note'\]"):
        WELL_DAY.arrays([ROWS[0], renamed])


def test_a_moved_column_moves_its_array_and_its_name_together() -> None:
    moved = Table(WELL_DAY.name, tuple(reversed(WELL_DAY.columns)), computed=WELL_DAY.computed)
    by_name = dict(zip(WELL_DAY.names, WELL_DAY.arrays(ROWS), strict=True))
    assert dict(zip(moved.names, moved.arrays(ROWS), strict=True)) == by_name
    # in the SQL, each unnest column's type and alias sit at its array's place
    unnest = re.search(r"unnest\((.*)\) AS u\((.*)\)", moved.insert_sql())
    assert unnest is not None
    types = [t.strip().removeprefix("%b::").removesuffix("[]") for t in unnest[1].split(",")]
    aliases = [a.strip() for a in unnest[2].split(",")]
    assert list(zip(aliases, types, strict=True)) == [(c.name, c.type) for c in moved.columns]


def test_insert_and_update_sql_name_every_column_once() -> None:
    assert WELL_DAY.insert_sql(" ON CONFLICT DO NOTHING") == (
        "INSERT INTO well_days (org_id, id, day, oil, notes, flags, deleted_at, touched_at)"
        " SELECT %s, u.id, u.day, u.oil, u.notes, u.flags::jsonb,"
        " CASE WHEN u.deleted THEN now() END, now()"
        " FROM unnest(%b::uuid[], %b::date[], %b::float8[], %b::text[], %b::text[], %b::bool[])"
        " AS u(id, day, oil, notes, flags, deleted) ON CONFLICT DO NOTHING"
    )
    assert WELL_DAY.update_sql() == (
        "UPDATE well_days t SET oil = u.oil, notes = u.notes, flags = u.flags::jsonb,"
        " deleted_at = CASE WHEN u.deleted THEN now() END, touched_at = now()"
        " FROM unnest(%b::uuid[], %b::date[], %b::float8[], %b::text[], %b::text[], %b::bool[])"
        " AS u(id, day, oil, notes, flags, deleted) WHERE t.id = u.id"
    )
    unscoped = Table("t", (Column("a", "int"),), org_scoped=False)
    assert unscoped.insert_sql() == "INSERT INTO t (a) SELECT u.a FROM unnest(%b::int[]) AS u(a)"
    with pytest.raises(RowShapeError, match="no key column"):
        unscoped.update_sql()
