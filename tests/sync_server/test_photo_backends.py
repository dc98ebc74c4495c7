"""Which storage the server keeps photos in: by default the content-addressed tree under its
data directory (the S3 choice is tested against moto in test_s3_storage.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from uuid import uuid4

from sync_server.services.photo_backends import storage_for
from sync_server.services.photo_storage import DirectoryStorage, Staging

NAME = hashlib.sha256(b"photo").hexdigest()


def test_bytes_are_kept_by_name_under_their_organization(tmp_path: Path) -> None:
    storage, _ = storage_for(tmp_path)
    org, other = uuid4(), uuid4()
    storage.put(org, NAME, b"photo")
    storage.put(org, f"{NAME}.thumb", b"thumb")
    assert storage.get(org, NAME) == b"photo"
    assert storage.get(org, f"{NAME}.thumb") == b"thumb"
    assert storage.get(other, NAME) is None  # another organization's tree
    assert (tmp_path / "photos" / str(org) / NAME[:2] / NAME[2:4] / NAME).read_bytes() == b"photo"
    storage.delete(org, NAME)
    assert storage.get(org, NAME) is None


def test_without_a_store_setting_photos_go_under_the_data_directory(tmp_path: Path) -> None:
    storage, staging = storage_for(tmp_path)
    assert isinstance(storage, DirectoryStorage) and storage.root == tmp_path / "photos"
    assert isinstance(staging, Staging) and staging.root == tmp_path / "uploads"
