"""The action plan: initiatives on the shared pain points and the touchpoint KPIs they move.

Initiatives keep only the touchpoints, pain points and moments of truth the template places.
"""

from __future__ import annotations

from jornada.model.elements import InitiativeStatus, KpiDirection
from jornada.model.templates._specs import InitiativeSpec, KpiSpec
from jornada.model.templates._text import DAYS, PERCENT, SCORE_7, T

TOUCHPOINT_KPIS = (
    KpiSpec(
        id="website-ces",
        name=T(
            "Facilidad para encontrar información técnica",
            "Facilidade para achar informação técnica",
            "Ease of finding technical information",
        ),
        metric="ces",
        unit=SCORE_7,
        target=5.5,
        owner="marketing",
        touchpoint="website",
    ),
    KpiSpec(
        id="proposal-lead-time",
        name=T(
            "Días hasta entregar la propuesta",
            "Dias até entregar a proposta",
            "Days to deliver the proposal",
        ),
        metric="lead_time",
        unit=DAYS,
        target=5,
        owner="sales",
        direction=KpiDirection.decrease,
        touchpoint="commercial-proposal",
    ),
    KpiSpec(
        id="demo-to-proposal",
        name=T(
            "Demos que pasan a propuesta",
            "Demos que viram proposta",
            "Demos that lead to a proposal",
        ),
        metric="conversion_rate",
        unit=PERCENT,
        target=50,
        owner="presales",
        touchpoint="product-demo",
    ),
    KpiSpec(
        id="time-to-first-value",
        name=T("Días hasta el primer valor", "Dias até o primeiro valor", "Days to first value"),
        metric="time_to_value",
        unit=DAYS,
        target=45,
        owner="customer-success",
        direction=KpiDirection.decrease,
        touchpoint="kickoff-meeting",
    ),
    KpiSpec(
        id="invoice-accuracy",
        name=T(
            "Facturas aceptadas al primer envío",
            "Faturas aceitas no primeiro envio",
            "Invoices accepted first time",
        ),
        metric="invoice_accuracy",
        unit=PERCENT,
        target=98,
        owner="finance",
        touchpoint="invoice",
    ),
    KpiSpec(
        id="first-time-fix-rate",
        name=T(
            "Fallas resueltas en la primera visita",
            "Falhas resolvidas na primeira visita",
            "Faults fixed on the first visit",
        ),
        metric="first_time_fix_rate",
        unit=PERCENT,
        target=85,
        owner="operations",
        touchpoint="field-service-visit",
    ),
    KpiSpec(
        id="renewals-on-time",
        name=T(
            "Renovaciones cerradas antes del vencimiento",
            "Renovações fechadas antes do vencimento",
            "Renewals closed before expiry",
        ),
        metric="renewal_rate",
        unit=PERCENT,
        target=90,
        owner="customer-success",
        touchpoint="renewal-meeting",
    ),
)

