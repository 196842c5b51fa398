"""Read Chinese budget and final-account disclosures and land them as Parquet.

The parser version is part of every landed value's address, so a value can always be traced
to the code that read it. It is the release number plus a hash of the ingest's own source
and table catalogue: any change to how documents are read changes it, and an incremental
build then reads every document again.
"""

import hashlib
from pathlib import Path

RELEASE = "0.1.0"


def _source_hash() -> str:
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.toml"), *package.rglob("*.csv")]):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


PARSER_VERSION = f"{RELEASE}+{_source_hash()}"
