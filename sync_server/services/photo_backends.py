"""Which photo storage the server uses (docs/photos-server.md "Storage"): the directory tree
under its data directory, or the S3-compatible store a setting names; partial uploads are
staged under the data directory either way."""

from __future__ import annotations

from pathlib import Path

from sync_server.services.photo_storage import DirectoryStorage, PhotoStorage, Staging


def storage_for(
    data_dir: Path, store_url: str = "", endpoint: str | None = None
) -> tuple[PhotoStorage, Staging]:
    """The server's photo storage (the tree under its data directory, or the S3 store
    `store_url` names) and its staging area under the data directory."""
    staging = Staging(data_dir / "uploads")
    if store_url:
        from sync_server.services.s3_storage import s3_storage  # boto3 only when asked for

        return s3_storage(store_url, endpoint), staging
    return DirectoryStorage(data_dir / "photos"), staging
