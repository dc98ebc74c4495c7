"""Background operations (the Anki "CollectionOp" pattern) on one store-owning worker thread.

The GUI thread never touches the store: it hands small callables `op(store) -> result` to
`OpRunner.run`, and gets the result (or the exception) back on the GUI thread through a queued
signal. One worker thread runs them in submission order, so there is a single writer and a
later read always sees an earlier write. The store object is created, used and closed on that
worker; the GUI only ever holds the runner.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from fieldapp.core.errors import LockedError
from fieldapp.core.store import Store

log = logging.getLogger(__name__)

DEBUG_THREADS_ENV = "FIELDAPP_DEBUG_THREADS"  # set (non-empty, not 0): the GUI thread is guarded

T = TypeVar("T")
DoneCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


@dataclass(slots=True)
class _Pending:
    on_done: DoneCallback | None
    on_error: ErrorCallback | None


class Reopened(Exception):
    """A `replace` change that failed after reopening `store`: `error` is what went wrong."""

    def __init__(self, store: Store, error: Exception) -> None:
        super().__init__(str(error))
        self.store = store
        self.error = error


class _Job(QRunnable):
    def __init__(self, runner: OpRunner, ticket: int, work: Callable[[], object]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._runner = runner
        self._ticket = ticket
        self._work = work

    def run(self) -> None:  # on the worker thread
        try:
            result = self._work()
        except Exception as exc:
            self._runner._finished.emit(self._ticket, False, exc)
        else:
            self._runner._finished.emit(self._ticket, True, result)


class OpRunner(QObject):
    """Runs store operations one at a time off the GUI thread; delivers results on it."""

    _finished = Signal(int, bool, object)
    busy_changed = Signal(bool)
    op_failed = Signal(str)  # an error no caller handled, as one line for the status bar

    def __init__(self, parent: QObject | None = None, guard: bool | None = None) -> None:
        super().__init__(parent)
        if guard is None:
            guard = os.environ.get(DEBUG_THREADS_ENV, "") not in ("", "0")
        # the thread that made the runner (the GUI thread): the store refuses it when guarded
        self._gui_thread = threading.get_ident() if guard else None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)  # keep the one worker thread for the app's lifetime
        self._store: Store | None = None  # read and written only on the worker thread
        self._pending: dict[int, _Pending] = {}
        self._next_ticket = 0
        self._before_close: list[Callable[[], None]] = []
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    # --- submitting ------------------------------------------------------------------------

    def run(
        self,
        op: Callable[[Store], T],
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        """Run `op(store)` on the worker; LockedError when no store is open at that point."""

        def work() -> T:
            if self._store is None:
                raise LockedError("the store is locked")
            return op(self._store)

        self._submit(work, on_done, on_error)

    def open(
        self,
        opener: Callable[[], Store],
        on_done: Callable[[None], None] | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        """Open (unlock) the store on the worker; it stays there until `close`."""

        def work() -> None:
            store = opener()
            store.forbid_thread(self._gui_thread)
            if self._store is not None:
                self._store.close()
            self._store = store

        self._submit(work, on_done, on_error)

    def replace(
        self,
        change: Callable[[], tuple[Store, T]],
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        """Close the open store (after the before-close hooks), then `change()`, which works
        on the closed data folder (`fieldapp link` swaps it) and returns the store to keep
        open and a result for `on_done`. On failure `change` must reopen a store itself if
        the app is to stay unlocked (it raises `Reopened`); any other error leaves none open."""

        def work() -> T:
            self._close_now()
            try:
                store, result = change()
            except Reopened as failed:
                failed.store.forbid_thread(self._gui_thread)
                self._store = failed.store
                raise failed.error from None
            store.forbid_thread(self._gui_thread)
            store.forbid_thread(self._gui_thread)
            self._store = store
            return result

        self._submit(work, on_done, on_error)

    def close(self, on_done: Callable[[None], None] | None = None) -> None:
        """Close the store (drop the key) after every operation already submitted."""
        self._submit(self._close_now, on_done, None)

    def shutdown(self) -> None:
        """Finish queued work, close the store and wait for the worker (at application exit)."""
        self._pool.start(_Job(self, -1, self._close_now))
        self._pool.waitForDone()

    def before_close(self, hook: Callable[[], None]) -> None:
        """Run `hook()` on the worker each time before the store is closed (auto-lock, exit):
        whatever else uses the store, such as the automatic sync's thread, stops first."""
        self._before_close.append(hook)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    # --- internals --------------------------------------------------------------------------

    def _close_now(self) -> None:
        for hook in self._before_close:
            try:
                hook()
            except Exception:  # the store is closed (the key dropped) whatever a hook did
                log.exception("stopping a user of the store failed")
        store, self._store = self._store, None
        if store is not None:
            store.close()

    def _submit(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None,
        on_error: ErrorCallback | None,
    ) -> None:
        self._next_ticket += 1
        was_busy = self.busy
        self._pending[self._next_ticket] = _Pending(on_done, on_error)
        if not was_busy:
            self.busy_changed.emit(True)
        self._pool.start(_Job(self, self._next_ticket, work))

    @Slot(int, bool, object)
    def _deliver(self, ticket: int, ok: bool, value: object) -> None:
        pending = self._pending.pop(ticket, None)
        if pending is not None and not self._pending:
            self.busy_changed.emit(False)
        if pending is None:
            if not ok:
                log.warning("background operation failed after shutdown: %s", value)
            return
        if ok:
            if pending.on_done is not None:
                pending.on_done(value)
            return
        assert isinstance(value, BaseException)
        if pending.on_error is not None:
            pending.on_error(value)
        else:
            log.warning("background operation failed: %r", value)
            self.op_failed.emit(str(value) or type(value).__name__)
