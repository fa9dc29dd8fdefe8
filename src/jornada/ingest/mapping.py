"""Which source column feeds which canonical column.

A mapping is guessed from the column names (canonical names, and the usual names in
Spanish, Portuguese and English exports, compared without case or accents), taken from a
preset, or read from a mapping file:

```yaml
kind: events
columns:            # canonical column: source column
  timestamp: Fecha y hora
  account_id: Empresa
  activity: Tipo de actividad
constants:          # canonical column: value for every row
  source_system: crm
date_order: dmy     # optional: dmy, mdy or ymd (otherwise sniffed)
timezone: America/Sao_Paulo   # optional: zone of times written without an offset
decimal: ","        # optional
```
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from jornada.errors import JornadaError
from jornada.workspace.schema import TABLES


class MappingError(JornadaError):
    """A mapping (file or guess) cannot map the source onto a canonical table."""


class Kind(StrEnum):
    """The canonical table a file feeds."""

    events = "events"
    accounts = "accounts"
    contacts = "contacts"
    opportunities = "opportunities"
    feedback = "feedback"
    content = "content"
    reps = "reps"
    paths = "paths"


@dataclass(frozen=True)
class ColumnMapping:
    kind: Kind
    columns: dict[str, str]
    """Canonical column -> source column."""
    constants: dict[str, str] = field(default_factory=dict)
    date_order: str | None = None
    timezone: str = "UTC"
    decimal: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "columns": dict(self.columns),
            "constants": dict(self.constants),
            "date_order": self.date_order,
            "timezone": self.timezone,
            "decimal": self.decimal,
        }


def normalise(name: str) -> str:
    """``"Fecha de creación"`` -> ``"fecha_de_creacion"``: no accents, case or punctuation."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


