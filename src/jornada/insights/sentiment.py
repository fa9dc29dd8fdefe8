"""Offline sentiment of survey comments in Spanish, Portuguese and English, scored in SQL.

The method is a lexicon with rules, run entirely in DuckDB so it scales with the
workspace and needs no model download:

1. normalise: repair leftover UTF-8-read-as-cp1252 text, drop links, turn emoticons
   into the words ``emopos``/``emoneg``, lower-case, strip accents and apostrophes,
   shorten letters repeated for emphasis ("muuuy" -> "muy");
2. split into sentences, clauses (at commas) and tokens (words, numbers, emoji), each
   with its position;
3. join the tokens with the lexicon of the comment's language (``language`` column, or
   detected from stop-word counts when blank); phrases ("vale la pena") win over the words
   inside them;
4. adjust each hit: an intensifier one or two words before scales it ("muy bueno"), a
   negator up to three words before in the same clause flips it ("no es bueno", "não é
   ruim", "not bad"), and after a "but" word a sentence's hits count more than before it;
5. add the hits per comment into ``raw`` and squash it into ``score = raw / sqrt(raw² +
   ALPHA)`` in [-1, 1]; the label is negative/neutral/positive around ``NEUTRAL_BAND``.

The lexicons are the project's own files in ``lexicon/`` (see ``docs/insights-emotions.md``
for the format).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import duckdb
import pyarrow as pa

from jornada.insights.cache import cached_stamp, scalar, set_stamp

LANGS: tuple[str, ...] = ("es", "pt", "en")
ANY = "*"
"""Lexicon key for comments whose language is unknown and cannot be detected."""

ALPHA = 1.0
"""Squashes the sum of hits into [-1, 1]: one hit of weight 0.5 scores 0.45."""
NEUTRAL_BAND = 0.2
"""Scores in (-NEUTRAL_BAND, NEUTRAL_BAND) are neutral."""
NEGATION_WINDOW = 3
"""A negator flips a term at most this many words after it (within the clause)."""
NEGATED_POSITIVE = -0.75
"""Factor on a positive term after a full negator ("no es bueno")."""
NEGATED_NEGATIVE = -0.5
"""Factor on a negative term after a full negator ("not bad" is mildly positive)."""
BEFORE_CONTRAST = 0.5
AFTER_CONTRAST = 1.5
"""Weights of a sentence's hits before and after its first "but" word."""

_EMOJI = r"\x{1F300}-\x{1FAFF}\x{2600}-\x{27BF}\x{2B50}\x{2B55}"
TOKEN = rf"[a-z0-9]+(?:[-/][a-z0-9]+)*|[{_EMOJI}]"
_SENTENCE = r"[.!?;\n\r…]+"
_CLAUSE = r"[,:()\[\]{}«»\x22]+|\s-+\s"


@dataclass(frozen=True)
class Lexicon:
    """The lexicon files as rows: polarity terms, function words, and a version hash."""

    terms: list[tuple[str, str, float]]
    """(language, term, weight); emoji rows are repeated for every language."""
    grammar: list[tuple[str, str, str, float]]
    """(language, kind, term, value) with kind negator, intensifier, contrast or stopword."""
    version: str


def expand(term: str) -> list[str]:
    """Shell-like brace expansion: ``buen{o,a}`` -> ``["bueno", "buena"]``."""
    match = re.search(r"\{([^{}]*)\}", term)
    if match is None:
        return [term]
    head, tail = term[: match.start()], term[match.end() :]
    return [w for option in match.group(1).split(",") for w in expand(head + option + tail)]


def _rows(name: str) -> list[list[str]]:
    text = resources.files("jornada.insights").joinpath("lexicon", name).read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@cache
def lexicon() -> Lexicon:
    """Read (once) the lexicon files shipped in ``jornada/insights/lexicon``."""
    digest = hashlib.sha256()
    terms: dict[tuple[str, str], float] = {}
    grammar: list[tuple[str, str, str, float]] = []
    emoji = [(symbol, float(value)) for symbol, value in _rows("emoji.tsv")]
    for lang in LANGS:
        for term, weight in _rows(f"{lang}.tsv"):
            for form in expand(term):
                terms[(lang, " ".join(form.split()))] = float(weight)
        for symbol, value in emoji:
            terms[(lang, symbol)] = value
        for kind, term, strength in _rows(f"{lang}.grammar.tsv"):
            grammar.append((lang, kind, " ".join(term.split()), float(strength)))
    rows = [(lang, term, weight) for (lang, term), weight in sorted(terms.items())]
    digest.update(repr((rows, grammar)).encode())
    return Lexicon(rows, grammar, digest.hexdigest()[:16])


