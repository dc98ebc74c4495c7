"""WellPulse Field desktop client: encrypted offline store (core), sync (sync), CLI and Qt UI."""
