"""Interpretation: `RawTable`s read by `ingest.read` to what they say (templates, grids, forms,
the narrative's claims)."""
