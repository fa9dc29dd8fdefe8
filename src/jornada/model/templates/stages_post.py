"""Post-purchase stages: Gartner's onboarding, upselling, loyalty and recommendation, and
the lifecycle's retention and advocacy. After the sale the journey is mostly offline."""

from __future__ import annotations

from jornada.model.elements import KpiDirection, Phase
from jornada.model.templates._specs import KpiSpec, StageSpec
from jornada.model.templates._text import COUNT, DAYS, PERCENT, POINTS, SCORE_7, T

POST = Phase.post_purchase

_FIX_FAST = T(
    "Resolver fallas rápido y a la primera",
    "Resolver falhas rápido e de primeira",
    "Get faults fixed fast and first time",
)
_RENEW = T(
    "Renovar con condiciones previsibles",
    "Renovar com condições previsíveis",
    "Renew on predictable terms",
)
_SHARE = T(
    "Compartir sus resultados con colegas del sector",
    "Compartilhar os resultados com colegas do setor",
    "Share their results with industry peers",
)
_SHAPE = T(
    "Influir en la evolución de la oferta",
    "Influenciar a evolução da oferta",
    "Shape how the offer evolves",
)
_CARED_FOR = T("Sentirse cuidado", "Sentir-se cuidado", "Feeling cared for")
_THERE = T(
    "Cuando los necesito, están.",
    "Quando preciso, eles estão lá.",
    "When I need them, they are there.",
)
_PRIDE = T("Orgullo", "Orgulho", "Pride")
_LOOK_GOOD = T(
    "Recomiendo a quien me hizo quedar bien.",
    "Indico quem me fez ficar bem na foto.",
    "I recommend whoever made me look good.",
)
_RENEWAL_RATE = T("Tasa de renovación", "Taxa de renovação", "Renewal rate")
_NPS = T("Índice de recomendación (NPS)", "Índice de recomendação (NPS)", "Net Promoter Score")
_CLV = T(
    "Valor de vida del cliente",
    "Valor do cliente ao longo do tempo (LTV)",
    "Customer lifetime value",
)
_THOUSAND_USD = T("miles de USD", "milhares de USD", "USD thousands")
_REFERENCES = T(
    "Clientes activos como referencia",
    "Clientes ativos como referência",
    "Active reference customers",
)


def _nps(stage: str) -> KpiSpec:
    return KpiSpec(f"{stage}-nps", _NPS, "nps", POINTS, 45, "customer-success")


def _clv(stage: str, target: float) -> KpiSpec:
    return KpiSpec(f"{stage}-clv", _CLV, "clv", _THOUSAND_USD, target, "customer-success")


def _references(stage: str) -> KpiSpec:
    return KpiSpec(f"{stage}-references", _REFERENCES, "referrals", COUNT, 10, "marketing")


ONBOARDING = StageSpec(
    id="onboarding",
    name=T("Incorporación", "Implantação", "Onboarding"),
    phase=POST,
    description=T(
        "Del contrato a la operación: arranque, instalación, puesta en marcha y capacitación.",
        "Do contrato à operação: kickoff, instalação, comissionamento e treinamento.",
        "From contract to operation: kickoff, installation, commissioning and training.",
    ),
    goals=(
        T(
            "Poner la solución en marcha en la fecha acordada",
            "Colocar a solução em operação na data combinada",
            "Go live on the agreed date",
        ),
        T(
            "Que el equipo sepa operarla con seguridad",
            "Que a equipe saiba operá-la com segurança",
            "Have the team run it safely",
        ),
        T("Ver los primeros resultados", "Ver os primeiros resultados", "See the first results"),
    ),
    feeling=T("Sentirse acompañado", "Sentir-se acompanhado", "Feeling supported"),
    valence=1.5,
    thought=T(
        "Ahora se ve si cumplen lo que prometieron.",
        "Agora se vê se cumprem o que prometeram.",
        "Now we find out whether they keep their promises.",
    ),
    kpis=(
        KpiSpec(
            "onboarding-csat",
            T(
                "Satisfacción con la implementación (CSAT)",
                "Satisfação com a implantação (CSAT)",
                "Rollout satisfaction (CSAT)",
            ),
            "csat",
            PERCENT,
            90,
            "customer-success",
        ),
        KpiSpec(
            "onboarding-time",
            T(
                "Días de la firma a la puesta en marcha",
                "Dias da assinatura ao comissionamento",
                "Days from signature to go-live",
            ),
            "time_in_stage",
            DAYS,
            60,
            "operations",
            KpiDirection.decrease,
        ),
    ),
)

