"""The integrated lifecycle: awareness, consideration, decision, acquisition (before the
purchase), retention and advocacy (after it)."""

from __future__ import annotations

from jornada.model.elements import KpiDirection, Phase
from jornada.model.templates._specs import KpiSpec, StageSpec, TemplateSpec
from jornada.model.templates._text import DAYS, PERCENT, SCORE_7, T
from jornada.model.templates.stages_post import ADVOCACY, RETENTION

PRE = Phase.pre_purchase
INTEREST = T("Interés", "Interesse", "Interest")
VISITS_TO_LEADS = T(
    "Visitas que se convierten en contactos",
    "Visitas que viram contatos",
    "Visits that become leads",
)
WIN_RATE = T("Tasa de cierre", "Taxa de fechamento", "Win rate")

AWARENESS = StageSpec(
    id="awareness",
    name=T("Concientización", "Conscientização", "Awareness"),
    phase=PRE,
    description=T(
        "La cuenta descubre que tiene un problema y que la empresa puede ayudar a resolverlo.",
        "A conta percebe que tem um problema e que a empresa pode ajudar a resolvê-lo.",
        "The account realises it has a problem and that the company can help solve it.",
    ),
    goals=(
        T(
            "Entender qué está causando las paradas",
            "Entender o que está causando as paradas",
            "Understand what is causing the stoppages",
        ),
        T(
            "Encontrar fuentes de información confiables",
            "Encontrar fontes de informação confiáveis",
            "Find trustworthy sources of information",
        ),
    ),
    feeling=INTEREST,
    valence=1.0,
    thought=T(
        "Esto se parece a lo que nos pasa.",
        "Isso parece o que acontece com a gente.",
        "This sounds like what happens to us.",
    ),
    kpis=(
        KpiSpec(
            "awareness-conversion", VISITS_TO_LEADS, "conversion_rate", PERCENT, 2.5, "marketing"
        ),
    ),
)

CONSIDERATION = StageSpec(
    id="consideration",
    name=T("Consideración", "Consideração", "Consideration"),
    phase=PRE,
    description=T(
        "El grupo de compra compara alternativas y proveedores y define qué necesita.",
        "O grupo de compra compara alternativas e fornecedores e define o que precisa.",
        "The buying group compares options and suppliers and works out what it needs.",
    ),
    goals=(
        T(
            "Comparar alternativas y proveedores",
            "Comparar alternativas e fornecedores",
            "Compare options and suppliers",
        ),
        T(
            "Definir requerimientos y presupuesto",
            "Definir requisitos e orçamento",
            "Set requirements and budget",
        ),
        T(
            "Aprender de expertos y de otros clientes",
            "Aprender com especialistas e outros clientes",
            "Learn from experts and other customers",
        ),
    ),
    feeling=T("Confianza", "Confiança", "Trust"),
    valence=1.0,
    thought=T(
        "Necesito información clara para comparar.",
        "Preciso de informação clara para comparar.",
        "I need clear information to compare.",
    ),
    kpis=(
        KpiSpec(
            "consideration-conversion",
            T(
                "Contactos que pasan a oportunidad",
                "Contatos que viram oportunidade",
                "Leads that become opportunities",
            ),
            "conversion_rate",
            PERCENT,
            20,
            "marketing",
        ),
    ),
)

