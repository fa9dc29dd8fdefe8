"""DuckDB SQL -> Spark SQL, so the discovery SQL is written once (DuckDB dialect).

:class:`Translator` transpiles with sqlglot and then rewrites, on the syntax tree, the
constructs whose Spark spelling sqlglot gets wrong or only approximately:

- ``epoch(ts)`` -> the same double DuckDB computes (its ICU extension works in milliseconds:
  ``unix_millis(ts) / 1e3 + (µs remainder) / 1e6``; sqlglot's ``unix_timestamp`` drops the
  fraction);
- ``median(x)`` / ``quantile_cont(x, q)`` -> ``percentile(x, 0.5)`` / ``percentile(x, q)``
  (exact and interpolating, as DuckDB's; Spark has no two-argument ``percentile_cont``);
- ``list(x [ORDER BY k…]) [FILTER (WHERE c)]`` -> ``collect_list`` of structs, sorted on the
  keys, then unwrapped (``collect_list`` keeps no order and drops NULLs; sqlglot drops the
  ``ORDER BY``); no rows gives NULL, as DuckDB's ``list``;
- ``list_concat(a, b)`` -> ``concat`` with NULL arguments as empty lists (DuckDB skips them;
  Spark's ``concat`` would return NULL);
- ``arg_min``/``arg_max`` -> ``min_by``/``max_by`` over rows whose value is not NULL (DuckDB
  skips them; Spark would return the NULL);
- ``len(path)`` on a list -> ``size(path)`` (sqlglot emits ``length``, which is for strings);
- ``row_number()`` and ``size()`` -> ``BIGINT`` (DuckDB's types; Spark's are ``INT``);
- ``TIMESTAMPTZ '…'`` -> ``CAST('…' AS TIMESTAMP_LTZ)`` whatever ``spark.sql.timestampType``;
- ``CREATE TYPE t AS ENUM (…)`` (DuckDB's dictionary encoding) -> nothing, and
  ``CAST(x AS t)`` -> ``x``: on Spark the values stay text.

A query's CTEs read more than once (not plain scans) become :attr:`Statement.before`: views
to cache while it runs, as Spark would otherwise compute them once per reference.

Everything else (``count(*) FILTER (WHERE …)``, ``lead(x IGNORE NULLS)``, ``struct_pack``,
``bool_or``, ``any_value``, ``array_to_string``, ``nullif``, ``/`` as float division,
DuckDB's ``NULLS LAST`` default order, named windows) sqlglot transpiles as is. Constructs
translated here only in part raise :class:`UnsupportedSQL` rather than give other numbers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import sqlglot
from sqlglot import exp

from jornada.errors import JornadaError

if TYPE_CHECKING:
    from sqlglot.expressions import Expr as Node  # the base of every node (sqlglot >= 30)

__all__ = ["Statement", "Translator", "UnsupportedSQL", "to_spark"]


class UnsupportedSQL(JornadaError):
    """A DuckDB construct that has no faithful Spark translation here."""


@dataclass(frozen=True)
class Statement:
    """What one DuckDB statement means on Spark.

    ``query``: run ``sql`` and return its rows. ``create``: (re)create the table ``name``
    from ``sql`` (a cached temporary view on Spark). ``drop``: drop ``name`` if it exists.
    ``skip``: DuckDB-only (types), nothing to do on Spark.
    """

    kind: Literal["query", "create", "drop", "skip"]
    sql: str = ""
    name: str = ""
    before: tuple[Statement, ...] = ()
    """``create`` statements to run first: the query's CTEs that it reads more than once,
    to cache as temporary views (dropped after the query). Spark inlines CTEs, so without
    this a CTE read by ten scalar subqueries is computed ten times."""


_TYPE_DDL = re.compile(
    r"^\s*(?P<verb>CREATE|DROP)\s+TYPE\s+(?:IF\s+EXISTS\s+)?(?P<name>[A-Za-z_][\w]*)"
    r"(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)


@dataclass
class Translator:
    """Translates a sequence of DuckDB statements; remembers the ENUM types they create."""

    enum_types: set[str] = field(default_factory=set)
    materialize_ctes: bool = True
    """Run CTEs read more than once as cached views first (see :attr:`Statement.before`)."""
    _views: int = 0

    def statement(self, sql: str) -> Statement:
        """One DuckDB statement as a Spark :class:`Statement`."""
        ddl = _TYPE_DDL.match(sql)
        if ddl is not None:  # sqlglot reads these only as opaque commands
            name = ddl["name"].lower()
            if ddl["verb"].upper() == "DROP":
                self.enum_types.discard(name)
            elif re.match(r"\s*AS\s+ENUM\b", ddl["rest"], re.IGNORECASE):
                self.enum_types.add(name)
            else:
                raise UnsupportedSQL(f"only ENUM types can be created: {_head(sql)}")
            return Statement("skip", name=name)
        tree = _parse(sql)
        if isinstance(tree, exp.Drop):
            kind = str(tree.args.get("kind") or "").upper()
            tables = tree.args.get("tables") or [tree.this]
            if kind not in ("TABLE", "VIEW") or len(tables) != 1:
                raise UnsupportedSQL(f"cannot drop this on Spark: {_head(sql)}")
            return Statement("drop", name=tables[0].name)
        if isinstance(tree, exp.Create):
            kind = str(tree.args.get("kind") or "").upper()
            query = tree.expression
            target = tree.this
            if (
                kind not in ("TABLE", "VIEW")
                or not isinstance(query, exp.Query)
                or not isinstance(target, exp.Table)
            ):
                raise UnsupportedSQL(
                    f"only CREATE TABLE name AS SELECT runs on Spark: {_head(sql)}"
                )
            return Statement("create", self._generate(query), target.name)
        if not isinstance(tree, exp.Query):
            raise UnsupportedSQL(f"only queries and CREATE … AS SELECT run on Spark: {_head(sql)}")
        return self._query(tree)

    def query(self, sql: str) -> str:
        """One DuckDB SELECT as Spark SQL."""
        statement = self.statement(sql)
        if statement.kind != "query":
            raise UnsupportedSQL(f"expected a query, got {statement.kind}: {_head(sql)}")
        return statement.sql

    def _query(self, tree: Node) -> Statement:
        """A query, with the CTEs it reads more than once split off as views to cache."""
        arrays = _array_names(tree)
        with_ = tree.args.get("with_") or tree.args.get("with")
        if (
            not self.materialize_ctes
            or not isinstance(with_, exp.With)
            or with_.args.get("recursive")
        ):
            return Statement("query", self._generate(tree, arrays))
        assert isinstance(with_, exp.With)
        ctes = list(with_.expressions)
        reads = Counter(
            table.name.lower() for table in tree.find_all(exp.Table) if not table.args.get("db")
        )
        shared = {
            cte.alias.lower()
            for cte in ctes
            if reads[cte.alias.lower()] >= 2
            and not cte.args.get("alias", exp.TableAlias()).columns
            and not _cheap(cte.this)
        }
        if not shared:
            return Statement("query", self._generate(tree, arrays))
        self._views += 1
        views = {name: f"__jornada_q{self._views}_{name}" for name in shared}
        tree = tree.copy()
        for table in tree.find_all(exp.Table):
            name = table.name.lower()
            if not table.args.get("db") and name in views:
                table.set("this", exp.to_identifier(views[name]))
        with_ = tree.args.get("with_") or tree.args.get("with")
        assert isinstance(with_, exp.With)
        before: list[Statement] = []
        kept: list[Node] = []  # the CTEs read once stay CTEs, where they are needed
        for cte in with_.expressions:
            name = cte.alias.lower()
            if name not in views:
                kept.append(cte)
                continue
            body = cte.this.copy()
            if kept:
                inner = body.args.get("with_") or body.args.get("with")
                own = list(inner.expressions) if isinstance(inner, exp.With) else []
                body.set("with_", exp.With(expressions=[k.copy() for k in kept] + own))
            before.append(Statement("create", self._generate(body, arrays), views[name]))
        tree.set("with_", exp.With(expressions=kept) if kept else None)
        return Statement("query", self._generate(tree, arrays), before=tuple(before))

    def _generate(self, tree: Node, arrays: set[str] | None = None) -> str:
        arrays = _array_names(tree) if arrays is None else arrays
        tree = _inline_ctes(tree.copy())
        # Bottom-up (children before parents), so rewritten arguments stay rewritten and
        # new nodes are not visited again.
        for node in reversed(list(tree.walk(bfs=False))):
            new = self._rewrite(node, arrays)
            if new is not node:
                if node is tree:
                    tree = new
                else:
                    node.replace(new)
        return tree.sql(dialect="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)

    def _rewrite(self, node: Node, arrays: set[str]) -> Node:
        if isinstance(node, exp.TimeToUnix):
            return _epoch(node.this)
        if isinstance(node, exp.Median):
            return _percentile(node.this, exp.Literal.number("0.5"))
        if isinstance(node, exp.PercentileCont):
            return _percentile(node.this, node.expression)
        if isinstance(node, exp.PercentileDisc | exp.Quantile | exp.ApproxQuantile):
            raise UnsupportedSQL(f"{node.sql('duckdb')}: only quantile_cont and median are exact")
        if isinstance(node, exp.ArrayAgg | exp.ArgMin | exp.ArgMax):
            # Rewritten with their FILTER clause, if any, when the parent is visited.
            return node if isinstance(node.parent, exp.Filter) else _aggregate(node, None)
        if isinstance(node, exp.Filter) and isinstance(
            node.this, exp.ArrayAgg | exp.ArgMin | exp.ArgMax
        ):
            return _aggregate(node.this, node.expression.this)
        if isinstance(node, exp.ArrayConcat) and not node.args.get("null_propagation"):
            parts = [node.this, *node.expressions]
            concat = exp.func("CONCAT", *[exp.func("COALESCE", p, exp.Array()) for p in parts])
            concat.meta["list"] = True
            return concat
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
        if isinstance(node, exp.Cast) and node.to.this == exp.DataType.Type.USERDEFINED:
            name = str(node.to.args.get("kind") or "").lower()
            if name not in self.enum_types:
                raise UnsupportedSQL(f"CAST to an unknown type {name!r}: {node.sql('duckdb')}")
            value: Node = node.this
            return value
        if isinstance(node, exp.DataType) and node.is_type(exp.DataType.Type.TIMESTAMPTZ):
            return exp.DataType.build("TIMESTAMPLTZ")
        return node


def to_spark(sql: str) -> str:
    """One self-contained DuckDB SELECT as Spark SQL."""
    return Translator().query(sql)


def _head(sql: str) -> str:
    return " ".join(sql.split())[:80]


def _parse(sql: str) -> Node:
    try:
        trees = sqlglot.parse(sql, read="duckdb")
    except sqlglot.errors.ParseError as exc:
        raise UnsupportedSQL(f"cannot parse as DuckDB SQL: {exc}") from None
    statements = [t for t in trees if t is not None]
    if len(statements) != 1:
        raise UnsupportedSQL(f"expected one statement, got {len(statements)}: {_head(sql)}")
    return statements[0]


def _array_names(tree: Node) -> set[str]:
    """Output names of list-valued expressions: the columns ``len()`` must treat as lists."""
    names = set()
    for node in tree.find_all(exp.ArrayAgg, exp.ArrayConcat, exp.Array):
        alias = node.parent
        while isinstance(alias, exp.Filter | exp.Coalesce | exp.Paren):
            alias = alias.parent
        if isinstance(alias, exp.Alias):
            names.add(alias.alias.lower())
    return names


def _inline_ctes(tree: Node) -> Node:
    """Every CTE reference replaced by the CTE's query as a subquery, innermost WITH first.

    Spark (4.x) plans a query that has a WITH clause without its cached tables: a CTE over
    ``steps`` would read and sort the events again instead of the cached ``steps``.
    """
    for with_ in reversed(list(tree.find_all(exp.With))):
        owner = with_.parent
        if owner is None or with_.args.get("recursive"):
            raise UnsupportedSQL(f"WITH RECURSIVE does not run on Spark: {_head(tree.sql())}")
        for cte in list(with_.expressions):
            name = cte.alias.lower()
            columns = cte.args.get("alias", exp.TableAlias()).columns
            for table in list(owner.find_all(exp.Table)):
                if table.args.get("db") or table.name.lower() != name:
                    continue
                if any(parent is cte for parent in _ancestors(table)):
                    continue  # a reference inside its own definition: not ours
                alias = exp.TableAlias(
                    this=exp.to_identifier(table.alias or cte.alias),
                    columns=[c.copy() for c in columns],
                )
                table.replace(exp.Subquery(this=cte.this.copy(), alias=alias))
        owner.set(with_.arg_key or "with_", None)
    return tree


def _ancestors(node: Node) -> Iterator[Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _cheap(query: Node) -> bool:
    """A plain scan and filter of one table: cheaper to repeat than to copy into a cache."""
    if not isinstance(query, exp.Select) or query.args.get("with_") or query.args.get("with"):
        return False
    if any(query.args.get(k) for k in ("joins", "group", "having", "qualify", "distinct")):
        return False
    source = query.args.get("from_") or query.args.get("from")
    if not isinstance(source, exp.From) or not isinstance(source.this, exp.Table):
        return False
    busy = (exp.AggFunc, exp.Window, exp.Subquery, exp.Select, exp.Exists)
    return not any(isinstance(node, busy) for node in query.find_all(*busy) if node is not query)


def _is_list(node: Node, arrays: set[str]) -> bool:
    if isinstance(node, exp.ArrayAgg | exp.Array | exp.ArrayConcat) or node.meta.get("list"):
        return True
    return isinstance(node, exp.Column) and node.name.lower() in arrays


def _bigint(node: Node) -> Node:
    return exp.Cast(this=node, to=exp.DataType.build("BIGINT"))


def _fill(template: str, values: dict[str, Node]) -> Node:
    """``template`` (Spark SQL) with its placeholder columns replaced by copies of ``values``."""

    def fill(node: Node) -> Node:
        if isinstance(node, exp.Column) and not node.table and node.name in values:
            return values[node.name].copy()
        return node

    return sqlglot.parse_one(template, read="spark").transform(fill)


_EPOCH = "(UNIX_MILLIS(__t) / 1e3 + (UNIX_MICROS(__t) - UNIX_MILLIS(__t) * 1000) / 1e6)"


def _epoch(value: Node) -> Node:
    """``epoch(ts)`` of a ``TIMESTAMPTZ`` as DuckDB computes it, to the last bit.

    DuckDB's ICU extension works in milliseconds: seconds = ms / 1e3 + (µs remainder) / 1e6,
    up to one unit in the last place away from ``micros / 1e6``.
    """
    return _fill(_EPOCH, {"__t": value})


def _percentile(value: Node, quantile: Node) -> Node:
    return exp.Anonymous(this="PERCENTILE", expressions=[value, quantile])


def _aggregate(node: Node, condition: Node | None) -> Node:
    """``list``/``arg_min``/``arg_max`` with an optional FILTER condition, DuckDB's way."""
    if isinstance(node, exp.ArgMin | exp.ArgMax):
        value, key = node.this, node.expression
        if node.args.get("count") is not None:
            raise UnsupportedSQL(f"{node.sql('duckdb')}: arg_min/arg_max with a count")
        # DuckDB skips rows whose value or key is NULL; Spark's min_by keeps NULL values.
        keep = exp.and_(
            exp.Not(this=exp.Is(this=value.copy(), expression=exp.Null())),
            exp.Not(this=exp.Is(this=key.copy(), expression=exp.Null())),
            *([exp.Paren(this=condition)] if condition is not None else []),
        )
        name = "MIN_BY" if isinstance(node, exp.ArgMin) else "MAX_BY"
        return exp.Filter(this=exp.func(name, value, key), expression=exp.Where(this=keep))
    assert isinstance(node, exp.ArrayAgg)
    return _ordered_list(node.this, condition)


