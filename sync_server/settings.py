"""Server settings, read once from the environment (docs/architecture.md)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

APP_ROLE = "wellpulse_app"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "wellpulse-server"


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str | None  # None: the embedded PostgreSQL under data_dir/pg
    jwt_secret: str
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    rate_limit_per_minute: int = 120
    upload_rate_per_minute: int = 1200  # upload requests (chunks of <= 1 MiB) a device may send
    max_batch_events: int = 500
    max_body_bytes: int = 2 * 1024 * 1024
    photo_store: str = ""  # "": DATA/photos; "s3://bucket/prefix": an S3-compatible store
    s3_endpoint: str | None = None  # for a store that is not AWS (MinIO, Ceph…)

    @classmethod
    def from_env(cls, data_dir: Path | None = None) -> Settings:
        folder = data_dir or Path(os.environ.get("WELLPULSE_DATA_DIR") or default_data_dir())
        return cls(
            data_dir=folder,
            database_url=os.environ.get("DATABASE_URL") or None,
            jwt_secret=os.environ.get("WELLPULSE_JWT_SECRET") or jwt_secret_file(folder),
            access_token_minutes=int(os.environ.get("WELLPULSE_ACCESS_MINUTES", "15")),
            rate_limit_per_minute=int(os.environ.get("WELLPULSE_RATE_LIMIT", "120")),
            upload_rate_per_minute=int(os.environ.get("WELLPULSE_UPLOAD_RATE_LIMIT", "1200")),
            photo_store=os.environ.get("WELLPULSE_PHOTO_STORE", ""),
            s3_endpoint=os.environ.get("WELLPULSE_S3_ENDPOINT") or None,
        )


def jwt_secret_file(folder: Path) -> str:
    """The signing key for the embedded default: made once, kept with 0600 permissions."""
    path = folder / "jwt.key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, secrets.token_hex(32).encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    return path.read_text().strip()
