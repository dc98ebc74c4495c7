"""The first-run and unlock state machine, without Qt: every step, every bad input, and the
effects run against real SQLCipher stores the way the app's worker runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from corekit import PASSPHRASE, MemoryKeyring

from fieldapp.core.errors import LockedError, StoreError, StoreExistsError, WrongKeyError
from fieldapp.core.keystore import Keystore
from fieldapp.core.startup_flow import (
    ENV_PASSPHRASE_WRONG,
    WRONG_PASSPHRASE,
    CloseStore,
    CreateLocalStore,
    Effect,
    OpenStore,
    Quit,
    RegisterDevice,
    StartupFlow,
    Step,
    check_url,
    store_exists,
)
from fieldapp.core.store import Store

TZ = "America/Chicago"


def run(effect: Effect | None, data_dir: Path, keystore: Keystore) -> Store:
    """What the app's worker does with an open or create effect."""
    if isinstance(effect, CreateLocalStore):
        return Store.create(data_dir, effect.passphrase, keystore, timezone=effect.timezone)
    assert isinstance(effect, OpenStore)
    keys = keystore if effect.use_keystore else Keystore(MemoryKeyring())
    secret = effect.passphrase
    return Store.open(data_dir, keys, (lambda: secret) if secret else None)


def report(flow: StartupFlow, effect: Effect | None, data_dir: Path, keystore: Keystore) -> None:
    try:
        run(effect, data_dir, keystore).close()
    except StoreError as exc:
        flow.failed(exc)
    else:
        flow.done()


def register_form(**changes: str) -> dict[str, str]:
    form = {
        "url": "https://wellpulse.example.com/",
        "org": "acme",
        "username": "op",
        "password": "field-password",
        "passphrase": PASSPHRASE,
        "confirm": PASSPHRASE,
        "timezone": TZ,
    }
    return form | changes


def at_register() -> StartupFlow:
    flow = StartupFlow()
    flow.start(has_store=False)
    flow.choose_server()
    return flow


def test_no_store_chooses_then_creates_a_local_store(tmp_path: Path, no_keystore: Keystore) -> None:
    data_dir = tmp_path / "data"
    assert not store_exists(data_dir)
    flow = StartupFlow()
    assert flow.start(store_exists(data_dir)) is None
    assert flow.step is Step.CHOOSE
    flow.choose_local()
    assert flow.step is Step.CREATE_LOCAL and flow.mode == "local"
    flow.back()
    assert flow.step is Step.CHOOSE and flow.mode is None
    flow.choose_local()
    effect = flow.submit_local(PASSPHRASE, PASSPHRASE, " America/Denver ")
    assert effect == CreateLocalStore(PASSPHRASE, "America/Denver")
    assert flow.step is Step.CREATING
    assert flow.submit_local(PASSPHRASE, PASSPHRASE, TZ) is None  # no second store meanwhile
    report(flow, effect, data_dir, no_keystore)
    assert flow.step is Step.READY and not flow.errors and not flow.message
    assert store_exists(data_dir)


@pytest.mark.parametrize(
    ("passphrase", "confirm", "timezone", "field", "words"),
    [
        ("short", "short", TZ, "passphrase", "at least 8 characters"),
        ("", "", TZ, "passphrase", "at least 8 characters"),
        (PASSPHRASE, PASSPHRASE + "x", TZ, "confirm", "not the same"),
        (PASSPHRASE, PASSPHRASE, "Mars/Olympus", "timezone", "not a time zone"),
        (PASSPHRASE, PASSPHRASE, "", "timezone", "not a time zone"),
    ],
)
def test_bad_local_inputs_stay_on_the_form_with_a_message(
    passphrase: str, confirm: str, timezone: str, field: str, words: str
) -> None:
    flow = StartupFlow()
    flow.start(has_store=False)
    flow.choose_local()
    assert flow.submit_local(passphrase, confirm, timezone) is None
    assert flow.step is Step.CREATE_LOCAL
    assert list(flow.errors) == [field]
    assert words in flow.errors[field]
    assert flow.message == "Nothing was created: fix the fields marked."
    assert flow.submit_local(PASSPHRASE, PASSPHRASE, TZ) is not None  # fixed: errors go
    assert flow.errors == {}


