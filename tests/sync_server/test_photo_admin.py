"""The office's photo commands against the real database: usage against the quota, the
limits (audited), and the clean-up of partial uploads left behind."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID, uuid4

import psycopg
import pytest
from serverkit import new_org, org_id

from sync_server.cli import main
from sync_server.services import photo_admin
from sync_server.services.admin import AdminError
from sync_server.services.photo_storage import Staging

SHA = "ab" * 32


def open_upload(url: str, org: UUID, *, size: int, hours_ago: float) -> UUID:
    upload = uuid4()
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org),))
        conn.execute(
            "INSERT INTO uploads (id, org_id, user_id, sha256, size, content_type, received,"
            " updated_at) VALUES (%s, %s, %s, %s, %s, 'image/jpeg', 10,"
            " now() - make_interval(secs => %s))",
            (upload, org, uuid4(), SHA, size, hours_ago * 3600),
        )
    return upload


def test_cleanup_forgets_stale_partial_uploads_and_orphan_files_only(
    database_url: str, tmp_path: Path
) -> None:
    org = org_id(database_url, new_org(database_url))
    staging = Staging(tmp_path)
    stale = open_upload(database_url, org, size=1000, hours_ago=30)
    fresh = open_upload(database_url, org, size=1000, hours_ago=1)
    orphan = uuid4()
    for upload in (stale, fresh, orphan):
        staging.write_at(upload, 0, b"x" * 10)
    done = photo_admin.clean_up(database_url, staging, older_than_hours=24)
    assert done.uploads >= 1 and done.files >= 2 and done.bytes >= 20
    assert staging.files() == [tmp_path / f"{fresh}.part"]
    with psycopg.connect(database_url) as conn:
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org),))
        left = [r[0] for r in conn.execute("SELECT id FROM uploads WHERE org_id = %s", (org,))]
    assert left == [fresh]
    with pytest.raises(AdminError, match="negative"):
        photo_admin.clean_up(database_url, staging, older_than_hours=-1)


def test_limits_change_audited_and_usage_counts_what_open_uploads_reserve(
    database_url: str,
) -> None:
    slug = new_org(database_url)
    org = org_id(database_url, slug)
    open_upload(database_url, org, size=4096, hours_ago=1)
    photo_admin.set_limits(database_url, slug, quota=2 * 1024**3, max_photo=None)
    (found,) = photo_admin.usage(database_url, slug)
    assert (found.quota, found.max_photo) == (2 * 1024**3, 25 * 1024**2)
    assert (found.photos, found.bytes, found.open_uploads, found.reserved) == (0, 0, 1, 4096)
    with psycopg.connect(database_url) as conn:
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org),))
        (details,) = conn.execute(
            "SELECT details FROM audit_log WHERE org_id = %s AND action = 'org.photo_limits'",
            (org,),
        ).fetchone() or (None,)
    assert details["changes"] == {"photo_quota_bytes": {"from": 10 * 1024**3, "to": 2 * 1024**3}}
    with pytest.raises(AdminError, match="no organization"):
        photo_admin.usage(database_url, "no-such-org")


def test_the_commands_print_one_line_per_organization_and_fail_in_one_line(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    slug = new_org(database_url)
    data = ["--data-dir", str(tmp_path)]
    assert (
        main(
            [*data, "photos", "limits", "--org", slug, "--quota-gib", "1", "--max-photo-mib", "10"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith(f"{slug}: 0 photos, 0.0 MiB of 1.00 GiB (0.0 %)")
    assert "at most 10.0 MiB a photo" in out
    assert main([*data, "photos", "cleanup"]) == 0
    assert capsys.readouterr().out.startswith("forgot ")
    assert main([*data, "photos", "limits", "--org", slug]) == 1
    err = capsys.readouterr().err
    assert err == "sync-server: error: give --quota-gib and/or --max-photo-mib\n"
