"""The store key: a random 32-byte raw SQLCipher key, kept in the OS keystore and wrapped by a
passphrase-derived key (Argon2id + AES-256-GCM) in `keys.json` beside the database.

The passphrase always unlocks the store, so a reset keystore never locks an operator out. A key
check value (HMAC of a constant under the data key) lets a stale keystore entry be detected
without touching the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from fieldapp.core.atomic import write_private
from fieldapp.core.errors import StoreError, WrongKeyError

KEY_FILE_NAME = "keys.json"
KEY_FILE_FORMAT = 1
KEY_BYTES = 32
MIN_PASSPHRASE_CHARS = 8
_CHECK_LABEL = b"wellpulse-field key check v1"

log = logging.getLogger(__name__)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id parameters; stored with the salt so they can be raised for new stores."""

    salt: bytes
    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 2

    @classmethod
    def fresh(cls) -> KdfParams:
        return cls(salt=secrets.token_bytes(16))

    def derive(self, passphrase: str) -> bytes:
        return hash_secret_raw(
            passphrase.encode("utf-8"),
            self.salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_kib,
            parallelism=self.parallelism,
            hash_len=KEY_BYTES,
            type=Type.ID,
        )


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def key_check(data_key: bytes) -> str:
    return hmac.new(data_key, _CHECK_LABEL, hashlib.sha256).hexdigest()


def check_passphrase_strength(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise StoreError(f"passphrase must have at least {MIN_PASSPHRASE_CHARS} characters")


@dataclass(frozen=True, slots=True)
class KeyFile:
    """What `keys.json` holds. Nothing in it reveals the data key without the passphrase."""

    store_id: str
    kdf: KdfParams
    nonce: bytes
    wrapped_key: bytes
    check: str
    use_keystore: bool

    @classmethod
    def create(
        cls, store_id: str, data_key: bytes, passphrase: str, *, use_keystore: bool
    ) -> KeyFile:
        check_passphrase_strength(passphrase)
        kdf = KdfParams.fresh()
        nonce, wrapped = _wrap(data_key, kdf.derive(passphrase), store_id)
        return cls(store_id, kdf, nonce, wrapped, key_check(data_key), use_keystore)

    def unwrap(self, passphrase: str) -> bytes:
        """The data key, or WrongKeyError when the passphrase is not this store's."""
        try:
            data_key = AESGCM(self.kdf.derive(passphrase)).decrypt(
                self.nonce, self.wrapped_key, self.store_id.encode()
            )
        except InvalidTag:
            raise WrongKeyError("wrong passphrase: the store was not opened") from None
        if not self.matches(data_key):
            raise WrongKeyError("key file is inconsistent: the wrapped key fails its check")
        return data_key

    def matches(self, data_key: bytes) -> bool:
        return hmac.compare_digest(key_check(data_key), self.check)

    def rewrapped(self, data_key: bytes, passphrase: str) -> KeyFile:
        """The same store with a new data key (rekey) or a new passphrase, fresh salt and nonce."""
        check_passphrase_strength(passphrase)
        kdf = KdfParams.fresh()
        nonce, wrapped = _wrap(data_key, kdf.derive(passphrase), self.store_id)
        return replace(self, kdf=kdf, nonce=nonce, wrapped_key=wrapped, check=key_check(data_key))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": KEY_FILE_FORMAT,
            "store_id": self.store_id,
            "kdf": {
                "name": "argon2id",
                "salt": _b64(self.kdf.salt),
                "time_cost": self.kdf.time_cost,
                "memory_kib": self.kdf.memory_kib,
                "parallelism": self.kdf.parallelism,
            },
            "cipher": "aes-256-gcm",
            "nonce": _b64(self.nonce),
            "wrapped_key": _b64(self.wrapped_key),
            "key_check": self.check,
            "use_keystore": self.use_keystore,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KeyFile:
        if data.get("format") != KEY_FILE_FORMAT:
            raise StoreError(f"unsupported key file format {data.get('format')!r}")
        kdf = data["kdf"]
        return cls(
            store_id=str(data["store_id"]),
            kdf=KdfParams(
                salt=_unb64(kdf["salt"]),
                time_cost=int(kdf["time_cost"]),
                memory_kib=int(kdf["memory_kib"]),
                parallelism=int(kdf["parallelism"]),
            ),
            nonce=_unb64(data["nonce"]),
            wrapped_key=_unb64(data["wrapped_key"]),
            check=str(data["key_check"]),
            use_keystore=bool(data["use_keystore"]),
        )

    def save(self, folder: Path, name: str = KEY_FILE_NAME) -> None:
        payload = json.dumps(self.to_json(), indent=2, sort_keys=True) + "\n"
        write_private(folder / name, payload.encode())

    @classmethod
    def load(cls, folder: Path, name: str = KEY_FILE_NAME) -> KeyFile:
        path = folder / name
        try:
            return cls.from_json(json.loads(path.read_text("utf-8")))
        except FileNotFoundError:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"key file {path} is damaged: {exc}") from None


def _wrap(data_key: bytes, kek: bytes, store_id: str) -> tuple[bytes, bytes]:
    nonce = secrets.token_bytes(12)
    return nonce, AESGCM(kek).encrypt(nonce, data_key, store_id.encode())