DECISION = StageSpec(
    id="decision",
    name=T("Decisión", "Decisão", "Decision"),
    phase=PRE,
    description=T(
        "El grupo valida la solución, evalúa la propuesta y elige proveedor.",
        "O grupo valida a solução, avalia a proposta e escolhe o fornecedor.",
        "The group validates the solution, weighs the proposal and picks a supplier.",
    ),
    goals=(
        T(
            "Ver la solución funcionando en sus condiciones",
            "Ver a solução funcionando nas suas condições",
            "See the solution working in their conditions",
        ),
        T(
            "Confirmar el retorno de la inversión",
            "Confirmar o retorno do investimento",
            "Confirm the return on investment",
        ),
        T(
            "Lograr el acuerdo de todo el grupo",
            "Obter o acordo de todo o grupo",
            "Win agreement across the group",
        ),
    ),
    feeling=T("Seguridad en la elección", "Segurança na escolha", "Confidence in the choice"),
    valence=1.5,
    thought=T("¿Y si elegimos mal?", "E se escolhermos errado?", "What if we choose wrong?"),
    kpis=(
        KpiSpec("decision-win-rate", WIN_RATE, "win_rate", PERCENT, 30, "sales"),
        KpiSpec(
            "decision-time",
            T("Días en decisión", "Dias em decisão", "Days in decision"),
            "time_in_stage",
            DAYS,
            45,
            "sales",
            KpiDirection.decrease,
        ),
    ),
)

ACQUISITION = StageSpec(
    id="acquisition",
    name=T("Adquisición", "Aquisição", "Acquisition"),
    phase=PRE,
    description=T(
        "Se negocian las condiciones, se da de alta al proveedor y se firma el contrato.",
        "Negociam-se as condições, cadastra-se o fornecedor e assina-se o contrato.",
        "Terms are negotiated, the supplier is set up and the contract is signed.",
    ),
    goals=(
        T("Cerrar condiciones claras", "Fechar condições claras", "Close on clear terms"),
        T(
            "Completar el alta de proveedor sin idas y vueltas",
            "Concluir o cadastro de fornecedor sem idas e vindas",
            "Finish supplier set-up without back and forth",
        ),
        T(
            "Firmar a tiempo para el presupuesto del año",
            "Assinar a tempo do orçamento do ano",
            "Sign in time for this year's budget",
        ),
    ),
    feeling=T("Tranquilidad", "Tranquilidade", "Peace of mind"),
    valence=1.0,
    thought=T(
        "Que el papeleo no frene el proyecto.",
        "Que a burocracia não trave o projeto.",
        "Don't let paperwork stall the project.",
    ),
    kpis=(
        KpiSpec(
            "acquisition-time",
            T(
                "Días de la aprobación a la firma",
                "Dias da aprovação à assinatura",
                "Days from approval to signature",
            ),
            "time_in_stage",
            DAYS,
            15,
            "finance",
            KpiDirection.decrease,
        ),
        KpiSpec(
            "acquisition-ces",
            T(
                "Esfuerzo del proceso de compra (CES)",
                "Esforço do processo de compra (CES)",
                "Effort of the buying process (CES)",
            ),
            "ces",
            SCORE_7,
            5.5,
            "sales",
        ),
    ),
)

LIFECYCLE = TemplateSpec(
    name="lifecycle",
    title=T(
        "Customer journey B2B: ciclo de vida integrado",
        "Jornada do cliente B2B: ciclo de vida integrado",
        "B2B customer journey: integrated lifecycle",
    ),
    description=T(
        "Seis etapas, de la concientización a la defensa de la marca, antes y después de comprar.",
        "Seis etapas, da conscientização à defesa da marca, antes e depois da compra.",
        "Six stages, from awareness to advocacy, before and after the purchase.",
    ),
    stages=(AWARENESS, CONSIDERATION, DECISION, ACQUISITION, RETENTION, ADVOCACY),
    placement={
        "awareness": ("website", "search", "social-media", "blog", "trade-fair"),
        "consideration": (
            "ebook-download",
            "webinar",
            "newsletter",
            "review-sites",
            "discovery-call",
            "site-visit",
        ),
        "decision": (
            "product-demo",
            "free-trial",
            "roi-calculator",
            "reference-call",
            "commercial-proposal",
        ),
        "acquisition": (
            "quote",
            "vendor-registration",
            "contract-negotiation",
            "contract-signature",
        ),
        "retention": (
            "kickoff-meeting",
            "customer-portal",
            "field-service-visit",
            "invoice",
            "qbr",
            "renewal-meeting",
        ),
        "advocacy": ("nps-survey", "user-conference", "reference-request", "case-study-interview"),
    },
)
