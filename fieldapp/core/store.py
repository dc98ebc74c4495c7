"""The encrypted local store: create, unlock, transactions, status, rekey, close.

Files under the data directory: `store.db` (+ `-wal`, `-shm`), all SQLCipher-encrypted, and
`keys.json` (salt and the passphrase-wrapped key; never the key itself).
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from fieldapp.core import database
from fieldapp.core.errors import (
    IntegrityError,
    LockedError,
    StoreError,
    StoreExistsError,
    StoreNotFoundError,
    WrongKeyError,
    WrongThreadError,
)
from fieldapp.core.eventlog import ChainHead, WriteTxn
from fieldapp.core.folder_swap import finish_interrupted
from fieldapp.core.keys import KEY_FILE_NAME, KeyFile, check_passphrase_strength, new_data_key
from fieldapp.core.keystore import Keystore
from fieldapp.core.schema import CURRENT_VERSION, MIGRATIONS, migrate, statements
from shared.events import DeviceIdentity
from shared.thresholds import Thresholds, with_settings

PassphraseSource = Callable[[], str | None]
_UNFINISHED = (
    "the store in {data_dir} was never finished (init was interrupted): move the folder away"
    " and run 'fieldapp init' again"
)
NEXT_KEY_FILE = "keys.next.json"


@dataclass(frozen=True, slots=True)
class StoreStatus:
    mode: str
    device_id: str
    schema_version: int
    events: int
    pending: int
    acknowledged: int
    conflicts: int
    rejected: int
    wells: int
    production_records: int
    last_sync: str | None
    cursor: int | None

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


class Store:
    """One open, unlocked store. Writes go through `write()`; one writer at a time."""

    def __init__(self, data_dir: Path, key: bytes, keyfile: KeyFile) -> None:
        self.data_dir = data_dir
        self.keyfile = keyfile
        self.db_path = data_dir / database.DB_FILE_NAME
        self._key = key
        if not self.db_path.exists():
            raise IntegrityError(_UNFINISHED.format(data_dir=data_dir))
        self._make_engines()
        self._lock = threading.RLock()
        self._forbidden_thread: int | None = None
        try:
            self._writer: Connection = self._writer_engine.connect()
            with self._writer.begin():
                self.migrations_applied = migrate(self._writer)
                self.meta = _read_meta(self._writer)
                self._head = ChainHead.read(self._writer)
        except DBAPIError as exc:
            self._writer_engine.dispose()
            self._reader_engine.dispose()
            raise damaged(exc) from None
        if "org_id" not in self.meta:
            self.close()
            raise IntegrityError(_UNFINISHED.format(data_dir=data_dir))
        self.identity = DeviceIdentity(
            org_id=UUID(self.meta["org_id"]),
            device_id=UUID(self.meta["device_id"]),
            user_id=UUID(self.meta["user_id"]),
            device_secret=self.meta.get("device_secret", ""),
        )
        self.thresholds = with_settings(Thresholds(), json.loads(self.meta.get("thresholds", "{}")))

    # --- lifecycle ---------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        data_dir: Path,
        passphrase: str,
        keystore: Keystore,
        *,
        timezone: str = "America/Chicago",
        mode: str = "local",
        identity: DeviceIdentity | None = None,
        schema_target: int = CURRENT_VERSION,
    ) -> Store:
        """A new empty store; the key goes to the keystore when one is usable. `identity`: the
        ids and signing secret a sync server issued (a local-only store makes its own).

        Everything that can be refused is checked before anything is written.
        """
        cls.check_can_create(data_dir, passphrase, timezone)
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = new_data_key()
        store_id = str(uuid4())
        use_keystore = keystore.usable() and keystore.save(store_id, key)
        keyfile = KeyFile.create(store_id, key, passphrase, use_keystore=use_keystore)
        keyfile.save(data_dir)  # first: a database must never exist without its wrapped key
        database.create_database(data_dir / database.DB_FILE_NAME, key)
        conn = database.connect(data_dir / database.DB_FILE_NAME, key)
        try:
            conn.execute("BEGIN IMMEDIATE")
            _create_schema(conn, schema_target)
            meta = {
                "store_id": store_id,
                "mode": mode,
                "org_id": str(identity.org_id if identity else uuid4()),
                "device_id": str(identity.device_id if identity else uuid4()),
                "user_id": str(identity.user_id if identity else uuid4()),
                "device_secret": identity.device_secret if identity else "",
                "thresholds": json.dumps({"timezone": timezone}),
                "created_at": datetime.now(UTC).isoformat(),
            }
            conn.executemany("INSERT INTO store_meta (key, value) VALUES (?, ?)", meta.items())
            conn.execute("COMMIT")
        finally:
            conn.close()
        return cls(data_dir, key, keyfile)

    @staticmethod
    def check_can_create(data_dir: Path, passphrase: str, timezone: str) -> None:
        """What `create` would refuse, checked before anything (a registration) happens."""
        check_passphrase_strength(passphrase)
        check_timezone(timezone)
        finish_interrupted(data_dir)  # a registered store waiting to be swapped in is a store
        if (data_dir / KEY_FILE_NAME).exists() or (data_dir / database.DB_FILE_NAME).exists():
            raise StoreExistsError(f"a store already exists in {data_dir}")

    @classmethod
    def open(
        cls, data_dir: Path, keystore: Keystore, passphrase: PassphraseSource | None = None
    ) -> Store:
        """Unlock with the keystore key, else with the passphrase. Wrong key: nothing changes.
        A link to a server that a crash interrupted mid-swap is finished first."""
        finish_interrupted(data_dir)
        keyfile = load_keyfile(data_dir)
        interrupted = (data_dir / NEXT_KEY_FILE).exists()
        key = keystore.load(keyfile.store_id) if keyfile.use_keystore and not interrupted else None
        if key is None or not keyfile.matches(key):
            secret = passphrase() if passphrase else None
            if secret is None:
                raise LockedError(
                    "store is locked: no keystore key; give the passphrase"
                    " (FIELDAPP_PASSPHRASE or --passphrase-stdin)"
                )
            key, keyfile = _unwrap_current(data_dir, keyfile, secret)
            if keyfile.use_keystore:
                keystore.save(keyfile.store_id, key)
        return cls(data_dir, key, keyfile)

    @classmethod
    def open_with_key(cls, data_dir: Path, key: bytes) -> Store:
        keyfile = load_keyfile(data_dir)
        if not keyfile.matches(key):
            raise WrongKeyError("the key does not open this store; nothing was modified")
        return cls(data_dir, key, keyfile)

    def _make_engines(self) -> None:
        self._writer_engine: Engine = database.writer_engine(self.db_path, self._current_key)
        self._reader_engine: Engine = database.reader_engine(self.db_path, self._current_key)

    def close(self) -> None:
        """Close every connection and drop the key: the store cannot be read until reopened."""
        with self._lock:
            self._key = b""
            self._writer.close()
            self._writer_engine.dispose()
            self._reader_engine.dispose()

    @property
    def closed(self) -> bool:
        return not self._key

    def _current_key(self) -> bytes:
        if not self._key:
            raise LockedError("the store is locked (closed); unlock it again")
        return self._key

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ------------------------------------------------------------------------

    def forbid_thread(self, ident: int | None) -> None:
        """Refuse every read and write made on thread `ident` (None: allow all threads).

        The desktop app forbids its GUI thread when FIELDAPP_DEBUG_THREADS is set, and the UI
        tests always do, so a screen that touches the store while painting fails loudly."""
        self._forbidden_thread = ident

    def _check_thread(self) -> None:
        if self._forbidden_thread is not None and threading.get_ident() == self._forbidden_thread:
            raise WrongThreadError(
                "the store was used on the GUI thread; run it as an operation on the worker"
            )

    @contextmanager
    def write(self) -> Iterator[WriteTxn]:
        """One write transaction (BEGIN IMMEDIATE). Appends become durable at commit."""
        with self._lock:
            self._current_key()
            self._check_thread()
            with self._writer.begin():
                # the head as the database has it under the write lock: another process (the
                # command line beside the desktop app) may have appended since our last write
                txn = WriteTxn(self._writer, self.identity, ChainHead.read(self._writer))
                yield txn
                txn.flush()
            self._head = txn.head

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A consistent read snapshot on a pooled reader connection."""
        self._current_key()
        self._check_thread()
        with self._reader_engine.connect() as conn:
            snapshot = conn.begin()
            try:
                yield conn
            finally:
                with contextlib.suppress(DBAPIError):
                    snapshot.rollback()  # read-only: nothing to commit

    @property
    def head(self) -> ChainHead:
        return self._head

    # --- status and key management -----------------------------------------------------------

    def status(self) -> StoreStatus:
        with self.read() as conn:

            def count(sql: str) -> int:
                return int(conn.exec_driver_sql(sql).scalar_one())

            sync: dict[str, str] = {
                str(k): str(v)
                for k, v in conn.exec_driver_sql("SELECT key, value FROM sync_state").all()
            }
            return StoreStatus(
                mode=self.meta["mode"],
                device_id=str(self.identity.device_id),
                schema_version=int(conn.exec_driver_sql("PRAGMA user_version").scalar_one()),
                events=count("SELECT count(*) FROM event_log"),
                pending=count("SELECT count(*) FROM outbox"),
                acknowledged=count("SELECT count(*) FROM receipts"),
                conflicts=count("SELECT count(*) FROM conflicts WHERE status = 'open'"),
                rejected=count("SELECT count(*) FROM rejections WHERE resolved_by_seq IS NULL"),
                wells=count("SELECT count(*) FROM wells"),
                production_records=count("SELECT count(*) FROM production WHERE voided = 0"),
                last_sync=sync.get("last_sync"),
                cursor=int(sync["cursor"]) if "cursor" in sync else None,
            )

    def rekey(self, passphrase: str, keystore: Keystore) -> None:
        """Re-encrypt under a new random key; the old key and old passphrase wrap stop working.

        Crash-safe: the new wrapped key is written to keys.next.json before the database is
        re-encrypted and replaces keys.json after; opening finishes an interrupted rekey.
        """
        self.keyfile.unwrap(passphrase)  # proves the passphrase before anything changes
        new_key = new_data_key()
        new_file = self.keyfile.rewrapped(new_key, passphrase)
        with self._lock:
            self._writer.close()
            self._writer_engine.dispose()
            self._reader_engine.dispose()
            new_file.save(self.data_dir, NEXT_KEY_FILE)
            raw = database.connect(self.db_path, self._key)
            try:
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                raw.execute("PRAGMA journal_mode = DELETE")
                raw.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
                raw.execute("PRAGMA journal_mode = WAL")
            finally:
                raw.close()
            new_file.save(self.data_dir)
            (self.data_dir / NEXT_KEY_FILE).unlink()
            if new_file.use_keystore:
                keystore.save(new_file.store_id, new_key)
            self.keyfile = new_file
            self._key = new_key
            self._make_engines()
            self._writer = self._writer_engine.connect()


