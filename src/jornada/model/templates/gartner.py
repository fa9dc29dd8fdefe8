"""Gartner's six B2B buying jobs, followed by the four post-purchase phases.

Buyers work through the jobs in any order and often go back (even from near-consensus to
the start), so the stage order is a reading order, not a funnel.
"""

from __future__ import annotations

from jornada.model.elements import KpiDirection, Phase
from jornada.model.templates._specs import KpiSpec, StageSpec, TemplateSpec
from jornada.model.templates._text import DAYS, PERCENT, T
from jornada.model.templates.stages_post import LOYALTY, ONBOARDING, RECOMMENDATION, UPSELLING

PRE = Phase.pre_purchase
_TRUST = T("Confianza", "Confiança", "Trust")


def _days_in(stage: str, name: T, target: float, owner: str) -> KpiSpec:
    return KpiSpec(
        f"{stage}-time", name, "time_in_stage", DAYS, target, owner, KpiDirection.decrease
    )


PROBLEM_IDENTIFICATION = StageSpec(
    id="problem-identification",
    name=T("Identificación del problema", "Identificação do problema", "Problem identification"),
    phase=PRE,
    description=T(
        "La cuenta reconoce que algo falla (paradas, costos, normativa) y que vale la pena actuar.",
        "A conta reconhece que algo falha (paradas, custos, normas) e que vale a pena agir.",
        "The account sees something is wrong (downtime, cost, regulation) and worth fixing.",
    ),
    goals=(
        T(
            "Entender la causa de las paradas y su costo",
            "Entender a causa das paradas e o seu custo",
            "Understand what causes the downtime and what it costs",
        ),
        T(
            "Saber si otras plantas tienen el mismo problema",
            "Saber se outras plantas têm o mesmo problema",
            "Find out whether other plants face the same problem",
        ),
        T(
            "Justificar internamente que hay que actuar",
            "Justificar internamente que é preciso agir",
            "Make the internal case for acting",
        ),
    ),
    feeling=T("Sentirse comprendido", "Sentir-se compreendido", "Feeling understood"),
    valence=1.0,
    thought=T(
        "No somos los únicos con este problema.",
        "Não somos os únicos com esse problema.",
        "We are not the only ones with this problem.",
    ),
    kpis=(
        KpiSpec(
            "problem-identification-conversion",
            T(
                "Visitas que se convierten en contactos",
                "Visitas que viram contatos",
                "Visits that become leads",
            ),
            "conversion_rate",
            PERCENT,
            2.5,
            "marketing",
        ),
    ),
)

SOLUTION_EXPLORATION = StageSpec(
    id="solution-exploration",
    name=T("Exploración de soluciones", "Exploração de soluções", "Solution exploration"),
    phase=PRE,
    description=T(
        "El grupo de compra investiga qué soluciones existen, casi siempre solo y en línea.",
        "O grupo de compra pesquisa que soluções existem, quase sempre sozinho e online.",
        "The buying group researches what solutions exist, mostly on its own and online.",
    ),
    goals=(
        T(
            "Conocer las alternativas: reparar, reemplazar o monitorear",
            "Conhecer as alternativas: reparar, substituir ou monitorar",
            "Learn the options: repair, replace or monitor",
        ),
        T(
            "Aprender de expertos sin presión comercial",
            "Aprender com especialistas sem pressão comercial",
            "Learn from experts with no sales pressure",
        ),
        T(
            "Armar una primera lista de proveedores posibles",
            "Montar uma primeira lista de possíveis fornecedores",
            "Draw up a longlist of possible suppliers",
        ),
    ),
    feeling=T("Curiosidad y confianza", "Curiosidade e confiança", "Curiosity and trust"),
    valence=1.0,
    thought=T(
        "Quiero aprender antes de hablar con un vendedor.",
        "Quero aprender antes de falar com um vendedor.",
        "I want to learn before I talk to a salesperson.",
    ),
    kpis=(
        KpiSpec(
            "solution-exploration-conversion",
            T(
                "Contactos que piden una conversación",
                "Contatos que pedem uma conversa",
                "Leads who ask for a conversation",
            ),
            "conversion_rate",
            PERCENT,
            20,
            "marketing",
        ),
    ),
)

