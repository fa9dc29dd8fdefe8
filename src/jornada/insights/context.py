"""What every insight analysis receives and returns.

:class:`Context` carries the connection (a workspace after ``prepare``), the analysis
options and the designed map, if any. :func:`register_map` turns the map into small
relational tables (``map_*``) so analyses join it in SQL; without a map they exist and are
empty, so the same SQL runs with and without one.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from jornada.engine.discovery import scope
from jornada.engine.options import AnalysisOptions
from jornada.model import JourneyMap

Finding = dict[str, Any]

warnings.filterwarnings(
    "ignore", message="Arrow output on a DB-API result makes an extra copy", category=UserWarning
)


@dataclass(frozen=True)
class Context:
    con: duckdb.DuckDBPyConnection
    options: AnalysisOptions
    journey: JourneyMap | None = None

    @property
    def lang(self) -> str:
        return self.options.lang

    def scope(self, alias: str = "steps") -> str:
        """SQL condition selecting the ``steps`` rows the options' filters keep."""
        return scope(self.options.filters, alias)

    def table(self, sql: str, params: list[Any] | None = None) -> pa.Table:
        """A query's result as Arrow, ENUM columns as plain text."""
        import pyarrow.compute as pc

        # One ``execute`` plans the query once; a relation (``con.sql``) is planned when it
        # is made and again when it runs, which costs more than the copy DuckDB warns of
        # on a small result (see the filter at the top of this module).
        table: pa.Table = self.con.execute(sql, params or []).to_arrow_table()
        for index, column in enumerate(table.schema):
            if pa.types.is_dictionary(column.type):
                plain = pc.cast(table.column(index), column.type.value_type)
                table = table.set_column(index, column.name, plain)
        return table


@dataclass
class Result:
    """Tables an analysis writes (name -> table) and the findings it proposes."""

    tables: dict[str, pa.Table] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def finding(
    kind: str,
    subject: str,
    score: float,
    evidence: dict[str, Any],
    action: str,
    **where: str | None,
) -> Finding:
    """One finding. ``score`` is 0-1 and comparable across kinds; ``where`` names the
    affected ``stage``, ``touchpoint``, ``business_unit``, ``role`` or ``rep``."""
    out: Finding = {"kind": kind, "subject": subject, "score": round(float(score), 4)}
    out.update({k: v for k, v in where.items() if v is not None})
    out["evidence"] = evidence
    out["action"] = action
    return out


_S = pa.string()
MAP_TABLES: dict[str, pa.Schema] = {
    "map_stages": pa.schema([("stage", _S), ("name", _S), ("position", pa.int32()),
                             ("phase", _S)]),
    "map_touchpoints": pa.schema([("touchpoint", _S), ("name", _S), ("stage", _S),
                                  ("channel", _S), ("channel_kind", _S), ("owner_bu", _S),
                                  ("critical", pa.bool_())]),
    "map_touchpoint_bus": pa.schema([("touchpoint", _S), ("business_unit", _S),
                                     ("owner", pa.bool_())]),
    "map_business_units": pa.schema([("business_unit", _S), ("name", _S)]),
    "map_roles": pa.schema([("role", _S), ("name", _S), ("required", pa.bool_())]),
    "map_personas": pa.schema([("persona", _S), ("name", _S), ("role", _S)]),
    "map_content": pa.schema([("content_id", _S), ("name", _S), ("format", _S), ("stage", _S),
                              ("persona", _S), ("gated", pa.bool_())]),
    "map_emotions": pa.schema([("stage", _S), ("touchpoint", _S), ("persona", _S),
                               ("observed", pa.float64()), ("target", pa.float64())]),
    "map_pain_points": pa.schema([("pain_point", _S), ("name", _S), ("stage", _S),
                                  ("touchpoint", _S), ("severity", _S)]),
}  # fmt: skip


def _map_rows(journey: JourneyMap | None) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in MAP_TABLES}
    if journey is None:
        return rows
    for position, s in enumerate(journey.stages):
        rows["map_stages"].append(
            {"stage": s.id, "name": s.name, "position": position, "phase": s.phase.value}
        )
    for tp in journey.touchpoints:
        rows["map_touchpoints"].append({
            "touchpoint": tp.id, "name": tp.name, "stage": tp.stage, "channel": tp.channel,
            "channel_kind": tp.channel_kind.value, "owner_bu": tp.owner_bu,
            "critical": tp.critical,
        })  # fmt: skip
        if tp.owner_bu:
            rows["map_touchpoint_bus"].append(
                {"touchpoint": tp.id, "business_unit": tp.owner_bu, "owner": True}
            )
        for shared in tp.shared_bus:
            if shared != tp.owner_bu:
                rows["map_touchpoint_bus"].append(
                    {"touchpoint": tp.id, "business_unit": shared, "owner": False}
                )
    for unit in journey.business_units:
        rows["map_business_units"].append({"business_unit": unit.id, "name": unit.name})
    for role in journey.roles:
        rows["map_roles"].append({"role": role.id, "name": role.name, "required": role.required})
    for p in journey.personas:
        rows["map_personas"].append({"persona": p.id, "name": p.name, "role": p.role})
    for c in journey.content:
        for stage in c.stages:
            personas: list[str | None] = list(c.personas) or [None]
            for persona in personas:
                rows["map_content"].append({
                    "content_id": c.id, "name": c.name, "format": c.format, "stage": stage,
                    "persona": persona, "gated": c.gated,
                })  # fmt: skip
    for e in journey.emotions:
        rows["map_emotions"].append({
            "stage": e.stage, "touchpoint": e.touchpoint, "persona": e.persona,
            "observed": e.observed, "target": e.target,
        })  # fmt: skip
    for pp in journey.pain_points:
        rows["map_pain_points"].append({
            "pain_point": pp.id, "name": pp.name, "stage": pp.stage,
            "touchpoint": pp.touchpoint, "severity": pp.severity.value,
        })  # fmt: skip
    return rows


def register_map(con: duckdb.DuckDBPyConnection, journey: JourneyMap | None) -> None:
    """(Re)create the ``map_*`` tables from ``journey`` (empty tables when it is None)."""
    for name, rows in _map_rows(journey).items():
        arrow = pa.Table.from_pylist(rows, schema=MAP_TABLES[name])  # noqa: F841
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM arrow")