def damaged(exc: DBAPIError) -> IntegrityError:
    """A one-line error for a database the key opens but SQLite cannot read."""
    return IntegrityError(
        f"the store database is damaged ({exc.orig}); run 'fieldapp verify' and restore it"
        " from a backup or a sync"
    )


def check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise StoreError(
            f"unknown time zone '{name}' (use an IANA name like America/Chicago)"
        ) from None


def load_keyfile(data_dir: Path) -> KeyFile:
    try:
        return KeyFile.load(data_dir)
    except FileNotFoundError:
        raise StoreNotFoundError(
            f"no store in {data_dir}: run 'fieldapp init --local' first"
        ) from None


def _unwrap_current(data_dir: Path, keyfile: KeyFile, passphrase: str) -> tuple[bytes, KeyFile]:
    """The key the database is encrypted with now, finishing a rekey a crash interrupted."""
    next_path = data_dir / NEXT_KEY_FILE
    if next_path.exists():
        try:
            pending = KeyFile.load(data_dir, NEXT_KEY_FILE)
            key = pending.unwrap(passphrase)
            database.connect(data_dir / database.DB_FILE_NAME, key).close()
        except (StoreError, ValueError):
            next_path.unlink()  # the rekey never reached the database
        else:
            pending.save(data_dir)
            next_path.unlink()
            return key, pending
    return keyfile.unwrap(passphrase), keyfile


def _create_schema(conn: Any, target: int) -> None:
    for number, script in enumerate(MIGRATIONS[:target], start=1):
        for statement in statements(script):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")


def _read_meta(conn: Connection) -> dict[str, str]:
    return {str(k): str(v) for k, v in conn.exec_driver_sql("SELECT key, value FROM store_meta")}
