"""Demo data, not the product: the demo organization's seed (`server_seed`, behind
`sync-server demo`), the production simulator behind its history (`simulator`), and a day of
field records for a laptop store (`field_records`, used by the screenshots and the UI tests).

Product code never imports this package at module level: `sync-server demo` imports the seed
inside the command.
"""
