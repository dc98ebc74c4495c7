"""OpRunner: store work runs on one worker thread, results come back on the GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from fieldapp.core.errors import LockedError, WrongKeyError, WrongThreadError
from fieldapp.core.keystore import Keystore
from fieldapp.core.store import Store, StoreStatus
from fieldapp.ui.ops import OpRunner, Reopened


def test_op_runs_off_the_gui_thread_and_delivers_on_it(qtbot: QtBot, runner: OpRunner) -> None:
    gui = threading.get_ident()
    seen: dict[str, object] = {}

    def op(store: Store) -> StoreStatus:
        seen["op_thread"] = threading.get_ident()
        return store.status()

    def done(status: StoreStatus) -> None:
        seen["done_thread"] = threading.get_ident()
        seen["is_main"] = QThread.currentThread() is QThread.currentThread().thread()
        seen["status"] = status

    runner.run(op, done)
    qtbot.waitUntil(lambda: "status" in seen)
    assert seen["op_thread"] != gui
    assert seen["done_thread"] == gui
    status = seen["status"]
    assert isinstance(status, StoreStatus)
    assert status.wells == 12


def test_ops_run_in_submission_order_on_one_thread(qtbot: QtBot, runner: OpRunner) -> None:
    threads: list[int] = []
    results: list[int] = []
    for i in range(20):
        runner.run(lambda _s, i=i: (threads.append(threading.get_ident()), i)[1], results.append)
    qtbot.waitUntil(lambda: len(results) == 20)
    assert results == list(range(20))
    assert len(set(threads)) == 1


def test_errors_go_to_on_error_and_unhandled_ones_to_op_failed(
    qtbot: QtBot, runner: OpRunner
) -> None:
    errors: list[BaseException] = []

    def boom(_store: Store) -> None:
        raise ValueError("meter exploded")

    runner.run(boom, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError)

    with qtbot.waitSignal(runner.op_failed, timeout=5000) as blocker:
        runner.run(boom)
    assert blocker.args == ["meter exploded"]


def test_busy_is_reported_until_the_last_result(qtbot: QtBot, runner: OpRunner) -> None:
    changes: list[bool] = []
    runner.busy_changed.connect(changes.append)
    release = threading.Event()
    done: list[int] = []
    runner.run(lambda _s: release.wait(5), lambda _r: done.append(1))
    runner.run(lambda _s: 2, lambda _r: done.append(2))
    assert runner.busy
    release.set()
    qtbot.waitUntil(lambda: len(done) == 2)
    assert not runner.busy
    assert changes == [True, False]


def test_close_drops_the_store_after_queued_work(qtbot: QtBot, runner: OpRunner) -> None:
    results: list[int] = []
    errors: list[BaseException] = []
    runner.run(lambda s: s.status().wells, results.append)
    runner.close()
    runner.run(lambda s: s.status().wells, results.append, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert results == [12]  # submitted before close: ran against the open store
    assert isinstance(errors[0], LockedError)


def test_open_failure_is_delivered_and_leaves_no_store(
    qtbot: QtBot, data_dir: Path, keystore: Keystore
) -> None:
    ops = OpRunner()
    errors: list[BaseException] = []
    try:
        ops.open(
            lambda: Store.open(data_dir, keystore, lambda: "not the passphrase"),
            None,
            errors.append,
        )
        qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
        assert isinstance(errors[0], WrongKeyError)
        ops.run(lambda s: s.status(), on_error=errors.append)
        qtbot.waitUntil(lambda: len(errors) == 2)
        assert isinstance(errors[1], LockedError)
    finally:
        ops.shutdown()


def test_shutdown_closes_the_store_on_the_worker(
    qtbot: QtBot, data_dir: Path, keystore: Keystore, passphrase: str
) -> None:
    ops = OpRunner()
    stores: list[Store] = []

    def opener() -> Store:
        stores.append(Store.open(data_dir, keystore, lambda: passphrase))
        return stores[-1]

    opened: list[object] = []
    ops.open(opener, opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    ops.shutdown()
    assert stores[0].closed
    with pytest.raises(LockedError), stores[0].write():
        pass  # shutdown closed the store and dropped its key
    errors: list[BaseException] = []
    ops.run(lambda s: s.status(), on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], LockedError)
    ops.shutdown()


def test_the_store_refuses_the_gui_thread_when_guarded(qtbot: QtBot, runner: OpRunner) -> None:
    leaked: list[Store] = []
    done: list[object] = []
    runner.run(leaked.append, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5_000)
    with pytest.raises(WrongThreadError, match="GUI thread"):
        leaked[0].status()  # the store, smuggled out of an operation, used while painting
    errors: list[BaseException] = []
    runner.run(lambda store: store.status(), done.append, errors.append)
    qtbot.waitUntil(lambda: len(done) == 2 or bool(errors), timeout=5_000)
    assert not errors  # on the worker the same store answers


def test_replace_closes_the_store_first_and_keeps_the_new_one(
    qtbot: QtBot, runner: OpRunner, data_dir: Path, keystore: Keystore, passphrase: str
) -> None:
    wal = data_dir / "store.db-wal"
    seen: list[bool] = []

    def change() -> tuple[Store, str]:
        seen.append(wal.exists())  # the old store's connections are closed: no write-ahead log
        return Store.open(data_dir, keystore, lambda: passphrase), "changed"

    results: list[object] = []
    runner.replace(change, results.append)
    runner.run(lambda s: s.status().wells, results.append)
    qtbot.waitUntil(lambda: len(results) == 2, timeout=10_000)
    assert seen == [False]
    assert results == ["changed", 12]


def test_a_failed_replace_keeps_the_store_it_reopened_or_none(
    qtbot: QtBot, runner: OpRunner, data_dir: Path, keystore: Keystore, passphrase: str
) -> None:
    def reopened() -> tuple[Store, str]:
        store = Store.open(data_dir, keystore, lambda: passphrase)
        raise Reopened(store, ValueError("the server said no"))

    def lost() -> tuple[Store, str]:
        raise ValueError("the disk is gone")

    errors: list[BaseException] = []
    results: list[object] = []
    runner.replace(reopened, on_error=errors.append)
    runner.run(lambda s: s.status().wells, results.append)
    runner.replace(lost, on_error=errors.append)
    runner.run(lambda s: s.status().wells, results.append, errors.append)
    qtbot.waitUntil(lambda: len(errors) == 3, timeout=10_000)
    assert [type(e) for e in errors] == [ValueError, ValueError, LockedError]
    assert str(errors[0]) == "the server said no"  # the reason, not the wrapper
    assert results == [12]  # the reopened store answered
