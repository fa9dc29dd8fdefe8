"""SQL expression builders that type raw text in DuckDB (never row by row in Python).

Each builder takes the SQL of a VARCHAR expression (a quoted column name, usually) and
returns the SQL of a typed expression that is NULL where the text cannot be read, so the
validation layer can turn NULL-from-non-empty into a per-row rejection.
"""

from __future__ import annotations

DATE_ORDERS = ("dmy", "mdy", "ymd")

_ISO_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
_ISO_TIME = r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?"
_ISO_NAIVE = f"{_ISO_DATE}({_ISO_TIME})?"
_ISO_OFFSET = rf"{_ISO_DATE}{_ISO_TIME}\s*([+-]\d{{2}}(:?\d{{2}})?|UTC|GMT)"
_ISO_AMPM = rf"{_ISO_DATE} \d{{1,2}}:\d{{2}}(:\d{{2}})?\s*[AaPp]\.?[Mm]\.?"
_MONTH_NAME_FORMATS = (
    "%d-%b-%Y",
    "%d %b %Y",
    "%d-%b-%y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d %B %Y",
    "%b %d %Y",
)
_CURRENCY = r"R\$|US\$|\$|€|£|¥|USD|EUR|BRL|MXN|ARS|CLP|COP|PEN|UYU|GBP"
_SPACES = "[\\s\u00a0\u202f\u2009']"
_TRUE = ("true", "t", "yes", "y", "si", "s", "sim", "1", "1.0", "x", "verdadero", "verdadeiro")
_FALSE = ("false", "f", "no", "n", "nao", "0", "0.0", "falso")


def timestamp_sql(
    column_sql: str,
    date_order: str,
    *,
    tz: str = "UTC",
    epoch: bool = True,
    excel_serial: bool = False,
) -> str:
    """SQL reading text as TIMESTAMPTZ (NULL when it is not a date).

    Accepts ISO 8601 (``T`` or space, fractional seconds, ``Z`` or offsets),
    ``dd/mm/yyyy[ hh:mm[:ss]]`` and ``mm/dd/yyyy ...`` as ``date_order`` says (``/``, ``-``
    or ``.`` between parts, 2-digit years as 20yy, AM/PM), ``yyyy/mm/dd ...``, English month
    names (``13-Feb-2024``, ``Feb 13, 2024``), epoch seconds (10 digits) and milliseconds
    (13 digits) from 2000 to 2100 when ``epoch``, and Excel serial day numbers only when
    ``excel_serial``. ``ymd`` reads day/month forms day-first. Naive times are in ``tz``.
    """
    if date_order not in DATE_ORDERS:
        raise ValueError(f"date_order must be one of {', '.join(DATE_ORDERS)}: {date_order!r}")
    zone = _literal(tz)
    v = f"trim(CAST({column_sql} AS VARCHAR))"
    x = _iso_text(v, date_order)
    branches = [
        f"WHEN regexp_full_match({x}, {_literal(_ISO_OFFSET)}) THEN try_cast({x} AS TIMESTAMPTZ)",
        f"WHEN regexp_full_match({x}, {_literal(_ISO_NAIVE)}) "
        f"THEN timezone({zone}, try_cast({x} AS TIMESTAMP))",
        f"WHEN regexp_full_match({x}, {_literal(_ISO_AMPM)}) THEN timezone({zone}, "
        f"try_strptime(regexp_replace({x}, '\\s*([AaPp])\\.?[Mm]\\.?$', ' \\1M'), "
        "['%Y-%m-%d %I:%M:%S %p', '%Y-%m-%d %I:%M %p']))",
    ]
    if epoch:
        branches += [
            f"WHEN regexp_full_match({v}, '\\d{{13}}') AND {v} BETWEEN '0946684800000' AND "
            f"'4102444800000' THEN to_timestamp(CAST({v} AS BIGINT) / 1000.0)",
            f"WHEN regexp_full_match({v}, '\\d{{10}}') AND {v} BETWEEN '0946684800' AND "
            f"'4102444800' THEN to_timestamp(CAST({v} AS BIGINT))",
        ]
    if excel_serial:
        branches.append(
            f"WHEN regexp_full_match({v}, '[2-7]\\d{{4}}(\\.\\d+)?') THEN timezone({zone}, "
            f"TIMESTAMP '1899-12-30' + to_microseconds(CAST(round(CAST({v} AS DOUBLE) "
            "* 86400000000) AS BIGINT)))"
        )
    names = ", ".join(_literal(f) for f in _MONTH_NAME_FORMATS)
    branches.append(
        f"WHEN regexp_matches({v}, '[A-Za-z]{{3}}') "
        f"THEN timezone({zone}, try_strptime({v}, [{names}]))"
    )
    return f"(CASE WHEN {v} = '' THEN NULL {' '.join(branches)} END)"


