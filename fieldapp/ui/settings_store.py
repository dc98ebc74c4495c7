"""Preferences kept in the data folder's `settings.ini` (QSettings, INI format).

One file per data folder: two stores on one laptop keep their own units and lock time, and a
test's temporary folder never reads the developer's settings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from fieldapp.core.preferences import Preferences

SETTINGS_FILE = "settings.ini"
_GROUP = "preferences"


class SettingsStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> SettingsStore:
        return cls(data_dir / SETTINGS_FILE)

    def load(self) -> Preferences:
        self._settings.sync()
        self._settings.beginGroup(_GROUP)
        try:
            values = {key: self._settings.value(key) for key in self._settings.childKeys()}
        finally:
            self._settings.endGroup()
        return Preferences.from_mapping(values)

    def save(self, preferences: Preferences) -> None:
        self._settings.beginGroup(_GROUP)
        try:
            for key, value in preferences.to_mapping().items():
                self._settings.setValue(key, value)
        finally:
            self._settings.endGroup()
        self._settings.sync()
