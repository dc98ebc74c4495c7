"""A file-backed keyring backend for subprocess tests of keystore mode.

Selected in a child process with `PYTHON_KEYRING_BACKEND=file_keyring.FileKeyring` (with this
folder on PYTHONPATH); the entries live as JSON in the file named by `TEST_KEYRING_FILE`.
Deleting that file is a "keystore reset". Never import this module in the pytest process:
defining a backend class registers it with keyring's auto-detection.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    @staticmethod
    def _path() -> Path:
        return Path(os.environ["TEST_KEYRING_FILE"])

    def _load(self) -> dict[str, str]:
        try:
            data: dict[str, str] = json.loads(self._path().read_text("utf-8"))
        except FileNotFoundError:
            return {}
        return data

    def _save(self, data: dict[str, str]) -> None:
        path = self._path()
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(data, sort_keys=True), "utf-8")
        os.replace(tmp, path)

    @staticmethod
    def _entry(service: str, username: str) -> str:
        return f"{service}\x1f{username}"

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(self._entry(service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[self._entry(service, username)] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(self._entry(service, username), None) is None:
            raise PasswordDeleteError(username)
        self._save(data)
