"""The content inventory: assets per content touchpoint, role and language."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from jornada.demo import world
from jornada.demo._arrays import Bools, Ints

TITLE_TEMPLATES: dict[str, dict[str, str]] = {
    "blog_post": {"es": "{t}: lo que toda planta debería saber",
                  "pt": "{t}: o que toda fábrica deveria saber",
                  "en": "{t}: what every plant should know"},
    "video": {"es": "{t} en cinco minutos", "pt": "{t} em cinco minutos",
              "en": "{t} in five minutes"},
    "ebook": {"es": "Guía completa: {t}", "pt": "Guia completo: {t}",
              "en": "The complete guide: {t}"},
    "whitepaper": {"es": "Informe técnico: {t}", "pt": "Relatório técnico: {t}",
                   "en": "Technical paper: {t}"},
    "case_study": {"es": "Caso de éxito: {t}", "pt": "Caso de sucesso: {t}",
                   "en": "Customer story: {t}"},
    "webinar": {"es": "Webinar: {t}", "pt": "Webinar: {t}", "en": "Webinar: {t}"},
    "datasheet": {"es": "Ficha técnica: {t}", "pt": "Ficha técnica: {t}", "en": "Datasheet: {t}"},
    "checklist": {"es": "Lista de verificación: {t}", "pt": "Checklist: {t}",
                  "en": "Checklist: {t}"},
    "calculator": {"es": "Calculadora: {t}", "pt": "Calculadora: {t}", "en": "Calculator: {t}"},
    "guide": {"es": "Manual de uso: {t}", "pt": "Manual de uso: {t}", "en": "User guide: {t}"},
}  # fmt: skip

ROLE_TOPICS: dict[str, tuple[dict[str, str], ...]] = {
    "economic_buyer": (
        {"es": "retorno de la digitalización", "pt": "retorno da digitalização",
         "en": "the payback of going digital"},
        {"es": "costos de una parada de línea", "pt": "custos de uma parada de linha",
         "en": "what a line stoppage costs"},
    ),
    "technical_evaluator": (
        {"es": "integración con PLC y SCADA", "pt": "integração com CLP e SCADA",
         "en": "PLC and SCADA integration"},
        {"es": "arquitectura de sensores IIoT", "pt": "arquitetura de sensores IIoT",
         "en": "IIoT sensor architecture"},
    ),
    "operations_lead": (
        {"es": "OEE y paradas no planificadas", "pt": "OEE e paradas não planejadas",
         "en": "OEE and unplanned downtime"},
        {"es": "planificación de turnos", "pt": "planejamento de turnos",
         "en": "shift planning"},
    ),
    "procurement": (
        {"es": "costo total de propiedad", "pt": "custo total de propriedade",
         "en": "total cost of ownership"},
        {"es": "cómo comparar proveedores de MES", "pt": "como comparar fornecedores de MES",
         "en": "how to compare MES vendors"},
    ),
    "it_security": (
        {"es": "ciberseguridad en planta", "pt": "cibersegurança na fábrica",
         "en": "plant-floor cybersecurity"},
        {"es": "nube o servidor local", "pt": "nuvem ou servidor local",
         "en": "cloud or on-premises"},
    ),
    "legal_counsel": (
        {"es": "protección de datos industriales", "pt": "proteção de dados industriais",
         "en": "industrial data protection"},
        {"es": "contratos de software como servicio", "pt": "contratos de software como serviço",
         "en": "software-as-a-service contracts"},
    ),
    "end_user": (
        {"es": "registro digital de turnos", "pt": "registro digital de turnos",
         "en": "digital shift logs"},
        {"es": "alarmas en la línea", "pt": "alarmes na linha", "en": "alarms on the line"},
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Inventory:
    """The asset table plus lookups from (content touchpoint, role, language) to assets."""

    table: pa.Table
    content_tps: tuple[str, ...]
    starts: Ints
    counts: Ints
    has_role: Bools
    """[content touchpoint, role]: at least one asset exists."""

    def key(self, ctp: Ints, role: Ints, language: Ints) -> Ints:
        return (ctp * len(world.ROLE_IDS) + role) * len(world.LANGUAGES) + language


def build_inventory(rng: np.random.Generator, gap: tuple[str, str] | None) -> Inventory:
    """Plan the assets; the ``gap`` (stage, role) cell gets none."""
    content_tps = tuple(t.id for t in world.TOUCHPOINTS if t.is_content)
    n_roles, n_langs = len(world.ROLE_IDS), len(world.LANGUAGES)
    rows: dict[str, list[object]] = {k: [] for k in ("title", "format", "stage", "role", "gated")}
    rows["language"] = []
    counts = np.zeros(len(content_tps) * n_roles * n_langs, dtype=np.int64)
    for c, tp_id in enumerate(content_tps):
        tp = world.touchpoint(tp_id)
        per_cell = world.CONTENT_PLAN.get(tp_id, 1)
        for r, role in enumerate(world.ROLE_IDS):
            if gap is not None and (tp.stage, role) == gap:
                continue
            for g, lang in enumerate(world.LANGUAGES):
                for k in range(per_cell):
                    fmt = tp.content_formats[int(rng.integers(len(tp.content_formats)))]
                    topic = ROLE_TOPICS[role][k % len(ROLE_TOPICS[role])][lang]
                    title = TITLE_TEMPLATES[fmt][lang].format(t=topic)
                    rows["title"].append(title[0].upper() + title[1:])
                    rows["format"].append(fmt)
                    rows["stage"].append(tp.stage)
                    rows["role"].append(role)
                    rows["gated"].append(fmt in world.GATED_FORMATS)
                    rows["language"].append(lang)
                    counts[(c * n_roles + r) * n_langs + g] += 1
    n = len(rows["title"])
    starts = np.zeros(len(counts), dtype=np.int64)
    starts[1:] = np.cumsum(counts)[:-1]
    table = pa.table(
        {
            "content_id": [f"CNT-{i + 1:04d}" for i in range(n)],
            "title": pa.array(rows["title"], pa.string()),
            "format": pa.array(rows["format"], pa.string()),
            "stage": pa.array(rows["stage"], pa.string()),
            "role": pa.array(rows["role"], pa.string()),
            "gated": pa.array(rows["gated"], pa.bool_()),
            "language": pa.array(rows["language"], pa.string()),
        }
    )
    has_role = counts.reshape(len(content_tps), n_roles, n_langs).sum(axis=2) > 0
    return Inventory(table, content_tps, starts, counts, has_role)
