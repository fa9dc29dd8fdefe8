"""Touchpoints after the purchase: the catalogue templates place into their stages.

Mostly personal and physical (kickoff, commissioning, field service, reviews, events),
with the self-service and billing touchpoints customers use between visits.
"""

from __future__ import annotations

from jornada.model.elements import ChannelKind
from jornada.model.templates._specs import Match, TouchpointSpec
from jornada.model.templates._text import T

ONLINE, PERSONAL, PHYSICAL = ChannelKind.online, ChannelKind.personal, ChannelKind.physical

POST_PURCHASE = (
    TouchpointSpec(
        id="welcome-email",
        name=T(
            "Correo de bienvenida y plan de implementación",
            "E-mail de boas-vindas e plano de implantação",
            "Welcome email & rollout plan",
        ),
        channel="email",
        kind=ONLINE,
        owner="customer-success",
        personas=("operations-director", "maintenance-manager"),
        match=(Match(activity="Welcome email*"), Match(activity="Onboarding email*")),
    ),
    TouchpointSpec(
        id="kickoff-meeting",
        name=T(
            "Reunión de arranque del proyecto",
            "Reunião de kickoff do projeto",
            "Project kickoff meeting",
        ),
        channel="meeting",
        kind=PERSONAL,
        owner="customer-success",
        shared=("sales", "operations"),
        critical=True,
        personas=("operations-director", "maintenance-manager", "process-engineer"),
        match=(Match(activity="Meeting*kickoff*"), Match(activity="Meeting*kick-off*")),
    ),
    TouchpointSpec(
        id="installation-commissioning",
        name=T(
            "Instalación y puesta en marcha",
            "Instalação e comissionamento",
            "Installation & commissioning",
        ),
        channel="field_service",
        kind=PHYSICAL,
        owner="operations",
        shared=("customer-success",),
        critical=True,
        personas=("maintenance-manager", "process-engineer", "plant-supervisor"),
        match=(
            Match(activity="Field installation*"),
            Match(activity="Commissioning*"),
            Match(activity="Go-live*"),
        ),
    ),
    TouchpointSpec(
        id="onsite-training",
        name=T("Capacitación en planta", "Treinamento na planta", "On-site training"),
        channel="training",
        kind=PHYSICAL,
        owner="customer-success",
        shared=("operations",),
        personas=("plant-supervisor", "maintenance-manager"),
        match=(Match(activity="Training session*"), Match(activity="Onsite training*")),
    ),
    TouchpointSpec(
        id="virtual-agent",
        name=T(
            "Asistente virtual y ayuda contextual",
            "Assistente virtual e ajuda contextual",
            "Virtual agent & in-app help",
        ),
        channel="chat",
        kind=ONLINE,
        owner="customer-service",
        personas=("plant-supervisor", "maintenance-manager"),
        match=(Match(activity="Virtual agent*"), Match(activity="Bot conversation*")),
    ),
    TouchpointSpec(
        id="customer-portal",
        name=T("Portal de clientes", "Portal do cliente", "Customer portal"),
        channel="portal",
        kind=ONLINE,
        owner="customer-service",
        shared=("finance",),
        personas=("plant-supervisor", "maintenance-manager", "finance-controller"),
        match=(
            Match(activity="Portal login*"),
            Match(activity="Support ticket*"),
        ),
    ),
    TouchpointSpec(
        id="support-hotline",
        name=T(
            "Línea de soporte técnico 24/7",
            "Central de suporte técnico 24x7",
            "24/7 technical support line",
        ),
        channel="phone",
        kind=PERSONAL,
        owner="customer-service",
        shared=("operations",),
        personas=("plant-supervisor", "maintenance-manager"),
        match=(Match(activity="Support call*"), Match(activity="Case opened*", channel="phone")),
    ),
    TouchpointSpec(
        id="field-service-visit",
        name=T(
            "Visita de servicio técnico", "Visita de assistência técnica", "Field service visit"
        ),
        channel="field_service",
        kind=PHYSICAL,
        owner="operations",
        shared=("customer-service",),
        critical=True,
        personas=("maintenance-manager", "plant-supervisor"),
        match=(
            Match(activity="Field service*"),
            Match(activity="Preventive maintenance*"),
            Match(activity="Work order completed*", source_system="field_service"),
        ),
    ),
    TouchpointSpec(
        id="service-centre",
        name=T("Taller de reparaciones", "Oficina de reparos", "Repair centre"),
        channel="service_centre",
        kind=PHYSICAL,
        owner="operations",
        personas=("maintenance-manager",),
        match=(Match(activity="Repair order*"), Match(activity="RMA*")),
    ),
    TouchpointSpec(
        id="invoice",
        name=T("Factura electrónica", "Nota fiscal eletrônica", "E-invoice"),
        channel="email",
        kind=ONLINE,
        owner="finance",
        personas=("finance-controller", "procurement-manager"),
        match=(Match(activity="Invoice*"), Match(activity="E-invoice*")),
    ),
    TouchpointSpec(
        id="qbr",
        name=T(
            "Revisión trimestral de negocio (QBR)",
            "Revisão trimestral de negócios (QBR)",
            "Quarterly business review (QBR)",
        ),
        channel="meeting",
        kind=PERSONAL,
        owner="customer-success",
        shared=("sales",),
        personas=("operations-director", "maintenance-manager", "finance-controller"),
        match=(Match(activity="QBR*"), Match(activity="Meeting*quarterly*review*")),
    ),
    TouchpointSpec(
        id="usage-report",
        name=T(
            "Informe mensual de desempeño de activos",
            "Relatório mensal de desempenho dos ativos",
            "Monthly asset performance report",
        ),
        channel="email",
        kind=ONLINE,
        owner="customer-success",
        personas=("operations-director", "maintenance-manager"),
        match=(Match(activity="Performance report*"), Match(activity="Report sent*")),
    ),
    TouchpointSpec(
        id="expansion-proposal",
        name=T("Propuesta de ampliación", "Proposta de expansão", "Expansion proposal"),
        channel="meeting",
        kind=PERSONAL,
        owner="sales",
        shared=("presales", "customer-success"),
        personas=("operations-director", "maintenance-manager", "procurement-manager"),
        match=(Match(activity="Upsell*"), Match(activity="Meeting*expansion*")),
    ),
    TouchpointSpec(
        id="spare-parts-store",
        name=T("Tienda en línea de repuestos", "Loja online de peças", "Online spare-parts store"),
        channel="ecommerce",
        kind=ONLINE,
        owner="customer-service",
        shared=("operations",),
        personas=("maintenance-manager", "procurement-manager"),
        match=(
            Match(activity="Parts order*"),
            Match(activity="Order placed*", channel="ecommerce"),
        ),
    ),
    TouchpointSpec(
        id="renewal-meeting",
        name=T("Reunión de renovación", "Reunião de renovação", "Renewal meeting"),
        channel="meeting",
        kind=PERSONAL,
        owner="customer-success",
        shared=("sales", "finance"),
        critical=True,
        personas=("operations-director", "finance-controller", "procurement-manager"),
        match=(Match(activity="Renewal*"), Match(activity="Meeting*renewal*")),
    ),
    TouchpointSpec(
        id="nps-survey",
        name=T(
            "Encuesta NPS y de satisfacción",
            "Pesquisa de NPS e satisfação",
            "NPS & satisfaction survey",
        ),
        channel="email",
        kind=ONLINE,
        owner="customer-success",
        personas=("operations-director", "maintenance-manager", "plant-supervisor"),
        match=(Match(activity="NPS*"), Match(activity="Survey*")),
    ),
    TouchpointSpec(
        id="user-conference",
        name=T(
            "Encuentro anual de clientes", "Encontro anual de clientes", "Annual customer summit"
        ),
        channel="event",
        kind=PHYSICAL,
        owner="marketing",
        shared=("customer-success", "sales"),
        personas=("operations-director", "maintenance-manager", "process-engineer"),
        match=(Match(activity="Customer summit*"), Match(activity="User conference*")),
    ),
    TouchpointSpec(
        id="reference-request",
        name=T(
            "Invitación a ser cliente de referencia",
            "Convite para ser cliente de referência",
            "Invitation to be a reference customer",
        ),
        channel="meeting",
        kind=PERSONAL,
        owner="sales",
        shared=("marketing",),
        personas=("operations-director", "maintenance-manager"),
        match=(Match(activity="Referral*"), Match(activity="Call*referral*")),
    ),
    TouchpointSpec(
        id="case-study-interview",
        name=T(
            "Entrevista para caso de éxito",
            "Entrevista para case de sucesso",
            "Case study interview",
        ),
        channel="meeting",
        kind=PERSONAL,
        owner="marketing",
        shared=("customer-success",),
        personas=("maintenance-manager", "operations-director"),
        match=(Match(activity="Case study interview*"), Match(activity="Testimonial*")),
    ),
)
