"""The journey map Vértice Industrial believes in, built from the demo world's spec.

It is the designed journey, drawn the way many companies draw theirs: a little more linear
and inside-out than the data. It leaves out touchpoints buyers really use (peer review
sites, WhatsApp with the rep, the user community), keeps two the data never shows (the
printed catalogue, the loyalty programme), matches only the activity names the CRM team
remembered, marks the touchpoints sales considers decisive rather than the one that lifts
wins (the reference call), requires only two buying-group roles where deals need four, and
does not see the contract review as the friction it is. Later analyses have something to
reveal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jornada.demo import world
from jornada.demo.world import Names
from jornada.model import (
    BusinessUnit,
    ChannelKind,
    ContentAsset,
    Emotion,
    EmpathyMap,
    Initiative,
    InitiativeStatus,
    JourneyMap,
    Kpi,
    KpiDirection,
    Lang,
    MatchRule,
    Message,
    MessageKind,
    MomentOfTruth,
    PainPoint,
    Persona,
    Phase,
    Review,
    Role,
    Scope,
    Severity,
    Stage,
    Touchpoint,
)

# The roles the company thinks a deal needs, and the personas it designs for.
DESIGNED_REQUIRED_ROLES = ("economic_buyer", "technical_evaluator")
DESIGNED_PERSONAS = (
    "plant_director",
    "automation_engineer",
    "production_manager",
    "purchasing_manager",
    "line_supervisor",
)
# Touchpoints the company calls critical (sales' view, not the data's).
DESIGNED_CRITICAL = ("ev_product_demo", "pu_proposal", "on_go_live")


def _named(names: Names, lang: Lang) -> dict[str, Any]:
    """``name`` in the map's language and ``labels`` in the other two."""
    return {
        "name": names.get(lang.value),
        "labels": {other: names.get(other.value) for other in Lang if other is not lang},
    }


def _text(names: Names, lang: Lang) -> str:
    return names.get(lang.value)


def build_demo_map(lang: Lang | str = Lang.en) -> JourneyMap:
    """The demo company's designed journey map, written in ``lang``."""
    lang = Lang(lang)
    company = world.COMPANY
    return JourneyMap(
        id="vertice-b2b-journey",
        **_named(
            Names(
                f"Journey del cliente B2B de {company.name}",
                f"Jornada do cliente B2B da {company.name}",
                f"{company.name} B2B customer journey",
            ),
            lang,
        ),
        language=lang,
        company=company.name,
        description=_text(company.description, lang),
        brand_promise=_text(BRAND_PROMISE, lang),
        objectives=[_text(o, lang) for o in OBJECTIVES],
        scope=Scope(
            segments=[_text(s.names, lang) for s in world.SEGMENTS],
            regions=[_text(r.names, lang) for r in world.REGIONS],
            products=list(company.products),
        ),
        review=Review(created=dt.date(2025, 3, 3), last_reviewed=dt.date(2025, 9, 15)),
        stages=[
            Stage(
                id=s.id,
                phase=Phase(s.phase),
                customer_goals=[_text(g, lang) for g in GOALS[s.id]],
                **_named(s.names, lang),
            )
            for s in world.STAGES
        ],
        business_units=[
            BusinessUnit(id=b.id, **_named(b.names, lang)) for b in world.BUSINESS_UNITS
        ],
        roles=[
            Role(id=r.id, required=r.id in DESIGNED_REQUIRED_ROLES, **_named(r.names, lang))
            for r in world.ROLES
        ],
        personas=[_persona(p, lang) for p in world.PERSONAS if p.id in DESIGNED_PERSONAS],
        touchpoints=[_touchpoint(tp, lang) for tp in world.TOUCHPOINTS if tp.in_designed_map],
        emotions=_emotions(lang),
        pain_points=[
            PainPoint(id=pid, stage=stage, touchpoint=tp, severity=sev, **_named(names, lang))
            for pid, stage, tp, sev, names in PAIN_POINTS
        ],
        moments_of_truth=[
            MomentOfTruth(id=mid, stage=stage, touchpoint=tp, **_named(names, lang))
            for mid, stage, tp, names in MOMENTS_OF_TRUTH
        ],
        content=[
            ContentAsset(
                id=cid,
                format=fmt,
                stages=[stage],
                personas=list(personas),
                gated=gated,
                self_service=fmt in {"calculator", "guide", "video"},
                **_named(names, lang),
            )
            for cid, fmt, stage, personas, gated, names in CONTENT
        ],  # fmt: skip
        messages=[
            Message(id=mid, kind=kind, touchpoints=list(tps), owner_bu=bu, **_named(names, lang))
            for mid, kind, tps, bu, names in MESSAGES
        ],
        kpis=[
            Kpi(
                id=kid,
                metric=metric,
                stage=stage,
                owner_bu=bu,
                unit=unit,
                target=target,
                direction=direction,
                **_named(names, lang),
            )
            for kid, metric, stage, bu, unit, target, direction, names in KPIS
        ],  # fmt: skip
        initiatives=[
            Initiative(
                id=iid,
                owner_bu=bu,
                status=status,
                pain_points=list(pains),
                touchpoints=list(tps),
                target_kpi=kpi,
                start=start,
                due=due,
                progress=progress,
                **_named(names, lang),
            )
            for iid, bu, status, pains, tps, kpi, start, due, progress, names in INITIATIVES
        ],  # fmt: skip
    )