REQUIREMENTS_BUILDING = StageSpec(
    id="requirements-building",
    name=T("Construcción de requerimientos", "Definição de requisitos", "Requirements building"),
    phase=PRE,
    description=T(
        "La cuenta define qué necesita: capacidad, compatibilidad, normas, plazos y presupuesto.",
        "A conta define o que precisa: capacidade, compatibilidade, normas, prazos e orçamento.",
        "The account pins down its needs: capacity, compatibility, standards, timing, budget.",
    ),
    goals=(
        T(
            "Traducir el problema en especificaciones técnicas",
            "Traduzir o problema em especificações técnicas",
            "Turn the problem into technical specifications",
        ),
        T(
            "Estimar el presupuesto y el retorno",
            "Estimar o orçamento e o retorno",
            "Estimate budget and payback",
        ),
        T(
            "Acordar los criterios de evaluación dentro del grupo",
            "Combinar os critérios de avaliação dentro do grupo",
            "Agree the evaluation criteria within the group",
        ),
    ),
    feeling=T("Seguridad", "Segurança", "Confidence"),
    valence=1.0,
    thought=T(
        "Si los requerimientos quedan mal, compraremos mal.",
        "Se os requisitos ficarem errados, vamos comprar errado.",
        "Get the requirements wrong and we buy the wrong thing.",
    ),
    kpis=(
        _days_in(
            "requirements-building",
            T(
                "Días en definición de requerimientos",
                "Dias na definição de requisitos",
                "Days spent on requirements",
            ),
            30,
            "presales",
        ),
    ),
)

SUPPLIER_SELECTION = StageSpec(
    id="supplier-selection",
    name=T("Selección de proveedores", "Seleção de fornecedores", "Supplier selection"),
    phase=PRE,
    description=T(
        "Se comparan ofertas y se forma la lista corta; la demo y la cotización pesan más.",
        "Comparam-se ofertas e forma-se a lista curta; a demo e a cotação pesam mais.",
        "Offers are compared and a shortlist forms; the demo and the quote weigh most.",
    ),
    goals=(
        T(
            "Ver cada solución funcionando",
            "Ver cada solução funcionando",
            "See each solution working",
        ),
        T(
            "Comparar precio y condiciones de forma justa",
            "Comparar preço e condições de forma justa",
            "Compare price and terms on equal footing",
        ),
        T(
            "Reducir la lista a dos o tres proveedores",
            "Reduzir a lista a dois ou três fornecedores",
            "Narrow the list to two or three suppliers",
        ),
    ),
    feeling=_TRUST,
    valence=1.0,
    thought=T(
        "¿Cuál de ellos entendió de verdad nuestra planta?",
        "Qual deles entendeu de verdade a nossa planta?",
        "Which of them really understood our plant?",
    ),
    kpis=(
        KpiSpec(
            "supplier-selection-conversion",
            T(
                "Oportunidades que llegan a la lista corta",
                "Oportunidades que chegam à lista curta",
                "Opportunities that make the shortlist",
            ),
            "conversion_rate",
            PERCENT,
            55,
            "sales",
        ),
    ),
)

VALIDATION = StageSpec(
    id="validation",
    name=T("Validación", "Validação", "Validation"),
    phase=PRE,
    description=T(
        "El grupo busca pruebas (referencias, visitas, cumplimiento) y a veces retrocede.",
        "O grupo busca provas (referências, visitas, compliance) e às vezes volta atrás.",
        "The group seeks proof (references, visits, compliance) and may step back.",
    ),
    goals=(
        T(
            "Confirmar que la solución funciona en plantas similares",
            "Confirmar que a solução funciona em plantas parecidas",
            "Confirm the solution works at similar plants",
        ),
        T(
            "Verificar que el proveedor cumple las políticas de la empresa",
            "Verificar se o fornecedor cumpre as políticas da empresa",
            "Check the supplier meets company policy",
        ),
        T(
            "Reducir el riesgo de equivocarse",
            "Reduzir o risco de errar",
            "Lower the risk of a wrong choice",
        ),
    ),
    feeling=T("Tranquilidad", "Tranquilidade", "Peace of mind"),
    valence=1.0,
    thought=T(
        "Quiero hablar con alguien que ya lo use.",
        "Quero falar com alguém que já usa.",
        "I want to talk to someone who already uses it.",
    ),
    kpis=(
        _days_in(
            "validation",
            T("Días en validación", "Dias em validação", "Days in validation"),
            21,
            "sales",
        ),
    ),
)

