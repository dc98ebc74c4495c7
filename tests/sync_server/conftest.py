"""The server tests' helpers live in tests/support/serverkit.py (its fixtures are suite-wide)."""

from __future__ import annotations

from serverkit import PASSWORD, login, new_org, org_id

__all__ = ["PASSWORD", "login", "new_org", "org_id"]