def _persona(p: world.Persona, lang: Lang) -> Persona:
    empathy = EMPATHY.get(p.id)
    return Persona(
        id=p.id,
        role=p.role,
        department=p.department,
        seniority=p.seniority,
        empathy=EmpathyMap(**{k: [_text(v, lang)] for k, v in empathy.items()})
        if empathy
        else EmpathyMap(),
        **_named(p.names, lang),
    )


def _touchpoint(tp: world.Touchpoint, lang: Lang) -> Touchpoint:
    # The CRM team mapped the first activity name of each touchpoint, and both for the
    # high-volume ones; the others stay unmapped until the data shows them.
    activities = tp.activities if tp.weight >= 2.0 else tp.activities[:1]
    return Touchpoint(
        id=tp.id,
        stage=tp.stage,
        channel=tp.channel,
        channel_kind=ChannelKind(tp.channel_kind),
        owner_bu=tp.owner_bu,
        shared_bus=list(tp.shared_bus),
        critical=tp.id in DESIGNED_CRITICAL,
        match=[MatchRule(activity=a) for a in activities],
        **_named(tp.names, lang),
    )


def _emotions(lang: Lang) -> list[Emotion]:
    # The company believes every stage feels good; targets are what it wants to create.
    return [
        Emotion(
            stage=stage,
            observed=observed,
            observed_feeling=_text(feeling, lang),
            target=target,
            target_feeling=_text(wanted, lang),
        )
        for stage, observed, feeling, target, wanted in EMOTIONS
    ]


