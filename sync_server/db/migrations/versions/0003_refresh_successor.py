"""Refresh tokens remember the token that replaced them.

A device whose refresh response was lost on the way (the server rotated, the laptop never heard)
presents the old token again. Within a short grace period, while its successor has never been
used, that is a retry, not a theft: the unused successor is revoked and a new pair is issued.
Without the link the server could not tell the two apart and signed the device out.

Revision ID: 0003
"""

from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.execute("ALTER TABLE refresh_tokens ADD COLUMN replaced_by uuid")
