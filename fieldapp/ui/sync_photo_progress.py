"""The photo part of the Sync screen's progress, without Qt: photos n of m and bytes sent.

After its push, a sync sends the queued photos' bytes (docs/photos.md "Sync") and tells its
listeners `sync.photo_progress` after every chunk (sha256, held_bytes, size: the photo being
sent) and `sync.photo` after every photo (state on_server | refused, photos_done, photos,
bytes_done, bytes). Photos go up two at a time, so chunks of two photos interleave: each
photo in flight is counted by what the server holds of it until its `sync.photo`.
`PhotoProgress` turns them into the line and the bar of the Sync screen.
"""

from __future__ import annotations

from typing import Any

BAR_UNIT = 1024  # the bar counts KiB: a Qt progress bar holds an int


def mb(size: int) -> str:
    """Bytes as the Sync screen says them: 0.4 MB, 12.3 MB."""
    return f"{size / (1024 * 1024):.1f} MB"


class PhotoProgress:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.active = False  # a photo was heard of in this sync
        self.done = self.total = 0  # photos
        self.bytes_done = self.bytes_total = 0  # of the photos finished, and of all
        self.in_flight: dict[str, tuple[int, int]] = {}  # sha256 -> (held, size) being sent
        self.refused: list[str] = []  # the server's words, one per refused photo

    def on_event(self, name: str, details: dict[str, Any]) -> bool:
        """Take `sync.photo_progress` or `sync.photo`; True when it was one of them."""
        if name == "sync.photo_progress":
            self.active = True
            sha = str(details.get("sha256") or "")
            held, size = int(details.get("held_bytes") or 0), int(details.get("size") or 0)
            self.in_flight[sha] = (min(held, size), size)
            return True
        if name == "sync.photo":
            self.active = True
            self.done = int(details.get("photos_done") or 0)
            self.total = int(details.get("photos") or 0)
            self.bytes_done = int(details.get("bytes_done") or 0)
            self.bytes_total = int(details.get("bytes") or 0)
            self.in_flight.pop(str(details.get("sha256") or ""), None)
            if details.get("state") == "refused":
                self.refused.append(str(details.get("refusal") or "refused by the server"))
            return True
        return False

    @property
    def held_in_flight(self) -> int:
        return sum(held for held, _size in self.in_flight.values())

    @property
    def sent_bytes(self) -> int:
        """Bytes of this sync's photos the server holds: the finished ones and those in
        flight."""
        return self.bytes_done + self.held_in_flight

    def line(self) -> str:
        """'Sending photos: 2 of 5, 1.2 of 3.4 MB' while sending."""
        if self.total:
            sending = min(self.done + len(self.in_flight), self.total)
            total = max(self.bytes_total, self.sent_bytes)
            return (
                f"Sending photos: {sending} of {self.total},"
                f" {mb(self.sent_bytes)} of {mb(total)}" + self._refused()
            )
        if self.in_flight:  # the first photos, before the totals are known
            size = sum(size for _held, size in self.in_flight.values())
            what = "a photo" if len(self.in_flight) == 1 else f"{len(self.in_flight)} photos"
            return f"Sending {what}: {mb(self.held_in_flight)} of {mb(size)}"
        return ""

    def bar(self) -> tuple[int, int]:
        """(value, maximum) in KiB; (0, 0) until a total is known."""
        total = max(self.bytes_total, self.sent_bytes)
        if self.total and total:
            return self.sent_bytes // BAR_UNIT, max(total // BAR_UNIT, 1)
        if self.in_flight:
            size = sum(size for _held, size in self.in_flight.values())
            return self.held_in_flight // BAR_UNIT, max(size // BAR_UNIT, 1)
        return 0, 0

    def summary(self) -> str:
        """For the finished line: 'photos: 3 of 3 sent (4.1 MB), 1 refused'."""
        if not self.total:
            return ""
        return f"photos: {self.done} of {self.total} sent ({mb(self.bytes_done)})" + (
            self._refused()
        )

    def _refused(self) -> str:
        count = len(self.refused)
        return f", {count} refused ({self.refused[-1]})" if count else ""