INITIATIVES = (
    InitiativeSpec(
        id="technical-library",
        name=T("Biblioteca técnica abierta", "Biblioteca técnica aberta", "Open technical library"),
        description=T(
            "Fichas, planos CAD y certificados sin formulario, con búsqueda por modelo y uso.",
            "Fichas, desenhos CAD e certificados sem formulário, com busca por modelo e aplicação.",
            "Datasheets, CAD drawings and certificates with no form, searchable by model and use.",
        ),
        owner_bu="marketing",
        owner=T("Líder de contenidos", "Líder de conteúdo", "Content lead"),
        pain_points=("hard-to-find-specs",),
        touchpoints=("website", "blog"),
        target_kpi="website-ces",
        due_in_days=90,
    ),
    InitiativeSpec(
        id="proposal-in-five-days",
        name=T(
            "Propuesta en cinco días hábiles",
            "Proposta em cinco dias úteis",
            "Proposal in five working days",
        ),
        description=T(
            "Plantillas por línea, configurador de precios y paquete de alta de proveedor listo.",
            "Modelos por linha, configurador de preços e pacote de cadastro de fornecedor pronto.",
            "Templates per product line, a price configurator and a ready supplier set-up pack.",
        ),
        owner_bu="sales",
        owner=T(
            "Gerente de operaciones comerciales",
            "Gerente de operações comerciais",
            "Sales operations manager",
        ),
        pain_points=("slow-proposal", "supplier-setup-delay"),
        touchpoints=("commercial-proposal", "quote", "vendor-registration"),
        target_kpi="proposal-lead-time",
        due_in_days=120,
    ),
    InitiativeSpec(
        id="tailored-demos",
        name=T(
            "Demos con los datos del cliente",
            "Demos com os dados do cliente",
            "Demos built on customer data",
        ),
        description=T(
            "Cada demo usa datos de la visita técnica y casos de plantas similares.",
            "Cada demo usa dados da visita técnica e casos de plantas parecidas.",
            "Every demo uses site-visit data and cases from similar plants.",
        ),
        owner_bu="presales",
        owner=T("Jefe de preventa", "Gerente de pré-vendas", "Head of presales"),
        pain_points=("generic-demo",),
        touchpoints=("product-demo", "site-visit"),
        moments_of_truth=("mot-demo",),
        target_kpi="demo-to-proposal",
        starts_in_days=30,
        due_in_days=120,
    ),
    InitiativeSpec(
        id="single-handover",
        name=T(
            "Un solo traspaso a implementación",
            "Uma só passagem para implantação",
            "One handover to rollout",
        ),
        description=T(
            "Ficha de cuenta compartida y reunión interna antes del arranque con el cliente.",
            "Ficha da conta compartilhada e reunião interna antes do kickoff com o cliente.",
            "A shared account brief and an internal meeting before the customer kickoff.",
        ),
        owner_bu="customer-success",
        owner=T(
            "Gerente de éxito del cliente",
            "Gerente de sucesso do cliente",
            "Head of customer success",
        ),
        pain_points=("repeated-handover",),
        touchpoints=("kickoff-meeting", "welcome-email"),
        moments_of_truth=("mot-kickoff", "mot-commissioning"),
        target_kpi="time-to-first-value",
    ),
    InitiativeSpec(
        id="po-matched-invoicing",
        name=T(
            "Facturas validadas contra la orden",
            "Faturas validadas contra o pedido",
            "Invoices checked against the PO",
        ),
        description=T(
            "Ninguna factura sale sin número de orden y montos conciliados; copia en el portal.",
            "Nenhuma fatura sai sem número do pedido e valores conciliados; cópia no portal.",
            "No invoice leaves without the PO number and matched amounts; a copy is in the portal.",
        ),
        owner_bu="finance",
        owner=T("Jefa de facturación", "Coordenadora de faturamento", "Billing lead"),
        pain_points=("invoice-mismatch",),
        touchpoints=("invoice", "customer-portal"),
        target_kpi="invoice-accuracy",
        status=InitiativeStatus.idea,
    ),
    InitiativeSpec(
        id="first-time-fix",
        name=T(
            "Reparar en la primera visita",
            "Consertar na primeira visita",
            "Fix it on the first visit",
        ),
        description=T(
            "El técnico sale con el historial, el diagnóstico remoto y el repuesto probable.",
            "O técnico sai com o histórico, o diagnóstico remoto e a peça provável.",
            "Technicians leave with the asset history, the remote diagnosis and the likely part.",
        ),
        owner_bu="operations",
        owner=T(
            "Jefe de servicio técnico", "Coordenador de assistência técnica", "Field service lead"
        ),
        pain_points=("unprepared-technician",),
        touchpoints=("field-service-visit", "support-hotline"),
        moments_of_truth=("mot-first-fix",),
        target_kpi="first-time-fix-rate",
        starts_in_days=15,
        due_in_days=150,
    ),
    InitiativeSpec(
        id="value-based-renewal",
        name=T(
            "Renovar sobre el valor entregado",
            "Renovar com base no valor entregue",
            "Renew on delivered value",
        ),
        description=T(
            "Informe de ahorro y disponibilidad 90 días antes de vencer; reajustes con datos.",
            "Relatório de economia e disponibilidade 90 dias antes de vencer; reajuste com dados.",
            "A savings and uptime report 90 days before expiry; every price change backed by data.",
        ),
        owner_bu="customer-success",
        owner=T("Gerente de cuentas clave", "Gerente de contas-chave", "Key account manager"),
        pain_points=("renewal-surprise",),
        touchpoints=("renewal-meeting", "qbr"),
        moments_of_truth=("mot-renewal",),
        target_kpi="renewals-on-time",
        status=InitiativeStatus.idea,
    ),
)
