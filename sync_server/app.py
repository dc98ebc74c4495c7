"""create_app(settings) -> Starlette; the database pool is made in lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Route

from sync_server.db.embedded import start_embedded
from sync_server.db.migrate import upgrade
from sync_server.db.pool import Database
from sync_server.endpoints import (
    analytics,
    auth,
    docs,
    health,
    org_settings,
    photos,
    review,
    sync,
)
from sync_server.observability import Metrics, RequestMiddleware, metrics_endpoint
from sync_server.problems import Problem, on_http_error, on_problem, on_unexpected
from sync_server.ratelimit import RateLimiter, RateLimitMiddleware
from sync_server.services.auth import TokenSettings
from sync_server.services.photo_backends import storage_for
from sync_server.services.uploads import Photos
from sync_server.settings import Settings


def database_url(settings: Settings) -> str:
    """DATABASE_URL, or the embedded server under the data dir (started on demand)."""
    return settings.database_url or start_embedded(settings.data_dir)


def create_app(settings: Settings, *, migrate: bool = True) -> Starlette:
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        url = await anyio.to_thread.run_sync(database_url, settings)
        if migrate:
            await anyio.to_thread.run_sync(upgrade, url)
        db = Database(url)
        await db.open()
        app.state.db = db
        stores = storage_for(settings.data_dir, settings.photo_store, settings.s3_endpoint)
        app.state.photos = Photos(db, *stores)
        try:
            yield
        finally:
            await db.close()

    app = Starlette(
        routes=[
            Route("/healthz", health.healthz),
            Route("/readyz", health.readyz),
            Route("/api/v1/auth/login", auth.login, methods=["POST"]),
            Route("/api/v1/auth/refresh", auth.refresh, methods=["POST"]),
            Route("/api/v1/me", auth.me),
            Route("/api/v1/sync/batch", sync.batch, methods=["POST"]),
            Route("/api/v1/sync/changes", sync.changes),
            Route("/api/v1/conflicts", review.conflicts),
            Route("/api/v1/quarantine", review.quarantine),
            Route("/api/v1/analytics/series", analytics.series),
            Route("/api/v1/analytics/wells/{well_id}/trend", analytics.trend),
            Route("/api/v1/analytics/wells/{well_id}/anomalies", analytics.anomalies),
            Route("/api/v1/analytics/wells/{well_id}/forecast", analytics.forecast),
            Route("/api/v1/analytics/wells/{well_id}/decline", analytics.decline),
            Route("/api/v1/settings/validation", org_settings.validation, methods=["GET"]),
            Route("/api/v1/settings/validation", org_settings.change_validation, methods=["PATCH"]),
            Route("/api/v1/uploads", photos.create_upload, methods=["POST"]),
            Route("/api/v1/uploads/{upload_id}", photos.upload_offset, methods=["HEAD"]),
            Route("/api/v1/uploads/{upload_id}", photos.upload_chunk, methods=["PATCH"]),
            Route("/api/v1/photos/{photo_id}", photos.photo),
            Route("/api/v1/photos/{photo_id}/thumbnail", photos.thumbnail),
            Route("/metrics", metrics_endpoint),
            Route("/api/v1/openapi.json", docs.openapi),
        ],
        exception_handlers={
            Problem: on_problem,
            HTTPException: on_http_error,
            Exception: on_unexpected,
        },
        middleware=[
            Middleware(RequestMiddleware, metrics=metrics),
            Middleware(
                RateLimitMiddleware,
                limiter=RateLimiter(settings.rate_limit_per_minute),
                uploads=RateLimiter(settings.upload_rate_per_minute),
            ),
        ],
        lifespan=lifespan,
    )
    app.state.metrics = metrics
    app.state.settings = settings
    app.state.tokens = TokenSettings(
        settings.jwt_secret, settings.access_token_minutes, settings.refresh_token_days
    )
    return app