# Usual names of each canonical column, per table (normalised). The canonical name itself
# always matches; the first alias found in a file wins.
ALIASES: dict[Kind, dict[str, tuple[str, ...]]] = {
    Kind.events: {
        "timestamp": ("time_timestamp", "timestamp", "datetime", "date_time", "event_time",
                      "occurred_at", "time", "date", "fecha", "fecha_hora", "fecha_y_hora",
                      "data", "data_hora", "data_e_hora", "activity_date", "activitydate"),
        "account_id": ("account", "accountid", "account_id", "company_id", "companyid",
                       "company", "cuenta", "empresa", "conta", "id_cuenta", "id_conta",
                       "case_concept_name", "case_id", "case"),
        "contact_id": ("contact", "contactid", "contact_id", "person_id", "lead_id", "whoid",
                       "contacto", "contato", "id_contacto", "id_contato"),
        "activity": ("concept_name", "activity", "activity_name", "event", "event_name",
                     "action", "actividad", "atividade", "evento", "accion", "acao",
                     "engagement_type", "subject"),
        "channel": ("channel", "canal", "medium", "medio", "meio"),
        "stage": ("stage", "etapa", "fase", "lifecycle_stage", "lifecyclestage"),
        "touchpoint": ("touchpoint", "touch_point", "punto_de_contacto", "ponto_de_contato"),
        "channel_kind": ("channel_kind", "channel_type", "tipo_de_canal"),
        "business_unit": ("business_unit", "bu", "unidad_de_negocio", "unidade_de_negocio",
                          "area", "department"),
        "role": ("role", "buying_role", "hs_buying_role", "rol", "papel"),
        "content_id": ("content_id", "content", "asset_id", "contenido", "conteudo"),
        "opportunity_id": ("opportunity_id", "opportunity", "opportunityid", "deal_id",
                           "dealid", "deal", "oportunidad", "oportunidade", "negocio"),
        "amount": ("amount", "value", "monto", "importe", "valor"),
        "source_system": ("source_system", "source", "system", "origen", "origem"),
        "event_id": ("event_id", "id", "activity_id", "engagement_id"),
    },
    Kind.accounts: {
        "account_id": ("account_id", "accountid", "company_id", "companyid", "id", "account",
                       "company", "id_cuenta", "id_conta"),
        "name": ("name", "account_name", "company_name", "nombre", "nome", "razon_social",
                 "razao_social"),
        "industry": ("industry", "sector", "industria", "setor", "ramo"),
        "segment": ("segment", "segmento", "tier"),
        "employees": ("employees", "numberofemployees", "number_of_employees",
                      "numberofemployees", "empleados", "funcionarios", "colaboradores"),
        "region": ("region", "regiao", "office_location"),
        "country": ("country", "billingcountry", "pais"),
        "language": ("language", "idioma", "lingua"),
        "owner_rep_id": ("owner_rep_id", "owner_id", "ownerid", "hubspot_owner_id", "owner",
                         "rep", "sales_agent", "responsable", "responsavel"),
        "created_at": ("created_at", "createdate", "createddate", "created_date",
                       "fecha_de_creacion", "data_de_criacao"),
    },
    Kind.contacts: {
        "contact_id": ("contact_id", "contactid", "id", "contact", "id_contacto", "id_contato"),
        "account_id": ("account_id", "accountid", "associatedcompanyid", "company_id",
                       "companyid", "account", "company", "cuenta", "empresa", "conta"),
        "first_name": ("first_name", "firstname", "nombre", "nome", "primer_nombre"),
        "last_name": ("last_name", "lastname", "apellido", "apellidos", "sobrenome"),
        "email": ("email", "e_mail", "correo", "correo_electronico"),
        "job_title": ("job_title", "jobtitle", "title", "cargo", "puesto"),
        "role": ("role", "buying_role", "hs_buying_role", "rol", "papel"),
        "persona": ("persona", "hs_persona"),
        "department": ("department", "departamento", "area"),
        "seniority": ("seniority", "nivel", "senioridade"),
        "language": ("language", "idioma", "lingua", "hs_language"),
        "created_at": ("created_at", "createdate", "createddate", "fecha_de_creacion",
                       "data_de_criacao"),
    },
    Kind.opportunities: {
        "opportunity_id": ("opportunity_id", "opportunityid", "deal_id", "dealid", "id",
                           "opportunity", "deal", "oportunidad", "oportunidade", "negocio"),
        "account_id": ("account_id", "accountid", "company_id", "companyid", "account",
                       "company", "cuenta", "empresa", "conta"),
        "name": ("name", "dealname", "deal_name", "opportunity_name", "nombre", "nome"),
        "type": ("type", "deal_type", "dealtype", "tipo"),
        "stage": ("stage", "stagename", "dealstage", "deal_stage", "etapa", "fase"),
        "created_at": ("created_at", "createdate", "createddate", "engage_date",
                       "fecha_de_creacion", "data_de_criacao"),
        "closed_at": ("closed_at", "closedate", "close_date", "fecha_de_cierre",
                      "data_de_fechamento"),
        "outcome": ("outcome", "result", "resultado", "status", "estado", "deal_outcome"),
        "amount": ("amount", "close_value", "value", "monto", "importe", "valor"),
        "currency": ("currency", "currencyisocode", "deal_currency_code", "moneda", "moeda"),
        "owner_rep_id": ("owner_rep_id", "owner_id", "ownerid", "hubspot_owner_id", "owner",
                         "sales_agent", "rep", "responsable", "responsavel"),
        "product": ("product", "producto", "produto"),
    },
    Kind.feedback: {
        "feedback_id": ("feedback_id", "response_id", "responseid", "review_id", "id"),
        "timestamp": ("timestamp", "recordeddate", "created_at", "review_creation_date",
                      "date", "fecha", "data", "enddate"),
        "account_id": ("account_id", "account", "company", "cuenta", "empresa", "conta"),
        "contact_id": ("contact_id", "contact", "person", "end_user", "externalreference",
                       "contacto", "contato"),
        "survey": ("survey", "survey_type", "type", "encuesta", "pesquisa", "tipo"),
        "score": ("score", "rating", "review_score", "label", "nota", "puntuacion",
                  "calificacion", "avaliacao"),
        "verbatim": ("verbatim", "comment", "text", "opinion", "review_comment_message",
                     "comentario", "comentarios", "texto"),
        "language": ("language", "userlanguage", "idioma", "lingua"),
        "stage": ("stage", "etapa"),
        "touchpoint": ("touchpoint", "punto_de_contacto", "ponto_de_contato"),
    },
    Kind.content: {
        "content_id": ("content_id", "id", "asset_id"),
        "title": ("title", "titulo", "name", "nombre", "nome"),
        "format": ("format", "type", "formato", "tipo"),
        "stage": ("stage", "etapa"),
        "role": ("role", "rol", "papel"),
        "persona": ("persona",),
        "gated": ("gated", "form", "formulario", "requires_form"),
        "language": ("language", "idioma", "lingua"),
    },
    Kind.reps: {
        "rep_id": ("rep_id", "owner_id", "ownerid", "id", "sales_agent", "rep"),
        "name": ("name", "full_name", "nombre", "nome"),
        "team": ("team", "manager", "equipo", "equipe"),
        "region": ("region", "regional_office", "office", "regiao"),
    },
    # Aggregated path tables (ChannelAttribution, GA/Adobe path exports): steps joined by
    # " > ", ">" or "→".
    Kind.paths: {
        "path": ("path", "paths", "channel_path", "conversion_path", "touchpoint_path",
                 "customer_journey", "journey", "ruta", "camino", "caminho", "jornada",
                 "trayectoria", "trajetoria", "secuencia", "sequencia"),
        "conversions": ("total_conversions", "conversions", "conversion", "converted",
                        "conversiones", "conversoes", "conversao", "convertidos"),
        "value": ("total_conversion_value", "conversion_value", "value", "revenue", "valor",
                  "valor_de_conversion", "valor_de_conversao", "ingresos", "receita"),
        "nulls": ("total_null", "total_nulls", "nulls", "null", "no_conversions",
                  "non_conversions", "total_non_conversions", "sin_conversion",
                  "no_convertidos", "sem_conversao", "nao_convertidos"),
    },
}  # fmt: skip