def _iso_text(v: str, date_order: str) -> str:
    """SQL rewriting day/month/year text into ISO order; ISO text passes unchanged."""
    x = f"regexp_replace({v}, '^(\\d{{1,2}})[./-](\\d{{1,2}})[./-](\\d{{2}}|\\d{{4}})($|[ T])', "
    x += "'\\1/\\2/\\3\\4')"
    x = f"regexp_replace({x}, '^(\\d{{4}})[./](\\d{{1,2}})[./](\\d{{1,2}})', '\\1-\\2-\\3')"
    day, month = ("\\2", "\\1") if date_order == "mdy" else ("\\1", "\\2")
    x = f"regexp_replace({x}, '^(\\d{{1,2}})/(\\d{{1,2}})/(\\d{{4}})', '\\3-{month}-{day}')"
    x = f"regexp_replace({x}, '^(\\d{{1,2}})/(\\d{{1,2}})/(\\d{{2}})', '20\\3-{month}-{day}')"
    x = f"regexp_replace({x}, '(:\\d{{2}}),(\\d+)', '\\1.\\2')"
    return f"regexp_replace({x}, '\\s*[Zz]$', '+00:00')"


def number_sql(column_sql: str, decimal: str) -> str:
    """SQL reading text as DOUBLE (NULL when it is not a number).

    Thousands separators (``.`` ``,`` space, apostrophe), currency signs and codes
    (``R$ 1.234,56``, ``€1.234``, ``1.234 EUR``), percent signs, parentheses and trailing
    minus for negatives. When both marks appear the last one is the decimal mark; a lone
    mark with three digits after it (``1.234``) is read with ``decimal``.
    """
    if decimal not in (".", ","):
        raise ValueError(f"decimal must be '.' or ',': {decimal!r}")
    thousands = "," if decimal == "." else "."
    v = f"trim(CAST({column_sql} AS VARCHAR))"
    s = f"regexp_replace({v}, {_literal(_CURRENCY + '|%|' + _SPACES)}, '', 'g')"
    s = f"replace({s}, '−', '-')"
    negative = (
        f"(regexp_full_match({s}, '\\(.*\\)') OR starts_with({s}, '-') OR ends_with({s}, '-'))"
    )
    core = f"regexp_replace(regexp_replace({s}, '^\\((.*)\\)$', '\\1'), '^[+-]|-$', '', 'g')"
    cases = [
        ("\\d+", core),
        ("\\d{1,3}(\\.\\d{3})+,\\d+", f"replace(replace({core}, '.', ''), ',', '.')"),
        ("\\d{1,3}(,\\d{3})+\\.\\d+", f"replace({core}, ',', '')"),
        ("\\d{1,3}(\\.\\d{3}){2,}", f"replace({core}, '.', '')"),
        ("\\d{1,3}(,\\d{3}){2,}", f"replace({core}, ',', '')"),
        (
            f"[1-9]\\d{{0,2}}\\{thousands}\\d{{3}}",
            f"replace({core}, {_literal(thousands)}, '')",
        ),
        ("\\d*,\\d+", f"replace({core}, ',', '.')"),
        ("\\d*\\.\\d+", core),
        ("\\d+([.,]\\d+)?[eE][+-]?\\d+", f"replace({core}, ',', '.')"),
    ]
    whens = " ".join(
        f"WHEN regexp_full_match({core}, {_literal(pattern)}) THEN {text}"
        for pattern, text in cases
    )
    number = f"try_cast(CASE {whens} END AS DOUBLE)"
    return f"(CASE WHEN {negative} THEN -{number} ELSE {number} END)"


def boolean_sql(column_sql: str) -> str:
    """SQL reading text as BOOLEAN: true/false, yes/no, sí/no, sim/não, 1/0, x (NULL else)."""
    v = f"strip_accents(lower(trim(CAST({column_sql} AS VARCHAR))))"
    yes = ", ".join(_literal(word) for word in _TRUE)
    no = ", ".join(_literal(word) for word in _FALSE)
    return f"(CASE WHEN {v} IN ({yes}) THEN true WHEN {v} IN ({no}) THEN false END)"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
