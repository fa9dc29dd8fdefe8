"""Five stages: discovery, consideration, purchase (before the purchase), retention and
recommendation (after it). Consideration and the post-purchase stages are shared."""

from __future__ import annotations

from jornada.model.elements import KpiDirection, Phase
from jornada.model.templates._specs import KpiSpec, StageSpec, TemplateSpec
from jornada.model.templates._text import DAYS, PERCENT, T
from jornada.model.templates.lifecycle import CONSIDERATION, INTEREST, VISITS_TO_LEADS, WIN_RATE
from jornada.model.templates.stages_post import RECOMMENDATION, RETENTION

PRE = Phase.pre_purchase

DISCOVERY = StageSpec(
    id="discovery",
    name=T("Descubrimiento", "Descoberta", "Discovery"),
    phase=PRE,
    description=T(
        "El cliente potencial conoce la empresa por un buscador, una red social o una feria.",
        "O cliente potencial conhece a empresa por um buscador, uma rede social ou uma feira.",
        "The prospect first meets the company through search, social media or a trade fair.",
    ),
    goals=(
        T(
            "Encontrar rápido qué hace la empresa y para quién",
            "Achar rápido o que a empresa faz e para quem",
            "Quickly find what the company does and for whom",
        ),
        T(
            "Entender si puede resolver su problema",
            "Entender se ela resolve o seu problema",
            "See whether it can solve their problem",
        ),
    ),
    feeling=INTEREST,
    valence=1.0,
    thought=T(
        "Parece que entienden nuestro sector.",
        "Parece que entendem do nosso setor.",
        "They seem to know our industry.",
    ),
    kpis=(
        KpiSpec(
            "discovery-conversion", VISITS_TO_LEADS, "conversion_rate", PERCENT, 2.5, "marketing"
        ),
    ),
)

PURCHASE = StageSpec(
    id="purchase",
    name=T("Compra", "Compra", "Purchase"),
    phase=PRE,
    description=T(
        "El grupo elige, negocia y firma; demasiadas opciones o trámites lentos lo frenan.",
        "O grupo escolhe, negocia e assina; opções demais ou trâmites lentos o travam.",
        "The group chooses, negotiates and signs; too many options or slow paperwork stall it.",
    ),
    goals=(
        T(
            "Recibir una propuesta clara y fácil de comparar",
            "Receber uma proposta clara e fácil de comparar",
            "Get a clear proposal that is easy to compare",
        ),
        T("Negociar condiciones justas", "Negociar condições justas", "Negotiate fair terms"),
        T(
            "Firmar y dar de alta al proveedor sin demoras",
            "Assinar e cadastrar o fornecedor sem atrasos",
            "Sign and set up the supplier without delay",
        ),
    ),
    feeling=T("Confianza en la decisión", "Confiança na decisão", "Confidence in the decision"),
    valence=1.5,
    thought=T(
        "Ojalá no haya sorpresas en la letra chica.",
        "Tomara que não haja surpresas nas letras miúdas.",
        "I hope there are no surprises in the small print.",
    ),
    kpis=(
        KpiSpec("purchase-win-rate", WIN_RATE, "win_rate", PERCENT, 30, "sales"),
        KpiSpec(
            "purchase-time",
            T(
                "Días de la propuesta a la firma",
                "Dias da proposta à assinatura",
                "Days from proposal to signature",
            ),
            "time_in_stage",
            DAYS,
            30,
            "sales",
            KpiDirection.decrease,
        ),
    ),
)

FIVE_STAGE = TemplateSpec(
    name="five-stage",
    title=T(
        "Customer journey B2B en cinco etapas",
        "Jornada do cliente B2B em cinco etapas",
        "B2B customer journey in five stages",
    ),
    description=T(
        "Del descubrimiento a la recomendación: tres etapas antes de la compra y dos después.",
        "Da descoberta à recomendação: três etapas antes da compra e duas depois.",
        "From discovery to recommendation: three stages before the purchase and two after it.",
    ),
    stages=(DISCOVERY, CONSIDERATION, PURCHASE, RETENTION, RECOMMENDATION),
    placement={
        "discovery": ("website", "search", "social-media", "blog", "ebook-download", "trade-fair"),
        "consideration": (
            "webinar",
            "newsletter",
            "review-sites",
            "discovery-call",
            "site-visit",
            "product-demo",
        ),
        "purchase": (
            "roi-calculator",
            "commercial-proposal",
            "quote",
            "vendor-registration",
            "contract-negotiation",
            "contract-signature",
        ),
        "retention": (
            "kickoff-meeting",
            "installation-commissioning",
            "customer-portal",
            "support-hotline",
            "field-service-visit",
            "invoice",
        ),
        "recommendation": (
            "nps-survey",
            "user-conference",
            "reference-request",
            "case-study-interview",
        ),
    },
)
