"""Read Chinese budget and final-account disclosures and land them as Parquet.

The parser version is part of every landed value's address: a value can always be traced
to the code that read it.
"""

PARSER_VERSION = "0.1.0"