def register_lexicon(con: duckdb.DuckDBPyConnection) -> None:
    """Create the temporary lexicon tables on ``con`` unless this version is there.

    ``sentiment_terms`` (language, term, first, words, n, weight, contrast) holds words and
    phrases; ``sentiment_grammar`` (language, negators, boosts) one row per language with
    maps from word to strength; ``sentiment_stopwords`` (language, term) feeds language
    detection. Language ``*`` merges all three for comments of unknown language.
    """
    lex = lexicon()
    if cached_stamp(con, "sentiment_lexicon") == lex.version:
        return
    terms = pa.table(  # noqa: F841 - read by DuckDB below
        {
            "language": [r[0] for r in lex.terms],
            "term": [r[1] for r in lex.terms],
            "weight": [r[2] for r in lex.terms],
        }
    )
    grammar = pa.table(  # noqa: F841
        {
            "language": [r[0] for r in lex.grammar],
            "kind": [r[1] for r in lex.grammar],
            "term": [r[2] for r in lex.grammar],
            "value": [r[3] for r in lex.grammar],
        }
    )
    con.execute(f"""
CREATE OR REPLACE TEMP TABLE sentiment_terms AS
WITH t AS (
    SELECT language, strip_accents(lower(term)) AS term, weight, FALSE AS contrast FROM terms
    UNION ALL
    SELECT language, term, 0.0, TRUE FROM grammar WHERE kind = 'contrast'
),
merged AS (
    SELECT * FROM t
    UNION ALL
    SELECT '{ANY}', term, avg(weight), FALSE FROM t WHERE NOT contrast GROUP BY term
)
SELECT language, term, string_split(term, ' ')[1] AS first, string_split(term, ' ') AS words,
       len(string_split(term, ' ')) AS n, weight, contrast
FROM merged
""")
    con.execute(f"""
CREATE OR REPLACE TEMP TABLE sentiment_grammar AS
WITH g AS (
    SELECT language, kind, term, value FROM grammar
    UNION ALL
    SELECT '{ANY}', kind, term, max(value) FROM grammar GROUP BY kind, term
)
SELECT language,
       map_from_entries(list((term, value)) FILTER (WHERE kind = 'negator')) AS negators,
       map_from_entries(list((term, value)) FILTER (WHERE kind = 'intensifier')) AS boosts
FROM (SELECT DISTINCT ON (language, kind, term) * FROM g)
GROUP BY language
""")
    con.execute("""
CREATE OR REPLACE TEMP TABLE sentiment_stopwords AS
SELECT DISTINCT language, term FROM grammar WHERE kind = 'stopword'
""")
    set_stamp(con, "sentiment_lexicon", lex.version)


