"""Photos between two `fieldapp` laptops through a real `sync-server run` process: the metadata
travels with the events (the bytes by the upload protocol, fieldapp.sync's part)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fieldkit import run_cli
from live_server import LiveServer
from photocorekit import GPS_LAT, GPS_LON, write_jpeg

from .test_cli_sync import ok, two_devices

pytestmark = pytest.mark.slow


def photos(folder: Path) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = json.loads(ok(run_cli(folder, "photo", "list", "--json")))
    return result


def test_a_photo_attached_on_one_laptop_is_listed_on_the_other_with_its_metadata(
    live_server: LiveServer, database_url: str, tmp_path: Path
) -> None:
    _, (api,), a, b = two_devices(live_server, database_url, tmp_path, 1)
    picked = write_jpeg(
        tmp_path / "spill.jpg", taken=datetime(2026, 11, 19, 8, 30), gps=(GPS_LAT, GPS_LON)
    )
    ok(run_cli(a, "photo", "add", "--to", f"well:{api}", str(picked), "--caption", "spill"))
    for folder in (a, b):
        assert "pending=0" in ok(run_cli(folder, "sync"))
    (mine,), (theirs,) = photos(a), photos(b)
    same = ("photo_id", "sha256", "size", "width", "height", "taken_at", "caption", "camera")
    assert {k: theirs[k] for k in same} == {k: mine[k] for k in same}
    assert theirs["latitude"] == pytest.approx(GPS_LAT, abs=1e-4)
    assert (theirs["location_source"], theirs["original_name"]) == ("photo", "spill.jpg")
    assert (theirs["cached"], theirs["upload_state"]) == (False, "on_server")  # bytes on demand
    assert mine["cached"] is True

    ok(run_cli(a, "photo", "caption", mine["photo_id"], "spill at the tank battery"))
    for folder in (a, b):
        ok(run_cli(folder, "sync"))
    assert photos(b)[0]["caption"] == "spill at the tank battery"
    ok(run_cli(b, "photo", "remove", mine["photo_id"], "--reason", "duplicate"))
    for folder in (b, a):
        ok(run_cli(folder, "sync"))
    assert photos(a) == photos(b) == []
    for folder in (a, b):
        assert "ok:" in ok(run_cli(folder, "verify"))
