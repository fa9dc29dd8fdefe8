"""Factories that write the messy export files people really bring (tests only).

Each writer takes a target path and returns it; the records they write are known, so a
test can check exact accounting (rows landed + rows rejected = records written).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import quoteattr

HEADER = ("id", "nome", "cidade", "valor", "data")
RECORDS = (
    ("1", "Ana", "São Paulo", "1.234,56", "13/02/2024"),
    ("2", "José", "Señalización", "12,50", "01/03/2024"),
    ("3", "Ação Ltda", "Zürich", "-7,00", "28/02/2024"),
)
ACCENTED = ("São Paulo", "Señalización", "Ação Ltda", "José", "Zürich")


def csv_text(
    rows: Sequence[Sequence[str]],
    *,
    delimiter: str = ",",
    header: Sequence[str] | None = HEADER,
    newline: str = "\r\n",
) -> str:
    """Rows as CSV text, quoted where needed (as Excel writes them)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def write_csv(
    path: Path,
    rows: Sequence[Sequence[str]] = RECORDS,
    *,
    encoding: str = "utf-8",
    delimiter: str = ";",
    bom: bool = False,
    header: Sequence[str] | None = HEADER,
    newline: str = "\r\n",
) -> Path:
    """A CSV export in the given encoding (``utf-16`` writes a BOM, as Excel does)."""
    text = csv_text(rows, delimiter=delimiter, header=header, newline=newline)
    data = text.encode(encoding)
    if bom and encoding == "utf-8":
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return path


def write_double_encoded(path: Path, rows: Sequence[Sequence[str]] = RECORDS) -> Path:
    """UTF-8 text read as cp1252 and saved as UTF-8 again ("SÃ£o Paulo")."""
    text = csv_text(rows, delimiter=";")
    path.write_bytes(text.encode("utf-8").decode("cp1252").encode("utf-8"))
    return path


def write_gzip(path: Path, data: bytes) -> Path:
    with gzip.open(path, "wb") as fh:
        fh.write(data)
    return path


def write_broken_quote(path: Path) -> tuple[Path, int]:
    """Six records; record 2 opens a quote that never closes. Returns (path, records)."""
    text = (
        "id,nome,nota\r\n"
        '1,Ana,"primeira linha\r\nsegunda linha"\r\n'
        '2,Bruno,"nunca fecha\r\n'
        "3,Carla,ok\r\n"
        '4,Diego,"tem ""aspas"" dentro"\r\n'
        "5,Eva,ok\r\n"
        "6,Fábio,ok\r\n"
    )
    path.write_text(text, encoding="utf-8", newline="")
    return path, 6


def write_bad_field_counts(path: Path) -> Path:
    """Record 2 has too few fields, record 4 too many; the rest are fine."""
    path.write_text(
        "id;nome;cidade\n1;Ana;Lisboa\n2;Bruno\n3;Carla;Porto\n4;Diego;Faro;extra\n5;Eva;Braga\n",
        encoding="utf-8",
    )
    return path


FORMULAS = ('=HYPERLINK("http://x.test","clique")', "+1", "-2", "@SUM(A1)", "=1+1")


def write_formulas(path: Path) -> Path:
    rows = [(str(i), value) for i, value in enumerate(FORMULAS, start=1)]
    path.write_text(csv_text(rows, header=("id", "valor")), encoding="utf-8", newline="")
    return path


def write_binary_junk(path: Path) -> Path:
    path.write_bytes(bytes(range(256)) * 64)
    return path


def write_zip(path: Path) -> Path:
    """A ZIP archive (what an .xlsx is) under a .csv name."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.csv", "id,nome\n1,Ana\n")
    return path


def write_xlsx(path: Path) -> Path:
    """A workbook: sheet 'Dados' (dates, floats, formula-looking text), sheet 'Outra'."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Dados"
    sheet.append(["Data", "Valor", "Cidade", "Fórmula", "Ativo"])
    sheet.append([dt.datetime(2024, 2, 13, 10, 30), 0.1 + 0.2, "São Paulo", None, True])
    sheet.append([dt.date(2024, 2, 14), 5.0, "Señalización", None, False])
    sheet.append([None, None, None, None, None])
    sheet.append([dt.datetime(2024, 3, 1), 1234.5, "Ação", None, None])
    for row, text in ((2, "=HYPERLINK(1)"), (3, "@SUM(A1)")):
        cell = sheet.cell(row=row, column=4, value=text)
        cell.data_type = "s"  # text that looks like a formula, as Excel keeps it
    other = book.create_sheet("Outra")
    other.append(["x", "y"])
    other.append([1, "um"])
    book.save(path)
    return path


def write_xes(path: Path, *, namespace: bool = False) -> Path:
    """Two traces (with a trace attribute) and a nested list attribute."""
    ns = ' xmlns="http://www.xes-standard.org/"' if namespace else ""
    traces = {
        "A-1": [
            ("visita", "2024-01-02T10:00:00.000+01:00", "Ana"),
            ("demo", "2024-01-03T10:00:00.000+01:00", "Bea"),
            ("demo", "2024-01-03T10:00:00.000+01:00", "Bea"),
        ],
        "B-2": [("email", "2024-01-05T09:00:00Z", "Caio")],
    }
    parts = [f"<?xml version='1.0' encoding='UTF-8'?>\n<log{ns}>"]
    parts.append('<global scope="event"><string key="concept:name" value="x"/></global>')
    for case, events in traces.items():
        parts.append(f'<trace><string key="concept:name" value={quoteattr(case)}/>')
        parts.append('<string key="segment" value="Enterprise"/>')
        for activity, when, who in events:
            parts.append(
                f'<event><string key="concept:name" value={quoteattr(activity)}/>'
                f'<date key="time:timestamp" value="{when}"/>'
                f'<string key="org:resource" value={quoteattr(who)}/>'
                '<list key="tags"><values><string key="t" value="a"/></values></list></event>'
            )
        parts.append("</trace>")
    parts.append("</log>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def write_jsonl(path: Path) -> tuple[Path, int]:
    """Six non-blank lines (one malformed, one an array), a blank line. Returns records."""
    lines = [
        json.dumps({"id": 1, "nome": "São Paulo", "meta": {"a": [1, 2]}}, ensure_ascii=False),
        json.dumps({"id": 2, "nome": "Ação", "ativo": True}),
        "{nome: sem aspas}",
        "",
        json.dumps({"id": 4, "valor": 12.5, "nome": None}),
        "[1, 2]",
        json.dumps({"id": 6, "Nome": "maiúscula"}, ensure_ascii=False),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, 6


def write_big_csv(path: Path, megabytes: int, *, encoding: str = "cp1252") -> int:
    """A ~``megabytes`` MB export with accents and quoted newlines; returns its records."""
    row = '{i};Reunião técnica;13/02/2024 10:{m:02d};1.234,{c:02d};"nota com ; e\nduas linhas"\r\n'
    per_row = len(row.format(i=1_000_000, m=1, c=1).encode(encoding))
    count = megabytes * 1_000_000 // per_row
    with open(path, "w", encoding=encoding, newline="") as fh:
        fh.write("id;atividade;quando;valor;nota\r\n")
        for start in range(0, count, 50_000):
            fh.write(
                "".join(
                    row.format(i=i, m=i % 60, c=i % 100)
                    for i in range(start, min(count, start + 50_000))
                )
            )
    return count
