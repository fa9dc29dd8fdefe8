"""DuckDB SQL -> Spark SQL, so the discovery SQL is written once (DuckDB dialect).

:func:`to_spark` transpiles with sqlglot and then rewrites, on the syntax tree, the few
constructs whose Spark spelling sqlglot gets wrong or only approximately:

- ``epoch(ts)`` -> ``unix_micros(ts) / 1e6`` (sqlglot's ``unix_timestamp`` drops the
  microseconds);
- ``median(x)`` / ``quantile_cont(x, q)`` -> ``percentile(x, 0.5)`` / ``percentile(x, q)``
  (exact and interpolating, as DuckDB's; Spark has no two-argument ``percentile_cont``);
- ``list(x ORDER BY k)`` -> ``transform(array_sort(collect_list(struct(k, x))), e -> e.v)``
  (``collect_list`` keeps no order; sqlglot drops the ``ORDER BY``);
- ``len(path)`` on a list -> ``size(path)`` (sqlglot emits ``length``, which is for strings);
- ``row_number()`` and ``size()`` -> ``BIGINT`` (DuckDB's types; Spark's are ``INT``);
- ``TIMESTAMPTZ '…'`` -> ``CAST('…' AS TIMESTAMP_LTZ)`` whatever ``spark.sql.timestampType``.

Everything else (``count(*) FILTER (WHERE …)``, ``lead(x IGNORE NULLS)``, ``bool_or``,
``any_value``, ``array_to_string``, ``nullif``, ``/`` as float division, DuckDB's
``NULLS LAST`` default order, named windows) sqlglot transpiles as is. Constructs this module
cannot translate faithfully raise :class:`UnsupportedSQL` rather than giving other numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from jornada.errors import JornadaError

__all__ = ["Statement", "UnsupportedSQL", "split_statement", "to_spark"]


class UnsupportedSQL(JornadaError):
    """A DuckDB construct that has no faithful Spark translation here."""


@dataclass(frozen=True)
class Statement:
    """One engine statement: a query, or ``CREATE OR REPLACE TABLE name AS query``."""

    query: str
    """The SELECT, in Spark SQL."""
    creates: str | None = None
    """The table the statement (re)creates, if any."""


def split_statement(sql: str) -> Statement:
    """Parse one DuckDB statement into its Spark query and the table it creates, if any."""
    tree = _parse(sql)
    if isinstance(tree, exp.Create):
        kind = str(tree.args.get("kind") or "").upper()
        query = tree.expression
        if kind not in ("TABLE", "VIEW") or not isinstance(query, exp.Query):
            raise UnsupportedSQL(f"only CREATE TABLE/VIEW … AS SELECT runs on Spark: {_head(sql)}")
        target = tree.this
        if isinstance(target, exp.Schema):  # CREATE TABLE t (a, b) AS …: column list
            raise UnsupportedSQL(f"CREATE TABLE with a column list: {_head(sql)}")
        name = target.name if isinstance(target, exp.Table) else target.sql()
        return Statement(_generate(query), creates=name)
    if not isinstance(tree, exp.Query):
        raise UnsupportedSQL(f"only queries and CREATE … AS SELECT run on Spark: {_head(sql)}")
    return Statement(_generate(tree))


def to_spark(sql: str) -> str:
    """One DuckDB SELECT as Spark SQL."""
    statement = split_statement(sql)
    if statement.creates is not None:
        raise UnsupportedSQL(f"expected a query, got CREATE {statement.creates}")
    return statement.query


def _head(sql: str) -> str:
    return " ".join(sql.split())[:80]


def _parse(sql: str) -> exp.Expression:
    try:
        trees = sqlglot.parse(sql, read="duckdb")
    except sqlglot.errors.ParseError as exc:
        raise UnsupportedSQL(f"cannot parse as DuckDB SQL: {exc}") from None
    statements = [t for t in trees if t is not None]
    if len(statements) != 1:
        raise UnsupportedSQL(f"expected one statement, got {len(statements)}: {_head(sql)}")
    return statements[0]


def _generate(tree: exp.Expression) -> str:
    arrays = _array_names(tree)
    tree = tree.copy()
    # Bottom-up (children before parents), so rewritten arguments stay rewritten; new nodes
    # are not visited again.
    for node in reversed(list(tree.walk(bfs=False))):
        new = _rewrite(node, arrays)
        if new is not node:
            if node is tree:
                tree = new
            else:
                node.replace(new)
    return tree.sql(dialect="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)


def _array_names(tree: exp.Expression) -> set[str]:
    """Output names of ``list(…)`` aggregates: the columns ``len()`` must treat as lists."""
    names = set()
    for agg in tree.find_all(exp.ArrayAgg):
        alias = agg.parent
        if isinstance(alias, exp.Alias):
            names.add(alias.alias.lower())
    return names


def _is_list(node: exp.Expression, arrays: set[str]) -> bool:
    if isinstance(node, exp.ArrayAgg | exp.Array | exp.Transform | exp.ArraySort):
        return True
    return isinstance(node, exp.Column) and node.name.lower() in arrays


def _bigint(node: exp.Expression) -> exp.Expression:
    return exp.Cast(this=node, to=exp.DataType.build("BIGINT"))


def _rewrite(node: exp.Expression, arrays: set[str]) -> exp.Expression:
    if isinstance(node, exp.TimeToUnix):
        return _epoch(node.this)
    if isinstance(node, exp.Median):
        return _percentile(node.this, exp.Literal.number("0.5"))
    if isinstance(node, exp.PercentileCont):
        return _percentile(node.this, node.expression)
    if isinstance(node, exp.PercentileDisc | exp.Quantile | exp.ApproxQuantile):
        raise UnsupportedSQL(f"{node.sql('duckdb')}: only quantile_cont and median are exact")
    if isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order):
        return _ordered_list(node.this)
    if isinstance(node, exp.Length) and _is_list(node.this, arrays):
        return _bigint(exp.ArraySize(this=node.this))
    if isinstance(node, exp.ArraySize) and not isinstance(node.parent, exp.Cast):
        return _bigint(node.copy())
    if (
        isinstance(node, exp.Window)
        and isinstance(node.this, exp.RowNumber)
        and not isinstance(node.parent, exp.Cast)
    ):
        return _bigint(node.copy())
    if isinstance(node, exp.DataType) and node.is_type(exp.DataType.Type.TIMESTAMPTZ):
        return exp.DataType.build("TIMESTAMPLTZ")
    return node


_EPOCH = "(UNIX_MILLIS(__t) / 1e3 + (UNIX_MICROS(__t) - UNIX_MILLIS(__t) * 1000) / 1e6)"


def _epoch(value: exp.Expression) -> exp.Expression:
    """``epoch(ts)`` of a ``TIMESTAMPTZ`` as DuckDB computes it, to the last bit.

    DuckDB's ICU extension works in milliseconds: seconds = ms / 1e3 + (µs remainder) / 1e6,
    which is up to one unit in the last place away from ``micros / 1e6``.
    """
    return _fill(sqlglot.parse_one(_EPOCH, read="spark"), {"__t": value})


def _fill(template: exp.Expression, values: dict[str, exp.Expression]) -> exp.Expression:
    """``template`` with its placeholder columns replaced by copies of ``values``."""

    def fill(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name in values:
            return values[node.name].copy()
        return node

    return template.transform(fill)


def _percentile(value: exp.Expression, quantile: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this="PERCENTILE", expressions=[value, quantile])


_ORDERED_LIST = "TRANSFORM(ARRAY_SORT(COLLECT_LIST(STRUCT({keys}, __v AS v))), __e -> __e.v)"


def _ordered_list(order: exp.Order) -> exp.Expression:
    """``list(x ORDER BY k1, k2)`` that keeps the order (and the NULLs, as DuckDB's list)."""
    keys: list[exp.Expression] = []
    for ordered in order.expressions:
        if not isinstance(ordered, exp.Ordered) or ordered.args.get("desc"):
            raise UnsupportedSQL(f"list(… ORDER BY {ordered.sql('duckdb')}): ascending keys only")
        if ordered.args.get("nulls_first"):
            raise UnsupportedSQL(f"list(… ORDER BY {ordered.sql('duckdb')}): NULLS FIRST")
        keys.extend([exp.Is(this=ordered.this.copy(), expression=exp.Null()), ordered.this])
    template = sqlglot.parse_one(
        _ORDERED_LIST.format(keys=", ".join(f"__k{i} AS k{i}" for i in range(len(keys)))),
        read="spark",
    )
    values = {f"__k{i}": key for i, key in enumerate(keys)} | {"__v": order.this}
    return _fill(template, values)