CONSENSUS_CREATION = StageSpec(
    id="consensus-creation",
    name=T("Creación de consenso", "Construção de consenso", "Consensus creation"),
    phase=PRE,
    description=T(
        "Dirección, finanzas, compras y planta se ponen de acuerdo y firman el contrato.",
        "Diretoria, financeiro, suprimentos e planta chegam a um acordo e assinam o contrato.",
        "Management, finance, procurement and the plant agree and sign the contract.",
    ),
    goals=(
        T(
            "Que todo el grupo apoye la misma opción",
            "Que todo o grupo apoie a mesma opção",
            "Get the whole group behind one option",
        ),
        T(
            "Aprobar el presupuesto y las condiciones",
            "Aprovar o orçamento e as condições",
            "Approve budget and terms",
        ),
        T(
            "Firmar sin demoras administrativas",
            "Assinar sem atrasos administrativos",
            "Sign without paperwork delays",
        ),
    ),
    feeling=T("Confianza en la decisión", "Confiança na decisão", "Confidence in the decision"),
    valence=1.5,
    thought=T(
        "Necesito que todos digan que sí.",
        "Preciso que todos digam sim.",
        "I need everyone to say yes.",
    ),
    kpis=(
        KpiSpec(
            "consensus-creation-win-rate",
            T("Tasa de cierre", "Taxa de fechamento", "Win rate"),
            "win_rate",
            PERCENT,
            30,
            "sales",
        ),
        _days_in(
            "consensus-creation",
            T("Días hasta la firma", "Dias até a assinatura", "Days to signature"),
            30,
            "sales",
        ),
    ),
)

GARTNER = TemplateSpec(
    name="gartner",
    title=T(
        "Customer journey B2B: trabajos de compra de Gartner y posventa",
        "Jornada do cliente B2B: tarefas de compra do Gartner e pós-venda",
        "B2B customer journey: Gartner buying jobs and post-purchase",
    ),
    description=T(
        "Los seis trabajos de compra, en cualquier orden, y la vida como cliente.",
        "As seis tarefas de compra, em qualquer ordem, e a vida como cliente.",
        "The six buying jobs, in any order, and life as a customer.",
    ),
    stages=(
        PROBLEM_IDENTIFICATION,
        SOLUTION_EXPLORATION,
        REQUIREMENTS_BUILDING,
        SUPPLIER_SELECTION,
        VALIDATION,
        CONSENSUS_CREATION,
        ONBOARDING,
        UPSELLING,
        LOYALTY,
        RECOMMENDATION,
    ),
    placement={
        "problem-identification": ("website", "search", "social-media", "blog", "trade-fair"),
        "solution-exploration": ("ebook-download", "webinar", "newsletter", "discovery-call"),
        "requirements-building": (
            "roi-calculator",
            "requirements-workshop",
            "rfp-response",
            "site-visit",
        ),
        "supplier-selection": ("product-demo", "free-trial", "quote", "sales-chat"),
        "validation": ("reference-call", "demo-center", "vendor-registration", "review-sites"),
        "consensus-creation": (
            "commercial-proposal",
            "business-case-meeting",
            "contract-negotiation",
            "contract-signature",
        ),
        "onboarding": (
            "welcome-email",
            "kickoff-meeting",
            "installation-commissioning",
            "onsite-training",
            "virtual-agent",
        ),
        "upselling": ("qbr", "usage-report", "expansion-proposal", "spare-parts-store"),
        "loyalty": (
            "customer-portal",
            "support-hotline",
            "field-service-visit",
            "service-centre",
            "invoice",
            "renewal-meeting",
        ),
        "recommendation": (
            "nps-survey",
            "user-conference",
            "reference-request",
            "case-study-interview",
        ),
    },
)
