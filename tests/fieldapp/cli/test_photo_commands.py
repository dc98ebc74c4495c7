"""`fieldapp photo add|list|export|remove|caption|uploads|retry` on a real store (docs/photos.md).

The user errors of these commands are cases of tests/support/clikit.py's table (one line on
stderr, nothing changed), run by test_program.py."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from clikit import API_A, NORM_A, ok, open_store, run_all, sh
from fieldkit import CliResult, assert_user_error, create_store, days_ago
from photocorekit import GPS_LAT, GPS_LON, write_jpeg, write_not_an_image, write_png

from fieldapp.core.maintenance import log_maintenance
from fieldapp.core.photo_uploads import mark_upload
from shared.contracts import MaintenanceLogged


@dataclass(frozen=True)
class PhotoRun:
    data: Path
    files: Path
    maintenance_id: str
    added: CliResult  # photo add of two good files and one SVG to the maintenance entry
    on_well: CliResult  # photo add of a PNG to the well by API number


@pytest.fixture(scope="session")
def photo_run(tmp_path_factory: pytest.TempPathFactory) -> PhotoRun:
    root = tmp_path_factory.mktemp("photo-cli")
    data, files = root / "store", root / "files"
    files.mkdir()
    with create_store(data, [(API_A, "Alpha 1")]) as store:
        with store.read() as conn:
            well_id = conn.exec_driver_sql("SELECT well_id FROM wells").scalar_one()
        entry = log_maintenance(
            store,
            MaintenanceLogged(well_id=well_id, performed_on=days_ago(1), maintenance_type="Pump"),
        )
    gauge = write_jpeg(
        files / "gauge.jpg", seed=1, taken=datetime(2026, 11, 19, 8, 30), gps=(GPS_LAT, GPS_LON)
    )
    box = write_jpeg(files / "box.jpg", seed=2, taken=datetime(2026, 11, 18, 7, 0))
    svg = write_not_an_image(files / "drawing.jpg")
    png = write_png(files / "screen.png")
    target = f"maintenance:{entry.maintenance_id}"
    # one after the other: a store has one writer at a time (docs/design.md)
    added = sh(data, f"photo add --to {target} {gauge} {svg} {box} --caption 'gauge dial'")
    on_well = sh(data, f"photo add --to well:{API_A} {png}")
    return PhotoRun(data, files, entry.maintenance_id, added, on_well)


def _listed(run: PhotoRun, *options: str) -> list[dict[str, object]]:
    return list(json.loads(ok(sh(run.data, " ".join(["photo list --json", *options]))).stdout))


def test_add_prints_a_line_per_file_and_fails_when_one_was_refused(photo_run: PhotoRun) -> None:
    result = photo_run.added
    lines = result.stdout.splitlines()
    assert len(lines) == 3, result
    assert lines[0].startswith("attached ") and lines[0].endswith("gauge.jpg")
    assert lines[1].startswith(f"refused: {photo_run.files / 'drawing.jpg'} ")
    assert "image" in lines[1]
    assert lines[2].startswith("attached ") and lines[2].endswith("box.jpg")
    assert "1 of 3 files refused" in assert_user_error(result)
    assert ok(photo_run.on_well).stdout.startswith("attached ")


def test_list_shows_every_photo_newest_first_with_its_details(photo_run: PhotoRun) -> None:
    listed = _listed(photo_run, "--to", f"maintenance:{photo_run.maintenance_id}")
    assert [p["original_name"] for p in listed] == ["gauge.jpg", "box.jpg"]
    gauge = listed[0]
    assert gauge["caption"] == "gauge dial" and gauge["upload_state"] == "pending"
    assert gauge["taken_at"] == "2026-11-19T08:30:00"
    assert gauge["latitude"] == pytest.approx(GPS_LAT, abs=1e-4)
    assert (gauge["width"], gauge["height"]) == (800, 600)
    on_well = _listed(photo_run, "--to", f"well:{NORM_A}")
    assert [p["original_name"] for p in on_well] == ["screen.png"]
    of_well = _listed(photo_run, "--well", API_A)  # the well's own and its records'
    assert [p["original_name"] for p in of_well] == ["gauge.jpg", "box.jpg", "screen.png"]
    assert {p["well_id"] for p in of_well} == {on_well[0]["target_id"]}

    text = ok(sh(photo_run.data, "photo list")).stdout.splitlines()
    assert len(text) == 3
    first = text[0].split("  ")
    assert first[0] == gauge["photo_id"] and first[1] == f"maintenance:{photo_run.maintenance_id}"
    assert first[2:] == [
        "2026-11-19 08:30",
        f"{gauge['size']} bytes",
        "800x600",
        "pending",
        "gauge dial",
    ]


def test_export_caption_remove_uploads_and_retry(photo_run: PhotoRun, tmp_path: Path) -> None:
    box = next(p for p in _listed(photo_run) if p["original_name"] == "box.jpg")
    photo_id = str(box["photo_id"])
    out = tmp_path / "box-export.jpg"
    exported, captioned = run_all(
        [
            lambda: sh(photo_run.data, f"photo export {photo_id} --out {out}"),
            lambda: sh(photo_run.data, f"photo caption {photo_id} 'stuffing box, leaking'"),
        ]
    )
    assert f"({box['size']} bytes)" in ok(exported).stdout
    assert out.read_bytes()[:3] == b"\xff\xd8\xff" and out.stat().st_size == box["size"]
    assert "stuffing box, leaking" in ok(captioned).stdout

    uploads = json.loads(ok(sh(photo_run.data, "photo uploads --json")).stdout)
    assert uploads["pending"]["photos"] == 3 and uploads["refused"]["photos"] == 0
    with open_store(photo_run.data) as store:
        mark_upload(store, str(box["sha256"]), "refused", 0, "u-1", refusal="quota is full")
    refused = next(p for p in _listed(photo_run) if p["photo_id"] == photo_id)
    assert (refused["upload_state"], refused["refusal"]) == ("refused", "quota is full")
    assert "refused (quota is full)" in ok(sh(photo_run.data, "photo list")).stdout
    assert "1 refused" in ok(sh(photo_run.data, "photo uploads")).stdout
    assert "queued for upload again" in ok(sh(photo_run.data, f"photo retry {photo_id}")).stdout
    again = sh(photo_run.data, f"photo retry {photo_id}")
    assert "not refused" in assert_user_error(again)

    removed = ok(sh(photo_run.data, f"photo remove {photo_id} --reason 'wrong record'"))
    assert f"removed photo {photo_id} from maintenance:" in removed.stdout
    assert photo_id not in {p["photo_id"] for p in _listed(photo_run)}
    assert "was removed" in assert_user_error(sh(photo_run.data, f"photo remove {photo_id}"))
    verified = ok(sh(photo_run.data, "verify"))
    assert "ok" in verified.stdout.lower()
