"""Framework-free server logic: auth, ingest, pull, conflicts."""