def test_register_gives_the_server_effect() -> None:
    flow = at_register()
    assert flow.step is Step.REGISTER and flow.mode == "server"
    effect = flow.submit_register(**register_form(org=" acme ", username="op "))
    assert effect == RegisterDevice(
        "https://wellpulse.example.com", "acme", "op", "field-password", PASSPHRASE, TZ
    )
    assert flow.step is Step.CREATING
    flow.done()
    assert flow.step is Step.READY and flow.mode is None


def test_every_bad_register_field_is_named_at_once() -> None:
    flow = at_register()
    form = register_form(
        url="wellpulse.example.com",
        org=" ",
        username="",
        password="",
        passphrase="1234567",
        confirm="1234567",
        timezone="nowhere",
    )
    assert flow.submit_register(**form) is None
    assert flow.step is Step.REGISTER
    assert set(flow.errors) == {"url", "org", "username", "password", "passphrase", "timezone"}
    assert "https://" in flow.errors["url"]
    assert flow.message == "Nothing was sent: fix the fields marked."


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("", "Enter the server address"),
        ("ftp://example.com", "must start with https://"),
        ("example.com", "must start with https://"),
        ("https://", "no host name"),
        ("https://exa mple.com", "no host name"),
        ("https://example.com:eighty", "port"),
    ],
)
def test_url_shape(url: str, problem: str) -> None:
    assert problem in (check_url(url) or "")


@pytest.mark.parametrize("url", ["https://a.example.com", "http://127.0.0.1:8000/", "http://x"])
def test_good_urls(url: str) -> None:
    assert check_url(url) is None


def test_a_failed_registration_goes_back_to_the_form_with_the_reason() -> None:
    flow = at_register()
    flow.submit_register(**register_form())
    flow.failed(RuntimeError("sign-in refused: wrong user name or password"))
    assert flow.step is Step.REGISTER
    assert flow.message == (
        "The device was not registered: sign-in refused: wrong user name or password"
    )
    assert flow.submit_register(**register_form()) is not None  # and can try again


def test_a_failed_local_create_goes_back_and_an_existing_store_fails() -> None:
    flow = StartupFlow()
    flow.start(has_store=False)
    flow.choose_local()
    flow.submit_local(PASSPHRASE, PASSPHRASE, TZ)
    flow.failed(OSError("disk full"))
    assert flow.step is Step.CREATE_LOCAL
    assert flow.message == "Nothing was created: disk full"
    flow.submit_local(PASSPHRASE, PASSPHRASE, TZ)
    flow.failed(StoreExistsError("a store already exists in /data"))
    assert flow.step is Step.FAILED
    assert "already exists" in flow.message and "Start the app again" in flow.message


def test_keystore_key_opens_without_asking(tmp_path: Path, memory_keystore: Keystore) -> None:
    Store.create(tmp_path / "data", PASSPHRASE, memory_keystore).close()
    flow = StartupFlow()
    effect = flow.start(store_exists(tmp_path / "data"))
    assert effect == OpenStore(None, use_keystore=True)
    assert flow.step is Step.UNLOCKING
    report(flow, effect, tmp_path / "data", memory_keystore)
    assert flow.step is Step.READY


def test_no_key_asks_for_the_passphrase_and_retries(tmp_path: Path, no_keystore: Keystore) -> None:
    data_dir = tmp_path / "data"
    Store.create(data_dir, PASSPHRASE, no_keystore).close()
    flow = StartupFlow()
    report(flow, flow.start(True), data_dir, no_keystore)
    assert flow.step is Step.UNLOCK and flow.message == ""
    assert flow.submit_passphrase("") is None
    assert flow.step is Step.UNLOCK and flow.message == "Enter the passphrase."
    wrong = flow.submit_passphrase("not the passphrase")
    assert wrong == OpenStore("not the passphrase", use_keystore=True)
    report(flow, wrong, data_dir, no_keystore)
    assert flow.step is Step.UNLOCK and flow.message == WRONG_PASSPHRASE
    report(flow, flow.submit_passphrase(PASSPHRASE), data_dir, no_keystore)
    assert flow.step is Step.READY


