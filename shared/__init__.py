"""Wire contracts and pure domain rules shared by the desktop app and the sync server.

Nothing in this package does I/O or imports Qt or a database driver.
"""
