"""The discovery analyses on Spark: the same SQL as on DuckDB, transpiled.

``prepare``'s statements and every query of :func:`jornada.engine.discovery.queries` are
the DuckDB SQL, translated by :mod:`jornada.engine.dialect`; ``steps`` and ``cases`` become
cached temporary views. The tables come back as Arrow and :func:`analysis.assemble` builds
the same :class:`~jornada.engine.analysis.Analysis` as on DuckDB.

PySpark (and Java) are needed only here and are imported lazily::

    export_for_spark(workspace.con, Path("tables"))
    with local_session() as spark:  # or any SparkSession
        result = discover_spark(Path("tables"), options, stages=workspace.stages(), spark=spark)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pyarrow as pa

from jornada.engine import analysis, discovery
from jornada.engine.analysis import Analysis
from jornada.engine.options import AnalysisOptions
from jornada.engine.prepare import prepare
from jornada.errors import JornadaError
from jornada.workspace.schema import TABLES, Table

if TYPE_CHECKING:
    import duckdb
    from pyspark.sql import DataFrame, SparkSession

    from jornada.engine.dialect import Statement

__all__ = [
    "CANONICAL_TABLES",
    "SMALL_DATA_CONF",
    "SparkQueryError",
    "SparkUnavailable",
    "discover_spark",
    "export_for_spark",
    "local_session",
    "spark_statements",
]

INSTALL_HINT = "the Spark engine needs PySpark and Java: pip install 'jornada[spark]'"

CANONICAL_TABLES: tuple[str, ...] = (
    "events",
    "accounts",
    "contacts",
    "reps",
    "opportunities",
    "feedback",
    "content",
)
"""The workspace tables :func:`export_for_spark` writes and :func:`discover_spark` reads."""

_SPARK_TYPES = {
    "VARCHAR": "STRING",
    "TIMESTAMPTZ": "TIMESTAMP_LTZ",
    "DOUBLE": "DOUBLE",
    "BIGINT": "BIGINT",
    "INTEGER": "INT",
    "BOOLEAN": "BOOLEAN",
}

SMALL_DATA_CONF: dict[str, str] = {
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    "spark.sql.shuffle.partitions": "1",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.autoBroadcastJoinThreshold": "-1",
    "spark.driver.extraJavaOptions": "-XX:+UseSerialGC",
}
"""``local_session(conf=...)`` for worlds of thousands of events (tests, demos): no code
generation, one shuffle partition, no broadcasts. Spark's per-query overhead, not the data,
dominates there; these settings about halve it. Keep the defaults for real data."""

PARALLEL_QUERIES = 4
"""Discovery queries submitted at once (``JORNADA_SPARK_PARALLEL`` overrides): Spark plans
one while it runs another."""

STAGES_SCHEMA = "stage STRING, position INT, phase STRING"


# Spark's own log4j2 defaults print INFO/WARN lines on every start; errors are enough here.
_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
"""


class SparkUnavailable(JornadaError):
    """PySpark or a Java runtime is missing, so the Spark engine cannot run."""


class SparkQueryError(JornadaError):
    """Spark rejected or failed a discovery query (the message names the table)."""


# Sessions -------------------------------------------------------------------------------


def _pyspark() -> Any:
    try:
        import pyspark.sql
    except ImportError:
        raise SparkUnavailable(f"{INSTALL_HINT} (PySpark is not installed)") from None
    return pyspark.sql


def _check_java() -> None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return
    if shutil.which("java") is None:
        raise SparkUnavailable(
            f"{INSTALL_HINT} (no Java runtime: set JAVA_HOME or put java on PATH)"
        )


