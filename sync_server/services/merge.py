"""Field-level merge of a change made against an older version (docs/sync-protocol.md conflicts).

A change lists the fields it sets. Fields whose value already stands are no change at all. When
the change was made against the current version, or the fields it changes were not changed on
the server since its base, it is applied (merged when the base was older). When they overlap,
both sides are kept for a conflict record and the org policy decides what is written now:
`last_write_wins` (by arrival order) writes the incoming values, `manual` keeps the server's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

POLICIES = ("last_write_wins", "manual")


@dataclass(frozen=True, slots=True)
class Decision:
    write: dict[str, Any] = field(default_factory=dict)  # field -> value to write now
    overlap: tuple[str, ...] = ()  # fields changed on both sides since the base
    mine: dict[str, Any] = field(default_factory=dict)  # incoming values of the overlap
    theirs: dict[str, Any] = field(default_factory=dict)  # server values of the overlap
    merged: bool = False  # applied on top of changes the device had not seen

    @property
    def conflict(self) -> bool:
        return bool(self.overlap)

    @property
    def noop(self) -> bool:
        return not self.write and not self.overlap


def changed_since(
    history: Iterable[tuple[Any, ...]], base_version: int, device: UUID | None = None
) -> set[str]:
    """The fields changed by versions after `base_version`; history items are (version, fields)
    or (version, fields, device that wrote it). Versions written by `device` itself do not
    count: they came before this change in the device's own sequence, not beside it."""
    changed: set[str] = set()
    for version, names, *author in history:
        if version > base_version and not (device is not None and author[:1] == [device]):
            changed.update(names)
    return changed


def decide(
    current: Mapping[str, Any],
    current_version: int,
    base_version: int,
    changes: Mapping[str, Any],
    since_base: set[str],
    policy: str,
) -> Decision:
    """What to write for `changes` made against `base_version` of a record now at
    `current_version` with values `current`; `since_base` = fields changed after the base."""
    mine = {k: v for k, v in changes.items() if current.get(k) != v}
    if not mine:
        return Decision()
    stale = base_version != current_version
    overlap = tuple(sorted(set(mine) & since_base)) if stale else ()
    write = dict(mine)
    if overlap and policy == "manual":
        write = {k: v for k, v in mine.items() if k not in overlap}
    return Decision(
        write=write,
        overlap=overlap,
        mine={k: mine[k] for k in overlap},
        theirs={k: current.get(k) for k in overlap},
        merged=stale and bool(since_base) and not overlap,
    )