# File-name words that say which table a file feeds (normalised stems).
KIND_WORDS: dict[Kind, tuple[str, ...]] = {
    Kind.events: ("events", "event", "eventos", "activities", "actividades", "atividades",
                  "engagements", "interactions", "interacciones", "interacoes", "touches",
                  "log", "tasks"),
    Kind.accounts: ("accounts", "account", "companies", "company", "cuentas", "empresas",
                    "contas"),
    Kind.contacts: ("contacts", "contact", "contactos", "contatos", "people", "leads"),
    Kind.opportunities: ("opportunities", "opportunity", "deals", "deal", "oportunidades",
                         "negocios", "pipeline", "sales_pipeline"),
    Kind.feedback: ("feedback", "surveys", "survey", "reviews", "nps", "encuestas",
                    "pesquisas", "respuestas", "respostas"),
    Kind.content: ("content", "contents", "assets", "contenido", "conteudo", "contenidos"),
    Kind.reps: ("reps", "owners", "users", "sales_teams", "vendedores", "representantes"),
    Kind.paths: ("paths", "path_data", "pathdata", "conversion_paths", "customer_paths",
                 "rutas", "caminos", "caminhos", "trayectorias", "trajetorias"),
}  # fmt: skip


def guess_kind(path: Path, columns: tuple[str, ...]) -> Kind:
    """The table a file most likely feeds, from its name, then from its columns."""
    stem = normalise(path.name.split(".")[0])
    for kind, words in KIND_WORDS.items():
        if stem in words or any(stem.endswith("_" + w) or stem.startswith(w + "_") for w in words):
            return kind
    scores = {}
    for kind in Kind:
        mapping = _match_columns(kind, columns)
        required = [c.name for c in TABLES[kind.value].columns if c.required]
        if all(r in mapping for r in required):
            scores[kind] = len(mapping)
    if not scores:
        raise MappingError(
            f"{path.name}: cannot tell which table this file feeds; name it events.csv, "
            "accounts.csv, contacts.csv, opportunities.csv, feedback.csv, content.csv or "
            "paths.csv, or pass --kind"
        )
    return max(scores, key=lambda k: scores[k])


def _match_columns(kind: Kind, columns: tuple[str, ...]) -> dict[str, str]:
    by_norm: dict[str, str] = {}
    for column in columns:
        by_norm.setdefault(normalise(column), column)
    found: dict[str, str] = {}
    used: set[str] = set()
    for canonical, aliases in ALIASES[kind].items():
        for alias in (canonical, *aliases):
            source = by_norm.get(alias)
            if source is not None and source not in used:
                found[canonical] = source
                used.add(source)
                break
    return found


def guess_mapping(kind: Kind, columns: tuple[str, ...], *, source: str) -> ColumnMapping:
    """Map the columns a file has onto ``kind``; missing required columns are an error."""
    found = _match_columns(kind, columns)
    check_required(kind, found, source=source, columns=columns)
    return ColumnMapping(kind, found)


def check_required(
    kind: Kind, found: dict[str, str], *, source: str, columns: tuple[str, ...]
) -> None:
    required = [c.name for c in TABLES[kind.value].columns if c.required]
    missing = [r for r in required if r not in found]
    if missing:
        have = ", ".join(columns[:15]) + (" …" if len(columns) > 15 else "")
        raise MappingError(
            f"{source}: no column for {', '.join(missing)} ({kind.value} need "
            f"{', '.join(required)}); columns found: {have}. Rename the column or give a "
            "mapping file with --mapping"
        )


def load_mapping_file(path: Path, columns: tuple[str, ...], *, source: str) -> ColumnMapping:
    """Read a mapping file and check it against the file's columns."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, yaml.YAMLError) as exc:
        raise MappingError(
            f"{path}: cannot read the mapping ({str(exc).splitlines()[0]})"
        ) from None
    if not isinstance(data, dict) or "kind" not in data:
        raise MappingError(f"{path}: a mapping file needs 'kind' and 'columns'")
    try:
        kind = Kind(data["kind"])
    except ValueError:
        raise MappingError(
            f"{path}: kind '{data['kind']}' is unknown; use one of {', '.join(Kind)}"
        ) from None
    table = TABLES[kind.value]
    mapped = {str(k): str(v) for k, v in (data.get("columns") or {}).items()}
    constants = {str(k): str(v) for k, v in (data.get("constants") or {}).items()}
    for canonical in [*mapped, *constants]:
        if canonical not in table.names or canonical in ("import_id", "source_row"):
            known = ", ".join(n for n in table.names if n not in ("import_id", "source_row"))
            raise MappingError(
                f"{path}: columns.{canonical}: not a column of {kind.value} (known: {known})"
            )
    for canonical, column in mapped.items():
        if column not in columns:
            raise MappingError(
                f"{path}: columns.{canonical}: '{column}' is not a column of {source}"
            )
    check_required(kind, {**mapped, **constants}, source=source, columns=columns)
    order = data.get("date_order")
    if order not in (None, "dmy", "mdy", "ymd"):
        raise MappingError(f"{path}: date_order '{order}' must be dmy, mdy or ymd")
    return ColumnMapping(
        kind,
        mapped,
        constants,
        date_order=order,
        timezone=str(data.get("timezone") or "UTC"),
        decimal=data.get("decimal"),
    )
