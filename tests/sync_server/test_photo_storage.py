"""The photo storage on disk: content-addressed names that cannot climb out of the tree,
atomic writes, and the staging area of partial uploads."""

from __future__ import annotations

import hashlib
from pathlib import Path
from uuid import uuid4

import pytest

from sync_server.services.photo_storage import DirectoryStorage, Staging

NAME = hashlib.sha256(b"photo").hexdigest()


def test_writing_the_same_name_twice_keeps_the_first_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    storage = DirectoryStorage(tmp_path)
    org = uuid4()
    storage.put(org, NAME, b"photo")
    storage.put(org, NAME, b"other")
    assert storage.get(org, NAME) == b"photo"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [NAME]


@pytest.mark.parametrize("name", ["../../etc/passwd", NAME.upper(), NAME + ".jpg", "", "a" * 63])
def test_a_name_that_is_not_a_hash_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="not a photo storage name"):
        DirectoryStorage(tmp_path).put(uuid4(), name, b"x")


def test_a_chunk_sent_again_at_the_same_offset_replaces_what_followed(tmp_path: Path) -> None:
    staging = Staging(tmp_path)
    upload = uuid4()
    staging.write_at(upload, 0, b"abcdef")
    staging.write_at(upload, 3, b"XY")  # the answer to a chunk at 3 was lost: sent again
    assert staging.read(upload) == b"abcXY"
    assert staging.size(upload) == 5
    assert staging.files() == [tmp_path / f"{upload}.part"]
    staging.discard(upload)
    assert (staging.size(upload), staging.files()) == (0, [])
