"""Registering a local-only store with a sync server later, keeping its records
(`fieldapp link`).

The steps, each of which can fail with nothing changed but a staging folder the next attempt
removes: unlock the local store and prove the passphrase; sign in (the server registers this
laptop as a new device); create a server-mode store in `<data-dir>.linking` with that identity
and the same passphrase, keep the session there and pull the organization's state into it;
copy the local log into it (`core/relink.py`: wells the server knows by API number become the
server's); check the copy (`verify`, and every local record present with its values); then
swap the folders (`core/folder_swap.py`), keeping the old one as `<data-dir>.local-<time>`.
The copied events are in the outbox and go out with the next sync like any others.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import httpx

from fieldapp.core.database import DB_FILE_NAME
from fieldapp.core.errors import StoreError
from fieldapp.core.folder_swap import (
    discard_staging,
    kept_dir,
    mark_ready,
    staging_dir,
    swap_in,
)
from fieldapp.core.keys import KEY_FILE_NAME
from fieldapp.core.keystore import Keystore
from fieldapp.core.relink import WellMap, copy_log, differences, well_map
from fieldapp.core.store import Store
from fieldapp.core.verify import verify_store
from fieldapp.sync.connect import Registration, engine_for, identity_of, keep_session, sign_in
from fieldapp.sync.retry import Backoff
from shared.contracts import LoginResponse

CARRIED_FILES = ("settings.ini",)  # the desktop app's preferences move with the store
OFFICE_ROLES = ("supervisor", "admin")


class LinkRefused(StoreError):
    """The store cannot be linked as asked; nothing was changed."""


@dataclass(frozen=True, slots=True)
class Linked:
    store: Store  # the registered store, open, in the data folder
    kept: Path  # where the local store now is
    copied: int  # events copied (each pending for the next sync)
    wells_matched: int  # local wells that became the server's (same API number)
    wells_sent: int  # local wells that go to the server as well.registered
    pulled: int  # server changes pulled before the copy


def link_store(
    data_dir: Path,
    passphrase: str,
    keystore: Keystore,
    http: httpx.Client,
    reg: Registration,
    *,
    backoff: Backoff | None = None,
) -> Linked:
    with Store.open(data_dir, keystore, lambda: passphrase) as source:  # ends a swap cut short
        if source.meta.get("mode") != "local":
            raise LinkRefused(f"the store in {data_dir} is already registered with a sync server")
        key = source.keyfile.unwrap(passphrase)  # the new store gets the same passphrase
    _check_closed(data_dir)  # before the server registers a device for nothing
    discard_staging(data_dir, keystore)  # what an earlier attempt left unfinished
    session = sign_in(http, reg)
    staging = staging_dir(data_dir)
    with Store.open_with_key(data_dir, key) as source:
        try:
            counts = _build(source, staging, passphrase, keystore, http, reg, session, backoff)
        except BaseException:
            discard_staging(data_dir, keystore)
            raise
    kept = kept_dir(data_dir)
    try:
        _check_closed(data_dir)
        mark_ready(staging, kept)
        swap_in(data_dir, staging)
    except BaseException:
        if not (data_dir / KEY_FILE_NAME).exists() and kept.exists():
            raise  # the old folder was moved aside: the next open finishes the swap
        discard_staging(data_dir, keystore)
        raise
    store = Store.open(data_dir, keystore, lambda: passphrase)
    return Linked(store, kept, *counts)


def _check_closed(data_dir: Path) -> None:
    """SQLite removes the write-ahead log when the last connection closes: if it is still
    there, another program (the desktop app, another command) has the store open and would go
    on writing into the folder being moved aside."""
    if any((data_dir / f"{DB_FILE_NAME}{suffix}").exists() for suffix in ("-wal", "-shm")):
        raise LinkRefused(
            f"the store in {data_dir} is open in another program (the desktop app?): close it"
            " and run the command again; nothing was changed"
        )


def _build(
    source: Store,
    staging: Path,
    passphrase: str,
    keystore: Keystore,
    http: httpx.Client,
    reg: Registration,
    session: LoginResponse,
    backoff: Backoff | None,
) -> tuple[int, int, int, int]:
    """The registered copy of `source` in `staging`, checked; closed when this returns."""
    target = Store.create(
        staging,
        passphrase,
        keystore,
        timezone=source.thresholds.timezone,
        mode="server",
        identity=identity_of(session),
    )
    with target:
        keep_session(target, keystore, reg, session)
        engine = engine_for(target, keystore, http=http, backoff=backoff)
        pulled = engine.pull_all().pulled
        engine.refresh_settings()  # the org's thresholds before the first sync, as a sync would
        wells = well_map(source, target)
        _check_role(wells, reg, session)
        report = copy_log(source, target, wells)
        problems = [
            *report.problems,
            *verify_store(target).problems,
            *differences(source, target, wells),
        ]
        if problems:
            raise LinkRefused(
                f"the registered copy does not match the local store ({problems[0]}; "
                f"{len(problems)} problem(s)); nothing was changed"
            )
    for name in CARRIED_FILES:
        if (source.data_dir / name).is_file():
            shutil.copy2(source.data_dir / name, staging / name)
    return report.copied, len(wells.ids), len(wells.missing), pulled


def _check_role(wells: WellMap, reg: Registration, session: LoginResponse) -> None:
    """The server takes well.registered only from the office: an operator's records on a well
    it does not have would all be refused, so the link is refused first."""
    if not wells.missing or session.user.role in OFFICE_ROLES:
        return
    more = f" and {len(wells.missing) - 1} more" if len(wells.missing) > 1 else ""
    raise LinkRefused(
        f"the server has no well with API number {wells.missing[0]}{more}, and {reg.username}"
        f" is an {session.user.role}, who cannot register wells: ask the office to add them"
        " (or link as a supervisor); nothing was changed"
    )
