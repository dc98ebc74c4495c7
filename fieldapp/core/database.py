"""SQLCipher connections keyed with a raw key, wrapped in SQLAlchemy 2 engines.

One writer connection (BEGIN IMMEDIATE, WAL, synchronous=FULL) and a pool of readers.
A raw key is applied as `PRAGMA key = "x'...'"`, so opening costs no KDF.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool, StaticPool

from fieldapp.core.errors import WrongKeyError

DB_FILE_NAME = "store.db"
DatabaseError = sqlcipher.DatabaseError  # raised by the raw DB-API hot paths
DB_ERRORS: tuple[type[Exception], ...] = (DBAPIError, sqlcipher.DatabaseError)


def _key_pragma(key: bytes) -> str:
    if len(key) != 32:
        raise ValueError("a store key is 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect(path: Path, key: bytes, *, create: bool = False) -> Any:
    """A keyed DB-API connection in autocommit mode (transactions are explicit).

    Without `create`, the key is proven before anything is written: a wrong key raises
    WrongKeyError and leaves every file untouched.
    """
    if not create and not path.exists():
        raise FileNotFoundError(path)
    conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(_key_pragma(key))
        conn.execute("PRAGMA cipher_memory_security = OFF")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError:
            raise WrongKeyError(
                "the key does not open this store (or its first page is damaged);"
                " nothing was modified"
            ) from None
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA busy_timeout = 10000")
    except BaseException:
        conn.close()
        raise
    return conn


KeySource = Callable[[], bytes]


def _engine(path: Path, key: KeySource, *, writer: bool) -> Engine:
    """`key` is asked for each new connection, so a closed store cannot reconnect."""
    engine = create_engine(
        "sqlite://",
        module=sqlcipher,
        creator=lambda: connect(path, key()),
        poolclass=StaticPool if writer else QueuePool,
        **({} if writer else {"pool_size": 4, "max_overflow": 4}),
    )
    begin = "BEGIN IMMEDIATE" if writer else "BEGIN"

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


def writer_engine(path: Path, key: KeySource) -> Engine:
    """The single writer: every transaction takes the write lock up front."""
    return _engine(path, key, writer=True)


def reader_engine(path: Path, key: KeySource) -> Engine:
    return _engine(path, key, writer=False)


def create_database(path: Path, key: bytes) -> None:
    """Create an empty encrypted database file in WAL mode."""
    conn = connect(path, key, create=True)
    conn.close()


def driver(conn: Connection) -> Any:
    """The DB-API connection under a SQLAlchemy Connection, for hot paths where SQLAlchemy's
    per-statement overhead would dominate; it stays inside the Connection's transaction."""
    return conn.connection.driver_connection