N = Names
BRAND_PROMISE = N(
    "Tu planta, siempre en marcha: datos claros y un equipo que responde.",
    "Sua fábrica sempre rodando: dados claros e uma equipe que responde.",
    "Your plant, always running: clear data and a team that answers.",
)
OBJECTIVES = (
    N("Subir la tasa de cierre de nuevos negocios al 30 %",
      "Elevar a taxa de fechamento de novos negócios para 30%",
      "Raise the new-business win rate to 30%"),
    N("Lograr la puesta en marcha en menos de 90 días",
      "Entrar em produção em menos de 90 dias",
      "Reach go-live in under 90 days"),
    N("Llevar el NPS de clientes a 45", "Levar o NPS dos clientes a 45",
      "Bring customer NPS to 45"),
    N("Convertir uno de cada cinco clientes en referencia",
      "Transformar um em cada cinco clientes em referência",
      "Turn one customer in five into a reference"),
)  # fmt: skip
GOALS: dict[str, tuple[Names, ...]] = {
    "awareness": (N("Entender por qué se detiene la línea", "Entender por que a linha para",
                    "Understand why the line stops"),),
    "consideration": (N("Conocer opciones para digitalizar la planta",
                        "Conhecer opções para digitalizar a fábrica",
                        "Learn the options to digitise the plant"),),
    "evaluation": (N("Comprobar que funciona con nuestras máquinas",
                     "Comprovar que funciona com nossas máquinas",
                     "Check that it works with our machines"),),
    "purchase": (N("Cerrar un contrato justo y sin riesgos",
                   "Fechar um contrato justo e sem riscos", "Sign a fair, low-risk contract"),),
    "onboarding": (N("Poner la planta en marcha sin parar la producción",
                     "Entrar em produção sem parar a fábrica",
                     "Go live without stopping production"),),
    "retention": (N("Resolver incidencias rápido y ver el retorno",
                    "Resolver ocorrências rápido e ver o retorno",
                    "Get issues fixed fast and see the payback"),),
    "advocacy": (N("Compartir resultados con colegas del sector",
                   "Compartilhar resultados com colegas do setor",
                   "Share results with industry peers"),),
}  # fmt: skip
EMPATHY: dict[str, dict[str, Names]] = {
    "plant_director": {
        "thinks": N("¿Cuándo recupero la inversión?", "Quando recupero o investimento?",
                    "When do I get the money back?"),
        "feels": N("Presión por la eficiencia", "Pressão por eficiência",
                   "Pressure on efficiency"),
        "pains": N("Paradas no planificadas", "Paradas não planejadas", "Unplanned downtime"),
        "gains": N("OEE visible cada mañana", "OEE visível toda manhã",
                   "OEE visible every morning"),
    },
    "automation_engineer": {
        "thinks": N("¿Se integra con nuestros PLC?", "Integra com nossos CLPs?",
                    "Will it talk to our PLCs?"),
        "does": N("Prueba todo en una línea piloto", "Testa tudo em uma linha piloto",
                  "Tests everything on a pilot line"),
        "pains": N("Proyectos que nunca terminan", "Projetos que nunca acabam",
                   "Projects that never end"),
    },
    "production_manager": {
        "feels": N("Miedo a frenar la producción", "Medo de parar a produção",
                   "Afraid of slowing production"),
        "gains": N("Turnos sin sorpresas", "Turnos sem surpresas", "Shifts without surprises"),
    },
    "purchasing_manager": {
        "says": N("Necesito tres cotizaciones", "Preciso de três cotações", "I need three quotes"),
        "pains": N("Condiciones poco claras", "Condições pouco claras", "Unclear terms"),
    },
}  # fmt: skip
EMOTIONS = (
    ("awareness", 1.0, N("curiosidad", "curiosidade", "curiosity"), 1.0,
     N("curiosidad", "curiosidade", "curiosity")),
    ("consideration", 1.0, N("interés", "interesse", "interest"), 1.0,
     N("confianza", "confiança", "trust")),
    ("evaluation", 1.0, N("confianza", "confiança", "trust"), 1.5,
     N("confianza", "confiança", "trust")),
    ("purchase", 0.5, N("tranquilidad", "tranquilidade", "reassurance"), 1.0,
     N("seguridad", "segurança", "safety")),
    ("onboarding", 1.0, N("entusiasmo", "entusiasmo", "enthusiasm"), 1.5,
     N("sentirse acompañado", "sentir-se cuidado", "feeling cared for")),
    ("retention", 1.0, N("satisfacción", "satisfação", "satisfaction"), 1.5,
     N("sentirse acompañado", "sentir-se cuidado", "feeling cared for")),
    ("advocacy", 1.5, N("orgullo", "orgulho", "pride"), 1.5, N("orgullo", "orgulho", "pride")),
)  # fmt: skip
PAIN_POINTS = (
    ("slow-quote", "purchase", "pu_quote", Severity.high,
     N("La cotización tarda semanas", "A cotação demora semanas", "Quotes take weeks")),
    ("training-scheduling", "onboarding", "on_training", Severity.medium,
     N("Cuesta agendar la capacitación por turnos", "É difícil agendar treinamento por turno",
       "Training is hard to schedule around shifts")),
    ("ticket-response", "retention", "re_support_ticket", Severity.medium,
     N("Respuesta lenta a los tickets", "Resposta lenta aos chamados",
       "Slow answers to support tickets")),
)  # fmt: skip
MOMENTS_OF_TRUTH = (
    ("mot-demo", "evaluation", "ev_product_demo",
     N("La demo con datos de su planta", "A demo com dados da fábrica dele",
       "The demo on their own plant data")),
    ("mot-go-live", "onboarding", "on_go_live",
     N("El primer turno en producción", "O primeiro turno em produção",
       "The first shift in production")),
    ("mot-first-incident", "retention", "re_support_ticket",
     N("La primera incidencia grave", "A primeira ocorrência grave", "The first serious incident")),
)  # fmt: skip
_ALL_DESIGNED: tuple[str, ...] = ()
CONTENT = (
    ("blog-downtime", "blog_post", "awareness", _ALL_DESIGNED, False,
     N("Blog: el costo de una parada", "Blog: o custo de uma parada", "Blog: what downtime costs")),
    ("video-oee", "video", "awareness", ("production_manager", "line_supervisor"), False,
     N("Video: OEE en cinco minutos", "Vídeo: OEE em cinco minutos", "Video: OEE in five minutes")),
    ("ebook-mes-guide", "ebook", "consideration", ("plant_director", "automation_engineer"), True,
     N("Guía del MES para plantas medianas", "Guia de MES para fábricas médias",
       "The MES guide for mid-size plants")),
    ("case-food", "case_study", "consideration", _ALL_DESIGNED, False,
     N("Caso: planta de alimentos", "Caso: fábrica de alimentos", "Story: a food plant")),
    ("webinar-iiot", "webinar", "consideration", ("automation_engineer",), True,
     N("Webinar: sensores IIoT", "Webinar: sensores IIoT", "Webinar: IIoT sensors")),
    ("datasheet-sense", "datasheet", "evaluation", ("automation_engineer",), False,
     N("Ficha técnica de Vértice Sense", "Ficha técnica do Vértice Sense",
       "Vértice Sense datasheet")),
    ("roi-calculator", "calculator", "evaluation", ("plant_director", "purchasing_manager"), True,
     N("Calculadora de retorno", "Calculadora de retorno", "Payback calculator")),
    ("user-guide", "guide", "onboarding", ("line_supervisor",), False,
     N("Manual del supervisor", "Manual do supervisor", "Supervisor's handbook")),
)  # fmt: skip
MESSAGES = (
    ("msg-website", MessageKind.website, ("aw_website_visit", "cn_pricing_page"), "marketing",
     N("Sitio web", "Site", "Website")),
    ("msg-newsletter", MessageKind.newsletter, ("cn_email_nurture",), "marketing",
     N("Boletín mensual", "Newsletter mensal", "Monthly newsletter")),
    ("msg-proposal", MessageKind.proposal, ("pu_proposal",), "sales",
     N("Propuesta", "Proposta", "Proposal")),
    ("msg-quote", MessageKind.quote, ("pu_quote",), "sales", N("Cotización", "Cotação", "Quote")),
    ("msg-contract", MessageKind.contract, ("pu_contract_signed",), "legal",
     N("Contrato", "Contrato", "Contract")),
    ("msg-invoice", MessageKind.invoice, ("re_invoice",), "finance",
     N("Factura", "Fatura", "Invoice")),
)  # fmt: skip
_INC, _DEC = KpiDirection.increase, KpiDirection.decrease
KPIS = (
    ("kpi-aw-leads", "conversion_rate", "awareness", "marketing", "%", 4.0, _INC,
     N("Visitas que se vuelven contactos", "Visitas que viram contatos",
       "Visits that become leads")),
    ("kpi-cn-sql", "conversion_rate", "consideration", "marketing", "%", 25.0, _INC,
     N("Contactos que pasan a ventas", "Contatos que passam para vendas",
       "Leads accepted by sales")),
    ("kpi-ev-demo-csat", "csat", "evaluation", "presales", "%", 85.0, _INC,
     N("Satisfacción con la demo", "Satisfação com a demo", "Demo satisfaction")),
    ("kpi-pu-win-rate", "win_rate", "purchase", "sales", "%", 30.0, _INC,
     N("Tasa de cierre", "Taxa de fechamento", "Win rate")),
    ("kpi-on-days", "time_in_stage", "onboarding", "customer_success", "days", 90.0, _DEC,
     N("Días hasta la puesta en marcha", "Dias até entrar em produção", "Days to go-live")),
    ("kpi-re-nps", "nps", "retention", "customer_success", "points", 45.0, _INC,
     N("NPS", "NPS", "NPS")),
    ("kpi-re-renewal", "renewal_rate", "retention", "sales", "%", 90.0, _INC,
     N("Tasa de renovación", "Taxa de renovação", "Renewal rate")),
    ("kpi-ad-referrals", "referral_rate", "advocacy", "marketing", "%", 20.0, _INC,
     N("Clientes que nos recomiendan", "Clientes que nos indicam", "Customers who refer us")),
)  # fmt: skip
INITIATIVES = (
    ("init-quote-48h", "sales", InitiativeStatus.in_progress, ("slow-quote",), ("pu_quote",),
     "kpi-pu-win-rate", dt.date(2025, 6, 1), dt.date(2025, 12, 31), 40,
     N("Cotizaciones en 48 horas", "Cotações em 48 horas", "Quotes within 48 hours")),
    ("init-shift-training", "customer_success", InitiativeStatus.planned,
     ("training-scheduling",), ("on_training", "on_elearning"), "kpi-on-days",
     dt.date(2025, 9, 1), dt.date(2026, 3, 31), 10,
     N("Capacitación por turnos y en línea", "Treinamento por turno e online",
       "Shift-friendly and online training")),
)  # fmt: skip
