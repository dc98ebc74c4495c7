"""SettingsStore: preferences survive a restart in the data folder's settings.ini."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from fieldapp.core.preferences import Preferences
from fieldapp.ui.settings_store import SETTINGS_FILE, SettingsStore
from shared.units import UnitSystem


def test_saved_preferences_are_read_back_by_a_new_instance(qtbot: QtBot, tmp_path: Path) -> None:
    assert SettingsStore.for_data_dir(tmp_path).load() == Preferences()
    chosen = Preferences(units=UnitSystem.METRIC, autolock_minutes=3, theme="sunlight")
    SettingsStore.for_data_dir(tmp_path).save(chosen)
    assert (tmp_path / SETTINGS_FILE).exists()
    assert SettingsStore.for_data_dir(tmp_path).load() == chosen
