"""The device-side core: encrypted store, event log, projections, keys. Never imports Qt."""