def _letters_runs() -> list[tuple[str, str]]:
    """(pattern, rewrite) pairs that shorten runs of 3+ equal letters to two (RE2 has no
    back-references, so each letter gets a group; a rewrite may name groups 1-9)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = []
    for start in range(0, len(letters), 9):
        chunk = letters[start : start + 9]
        pattern = "|".join(f"({c}){c}{{2,}}" for c in chunk)
        rewrite = "".join(f"\\{i}\\{i}" for i in range(1, len(chunk) + 1))
        out.append((pattern, rewrite))
    return out


_MOJIBAKE = (
    ("Ã[¡¢£¤ ]|Ã\u00a0|Ã‚|Ãƒ|Ã\u0081", "a"),
    ("Ã[©ª¨«]|Ã‰|ÃŠ", "e"),
    ("Ã[\u00ad®¬¯]|Ã\u008d", "i"),
    ("Ã[³´µ²¶]|Ã“|Ã”|Ã•", "o"),
    ("Ã[º»¹¼]|Ãš", "u"),
    ("Ã±|Ã‘", "n"),
    ("Ã§|Ã‡", "c"),
    ("â€™|â€˜", "'"),
    ("â€œ|â€\u009d|â€", '"'),
)


def normalise_sql(column: str) -> str:
    """SQL turning a text column into the scorer's form (see the module docstring)."""
    text = f"CAST({column} AS VARCHAR)"
    repaired = text
    for pattern, letter in _MOJIBAKE:
        repaired = f"regexp_replace({repaired}, '{_q(pattern)}', '{_q(letter)}', 'g')"
    text = (
        f"CASE WHEN contains({text}, 'Ã') OR contains({text}, 'â€') THEN {repaired} ELSE {text} END"
    )
    text = rf"regexp_replace({text}, '(?:https?://|www\.)\S+|\S+@\S+', ' ', 'g')"
    positive = r"[:;=]-?[)\]}D]+|\(-?[:;=]|<3|\^[_.]?\^"
    negative = r"[:;=]'?-?[(\[{]+|:-?/(?:\s|$)|</3"
    text = f"regexp_replace({text}, '{_q(positive)}', ' emopos ', 'g')"
    text = f"regexp_replace({text}, '{_q(negative)}', ' emoneg ', 'g')"
    text = f"strip_accents(lower({text}))"
    text = f"regexp_replace({text}, '[\\x27`´’‘]', '', 'g')"
    runs = text
    for pattern, rewrite in _letters_runs():
        runs = f"regexp_replace({runs}, '{pattern}', '{rewrite}', 'g')"
    detector = "|".join(f"{c}{c}{c}" for c in "abcdefghijklmnopqrstuvwxyz")
    text = f"CASE WHEN regexp_matches({text}, '{detector}') THEN {runs} ELSE {text} END"
    return rf"regexp_replace({text}, '(a)a+|(i)i+|(u)u+', '\1\2\3', 'g')"


def language_sql(column: str) -> str:
    """SQL mapping a free-text language column (es, ES, es-MX, Spanish, português,
    pt-BR, English, ...) to es/pt/en, NULL when blank or unknown."""
    v = f"strip_accents(lower(trim(CAST({column} AS VARCHAR))))"
    return f"""CASE
    WHEN {v} LIKE 'es%' OR {v} LIKE 'sp%' OR {v} LIKE 'cas%' THEN 'es'
    WHEN {v} LIKE 'pt%' OR {v} LIKE 'por%' OR {v} LIKE 'br%' THEN 'pt'
    WHEN {v} LIKE 'en%' OR {v} LIKE 'ing%' THEN 'en'
END"""


_DOUBLED = "ee|oo|(?:" + "|".join(c + c for c in "abcdefghijklmnopqrstuvwxyz") + ")$"


def _shortened(column: str) -> str:
    """SQL for a token with doubled e/o and a doubled last letter made single: the
    second try for words still stretched after normalising ("buenoo", "geniall")."""
    out = f"regexp_replace({column}, '(e)e+|(o)o+', '\\1\\2', 'g')"
    letters = "abcdefghijklmnopqrstuvwxyz"
    for start in range(0, len(letters), 9):
        chunk = letters[start : start + 9]
        pattern = "|".join(f"({c}){c}$" for c in chunk)
        rewrite = "".join(f"\\{i}" for i in range(1, len(chunk) + 1))
        out = f"regexp_replace({out}, '{pattern}', '{rewrite}')"
    return out


def _q(text: str) -> str:
    return text.replace("'", "''")


