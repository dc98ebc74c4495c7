"""Validation thresholds become an organization setting.

`organizations.validation` holds the thresholds an admin has set for the organization (only
those that differ from the defaults in `shared/thresholds.py`; `{}` means "all defaults"), as
a JSON object of numbers. The server's screening validates every production event with them
(and the org's `timezone`), and devices fetch them with each sync from
`GET /api/v1/settings/validation` (docs/design.md §6.2). Set with
`sync-server org settings --org SLUG --set KEY=VALUE` or `PATCH /api/v1/settings/validation`.

The app role may already update its own organization's row (migration 0001's `own_org`
policy), so no grant changes.

Revision ID: 0007
"""

from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.execute(
        "ALTER TABLE organizations ADD COLUMN validation jsonb NOT NULL DEFAULT '{}'::jsonb"
        " CONSTRAINT organizations_validation_object CHECK (jsonb_typeof(validation) = 'object')"
    )
