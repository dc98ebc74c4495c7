"""Errors of the device core; each message is one line a user can act on."""

from __future__ import annotations

from collections.abc import Sequence

from shared.validation import Issue


class StoreError(Exception):
    """Base of every expected failure of the local store."""


class StoreNotFoundError(StoreError):
    pass


class StoreExistsError(StoreError):
    pass


class WrongKeyError(StoreError):
    """The key or passphrase does not open this store; nothing was modified."""


class LockedError(StoreError):
    """No key is available (no keystore entry and no passphrase given)."""


class WrongThreadError(StoreError):
    """The store was used from a thread it is guarded against (the GUI thread, in debug)."""


class UnknownWellError(StoreError):
    pass


class UnknownRecordError(StoreError):
    pass


class DuplicateRecordError(StoreError):
    pass


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


class ValidationFailedError(StoreError):
    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        errors = [i for i in self.issues if i.severity == "error"]
        shown = errors or self.issues
        super().__init__(" ".join(_sentence(f"{i.field}: {i.message}") for i in shown))


class IntegrityError(StoreError):
    """The store failed verification (cipher, hash chain or projections)."""