def scoring_sql(relation: str, *, has_language: bool = True) -> str:
    """A query scoring ``relation`` (columns ``id``, ``text`` and, unless told otherwise,
    ``language``): one row per input row with ``id``, ``language`` (the one used),
    ``score``, ``label``, ``hits``, ``negative_terms`` and ``positive_terms``. Blank texts
    get NULL score and label; texts with no lexicon hit score 0 (neutral). The term lists
    hold the lexicon's negative (positive) terms that count as such, so a negated "útil"
    is in neither list."""
    given = language_sql("language") if has_language else "NULL"
    alt = _shortened("tok")
    return f"""
WITH src AS (
    SELECT CAST(id AS VARCHAR) AS id, CAST(text AS VARCHAR) AS text, {given} AS given
    FROM ({relation})
),
norm AS (
    SELECT id, given, {normalise_sql("text")} AS body FROM src
    WHERE text IS NOT NULL AND trim(text) <> ''
),
detected AS (
    SELECT id, arg_max(language, hits * 10 - rank) AS language
    FROM (
        SELECT n.id, w.language, count(*) AS hits,
               CASE w.language WHEN 'es' THEN 0 WHEN 'pt' THEN 1 ELSE 2 END AS rank
        FROM norm n, unnest(regexp_extract_all(n.body, '[a-z]+')) AS u(tok)
        JOIN sentiment_stopwords w ON w.term = u.tok
        WHERE n.given IS NULL
        GROUP BY ALL
    )
    GROUP BY id
),
texts AS (
    SELECT n.id, coalesce(n.given, d.language, '{ANY}') AS language, n.body
    FROM norm n LEFT JOIN detected d ON d.id = n.id
),
clauses AS (
    SELECT x.id, x.language, x.s, v.c, regexp_extract_all(v.clause, '{_q(TOKEN)}') AS toks
    FROM (
        SELECT t.id, t.language, u.sentence, u.s
        FROM texts t, unnest(regexp_split_to_array(t.body, '{_q(_SENTENCE)}'))
             WITH ORDINALITY AS u(sentence, s)
    ) x, unnest(regexp_split_to_array(x.sentence, '{_q(_CLAUSE)}')) WITH ORDINALITY AS v(clause, c)
),
tokens AS (
    SELECT k.id, k.language, k.s, k.c, k.toks, w.tok, w.pos
    FROM clauses k, unnest(k.toks) WITH ORDINALITY AS w(tok, pos)
),
candidates AS (
    SELECT *, tok AS key, 0 AS fallback FROM tokens
    UNION ALL
    SELECT *, {alt} AS key, 1 AS fallback FROM tokens
    WHERE regexp_matches(tok, '{_DOUBLED}') AND {alt} <> tok
),
matched AS (
    SELECT c.id, c.language, c.s, c.c, c.pos, c.toks, m.term, m.n, m.weight, m.contrast
    FROM candidates c
    JOIN sentiment_terms m ON m.language = c.language AND m.first = c.key
    WHERE m.n = 1 OR list_slice(c.toks, c.pos, c.pos + m.n - 1) = m.words
    QUALIFY row_number() OVER (PARTITION BY c.id, c.s, c.c, c.pos
                               ORDER BY m.n DESC, c.fallback) = 1
),
kept AS (
    SELECT * FROM matched h
    WHERE NOT EXISTS (
        SELECT 1 FROM matched p
        WHERE p.n > 1 AND p.id = h.id AND p.s = h.s AND p.c = h.c
          AND h.pos > p.pos AND h.pos < p.pos + p.n
    )
),
adjusted AS (
    SELECT h.id, h.s, h.c, h.pos, h.term, h.contrast, h.weight,
           h.weight * (1 + list_sum(list_transform(range(1, 3), lambda i:
               CASE WHEN h.pos - i < 1 THEN 0.0
                    ELSE coalesce(g.boosts[h.toks[h.pos - i - 1] || ' ' || h.toks[h.pos - i]],
                                  g.boosts[h.toks[h.pos - i]], 0.0) * (1.0 - 0.05 * (i - 1))
               END))) AS boosted,
           list_max(list_transform(range(1, {NEGATION_WINDOW + 1}), lambda i:
               CASE WHEN h.pos - i < 1 THEN 0.0
                    WHEN g.boosts[h.toks[h.pos - i - 1] || ' ' || h.toks[h.pos - i]] IS NOT NULL
                    THEN 0.0
                    ELSE coalesce(g.negators[h.toks[h.pos - i]], 0.0)
               END)) AS negation
    FROM kept h JOIN sentiment_grammar g ON g.language = h.language
),
valued AS (
    SELECT id, s, c, pos, term, contrast, weight,
           boosted * (1 - negation * (1 - CASE WHEN boosted > 0 THEN {NEGATED_POSITIVE}
                                               ELSE {NEGATED_NEGATIVE} END)) AS value,
           min(CASE WHEN contrast THEN c * 100000 + pos END)
               OVER (PARTITION BY id, s) AS turn
    FROM adjusted
),
weighed AS (
    SELECT id, term, contrast, weight,
           value * CASE WHEN turn IS NULL THEN 1.0
                        WHEN c * 100000 + pos < turn THEN {BEFORE_CONTRAST}
                        ELSE {AFTER_CONTRAST} END AS value
    FROM valued
),
sums AS (
    SELECT id, sum(value) AS raw, count(*) FILTER (WHERE NOT contrast) AS hits,
           list(term ORDER BY value) FILTER (WHERE value < 0 AND weight < 0) AS negative_terms,
           list(term ORDER BY value DESC) FILTER (WHERE value > 0 AND weight > 0)
               AS positive_terms
    FROM weighed GROUP BY id
)
SELECT src.id, t.language,
       CASE WHEN t.id IS NOT NULL THEN coalesce(s.raw / sqrt(s.raw * s.raw + {ALPHA}), 0.0)
       END AS score,
       CASE WHEN t.id IS NULL THEN NULL
            WHEN coalesce(s.raw / sqrt(s.raw * s.raw + {ALPHA}), 0.0) >= {NEUTRAL_BAND}
            THEN 'positive'
            WHEN coalesce(s.raw / sqrt(s.raw * s.raw + {ALPHA}), 0.0) <= -{NEUTRAL_BAND}
            THEN 'negative'
            ELSE 'neutral' END AS label,
       coalesce(s.hits, 0) AS hits,
       coalesce(s.negative_terms, []) AS negative_terms,
       coalesce(s.positive_terms, []) AS positive_terms
FROM src LEFT JOIN texts t ON t.id = src.id LEFT JOIN sums s ON s.id = src.id
"""


