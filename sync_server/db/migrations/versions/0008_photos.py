"""Photo bytes on the server: resumable uploads, stored blobs, and each organization's quota
(docs/photos-server.md).

- `uploads`: one resumable upload (POST /api/v1/uploads), its declared sha256, size and
  content type, and the bytes received so far (`received`, the offset a HEAD answers); the
  bytes themselves are staged on disk under the server's data directory until complete.
  `completed_at` is set when the last chunk arrived and the bytes passed every check.
- `photo_blobs`: the bytes an organization holds, by the sha256 the device computed of its
  processed JPEG (the photo records' `sha256`), with their size, dimensions and the key of
  the stored copy (without EXIF) and of its thumbnail in the photo storage (made when first
  asked for: NULL until then). The key is
  (org_id, sha256): another organization holding the same bytes tells nothing to this one.
- `organizations.photo_quota_bytes` (default 10 GiB) and `photo_max_bytes` (25 MiB, before
  processing): a POST that would pass either is refused with a problem naming the limit.

Both tables are the organization's under row-level security, like every tenant table.

Revision ID: 0008
"""

from alembic import op

revision = "0008"
down_revision = "0007"

APP_ROLE = "wellpulse_app"
TABLES = ("uploads", "photo_blobs")
GIB = 1024**3
MIB = 1024**2


def upgrade() -> None:
    op.execute(
        f"ALTER TABLE organizations ADD COLUMN photo_quota_bytes bigint NOT NULL DEFAULT {10 * GIB}"
        " CONSTRAINT organizations_photo_quota CHECK (photo_quota_bytes >= 0),"
        f" ADD COLUMN photo_max_bytes bigint NOT NULL DEFAULT {25 * MIB}"
        " CONSTRAINT organizations_photo_max CHECK (photo_max_bytes > 0)"
    )
    op.execute(
        """
CREATE TABLE uploads (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    user_id uuid NOT NULL,
    device_id uuid,
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size bigint NOT NULL CHECK (size > 0),
    content_type text NOT NULL,
    received bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    CHECK (received >= 0 AND received <= size)
);
CREATE INDEX uploads_open ON uploads (org_id, updated_at) WHERE completed_at IS NULL;
CREATE TABLE photo_blobs (
    org_id uuid NOT NULL REFERENCES organizations (id),
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size bigint NOT NULL CHECK (size > 0),
    content_type text NOT NULL,
    width integer NOT NULL CHECK (width > 0),
    height integer NOT NULL CHECK (height > 0),
    served_key text NOT NULL,
    served_size bigint NOT NULL,
    thumbnail_key text,
    thumbnail_size bigint,
    stripped_exif boolean NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, sha256)
);
"""
    )
    tenant = "org_id = nullif(current_setting('app.org_id', true), '')::uuid"
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant ON {table} USING ({tenant}) WITH CHECK ({tenant})")
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {APP_ROLE}")
