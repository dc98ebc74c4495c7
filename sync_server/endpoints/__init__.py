"""Thin HTTP endpoints: parse, call a service, respond (RFC 7807 errors)."""