def _relation(con: duckdb.DuckDBPyConnection, table_or_query: str) -> tuple[str, bool]:
    text = table_or_query.strip()
    relation = text if re.search(r"\s", text) else f'SELECT * FROM "{text}"'
    columns = {row[0].lower() for row in con.execute(f"DESCRIBE {relation}").fetchall()}
    missing = {"id", "text"} - columns
    if missing:
        raise ValueError(
            f"the relation to score needs columns id and text (and optionally language); "
            f"missing: {', '.join(sorted(missing))}"
        )
    return relation, "language" in columns


def score_verbatims(con: duckdb.DuckDBPyConnection, table_or_query: str) -> pa.Table:
    """Score every row of a table (by name) or query with columns ``id``, ``text`` and
    optionally ``language``; see :func:`scoring_sql` for the columns returned."""
    register_lexicon(con)
    relation, has_language = _relation(con, table_or_query)
    table: pa.Table = con.sql(scoring_sql(relation, has_language=has_language)).to_arrow_table()
    return table


FEEDBACK_TABLE = "feedback_sentiment"


def feedback_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """A cheap fingerprint of the ``feedback`` rows: their number and their row ids.
    Imports append and delete rows, so it changes whenever the rows do; an ``UPDATE`` in
    place would go unnoticed."""
    found = scalar(con, "SELECT count(*) || '-' || coalesce(sum(hash(rowid)), 0) FROM feedback")
    return str(found)


def feedback_sentiment(con: duckdb.DuckDBPyConnection, fingerprint: str | None = None) -> str:
    """Score the workspace's ``feedback`` comments once per connection and return the
    name of the temporary table holding the scores: ``feedback_row`` (the feedback row's
    ``rowid``) plus the columns of :func:`scoring_sql`. The table is rebuilt when the
    lexicon or the feedback rows change (see :func:`feedback_fingerprint`)."""
    register_lexicon(con)
    stamp = f"{lexicon().version}:{fingerprint or feedback_fingerprint(con)}"
    if cached_stamp(con, FEEDBACK_TABLE) == stamp:
        return FEEDBACK_TABLE
    query = scoring_sql(
        "SELECT rowid AS id, verbatim AS text, language FROM feedback "
        "WHERE verbatim IS NOT NULL AND trim(verbatim) <> ''"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {FEEDBACK_TABLE} AS "
        f"SELECT CAST(id AS BIGINT) AS feedback_row, * EXCLUDE (id) FROM ({query})"
    )
    set_stamp(con, FEEDBACK_TABLE, stamp)
    return FEEDBACK_TABLE
