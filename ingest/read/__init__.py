"""Reading: bytes and page geometry to `RawTable`s and `TextLine`s, before any interpretation.

Imports `ingest.model`, `ingest.numbers` and `ingest.lexicon` only (tests/test_layers.py)."""
