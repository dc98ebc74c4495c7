"""The OS keystore (Windows Credential Locker, macOS Keychain, Secret Service) via `keyring`.

Every keystore failure degrades to "no keystore": the passphrase path still works.
"""

from __future__ import annotations

import logging
from typing import Any

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

SERVICE = "wellpulse-field"

log = logging.getLogger(__name__)

_UNUSABLE_BACKENDS = {"keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"}


def _backend_name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


class Keystore:
    """Stores raw store keys (hex) under the store id; `backend=None` uses keyring's default."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    @property
    def backend(self) -> KeyringBackend:
        return self._backend or keyring.get_keyring()

    def usable(self) -> bool:
        backend = self.backend
        if _backend_name(backend) in _UNUSABLE_BACKENDS:
            return False
        inner = getattr(backend, "backends", None)
        return inner is None or len(inner) > 0

    def load(self, store_id: str, name: str = "store-key") -> bytes | None:
        text = self.load_text(store_id, name)
        if text is None:
            return None
        try:
            return bytes.fromhex(text)
        except ValueError:
            log.warning("keystore entry for %s is not a key; ignoring it", store_id)
            return None

    def load_text(self, store_id: str, name: str) -> str | None:
        if not self.usable():
            return None
        try:
            value = self.backend.get_password(SERVICE, f"{store_id}:{name}")
        except keyring.errors.KeyringError as exc:
            log.warning("keystore unavailable: %s", exc)
            return None
        return value

    def save(self, store_id: str, key: bytes, name: str = "store-key") -> bool:
        return self.save_text(store_id, name, key.hex())

    def save_text(self, store_id: str, name: str, value: str) -> bool:
        if not self.usable():
            return False
        try:
            self.backend.set_password(SERVICE, f"{store_id}:{name}", value)
        except keyring.errors.KeyringError as exc:
            log.warning("could not write to the keystore: %s", exc)
            return False
        return True

    def delete(self, store_id: str, name: str = "store-key") -> None:
        if not self.usable():
            return
        try:
            self.backend.delete_password(SERVICE, f"{store_id}:{name}")
        except keyring.errors.KeyringError:
            log.debug("no keystore entry to delete for %s", store_id)
