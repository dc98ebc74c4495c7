"""The connection pool: every connection acts as the non-owner app role, and every tenant
transaction sets `app.org_id`, so row-level security scopes what it can see and write."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from sync_server.settings import APP_ROLE

Conn = AsyncConnection[dict[str, Any]]
TENANT_SQL = "SELECT set_config('app.org_id', %s, true)"  # for this transaction only


async def _as_app_role(conn: Conn) -> None:
    await conn.execute(f"SET ROLE {APP_ROLE}")
    await conn.commit()


class Database:
    def __init__(self, url: str, *, max_size: int = 10) -> None:
        self.url = url
        self.pool: AsyncConnectionPool[Conn] = AsyncConnectionPool(
            url,
            min_size=1,
            max_size=max_size,
            open=False,
            configure=_as_app_role,
            kwargs={"row_factory": dict_row, "autocommit": False},
        )
        self._gates: dict[UUID, asyncio.Lock] = {}

    def org_gate(self, org_id: UUID) -> asyncio.Lock:
        """One writer per organization in this process, before any connection is taken: its
        batches queue here instead of each holding a pool connection while it waits for the
        org row lock (which still orders writers across processes)."""
        gate = self._gates.get(org_id)
        if gate is None:
            gate = self._gates[org_id] = asyncio.Lock()
        return gate

    async def open(self) -> None:
        await self.pool.open(wait=True, timeout=30)

    async def close(self) -> None:
        await self.pool.close()

    @asynccontextmanager
    async def tenant(self, org_id: UUID | str) -> AsyncIterator[Conn]:
        """One transaction scoped to the organization `org_id`."""
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute(TENANT_SQL, (str(org_id),))
            yield conn

    @asynccontextmanager
    async def unscoped(self) -> AsyncIterator[Conn]:
        """A transaction whose caller sets `app.org_id` itself (with TENANT_SQL), such as first
        in a pipeline; until it does, row-level security shows and accepts nothing."""
        async with self.pool.connection() as conn, conn.transaction():
            yield conn

    @asynccontextmanager
    async def public(self) -> AsyncIterator[Conn]:
        """A transaction with no tenant: sees only what policies allow everyone (org slugs)."""
        async with self.pool.connection() as conn, conn.transaction():
            yield conn

    def stats(self) -> dict[str, int]:
        return {k: int(v) for k, v in self.pool.get_stats().items()}