def test_environment_passphrase(tmp_path: Path, no_keystore: Keystore) -> None:
    data_dir = tmp_path / "data"
    Store.create(data_dir, PASSPHRASE, no_keystore).close()
    good = StartupFlow(env_passphrase=PASSPHRASE)
    report(good, good.start(True), data_dir, no_keystore)
    assert good.step is Step.READY
    stale = StartupFlow(env_passphrase="stale passphrase")
    effect = stale.start(True)
    assert effect == OpenStore("stale passphrase", use_keystore=True)
    report(stale, effect, data_dir, no_keystore)
    assert stale.step is Step.UNLOCK and stale.message == ENV_PASSPHRASE_WRONG
    report(stale, stale.submit_passphrase("still wrong!"), data_dir, no_keystore)
    assert stale.message == WRONG_PASSPHRASE  # a typed attempt is not the environment's


def test_auto_lock_asks_for_the_typed_passphrase_only(
    tmp_path: Path, memory_keystore: Keystore
) -> None:
    data_dir = tmp_path / "data"
    Store.create(data_dir, PASSPHRASE, memory_keystore).close()
    flow = StartupFlow()
    report(flow, flow.start(True), data_dir, memory_keystore)
    assert flow.lock() == CloseStore()
    assert flow.step is Step.LOCKED and flow.relocked
    assert flow.lock() is None  # already locked
    effect = flow.submit_passphrase("anything but it")
    assert effect == OpenStore("anything but it", use_keystore=False)
    report(flow, effect, data_dir, memory_keystore)  # the keystore key does not count now
    assert flow.step is Step.LOCKED and flow.message == WRONG_PASSPHRASE
    report(flow, flow.submit_passphrase(PASSPHRASE), data_dir, memory_keystore)
    assert flow.step is Step.READY
    assert flow.lock() == CloseStore()
    assert flow.message == ""  # the next lock starts clean


def test_unexpected_open_errors_fail_with_the_reason() -> None:
    flow = StartupFlow()
    flow.start(True)
    flow.failed(StoreError("the store database is damaged (file is not a database)"))
    assert flow.step is Step.FAILED
    assert flow.message == "the store database is damaged (file is not a database)"
    other = StartupFlow()
    other.start(True)
    other.failed(LockedError("store is locked"))
    assert other.step is Step.UNLOCK
    other.failed(WrongKeyError("late answer"))  # not waiting for anything: fails loudly
    assert other.step is Step.FAILED


def test_transitions_out_of_place_do_nothing() -> None:
    flow = StartupFlow()
    flow.start(False)
    assert flow.submit_passphrase(PASSPHRASE) is None
    assert flow.submit_register(**register_form()) is None  # CHOOSE, not REGISTER
    assert flow.submit_local(PASSPHRASE, PASSPHRASE, TZ) is None
    assert flow.lock() is None
    flow.done()
    assert flow.step is Step.CHOOSE


@pytest.mark.parametrize(("relock", "code"), [(False, 1), (True, 0)])
def test_quitting(tmp_path: Path, no_keystore: Keystore, relock: bool, code: int) -> None:
    flow = StartupFlow(env_passphrase=PASSPHRASE)
    Store.create(tmp_path / "d", PASSPHRASE, no_keystore).close()
    report(flow, flow.start(True), tmp_path / "d", no_keystore)
    if relock:
        flow.lock()
    assert flow.cancel() == Quit(code)
    assert flow.step is Step.QUIT


def test_setup_quit_is_1() -> None:
    flow = StartupFlow()
    flow.start(False)
    flow.choose_local()
    assert flow.cancel() == Quit(1)
