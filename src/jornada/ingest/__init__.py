"""Import: land export files in DuckDB as text, then type them in SQL.

``load_raw`` reads CSV, XLSX, Parquet, JSON Lines and XES into a table of text columns
plus a ``_row`` number, accounting for every record; ``parse`` builds the SQL that types
those columns.
"""

from __future__ import annotations

from jornada.ingest.parse import boolean_sql, number_sql, timestamp_sql
from jornada.ingest.readers import RawSource, load_raw
from jornada.ingest.sniff import CsvDialect, FileFormat, InputError, detect_format, sniff_csv

__all__ = [
    "CsvDialect",
    "FileFormat",
    "InputError",
    "RawSource",
    "boolean_sql",
    "detect_format",
    "load_raw",
    "number_sql",
    "sniff_csv",
    "timestamp_sql",
]
