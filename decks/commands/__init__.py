"""The `myodeck` commands, one module per kind of work; `decks.cli` imports each when its command runs."""
