"""Writing result files safely: whole or not at all, and harmless in a spreadsheet.

Any text cell may hold what a user typed. A cell starting with ``=``, ``+``, ``-``, ``@``
(or a tab or carriage return) would run as a formula when the CSV is opened in a
spreadsheet, so such cells get a leading apostrophe in CSV output (OWASP's advice).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

FORMULA_START = r"^[=+\-@\t\r]"


def neutralise_formulas(table: pa.Table) -> pa.Table:
    """The table with every formula-looking text cell prefixed by an apostrophe."""
    columns = []
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            risky = pc.fill_null(pc.match_substring_regex(column, FORMULA_START), False)
            column = pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def _csv_ready(table: pa.Table) -> pa.Table:
    """Lists become ' > '-joined text (CSV has no nested values)."""
    columns = []
    for column in table.columns:
        if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
            column = pc.binary_join(pc.cast(column, pa.list_(pa.string())), " > ")
        columns.append(column)
    return pa.table(columns, names=table.column_names)


@contextmanager
def staged_dir(target: Path) -> Iterator[Path]:
    """A temporary sibling of ``target``; on success its files move into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield tmp
        for path in sorted(tmp.iterdir()):
            os.replace(path, target / path.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_csv(table: pa.Table, path: Path) -> Path:
    pacsv.write_csv(neutralise_formulas(_csv_ready(table)), path)
    return path


def write_parquet(table: pa.Table, path: Path) -> Path:
    pq.write_table(table, path, compression="zstd")
    return path


def write_json(data: Any, path: Path) -> Path:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", "utf-8")
    return path
