"""Nothing an operator types is readable in the data folder without the key (docs/design.md §1, §4).

Distinctive strings go in through the store API (with the store still open, so the WAL and its
index exist) and through the CLI import path; no file under the data folder may contain their
bytes in UTF-8 or UTF-16, nor the raw store key.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fieldkit import (
    IMPORT_COLUMNS,
    PASSPHRASE,
    create_store,
    days_ago,
    fail_keystore,
    run_cli,
    snapshot,
    write_csv,
)
from photocorekit import write_jpeg

from fieldapp.core.photo_store import photo_bytes
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.photos import attach
from fieldapp.core.production import save_production
from fieldapp.core.store import Store
from fieldapp.core.wells import register_well
from shared.contracts import ProductionRecorded, WellRegistered

SQLITE_HEADER = b"SQLite format 3\x00"


def _secrets(label: str) -> dict[str, str]:
    token = secrets.token_hex(8).upper()
    return {
        "name": f"Wellname{label}{token}",
        "lease": f"Leasename{label}{token}",
        "note": f"Notetext{label}{token} Überdruck gemessen",
        "token": token,
    }


def _needles(texts: list[str]) -> dict[bytes, str]:
    needles: dict[bytes, str] = {}
    for text in texts:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            needles[text.encode(encoding)] = f"{text!r} ({encoding})"
    return needles


def assert_no_plaintext(data_dir: Path, texts: list[str], key: bytes) -> list[str]:
    files = snapshot(data_dir)
    assert files, f"nothing under {data_dir}"
    needles = _needles(texts)
    needles[key] = "the raw store key"
    needles[key.hex().encode()] = "the store key as hex"
    needles[key.hex().upper().encode()] = "the store key as HEX"
    found = [
        f"{label} in {name}"
        for name, content in files.items()
        for needle, label in needles.items()
        if needle in content
    ]
    assert not found, found
    assert not files["store.db"].startswith(SQLITE_HEADER), "store.db is a plain SQLite file"
    return sorted(files)


def test_store_api_writes_leave_no_plaintext_open_or_closed(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    words = _secrets("Api")
    store = create_store(data_dir)
    try:
        well, _ = register_well(
            store,
            WellRegistered(api_number="42-501-20130", name=words["name"], lease=words["lease"]),
        )
        save_production(
            store,
            ProductionRecorded(
                well_id=well.well_id,
                production_date=days_ago(3),
                oil_bbl=12.5,
                gas_mcf=30,
                water_bbl=4,
                hours_on=24,
                notes=words["note"],
            ),
        )
        with store.read() as conn:  # the strings are really stored (this test is not vacuous)
            assert conn.exec_driver_sql("SELECT name, lease FROM wells").one() == (
                words["name"],
                words["lease"],
            )
            assert (
                conn.exec_driver_sql("SELECT notes FROM production").scalar_one() == (words["note"])
            )
        key = store._key
        names = assert_no_plaintext(data_dir, list(words.values()), key)
        assert "store.db-wal" in names, names  # the open store's writes sit in the WAL
    finally:
        store.close()

    assert_no_plaintext(data_dir, list(words.values()), key)
    with Store.open(data_dir, fail_keystore(), lambda: PASSPHRASE) as again:
        with again.read() as conn:
            assert (
                conn.exec_driver_sql("SELECT notes FROM production").scalar_one() == (words["note"])
            )
        assert_no_plaintext(data_dir, list(words.values()), key)


def test_cli_import_and_well_add_leave_no_plaintext(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    words = _secrets("Cli")
    with create_store(data_dir) as store:
        key = store._key
    result = run_cli(data_dir, "well", "add", "--api", "42-501-20130", "--name", words["name"])
    assert result.code == 0, result
    rows = [
        {
            "api_number": "42-501-20130",
            "production_date": days_ago(n).isoformat(),
            "oil_bbl": 20,
            "gas_mcf": 40,
            "water_bbl": 5,
            "hours_on": 24,
            "notes": f"{words['note']} day {n}",
        }
        for n in (2, 3, 4)
    ]
    csv_path = write_csv(tmp_path / "import.csv", rows, IMPORT_COLUMNS)
    result = run_cli(data_dir, "import", "production", str(csv_path))
    assert result.code == 0, result
    assert "imported=3" in result.stdout
    assert words["token"].encode() in csv_path.read_bytes()  # the needle is findable in plain

    assert_no_plaintext(data_dir, list(words.values()), key)
    with Store.open_with_key(data_dir, key) as store, store.read() as conn:
        notes = [r[0] for r in conn.exec_driver_sql("SELECT notes FROM production")]
    assert sorted(notes) == sorted(str(r["notes"]) for r in rows)


def test_photo_bytes_thumbnails_and_captions_are_never_in_plain_files(tmp_path: Path) -> None:
    """A photo attached (store open: in the WAL; closed: in the database) leaves no run of its
    processed JPEG, its thumbnail or its original in any file of the data folder."""
    data_dir = tmp_path / "store"
    words = _secrets("Photo")
    picked = write_jpeg(tmp_path / f"{words['token']}.jpg", seed=11)
    store = create_store(data_dir, [("42-501-20130", "Photo 1")])
    try:
        (result,) = attach(store, PhotoTarget.parse("well:4250120130"), [picked], words["note"])
        assert result.photo is not None
        photo = photo_bytes(store, result.photo.photo_id)
        thumb = photo_bytes(store, result.photo.photo_id, thumbnail=True)
        assert photo is not None and thumb is not None
        key = store._key
        runs = [
            data[n : n + 48] for data in (photo, thumb, picked.read_bytes()) for n in (600, 2000)
        ]
        assert_no_plaintext(data_dir, [words["note"], words["token"]], key)
        _assert_no_runs(data_dir, runs)
    finally:
        store.close()
    assert_no_plaintext(data_dir, [words["note"], words["token"]], key)
    _assert_no_runs(data_dir, runs)


def _assert_no_runs(data_dir: Path, runs: list[bytes]) -> None:
    found = [
        f"{len(run)} photo bytes in {name}"
        for name, content in snapshot(data_dir).items()
        for run in runs
        if run in content
    ]
    assert not found, found
