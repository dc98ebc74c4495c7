"""What can go wrong talking to the sync server, each as one line a user can act on.

`retryable` errors (the network, a 5xx, a 429) are worth trying again after a pause, which the
server may name (`retry_after`, seconds); the others need a person or a different request.
"""

from __future__ import annotations


class SyncError(Exception):
    retryable = False

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unreachable(SyncError):
    """No answer: no network, the server is down, or the connection broke mid-request."""

    retryable = True


class ServerBusy(SyncError):
    """A 5xx, or 429 (this device is over its rate): the server asks us to come back later."""

    retryable = True


class TooLarge(SyncError):
    """413: the batch is over the server's limits; send fewer events at a time."""


class AuthRejected(SyncError):
    """401 that a token refresh cannot fix: the device must sign in again."""


class Refused(SyncError):
    """Any other 4xx: the server understood and said no (the problem detail says why)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class OffsetConflict(Refused):
    """409 on an upload chunk: the server holds `offset` bytes, not what the chunk was sent at
    (docs/photos-server.md)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message, 409)
        self.offset = offset


class SyncBusy(SyncError):
    """Another sync of this store is running (in this process or another)."""


class NotRegistered(SyncError):
    """The store is local-only or was never registered with a server."""