def _ordered_list(body: Node, condition: Node | None) -> Node:
    """``list(x ORDER BY k1, k2) FILTER (WHERE c)`` keeping the order, the NULLs, and NULL
    for no rows, as DuckDB's ``list``."""
    if isinstance(body, exp.Distinct):
        raise UnsupportedSQL(f"list(DISTINCT …) has no ordered Spark equivalent: {body.sql()}")
    keys: list[Node] = []
    value = body
    if isinstance(body, exp.Order):
        value = body.this
        for ordered in body.expressions:
            if not isinstance(ordered, exp.Ordered) or ordered.args.get("desc"):
                raise UnsupportedSQL(f"list(… ORDER BY {ordered.sql('duckdb')}): ascending only")
            if ordered.args.get("nulls_first"):
                raise UnsupportedSQL(f"list(… ORDER BY {ordered.sql('duckdb')}): NULLS FIRST")
            # (k IS NULL, k): NULL keys last, as DuckDB's default order.
            keys.extend([exp.Is(this=ordered.this.copy(), expression=exp.Null()), ordered.this])
    fields = ", ".join([*(f"__k{i} AS k{i}" for i in range(len(keys))), "__v AS v"])
    collected = f"COLLECT_LIST(STRUCT({fields}))"
    if condition is not None:
        collected += " FILTER (WHERE __c)"
    ordered_list = f"ARRAY_SORT({collected})" if keys else collected
    template = f"IF(SIZE({collected}) = 0, NULL, TRANSFORM({ordered_list}, __e -> __e.v))"
    values = {f"__k{i}": key for i, key in enumerate(keys)} | {"__v": value}
    if condition is not None:
        values["__c"] = condition
    result = _fill(template, values)
    result.meta["list"] = True
    return result
