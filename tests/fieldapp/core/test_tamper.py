"""Tampering with the stored log or the read models is detected and named (docs/design.md §3, §4,
§7).

Someone holding the key edits rows with SQL; `verify_store` must fail and name the event (by
event id and seq) or the projection row; `fieldapp verify` exits 1 with the event id in its
output. Flipping one bit of the ciphertext on disk must also be reported, in one line.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fieldkit import (
    PASSPHRASE,
    assert_user_error,
    create_store,
    days_ago,
    run_cli,
)

from fieldapp.core import database
from fieldapp.core.production import correct_production, save_production
from fieldapp.core.store import Store
from fieldapp.core.verify import VerifyReport, verify_store
from shared.contracts import ProductionChanges, ProductionRecorded


@dataclass(frozen=True)
class Template:
    """A closed store: seq 1 well.registered, 2 and 3 production.recorded, 4 a correction."""

    path: Path
    key: bytes
    well_id: str
    record_1: str  # recorded by seq 2 (oil 100.0)
    record_2: str  # recorded by seq 3, corrected by seq 4
    event_ids: dict[int, str]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    path = tmp_path_factory.mktemp("tamper") / "store"
    with create_store(path, [("42-501-20130", "Tamper 1")]) as store:
        with store.read() as conn:
            well_id = str(conn.exec_driver_sql("SELECT well_id FROM wells").scalar_one())
        records = [
            save_production(
                store,
                ProductionRecorded(
                    well_id=well_id,
                    production_date=days_ago(n),
                    oil_bbl=100.0,
                    gas_mcf=250.0,
                    water_bbl=40.0,
                    hours_on=24,
                ),
            ).record_id
            for n in (3, 2)
        ]
        correct_production(store, records[1], ProductionChanges(oil_bbl=104.0), reason="meter")
        with store.read() as conn:
            event_ids = {
                int(seq): str(event_id)
                for seq, event_id in conn.exec_driver_sql(
                    "SELECT device_seq, event_id FROM event_log"
                )
            }
        key = store._key
    assert sorted(event_ids) == [1, 2, 3, 4]
    return Template(path, key, well_id, records[0], records[1], event_ids)


@pytest.fixture
def copy(template: Template, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(template.path, target)
    return target


def tamper(data_dir: Path, key: bytes, *statements: tuple[str, tuple[Any, ...]]) -> None:
    """Run SQL with the key on a raw connection; every statement must change a row."""
    conn = database.connect(data_dir / "store.db", key)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        for sql, params in statements:
            assert conn.execute(sql, params).rowcount >= 1, f"no row changed by {sql}"
    finally:
        conn.close()


def verify(data_dir: Path, key: bytes) -> VerifyReport:
    with Store.open_with_key(data_dir, key) as store:
        return verify_store(store)


def event_problems(report: VerifyReport) -> list[str]:
    return [p for p in report.problems if p.startswith("event ")]


def test_an_untouched_store_verifies(template: Template, copy: Path) -> None:
    report = verify(copy, template.key)
    assert report.ok, report.problems
    assert report.events == 4


def test_one_changed_byte_in_an_event_body_names_that_event(template: Template, copy: Path) -> None:
    tamper(
        copy,
        template.key,
        (
            "UPDATE event_log SET body = replace(body, '\"oil_bbl\":100.0', '\"oil_bbl\":900.0')"
            " WHERE device_seq = 2",
            (),
        ),
    )
    report = verify(copy, template.key)
    assert not report.ok
    eid = template.event_ids[2]
    assert f"event {eid} (seq 2): content does not match its hash (altered)" in report.problems
    assert all(eid in p for p in event_problems(report)), report.problems
    # the replay of the altered body no longer gives the stored read model
    assert any(
        p.startswith(f"production {template.record_1}: differs from replay in oil_bbl")
        for p in report.problems
    ), report.problems


def test_one_changed_hex_char_of_a_hash_breaks_that_event_and_the_chain(
    template: Template, copy: Path
) -> None:
    tamper(
        copy,
        template.key,
        (
            "UPDATE event_log SET hash = substr(hash, 1, 63) ||"
            " (CASE substr(hash, 64, 1) WHEN '0' THEN '1' ELSE '0' END) WHERE device_seq = 2",
            (),
        ),
    )
    report = verify(copy, template.key)
    e2, e3 = template.event_ids[2], template.event_ids[3]
    assert f"event {e2} (seq 2): content does not match its hash (altered)" in report.problems
    assert f"event {e3} (seq 3): hash chain broken (prev_hash mismatch)" in report.problems
    assert len(event_problems(report)) == 2, report.problems


def test_a_rewritten_event_with_a_recomputed_hash_is_caught_by_the_next_link(
    template: Template, copy: Path
) -> None:
    conn = database.connect(copy / "store.db", template.key)
    try:
        (body,) = conn.execute("SELECT body FROM event_log WHERE device_seq = 2").fetchone()
    finally:
        conn.close()
    envelope = json.loads(body)
    envelope["payload"]["oil_bbl"] = 900.0
    forged = json.dumps(envelope, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    forged_hash = hashlib.sha256(forged.encode()).hexdigest()
    tamper(
        copy,
        template.key,
        ("UPDATE event_log SET body = ?, hash = ? WHERE device_seq = 2", (forged, forged_hash)),
    )
    report = verify(copy, template.key)
    e3 = template.event_ids[3]
    assert event_problems(report) == [f"event {e3} (seq 3): hash chain broken (prev_hash mismatch)"]


def test_a_deleted_event_leaves_a_gap_and_an_orphan_row(template: Template, copy: Path) -> None:
    tamper(
        copy,
        template.key,
        ("DELETE FROM outbox WHERE device_seq = 2", ()),
        ("DELETE FROM event_log WHERE device_seq = 2", ()),
    )
    report = verify(copy, template.key)
    e3 = template.event_ids[3]
    assert f"event {e3} (seq 3): device_seq gap, expected 2" in report.problems
    assert f"event {e3} (seq 3): hash chain broken (prev_hash mismatch)" in report.problems
    assert f"production {template.record_1}: present but no event creates it" in report.problems


def test_an_indexed_column_that_disagrees_with_the_envelope_is_named(
    template: Template, copy: Path
) -> None:
    tamper(
        copy,
        template.key,
        ("UPDATE event_log SET event_type = 'production.voided' WHERE device_seq = 4", ()),
    )
    report = verify(copy, template.key)
    e4 = template.event_ids[4]
    assert f"event {e4} (seq 4): indexed columns differ from the envelope" in report.problems


@pytest.mark.parametrize(
    ("sql", "params", "expected"),
    [
        pytest.param(
            "UPDATE production SET oil_bbl = 100.5 WHERE record_id = ?",
            "record_1",
            "production {record_1}: differs from replay in oil_bbl (seq 2)",
            id="production-value",
        ),
        pytest.param(
            "UPDATE production SET notes = 'nothing to see' WHERE record_id = ?",
            "record_2",
            "production {record_2}: differs from replay in notes (seq 4)",
            id="production-notes",
        ),
        pytest.param(
            "UPDATE wells SET name = 'Tamper 2' WHERE well_id = ?",
            "well_id",
            "wells {well_id}: differs from replay in name (seq 1)",
            id="well-name",
        ),
        pytest.param(
            "DELETE FROM production WHERE record_id = ?",
            "record_2",
            "production {record_2}: missing (the log creates it)",
            id="row-deleted",
        ),
        pytest.param(
            "INSERT INTO production SELECT 'forged-record', well_id, '2001-01-01', oil_bbl,"
            " gas_mcf, water_bbl, hours_on, downtime_hours, downtime_reason, tubing_psi,"
            " casing_psi, choke_64ths, notes, entry_method, latitude, longitude, accuracy_m,"
            " quality_score, flags, voided, version, last_seq FROM production"
            " WHERE record_id = ?",
            "record_1",
            "production forged-record: present but no event creates it",
            id="row-inserted",
        ),
    ],
)
def test_a_changed_projection_row_is_named(
    template: Template, copy: Path, sql: str, params: str, expected: str
) -> None:
    tamper(copy, template.key, (sql, (getattr(template, params),)))
    report = verify(copy, template.key)
    names = {"record_1": template.record_1, "record_2": template.record_2}
    assert report.problems == [expected.format(well_id=template.well_id, **names)]


def test_cli_verify_exits_1_and_names_the_altered_event(template: Template, copy: Path) -> None:
    clean = copy.parent / "clean"
    shutil.copytree(template.path, clean)
    tamper(
        copy,
        template.key,
        (
            "UPDATE event_log SET body = replace(body, '\"oil_bbl\":100.0', '\"oil_bbl\":900.0')"
            " WHERE device_seq = 2",
            (),
        ),
    )
    good = run_cli(clean, "verify", passphrase=PASSPHRASE)
    assert good.code == 0, good
    assert good.stdout.startswith("ok: 4 events"), good

    bad = run_cli(copy, "verify", passphrase=PASSPHRASE)
    message = assert_user_error(bad)
    eid = template.event_ids[2]
    assert bad.code == 1
    assert f"event {eid} (seq 2): content does not match its hash" in bad.stdout
    assert "verification failed" in message
    assert eid in message
    assert not bad.stdout.startswith("ok")


def _page_of(data_dir: Path, key: bytes, table: str) -> int:
    conn = database.connect(data_dir / "store.db", key)
    try:
        (page,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
        (size,) = conn.execute("PRAGMA page_size").fetchone()
    finally:
        conn.close()
    return (int(page) - 1) * int(size)


@pytest.mark.parametrize("table", ["event_log", "production"])
def test_cli_verify_reports_a_flipped_ciphertext_bit_in_one_line(
    template: Template, copy: Path, table: str
) -> None:
    offset = _page_of(copy, template.key, table) + 1000  # inside the page's ciphertext
    db = bytearray((copy / "store.db").read_bytes())
    db[offset] ^= 0x01
    (copy / "store.db").write_bytes(bytes(db))

    result = run_cli(copy, "verify", passphrase=PASSPHRASE)
    message = assert_user_error(result)  # one line, no traceback, not an "internal error"
    assert result.code == 1
    assert re.search(r"integrity|damaged|corrupt", result.stdout + message, re.IGNORECASE)
