"""The photo strip of one record, without Qt: its photos, their thumbnails and sync badges.

`load_strip` runs on the worker and reads the record's photos with the thumbnails this laptop
holds. `PhotoStripState` keeps them, says each photo's sync state in words ("pending",
"uploading 40 %", "on server", "refused: <the server's words>", "not on this laptop" for
another device's photo whose thumbnail is not fetched yet), lists the thumbnails still to fetch
(when a server is linked), follows the sync's `sync.photo_progress` and `sync.photo` events
and turns a batch's refused files into the message under the strip.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldapp.core.photo_store import PhotoInfo, list_photos, photo_bytes
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.photos import AttachResult
from fieldapp.core.store import Store

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp")
IMAGE_FILTER = "Images (" + " ".join(f"*{s}" for s in IMAGE_SUFFIXES) + ");;All files (*)"
NOT_HERE = "not on this laptop"
BADGE_CHARS = 26  # under a thumbnail; the tooltip and the viewer say it all


def short(text: str, limit: int = BADGE_CHARS) -> str:
    """`text` cut to `limit` characters with an ellipsis (a long refusal under a thumbnail)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class StripLoad:
    target: PhotoTarget
    photos: list[PhotoInfo]
    thumbnails: dict[str, bytes]  # photo id -> the cached thumbnail JPEG
    can_fetch: bool  # a server is linked: missing thumbnails can be fetched


def load_strip(store: Store, target: PhotoTarget, can_fetch: bool = False) -> StripLoad:
    """On the worker: the record's photos and the thumbnails already on this laptop."""
    photos = list_photos(store, target)
    thumbnails: dict[str, bytes] = {}
    for photo in photos:
        if photo.thumbnail_cached:
            data = photo_bytes(store, photo.photo_id, thumbnail=True)
            if data is not None:
                thumbnails[photo.photo_id] = data
    return StripLoad(target, photos, thumbnails, can_fetch)


def state_words(photo: PhotoInfo, held: int | None = None, has_thumbnail: bool = True) -> str:
    """The photo's sync state in words (`held`: bytes the server holds, from the live sync)."""
    if not photo.cached and not has_thumbnail:
        return NOT_HERE
    state = photo.upload_state
    if state == "refused":
        return f"refused: {photo.refusal or 'refused by the server'}"
    if state == "on_server":
        return "on server"
    held = photo.held_bytes if held is None else held
    if state == "uploading" or held > 0:
        percent = 100 if photo.size <= 0 else min(100, held * 100 // photo.size)
        return f"uploading {percent} %"
    return "pending"


def tooltip(photo: PhotoInfo, words: str) -> str:
    lines = [photo.caption or photo.original_name or "Photo"]
    if photo.taken_at is not None:
        lines.append(f"Taken {photo.taken_at:%Y-%m-%d %H:%M}")
    lines.append(f"Sync: {words}")
    return "\n".join(lines)


def refusal_message(results: Sequence[AttachResult]) -> tuple[str, str]:
    """(text, tone) for the message under the strip after a batch was attached."""
    refused = [r.refusal for r in results if r.refusal]
    attached = sum(1 for r in results if r.ok and not r.duplicate)
    again = sum(1 for r in results if r.duplicate)
    parts = []
    if attached:
        parts.append(f"Attached {attached} photo{'s' if attached != 1 else ''}.")
    if again:
        parts.append(f"{again} already attached here.")
    if refused:
        parts.append(f"Not attached: {'; '.join(str(r) for r in refused)}.")
    tone = "error" if refused else "ok"
    return " ".join(parts) or "Nothing attached.", tone


def image_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The local files among dropped or pasted paths (every one: the attach refuses what is
    not an image, by its bytes, naming the file)."""
    found = []
    for item in paths:
        path = Path(item)
        if str(item) and path.is_file():
            found.append(path)
    return found


def looks_like_image(path: str | Path) -> bool:
    """A name a drag may offer as an image (the bytes decide when attached)."""
    return Path(path).suffix.casefold() in IMAGE_SUFFIXES


@dataclass(slots=True)
class PhotoStripState:
    target: PhotoTarget | None = None
    photos: list[PhotoInfo] = field(default_factory=list)
    thumbnails: dict[str, bytes] = field(default_factory=dict)
    can_fetch: bool = False
    held: dict[str, int] = field(default_factory=dict)  # sha256 -> bytes held (live sync)
    asked: set[str] = field(default_factory=set)  # thumbnails asked of the server already
    unavailable: set[str] = field(default_factory=set)  # the server has none (yet)

    def set_target(self, target: PhotoTarget | None) -> bool:
        """Show another record; True when it is a different one (reload it)."""
        if target == self.target:
            return False
        self.target = target
        self.photos, self.thumbnails, self.held = [], {}, {}
        self.asked, self.unavailable = set(), set()
        return True

    def apply(self, load: StripLoad) -> bool:
        """Take what the worker read; False when it is for a record no longer shown."""
        if load.target != self.target:
            return False
        self.photos = list(load.photos)
        self.thumbnails.update(load.thumbnails)
        self.can_fetch = load.can_fetch
        live = {p.sha256 for p in self.photos}
        self.held = {sha: n for sha, n in self.held.items() if sha in live}
        return True

    def words(self, photo: PhotoInfo) -> str:
        return state_words(photo, self.held.get(photo.sha256), photo.photo_id in self.thumbnails)

    def to_fetch(self) -> list[str]:
        """Photo ids whose thumbnails are to be fetched now (each asked once per record)."""
        if not self.can_fetch:
            return []
        wanted = [
            p.photo_id
            for p in self.photos
            if p.photo_id not in self.thumbnails and p.photo_id not in self.asked
        ]
        self.asked.update(wanted)
        return wanted

    def fetched(self, photo_id: str, data: bytes | None) -> bool:
        """A thumbnail came back (None: the server has none); True when shown changed."""
        if data is None:
            self.unavailable.add(photo_id)
            return False
        self.thumbnails[photo_id] = data
        return True

    def index_of(self, photo_id: str) -> int | None:
        return next((i for i, p in enumerate(self.photos) if p.photo_id == photo_id), None)

    def on_sync_event(self, name: str, details: dict[str, Any]) -> bool:
        """A sync event; True when one of the shown photos changed state (repaint; after
        `sync.photo`, reload: the store knows the final state)."""
        sha = str(details.get("sha256") or "")
        if not any(p.sha256 == sha for p in self.photos):
            return False
        if name == "sync.photo_progress":
            self.held[sha] = int(details.get("held_bytes") or 0)
            return True
        return name == "sync.photo"
