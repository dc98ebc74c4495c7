"""Where the server keeps photo bytes (docs/photos-server.md "Storage"), behind a small
interface so a deployment can outgrow one disk.

`DirectoryStorage` (the default): a content-addressed tree under the server's data directory,
`photos/<org id>/<ab>/<cd>/<name>`, each file written atomically (a temporary file in the same
folder, flushed and fsynced, then `os.replace`, which is atomic on Windows as on POSIX), so a
crash never leaves half a photo under its final name. Names are the stored bytes' sha256 (and
`.thumb` for a thumbnail): writing the same bytes twice is a no-op.

Partial uploads are staged apart (`Staging`): `uploads/<upload id>.part` under the data
directory, appended chunk by chunk at the offset the database says, whatever the storage.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Protocol
from uuid import UUID

_NAME = re.compile(r"^[0-9a-f]{64}(\.thumb)?$")


class PhotoStorage(Protocol):
    """The bytes of an organization's photos by name (a sha256, or a sha256 + '.thumb')."""

    def put(self, org_id: UUID, name: str, data: bytes) -> None: ...

    def get(self, org_id: UUID, name: str) -> bytes | None: ...

    def delete(self, org_id: UUID, name: str) -> None: ...


def checked_name(name: str) -> str:
    """Names are hashes: nothing a caller passes can climb out of the tree."""
    if not _NAME.match(name):
        raise ValueError(f"not a photo storage name: {name!r}")
    return name


def write_atomically(path: Path, data: bytes) -> None:
    """`data` at `path` all or nothing: a temporary file beside it, fsynced, then replaced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class DirectoryStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, org_id: UUID, name: str) -> Path:
        name = checked_name(name)
        return self.root / str(org_id) / name[:2] / name[2:4] / name

    def put(self, org_id: UUID, name: str, data: bytes) -> None:
        path = self.path(org_id, name)
        if not path.exists():
            write_atomically(path, data)

    def get(self, org_id: UUID, name: str) -> bytes | None:
        try:
            return self.path(org_id, name).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, org_id: UUID, name: str) -> None:
        self.path(org_id, name).unlink(missing_ok=True)


class Staging:
    """The bytes of uploads not yet complete, one file per upload."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, upload_id: UUID) -> Path:
        return self.root / f"{UUID(str(upload_id))}.part"

    def write_at(self, upload_id: UUID, offset: int, chunk: bytes) -> None:
        """`chunk` at `offset`, anything after it dropped (a chunk whose answer was lost is
        sent again at the same offset), flushed to disk before the offset is committed."""
        path = self.path(upload_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "r+b" if path.exists() else "w+b") as out:
            out.seek(offset)
            out.write(chunk)
            out.truncate()
            out.flush()
            os.fsync(out.fileno())

    def read(self, upload_id: UUID) -> bytes:
        return self.path(upload_id).read_bytes()

    def size(self, upload_id: UUID) -> int:
        try:
            return self.path(upload_id).stat().st_size
        except FileNotFoundError:
            return 0

    def discard(self, upload_id: UUID) -> None:
        self.path(upload_id).unlink(missing_ok=True)

    def files(self) -> list[Path]:
        """Every staged file (the clean-up looks for those no upload owns)."""
        return sorted(self.root.glob("*.part")) if self.root.is_dir() else []