def local_session(
    app_name: str = "jornada",
    *,
    cores: int = 2,
    memory: str = "4g",
    conf: Mapping[str, str] | None = None,
) -> SparkSession:
    """A Spark session on this machine only: ``local[cores]``, no UI, UTC, quiet.

    Shuffles use ``2 × cores`` partitions (adaptive execution merges small ones), the driver
    binds to 127.0.0.1, nothing is written into the working directory. ``conf`` adds or
    overrides Spark settings (``spark.driver.extraJavaOptions`` is appended to ours). When a
    session already runs in this process, Spark returns it and only runtime SQL settings of
    ``conf`` apply.
    """
    sql = _pyspark()
    _check_java()
    scratch = Path(tempfile.gettempdir()) / f"jornada-spark-{os.getuid()}"
    scratch.mkdir(parents=True, exist_ok=True)
    log_config = scratch / "log4j2.properties"
    log_config.write_text(_LOG4J, encoding="utf-8")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    java_options = f"-Dlog4j2.configurationFile={log_config.as_uri()} -Dderby.system.home={scratch}"
    builder = (
        sql.SparkSession.builder.appName(app_name)
        .master(f"local[{int(cores)}]")
        .config("spark.driver.memory", memory)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(max(2, 2 * int(cores))))
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
        .config("spark.local.dir", str(scratch / "local"))
        .config("spark.driver.extraJavaOptions", java_options)
    )
    for key, value in (conf or {}).items():
        if key == "spark.driver.extraJavaOptions":
            value = f"{java_options} {value}"
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # pyspark raises PySparkRuntimeError when Java cannot start
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise SparkUnavailable(f"{INSTALL_HINT} (Spark did not start: {first})") from None
    session.sparkContext.setLogLevel("ERROR")
    return cast("SparkSession", session)


# Export -------------------------------------------------------------------------------


def export_for_spark(con: duckdb.DuckDBPyConnection, out_dir: Path) -> Path:
    """Write the workspace's canonical tables and stage order as Parquet for Spark.

    ``out_dir/<table>.parquet`` for every table of :data:`CANONICAL_TABLES` plus
    ``stages.parquet``; existing files of those names are replaced. Returns ``out_dir``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in (*CANONICAL_TABLES, "stages"):
        order = " ORDER BY position" if name == "stages" else ""
        target = out_dir / f"{name}.parquet"
        if target.is_dir():
            shutil.rmtree(target)
        path = str(target).replace("'", "''")
        con.execute(
            f"COPY (SELECT * FROM {name}{order}) TO '{path}' (FORMAT parquet, COMPRESSION zstd)"
        )
    return out_dir


# Discovery ------------------------------------------------------------------------------


class _Recorder:
    """Stands in for a DuckDB connection to collect the statements ``prepare`` runs."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def execute(self, sql: str, parameters: object = None) -> _Recorder:
        if parameters:
            raise JornadaError("the Spark engine cannot run parameterised prepare statements")
        self.statements.append(sql)
        return self


def spark_statements(options: AnalysisOptions) -> tuple[list[Statement], dict[str, Statement]]:
    """``prepare``'s statements and the discovery queries of ``options``, in Spark SQL.

    The statements are recorded from :func:`jornada.engine.prepare.prepare` itself, so
    Spark runs exactly what DuckDB runs.
    """
    recorder = _Recorder()
    prepare(cast("duckdb.DuckDBPyConnection", recorder), options)
    try:
        from jornada.engine.dialect import Translator, UnsupportedSQL
    except ImportError:
        raise SparkUnavailable(f"{INSTALL_HINT} (sqlglot is not installed)") from None
    translator = Translator()
    steps = [translator.statement(sql) for sql in recorder.statements]
    queries = {}
    for name, sql in discovery.queries(options).items():
        statement = translator.statement(sql)
        if statement.kind != "query":
            raise UnsupportedSQL(f"discovery query {name} is not a SELECT")
        queries[name] = statement
    return steps, queries


def discover_spark(
    tables_dir: Path,
    options: AnalysisOptions,
    *,
    stages: Iterable[tuple[str, str]],
    spark: SparkSession | None = None,
) -> Analysis:
    """Every discovery table for ``options``, computed by Spark from Parquet tables.

    ``tables_dir`` holds ``<table>.parquet`` (a file or a folder of part files) with the
    workspace's columns (:func:`export_for_spark` writes them); a missing table is empty,
    a missing column is NULL. ``stages`` is the stage order as ``(stage, phase)`` pairs.
    Without ``spark``, a :func:`local_session` is used. The result equals
    :func:`jornada.engine.analysis.discover` on the same data.
    """
    tables_dir = Path(tables_dir)
    if not tables_dir.is_dir():
        raise JornadaError(f"{tables_dir}: no such directory of Parquet tables")
    prepared, queries = spark_statements(options)
    base = spark if spark is not None else local_session()
    # A child session: its own temporary views, the same SparkContext and cache.
    session = base.newSession()
    session.conf.set("spark.sql.session.timeZone", "UTC")
    cached: dict[str, DataFrame] = {}
    try:
        for name in CANONICAL_TABLES:
            _canonical(session, tables_dir, TABLES[name]).createOrReplaceTempView(name)
        rows = [(stage, position, phase) for position, (stage, phase) in enumerate(stages)]
        session.createDataFrame(rows, STAGES_SCHEMA).createOrReplaceTempView("stages")
        for statement in prepared:
            try:
                _run(session, statement, cached)
            except JornadaError:
                raise
            except Exception as exc:  # Spark's AnalysisException, Py4JJavaError, …
                raise _failure(statement.name or "preparation", exc) from exc
        workers = int(os.environ.get("JORNADA_SPARK_PARALLEL", str(PARALLEL_QUERIES)))
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            results = pool.map(lambda item: _query(session, *item), queries.items())
            tables = dict(zip(queries, results, strict=True))
    finally:
        for frame in cached.values():
            frame.unpersist()
    return analysis.assemble(options, tables)


