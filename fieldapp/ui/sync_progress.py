"""The Sync screen's progress line and bar, without Qt: driven by the sync's named events
(`sync.started`, `sync.pushed`, `sync.pulled`, `sync.retrying`, `sync.finished`,
`sync.failed`, `connectivity.offline`), the photo upload's (`sync.photo_progress`,
`sync.photo`: `PhotoProgress`) and by Sync now.
"""

from __future__ import annotations

from typing import Any, Literal

from fieldapp.ui.sync_photo_progress import PhotoProgress

ProgressState = Literal["idle", "running", "done", "failed", "offline"]


class SyncProgress:
    """The Sync screen's progress line and bar, driven by the sync's events."""

    def __init__(self) -> None:
        self.state: ProgressState = "idle"
        self.pending = 0  # what was waiting when last looked (the bar's length at start)
        self.expected = self.sent = self.received = 0
        self.counts: dict[str, int] = {}
        self.error = ""  # the last failed sync's reason
        self.photos = PhotoProgress()
        self.text = "Sync runs by itself while the server answers; Sync now starts one at once."

    def request(self) -> bool:
        """The operator pressed Sync now; True when the line changed (no sync is running)."""
        if self.state == "running":
            return False
        self.text = (
            "The server could not be reached; trying it again now. The sync starts as"
            " soon as it answers."
            if self.state == "offline"
            else "Sync requested: starting…"
        )
        return True

    def bar(self) -> tuple[int, int]:
        """(value, maximum) of the progress bar; maximum 0 is a busy bar."""
        if self.state == "running":
            if self.photos.active:  # the events are sent: the bar follows the photo bytes
                return self.photos.bar()
            return (self.sent, self.expected) if self.expected else (0, 0)
        if self.state == "done":
            return 1, 1
        return min(self.sent, self.expected), max(self.expected, 1)

    def on_event(self, name: str, details: dict[str, Any]) -> bool:
        """Take one sync event; True when what is shown changed."""
        if name == "sync.started":
            self.state, self.sent, self.received, self.counts = "running", 0, 0, {}
            self.error = ""
            self.photos.reset()
            self.expected = self.pending
            self.text = (
                f"Syncing: sending {self.expected} change(s)…"
                if self.expected
                else "Syncing: checking the server for changes…"
            )
        elif name == "sync.pushed":
            self.sent += int(details.get("sent") or 0)
            self.expected = max(self.expected, self.sent)
            for status, count in dict(details.get("counts") or {}).items():
                self.counts[status] = self.counts.get(status, 0) + int(count)
            self.text = f"Syncing: sent {self.sent} of {self.expected}{self._counts()}"
        elif name == "sync.pulled":
            self.received += int(details.get("applied") or 0)
            self.text = (
                f"Syncing: sent {self.sent} of {self.expected}{self._counts()},"
                f" received {self.received} change(s)"
            )
        elif self.photos.on_event(name, details):
            self.text = self.photos.line() or self.text
        elif name == "sync.retrying":
            self.text = (
                f"Connection problem ({details.get('error')}); trying again in"
                f" {float(details.get('pause') or 0):.0f} s…"
            )
        elif name == "sync.finished":
            self.state = "done"
            self.text = self._finished(details.get("report"))
        elif name == "sync.failed":
            self.state, self.error = "failed", str(details.get("error") or "unknown error")
            self.text = f"Sync failed: {self.error}"
        elif name == "connectivity.offline":
            self.state = "offline"
            why = f" ({self.error})" if self.error else ""
            self.text = f"Offline: the server cannot be reached{why}. Sync resumes when it answers."
        else:
            return False
        return True

    def _counts(self) -> str:
        if not self.counts:
            return ""
        return " (" + ", ".join(f"{n} {s}" for s, n in sorted(self.counts.items())) + ")"

    def _finished(self, report: Any) -> str:
        pending = int(getattr(report, "pending", 0) or 0)
        conflicts = int(getattr(report, "conflicts", 0) or 0)
        rejected = int(getattr(report, "rejected", 0) or 0)
        self.received = max(self.received, int(getattr(report, "pulled", 0) or 0))
        parts = [
            f"Sync finished: sent {self.sent}{self._counts()}, received {self.received} change(s)"
        ]
        parts.append(f"{pending} still waiting" if pending else "nothing left to send")
        if conflicts:
            parts.append(f"{conflicts} conflict(s) to resolve")
        if rejected:
            parts.append(f"{rejected} rejected record(s) to fix")
        if self.photos.summary():
            parts.append(self.photos.summary())
        return "; ".join(parts) + "."
