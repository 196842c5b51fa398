"""Export the catalogue's templates and roles (ingest/templates.toml) as the dbt seed
`template_roles`, so SQL models select tables by role, not by template id:

    python -m pipeline.template_seed          # or: make seeds

`tests/test_catalogue.py` fails when the committed seed differs from the catalogue.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from ingest.catalogue import ROLES_SEED_COLUMNS, roles_seed

SEED = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds" / "template_roles.csv"


def seed_text() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ROLES_SEED_COLUMNS)
    writer.writerows(roles_seed())
    return out.getvalue()


def main() -> int:
    SEED.write_text(seed_text(), "utf-8")
    print(f"wrote {SEED}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
