"""Postgres: the embedded server, connection pools, Alembic migrations, row-level security."""
