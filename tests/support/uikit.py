"""Helpers for the desktop tests: run a store operation on a page's own worker and wait."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pytestqt.qtbot import QtBot

from fieldapp.core.store import Store
from fieldapp.ui.ops import OpRunner

T = TypeVar("T")


def on_worker(qtbot: QtBot, runner: OpRunner, op: Callable[[Store], T]) -> T:
    """Run `op` on the runner's store (its worker thread) and wait for its result; an
    exception it raised is raised here."""
    done: list[Any] = []
    runner.run(op, done.append, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    if isinstance(done[0], BaseException):
        raise done[0]
    return done[0]  # type: ignore[no-any-return]
