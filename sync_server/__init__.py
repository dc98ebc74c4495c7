"""WellPulse Field sync server (Starlette over Postgres). Built in the sync-server issue."""