def _run(session: SparkSession, statement: Statement, cached: dict[str, DataFrame]) -> None:
    """One preparation statement: tables become cached temporary views."""
    if statement.kind in ("create", "drop"):
        old = cached.pop(statement.name.lower(), None)
        if old is not None:
            old.unpersist()
        session.catalog.dropTempView(statement.name)
    if statement.kind == "create":
        frame = session.sql(statement.sql).persist()
        frame.count()  # materialise once; every query reads the cache
        frame.createOrReplaceTempView(statement.name)
        cached[statement.name.lower()] = frame
    elif statement.kind == "query":
        session.sql(statement.sql).collect()


def _query(session: SparkSession, name: str, statement: Statement) -> pa.Table:
    """A discovery query's rows as Arrow, its shared CTEs cached only while it runs."""
    views: dict[str, DataFrame] = {}
    try:
        for step in statement.before:
            _run(session, step, views)
        return _arrow(session.sql(statement.sql))
    except JornadaError:
        raise
    except Exception as exc:  # Spark's AnalysisException, Py4JJavaError, …
        raise _failure(name, exc) from exc
    finally:
        for name, frame in views.items():
            frame.unpersist()
            session.catalog.dropTempView(name)


def _failure(table: str, exc: Exception) -> SparkQueryError:
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return SparkQueryError(f"Spark failed on the {table} table: {first[:500]}")


def _canonical(session: SparkSession, tables_dir: Path, table: Table) -> DataFrame:
    """``table`` from ``tables_dir`` with exactly the workspace's columns and types."""
    functions = _pyspark().functions
    schema = ", ".join(f"`{c.name}` {_SPARK_TYPES[c.sql_type]}" for c in table.columns)
    path = tables_dir / f"{table.name}.parquet"
    if not path.exists():
        return session.createDataFrame([], schema)
    raw = session.read.parquet(str(path))
    present = {name.lower(): name for name in raw.columns}
    columns = []
    for column in table.columns:
        kind = _SPARK_TYPES[column.sql_type]
        if column.name.lower() in present:
            value = functions.col(f"`{present[column.name.lower()]}`").cast(kind)
        elif column.name == "source_row":
            # No provenance: file order breaks ties, as DuckDB's file_row_number would.
            value = functions.col("_metadata.row_index").cast(kind)
        elif column.name == "import_id":
            value = _file_rank(path, functions)
        else:
            value = functions.lit(None).cast(kind)
        columns.append(value.alias(column.name))
    return raw.select(*columns)


def _file_rank(path: Path, functions: Any) -> Any:
    """The position of each row's part file in name order (0 for a single file)."""
    if not path.is_dir():
        return functions.lit(0).cast("INT")
    names = sorted(p.name for p in path.iterdir() if not p.name.startswith(("_", ".")))
    if not names:
        return functions.lit(0).cast("INT")
    return functions.array_position(
        functions.array(*[functions.lit(n) for n in names]), functions.col("_metadata.file_name")
    ).cast("INT")


def _arrow(frame: DataFrame) -> pa.Table:
    """A Spark result as Arrow with DuckDB's physical types (plain strings and lists)."""
    table = cast("pa.Table", frame.toArrow())
    fields = []
    for field in table.schema:
        kind = field.type
        if pa.types.is_large_string(kind):
            kind = pa.string()
        elif pa.types.is_large_list(kind):
            kind = pa.list_(kind.value_type)
        fields.append(pa.field(field.name, kind, nullable=True))
    return table.cast(pa.schema(fields))