UPSELLING = StageSpec(
    id="upselling",
    name=T("Ampliación y venta adicional", "Expansão e upsell", "Upselling & expansion"),
    phase=POST,
    description=T(
        "Con resultados a la vista, la cuenta amplía a otras líneas, plantas o servicios.",
        "Com resultados à vista, a conta expande para outras linhas, plantas ou serviços.",
        "With results in view, the account extends to other lines, plants or services.",
    ),
    goals=(
        T(
            "Extender los resultados a otras líneas o plantas",
            "Levar os resultados a outras linhas ou plantas",
            "Extend the results to other lines or plants",
        ),
        T(
            "Comprar repuestos y servicios sin fricción",
            "Comprar peças e serviços sem atrito",
            "Buy parts and services without friction",
        ),
    ),
    feeling=T("Confianza", "Confiança", "Trust"),
    valence=1.5,
    thought=T(
        "Si funcionó aquí, puede funcionar en la otra planta.",
        "Se funcionou aqui, pode funcionar na outra planta.",
        "If it worked here, it can work at the other plant.",
    ),
    kpis=(
        KpiSpec(
            "upselling-nrr",
            T("Retención neta de ingresos", "Retenção líquida de receita", "Net revenue retention"),
            "net_revenue_retention",
            PERCENT,
            110,
            "sales",
        ),
        _clv("upselling", 450),
    ),
)

LOYALTY = StageSpec(
    id="loyalty",
    name=T("Fidelización", "Fidelização", "Loyalty"),
    phase=POST,
    description=T(
        "Soporte, servicio técnico y facturación del día a día deciden si la cuenta renueva.",
        "Suporte, assistência técnica e faturamento do dia a dia decidem se a conta renova.",
        "Day-to-day support, field service and billing decide whether the account renews.",
    ),
    goals=(
        _FIX_FAST,
        T("Recibir facturas correctas", "Receber faturas corretas", "Receive correct invoices"),
        _RENEW,
    ),
    feeling=_CARED_FOR,
    valence=1.5,
    thought=_THERE,
    kpis=(
        KpiSpec(
            "loyalty-renewal-rate", _RENEWAL_RATE, "renewal_rate", PERCENT, 92, "customer-success"
        ),
        KpiSpec(
            "loyalty-ces",
            T(
                "Esfuerzo para resolver una solicitud (CES)",
                "Esforço para resolver uma solicitação (CES)",
                "Effort to resolve a request (CES)",
            ),
            "ces",
            SCORE_7,
            5.8,
            "customer-service",
        ),
    ),
)

RETENTION = StageSpec(
    id="retention",
    name=T("Retención", "Retenção", "Retention"),
    phase=POST,
    description=T(
        "Puesta en marcha, servicio y facturación que hacen que la cuenta se quede.",
        "Implantação, serviço e faturamento que fazem a conta ficar.",
        "Rollout, service and billing that make the account stay.",
    ),
    goals=(
        T(
            "Poner la solución en marcha sin sorpresas",
            "Colocar a solução em operação sem surpresas",
            "Go live without surprises",
        ),
        _FIX_FAST,
        _RENEW,
    ),
    feeling=_CARED_FOR,
    valence=1.5,
    thought=_THERE,
    kpis=(
        KpiSpec(
            "retention-renewal-rate", _RENEWAL_RATE, "renewal_rate", PERCENT, 90, "customer-success"
        ),
        KpiSpec(
            "retention-csat",
            T(
                "Satisfacción con el servicio (CSAT)",
                "Satisfação com o serviço (CSAT)",
                "Service satisfaction (CSAT)",
            ),
            "csat",
            PERCENT,
            90,
            "customer-service",
        ),
        _clv("retention", 400),
    ),
)

ADVOCACY = StageSpec(
    id="advocacy",
    name=T("Defensa de la marca", "Defesa da marca", "Advocacy"),
    phase=POST,
    description=T(
        "Clientes satisfechos recomiendan la empresa, dan referencias y cuentan su caso.",
        "Clientes satisfeitos indicam a empresa, dão referências e contam o seu case.",
        "Happy customers recommend the company, act as references and tell their story.",
    ),
    goals=(_SHARE, _SHAPE),
    feeling=_PRIDE,
    valence=2.0,
    thought=_LOOK_GOOD,
    kpis=(_nps("advocacy"), _references("advocacy")),
)

RECOMMENDATION = StageSpec(
    id="recommendation",
    name=T("Recomendación", "Recomendação", "Recommendation"),
    phase=POST,
    description=T(
        "El cliente habla bien de la empresa por iniciativa propia o cuando se le pide.",
        "O cliente fala bem da empresa por iniciativa própria ou quando é convidado.",
        "The customer speaks well of the company, unprompted or when asked.",
    ),
    goals=(_SHARE, _SHAPE),
    feeling=_PRIDE,
    valence=2.0,
    thought=_LOOK_GOOD,
    kpis=(_nps("recommendation"), _references("recommendation")),
)
