"""What a file is: its format, and for CSV its encoding and dialect, from a bounded sample.

Also the text repairs the CSV reader needs before DuckDB sees the bytes: transcoding to
UTF-8 in fixed-size chunks and undoing double-encoded UTF-8 ("SÃ£o Paulo").
"""

from __future__ import annotations

import codecs
import csv
import functools
import gzip
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from jornada.errors import JornadaError

SAMPLE_BYTES = 2 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024
SNIFF_RECORDS = 2000
DELIMITERS = (",", ";", "\t", "|")
RESERVED_COLUMNS = ("_row",)


class InputError(JornadaError):
    """An input file cannot be read as what it claims to be.

    ``source`` is the file; ``row`` the data record (1 = first after the header), if any.
    """

    def __init__(self, message: str, *, source: str | Path, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = Path(source)
        self.row = row

    def __str__(self) -> str:
        where = self.source.name if self.row is None else f"{self.source.name}: row {self.row}"
        return f"{where}: {self.message}"


class FileFormat(StrEnum):
    """The export formats jornada reads."""

    CSV = "csv"
    XLSX = "xlsx"
    PARQUET = "parquet"
    JSONL = "jsonl"
    XES = "xes"


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written, as sniffed (or as the user said)."""

    encoding: str
    delimiter: str
    quotechar: str
    decimal: str
    date_order: str
    has_header: bool
    double_encoded: bool
    bom: bool


@dataclass(frozen=True)
class CsvLayout:
    """A sniffed dialect plus what the sample showed: header fields and record width."""

    dialect: CsvDialect
    header: tuple[str, ...]
    width: int
    gzipped: bool
    skip: int


_SUFFIXES = {
    ".csv": FileFormat.CSV,
    ".tsv": FileFormat.CSV,
    ".txt": FileFormat.CSV,
    ".xlsx": FileFormat.XLSX,
    ".xlsm": FileFormat.XLSX,
    ".xls": FileFormat.XLSX,
    ".ods": FileFormat.XLSX,
    ".parquet": FileFormat.PARQUET,
    ".pq": FileFormat.PARQUET,
    ".jsonl": FileFormat.JSONL,
    ".ndjson": FileFormat.JSONL,
    ".json": FileFormat.JSONL,
    ".xes": FileFormat.XES,
}


def detect_format(path: str | Path) -> FileFormat:
    """The file's format from its suffix (``.csv.gz``, ``.xes.gz`` too), else its content."""
    path = Path(path)
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    if suffixes and suffixes[-1] in _SUFFIXES:
        return _SUFFIXES[suffixes[-1]]
    head = _head(path, 4096)
    if head.startswith(b"PK\x03\x04"):
        return FileFormat.XLSX
    if head.startswith(b"PAR1"):
        return FileFormat.PARQUET
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return FileFormat.XES
    if text.startswith((b"{", b"[")):
        return FileFormat.JSONL
    return FileFormat.CSV


def open_binary(path: Path) -> io.BufferedIOBase:
    """Open ``path`` for reading bytes, decompressing gzip (told by its magic number)."""
    if _is_gzip(path):
        return gzip.GzipFile(path, "rb")
    return open(path, "rb")


def sniff_csv(
    path: str | Path, *, encoding: str | None = None, delimiter: str | None = None
) -> CsvDialect:
    """Sniff a CSV file's encoding, delimiter, decimal mark, date order and header."""
    return sniff_layout(Path(path), encoding=encoding, delimiter=delimiter).dialect


def sniff_layout(path: Path, *, encoding: str | None, delimiter: str | None) -> CsvLayout:
    """Like :func:`sniff_csv`, plus the header fields and record width the reader needs."""
    _check_readable(path)
    with open_binary(path) as fh:
        head = _read_or_fail(path, fh, SAMPLE_BYTES + 1)
    at_eof = len(head) <= SAMPLE_BYTES
    head = head[:SAMPLE_BYTES]
    _refuse_non_text(path, head)
    bom = head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if encoding:
        encoding = _canonical_encoding(path, encoding)
    else:
        encoding = _detect_encoding(path, head, at_eof)
    text = _decode_sample(path, head, encoding, at_eof)
    _refuse_binary_text(path, text)
    double = looks_double_encoded(text)
    if double:
        text = repair_mojibake(text)
    if not at_eof and "\n" in text:
        text = text[: text.rindex("\n") + 1]
    if delimiter is not None and (
        len(delimiter) != 1 or delimiter.isalnum() or delimiter in '"\x1f\r\n'
    ):
        raise InputError(
            f"cannot use {delimiter!r} as the delimiter; pass one character such as ; or |",
            source=path,
        )
    delim = delimiter or _sniff_delimiter(text, path)
    records = parse_records(text, delim, SNIFF_RECORDS)
    has_header = _has_header(records)
    header = tuple(records[0]) if records and has_header else ()
    data = records[1:] if has_header else records
    width = len(header)
    if data:
        common, count = Counter(len(r) for r in data).most_common(1)[0]
        if common > width and (not header or count * 2 > len(data)):
            width = common  # most rows have more fields than the header names
    decimal = _sniff_decimal(data, delim)
    dialect = CsvDialect(
        encoding=encoding,
        delimiter=delim,
        quotechar='"',
        decimal=decimal,
        date_order=_sniff_date_order(data, delim, decimal, text),
        has_header=has_header,
        double_encoded=double,
        bom=bom,
    )
    return CsvLayout(
        dialect=dialect,
        header=header,
        width=width,
        gzipped=_is_gzip(path),
        skip=_blank_lines_before(text),
    )


def _blank_lines_before(text: str) -> int:
    """How many blank lines come before the first record (DuckDB must skip them)."""
    blank = text[: len(text) - len(text.lstrip("\r\n \t"))]
    return blank.count("\n") if "\n" in blank else blank.count("\r")


def clean_column_names(raw: Sequence[str | None]) -> tuple[str, ...]:
    """Strip whitespace and BOM, name empty ones ``column_N``, de-duplicate (``Name_2``).

    DuckDB names are case-insensitive, so ``Name`` and ``name`` count as a repeat; ``_row``
    is reserved for the record number.
    """
    bases = [
        " ".join((name or "").replace("\ufeff", "").split()) or f"column_{position}"
        for position, name in enumerate(raw, start=1)
    ]
    taken = {base.casefold() for base in bases} | set(RESERVED_COLUMNS)
    used = set(RESERVED_COLUMNS)
    names: list[str] = []
    for base in bases:
        candidate, n = base, 2
        while candidate.casefold() in used or (candidate != base and candidate.casefold() in taken):
            candidate, n = f"{base}_{n}", n + 1
        used.add(candidate.casefold())
        taken.add(candidate.casefold())
        names.append(candidate)
    return tuple(names)


def parse_records(text: str, delimiter: str, limit: int) -> list[list[str]]:
    """Up to ``limit`` non-blank records of a sample (Python's csv; sniffing only)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    records: list[list[str]] = []
    try:
        for record in reader:
            if record and any(field.strip() for field in record):
                records.append(record)
                if len(records) >= limit:
                    break
    except csv.Error:
        pass  # a field over the csv module's size limit: sniff from what came before
    return records


# --- encodings ---------------------------------------------------------------------------


@functools.cache
def c1_errors() -> str:
    """Name of a codec error handler mapping cp1252's five unassigned bytes to C1 controls.

    Excel and Windows do the same, so cp1252 decoding never fails and mojibake made by a
    Latin-1 decoder can be undone.
    """

    def handler(err: UnicodeError) -> tuple[str | bytes, int]:
        if isinstance(err, UnicodeDecodeError):
            return err.object[err.start : err.end].decode("latin-1"), err.end
        if isinstance(err, UnicodeEncodeError):
            chunk = err.object[err.start : err.end]
            if all("\x80" <= c <= "\x9f" for c in chunk):
                return chunk.encode("latin-1"), err.end
        raise err

    codecs.register_error("jornada-c1", handler)
    return "jornada-c1"


@functools.cache
def cp1252_fallback_errors() -> str:
    """Name of an error handler that reads bytes invalid in UTF-8 as cp1252 instead."""

    def handler(err: UnicodeError) -> tuple[str, int]:
        if isinstance(err, UnicodeDecodeError):
            bad = err.object[err.start : err.end]
            return bad.decode("cp1252", errors=c1_errors()), err.end
        raise err

    codecs.register_error("jornada-cp1252", handler)
    return "jornada-cp1252"


def _mojibake_pattern() -> re.Pattern[str]:
    cont = re.escape(bytes(range(0x80, 0xC0)).decode("cp1252", errors=c1_errors()))
    c = f"[{cont}]"
    return re.compile(f"[\u00c2-\u00df]{c}|[\u00e0-\u00ef]{c}{{2}}|[\u00f0-\u00f4]{c}{{3}}")


_MOJIBAKE = functools.cache(_mojibake_pattern)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def looks_double_encoded(text: str) -> bool:
    """True when most non-ASCII text is UTF-8 read as cp1252 ("SÃ£o" for "São")."""
    covered = sum(len(m) for m in _MOJIBAKE().findall(text))
    non_ascii = sum(len(m) for m in _NON_ASCII.findall(text))
    return covered >= 2 and covered * 2 >= non_ascii


def repair_mojibake(text: str) -> str:
    """Undo one round of UTF-8 read as cp1252; text that is not mojibake is kept as is."""
    try:
        return text.encode("cp1252", errors=c1_errors()).decode("utf-8")
    except UnicodeError:
        return _MOJIBAKE().sub(_repair_one, text)


def _repair_one(match: re.Match[str]) -> str:
    try:
        return match.group().encode("cp1252", errors=c1_errors()).decode("utf-8")
    except UnicodeError:
        return match.group()


def _held_back(text: str) -> int:
    """Where a mojibake sequence cut by a chunk edge may start (``len(text)`` if none)."""
    for i in range(max(0, len(text) - 3), len(text)):
        if "\u00c2" <= text[i] <= "\u00f4":
            return i
    return len(text)


def transcode_to_utf8(
    source: Path,
    target: Path,
    *,
    codec: str,
    errors: str = "strict",
    repair: bool = False,
    newlines: bool = False,
    chunk_bytes: int = CHUNK_BYTES,
) -> None:
    """Rewrite ``source`` as UTF-8 into ``target`` in fixed-size chunks (bounded memory).

    ``codec`` is a Python codec (see :func:`python_codec`); ``repair`` undoes mojibake;
    ``newlines`` turns ``\\r\\n`` into ``\\n``. Multi-byte characters, mojibake sequences
    and ``\\r\\n`` pairs cut by a chunk edge are carried over to the next chunk.
    """
    decoder = codecs.getincrementaldecoder(codec)(errors=errors)
    offset = 0
    pending = ""
    with open_binary(source) as fin, open(target, "wb") as fout:
        while True:
            chunk = fin.read(chunk_bytes)
            final = not chunk
            try:
                text = pending + decoder.decode(chunk, final=final)
            except UnicodeDecodeError as err:
                at = offset + max(err.start, 0)
                raise InputError(
                    f"not valid {codec} near byte {at}; pass --encoding", source=source
                ) from None
            offset += len(chunk)
            cut = len(text)
            if not final:
                cut = _held_back(text) if repair else cut
                cut -= 1 if newlines and text[cut - 1 : cut] == "\r" else 0
            text, pending = text[:cut], text[cut:]
            if repair:
                text = repair_mojibake(text)
            if newlines:
                text = text.replace("\r\n", "\n")
            fout.write(text.encode("utf-8", errors="surrogatepass"))
            if final:
                break


def _canonical_encoding(path: Path, name: str) -> str:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise InputError(f"unknown encoding {name!r}; try utf-8 or cp1252", source=path) from None
    aliases = {
        "utf-8-sig": "utf-8",
        "utf-16": "utf-16-le",
        "iso8859-1": "latin-1",
        "windows-1252": "cp1252",
    }
    return aliases.get(codec, codec)


def _detect_encoding(path: Path, head: bytes, at_eof: bool) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    sample = head[:65536]
    if sample.count(0) > len(sample) // 4:
        odd_zeros = sample[1::2].count(0)
        even_zeros = sample[0::2].count(0)
        if odd_zeros > 3 * even_zeros:
            return "utf-16-le"
        if even_zeros > 3 * odd_zeros:
            return "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=at_eof)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def python_codec(encoding: str, bom: bool) -> str:
    """The Python codec that reads ``encoding`` and drops its byte-order mark, if any."""
    if encoding == "utf-8":
        return "utf-8-sig"
    if encoding in ("utf-16-le", "utf-16-be") and bom:
        return "utf-16"
    return encoding


def _decode_sample(path: Path, head: bytes, encoding: str, at_eof: bool) -> str:
    bom = head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    codec = python_codec(encoding, bom)
    errors = {"utf-8-sig": cp1252_fallback_errors(), "cp1252": c1_errors()}.get(codec, "replace")
    try:
        decoder = codecs.getincrementaldecoder(codec)(errors=errors)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", source=path) from None
    return decoder.decode(head, final=at_eof).lstrip("\ufeff")


_MAGIC = (
    (b"PK\x03\x04", "is a ZIP archive (an Excel workbook?), not CSV text; save it as .xlsx"),
    (b"PAR1", "is a Parquet file, not CSV text; rename it to .parquet"),
    (b"%PDF", "is a PDF document, not CSV text; export the data as CSV"),
    (b"\xd0\xcf\x11\xe0", "is an old Excel/Office file, not CSV text; save it as .xlsx"),
)


def _refuse_non_text(path: Path, head: bytes) -> None:
    for magic, message in _MAGIC:
        if head.startswith(magic):
            raise InputError(message, source=path)


def _refuse_binary_text(path: Path, text: str) -> None:
    sample = text[:65536]
    controls = sum(1 for c in sample if c < " " and c not in "\t\n\r\f\v")
    if "\x00" in sample or controls > max(2, len(sample) // 200):
        raise InputError(
            "does not look like CSV text (binary data); export the data as CSV", source=path
        )


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise InputError("file not found", source=path)
    if not path.is_file():
        raise InputError("is not a file", source=path)


def _read_or_fail(path: Path, fh: io.BufferedIOBase, size: int) -> bytes:
    try:
        return fh.read(size)
    except (OSError, EOFError) as err:
        raise InputError(f"cannot read the file ({err}); is it cut short?", source=path) from None


def _is_gzip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def _head(path: Path, size: int) -> bytes:
    _check_readable(path)
    with open_binary(path) as fh:
        return _read_or_fail(path, fh, size)


# --- dialect -----------------------------------------------------------------------------


def _sniff_delimiter(text: str, path: Path) -> str:
    preferred = "\t" if ".tsv" in [s.lower() for s in path.suffixes] else ","
    best: tuple[float, int, int] | None = None
    choice = preferred
    for rank, delim in enumerate(sorted(DELIMITERS, key=lambda d: d != preferred)):
        counts = [len(r) for r in parse_records(text, delim, 500)]
        if not counts:
            continue
        mode, freq = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        score = (freq / len(counts), mode, -rank)
        if best is None or score > best:
            best, choice = score, delim
    return choice


_DATE = re.compile(r"\d{1,2}[/.\-]\d{1,2}[/.\-](\d{4}|\d{2})\b|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}")
_CURRENCY = re.compile(r"^(R\$|US\$|\$|€|£|USD|EUR|BRL|MXN|COP|CLP|ARS)\s?|\s?(€|%|USD|EUR|BRL)$")
_NUMBER = re.compile(r"[-+(]?\d[\d.,' ]*\)?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.\w+")


def _kind(value: str) -> str:
    """empty, date, email, number, decimal (a number with a decimal mark) or text."""
    value = value.strip()
    if not value:
        return "empty"
    if _DATE.match(value):
        return "date"
    if _EMAIL.fullmatch(value):
        return "email"
    value = _CURRENCY.sub("", value)
    if _NUMBER.fullmatch(value):
        return "decimal" if re.search(r"\d[.,]\d", value) else "number"
    return "text"


def _has_header(records: list[list[str]]) -> bool:
    """Assume a header unless the first record holds data shaped like the rows below it."""
    if len(records) < 2:
        return True
    first, rest = records[0], records[1:50]
    kinds = [_kind(v) for v in first]
    if not any(k in ("date", "email", "decimal") for k in kinds):
        return True
    coarse = {"decimal": "number"}
    for i, kind in enumerate(kinds):
        below = Counter(coarse.get(k, k) for r in rest if i < len(r) for k in [_kind(r[i])])
        below.pop("empty", None)
        if kind != "empty" and below and below.most_common(1)[0][0] != coarse.get(kind, kind):
            return True
    return False


_COMMA_DECIMAL = re.compile(r"[-+]?(\d{1,3}(\.\d{3})+|\d+)?,\d+")
_DOT_DECIMAL = re.compile(r"[-+]?(\d{1,3}(,\d{3})+|\d+)?\.\d+")
_AMBIGUOUS = re.compile(r"[-+]?\d{1,3}[.,]\d{3}")


def _sniff_decimal(data: list[list[str]], delimiter: str) -> str:
    votes: Counter[str] = Counter()
    for record in data:
        for value in record:
            value = _CURRENCY.sub("", value.strip())
            if not value or _AMBIGUOUS.fullmatch(value):
                continue
            if _COMMA_DECIMAL.fullmatch(value):
                votes[","] += 1
            elif _DOT_DECIMAL.fullmatch(value):
                votes["."] += 1
    if votes[","] != votes["."]:
        return "," if votes[","] > votes["."] else "."
    return "," if delimiter == ";" else "."


_DAY_MONTH = re.compile(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](?:\d{4}|\d{2})(?:$|[\sT])")
_YEAR_FIRST = re.compile(r"\s*\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}(?:$|[\sT])")
_LATIN = re.compile("[ñÑãõÃÕçÇ¿¡áéíóúÁÉÍÓÚ]")


def _sniff_date_order(data: list[list[str]], delimiter: str, decimal: str, text: str) -> str:
    votes: Counter[str] = Counter()
    for record in data:
        for value in record:
            match = _DAY_MONTH.match(value)
            if match:
                first, second = int(match.group(1)), int(match.group(2))
                if first > 12 >= second:
                    votes["dmy"] += 1
                elif second > 12 >= first:
                    votes["mdy"] += 1
                else:
                    votes["ambiguous"] += 1
            elif _YEAR_FIRST.match(value):
                votes["ymd"] += 1
    if votes["dmy"] != votes["mdy"]:
        return "dmy" if votes["dmy"] > votes["mdy"] else "mdy"
    if votes["ymd"] and not votes["ambiguous"]:
        return "ymd"
    latin = delimiter == ";" or decimal == "," or bool(_LATIN.search(text))
    return "dmy" if latin else "mdy"
