"""Production analytics shared by the laptop and the server (docs/analytics.md).

Pure functions over numpy arrays and plain rows: no Qt, no database, no web framework. The
desktop Charts screen and the sync server's analytics endpoints call the same code, so a number
means the same thing on both sides.
"""
