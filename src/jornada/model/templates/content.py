"""Content assets and the message map, tied to catalogue touchpoints.

A content asset covers the stages of the touchpoints where it is used, so every template
gets content from the first search to the renewal, free and gated, for each persona.
"""

from __future__ import annotations

from jornada.model.elements import MessageKind
from jornada.model.templates._specs import ContentSpec, MessageSpec
from jornada.model.templates._text import T

CONTENT = (
    ContentSpec(
        id="predictive-maintenance-articles",
        name=T(
            "Artículos sobre mantenimiento predictivo",
            "Artigos sobre manutenção preditiva",
            "Predictive maintenance articles",
        ),
        format="article",
        used_at=("blog", "search", "newsletter"),
        personas=("maintenance-manager", "process-engineer"),
    ),
    ContentSpec(
        id="downtime-ebook",
        name=T(
            "Guía para reducir paradas no planificadas",
            "Guia para reduzir paradas não programadas",
            "Guide to cutting unplanned downtime",
        ),
        format="ebook",
        used_at=("ebook-download", "social-media"),
        personas=("operations-director", "maintenance-manager", "finance-controller"),
        gated=True,
    ),
    ContentSpec(
        id="datasheets",
        name=T(
            "Fichas técnicas y planos CAD",
            "Fichas técnicas e desenhos CAD",
            "Datasheets & CAD drawings",
        ),
        format="datasheet",
        used_at=("website", "requirements-workshop", "rfp-response"),
        personas=("process-engineer",),
        self_service=True,
    ),
    ContentSpec(
        id="webinar-recordings",
        name=T(
            "Grabaciones de webinars técnicos",
            "Gravações de webinars técnicos",
            "Technical webinar recordings",
        ),
        format="video",
        used_at=("webinar",),
        personas=("process-engineer", "maintenance-manager", "plant-supervisor"),
        gated=True,
    ),
    ContentSpec(
        id="requirements-template",
        name=T(
            "Plantilla de requerimientos y criterios de evaluación",
            "Modelo de requisitos e critérios de avaliação",
            "Requirements & evaluation criteria template",
        ),
        format="checklist",
        used_at=("discovery-call", "requirements-workshop", "rfp-response"),
        personas=("procurement-manager", "process-engineer"),
        gated=True,
    ),
    ContentSpec(
        id="tco-comparison",
        name=T(
            "Comparativo de costo total de propiedad",
            "Comparativo de custo total de propriedade",
            "Total cost of ownership comparison",
        ),
        format="spreadsheet",
        used_at=("roi-calculator", "quote", "commercial-proposal"),
        personas=("finance-controller", "procurement-manager", "operations-director"),
        gated=True,
        self_service=True,
    ),
    ContentSpec(
        id="customer-stories",
        name=T(
            "Casos de éxito por industria",
            "Cases de sucesso por setor",
            "Customer stories by industry",
        ),
        format="case_study",
        used_at=("website", "review-sites", "reference-call", "product-demo"),
        personas=(),
    ),
    ContentSpec(
        id="business-case-kit",
        name=T(
            "Kit de caso de negocio para el comité",
            "Kit de business case para o comitê",
            "Business case kit for the committee",
        ),
        format="presentation",
        used_at=("business-case-meeting", "commercial-proposal"),
        personas=(),
    ),
    ContentSpec(
        id="contract-summary",
        name=T(
            "Resumen de alcance, SLA y garantías",
            "Resumo de escopo, SLA e garantias",
            "Scope, SLA and warranty summary",
        ),
        format="document",
        used_at=("contract-negotiation", "contract-signature", "renewal-meeting"),
        personas=(),
    ),
    ContentSpec(
        id="compliance-pack",
        name=T(
            "Dossier de cumplimiento y certificaciones",
            "Dossiê de compliance e certificações",
            "Compliance & certification pack",
        ),
        format="document",
        used_at=("vendor-registration", "contract-negotiation"),
        personas=("procurement-manager", "finance-controller"),
        gated=True,
        self_service=True,
    ),
    ContentSpec(
        id="rollout-guide",
        name=T("Guía de implementación", "Guia de implantação", "Rollout guide"),
        format="guide",
        used_at=("welcome-email", "kickoff-meeting", "installation-commissioning"),
        personas=("operations-director", "maintenance-manager", "plant-supervisor"),
        self_service=True,
    ),
    ContentSpec(
        id="help-centre",
        name=T(
            "Centro de ayuda: preguntas frecuentes y videos",
            "Central de ajuda: perguntas frequentes e vídeos",
            "Help centre: FAQs and how-to videos",
        ),
        format="knowledge_base",
        used_at=("customer-portal", "virtual-agent", "support-hotline"),
        personas=(),
        self_service=True,
    ),
    ContentSpec(
        id="operating-manuals",
        name=T(
            "Manuales de operación y mantenimiento",
            "Manuais de operação e manutenção",
            "Operation & maintenance manuals",
        ),
        format="manual",
        used_at=("site-visit", "free-trial", "onsite-training", "customer-portal"),
        personas=("plant-supervisor", "maintenance-manager", "process-engineer"),
        self_service=True,
    ),
    ContentSpec(
        id="parts-catalogue",
        name=T(
            "Catálogo de repuestos y mejoras",
            "Catálogo de peças e melhorias",
            "Spare parts & upgrades catalogue",
        ),
        format="catalogue",
        used_at=("spare-parts-store", "expansion-proposal"),
        personas=(
            "maintenance-manager",
            "procurement-manager",
            "process-engineer",
            "plant-supervisor",
        ),
        self_service=True,
    ),
    ContentSpec(
        id="safe-operation-videos",
        name=T(
            "Microvideos de operación segura",
            "Microvídeos de operação segura",
            "Safe operation micro-videos",
        ),
        format="video",
        used_at=("onsite-training", "customer-portal"),
        personas=("plant-supervisor",),
        self_service=True,
    ),
    ContentSpec(
        id="billing-guide",
        name=T(
            "Guía de facturación y pagos",
            "Guia de faturamento e pagamentos",
            "Billing & payments guide",
        ),
        format="faq",
        used_at=("invoice", "customer-portal"),
        personas=("finance-controller", "procurement-manager"),
        self_service=True,
    ),
    ContentSpec(
        id="value-report",
        name=T(
            "Informe de valor: ahorro y disponibilidad",
            "Relatório de valor: economia e disponibilidade",
            "Value report: savings and uptime",
        ),
        format="report",
        used_at=("usage-report", "qbr", "renewal-meeting"),
        personas=("operations-director", "finance-controller"),
    ),
    ContentSpec(
        id="ambassador-guide",
        name=T(
            "Programa de referidos: guía del embajador",
            "Programa de indicação: guia do embaixador",
            "Referral programme: ambassador guide",
        ),
        format="guide",
        used_at=("nps-survey", "reference-request", "user-conference"),
        personas=(),
    ),
)

MESSAGES = (
    MessageSpec(
        id="website-copy",
        name=T("Textos del sitio web", "Textos do site", "Website copy"),
        kind=MessageKind.website,
        touchpoints=("website", "roi-calculator", "sales-chat"),
        owner="marketing",
        promise=T(
            "Información técnica completa y a la vista",
            "Informação técnica completa e à vista",
            "Complete technical information in plain sight",
        ),
    ),
    MessageSpec(
        id="digital-ads",
        name=T("Anuncios digitales", "Anúncios digitais", "Digital ads"),
        kind=MessageKind.ad,
        touchpoints=("search", "social-media"),
        owner="marketing",
        promise=T(
            "Solo prometemos lo que el servicio cumple",
            "Só prometemos o que o serviço cumpre",
            "We only promise what the service delivers",
        ),
    ),
    MessageSpec(
        id="newsletter-issue",
        name=T("Edición del boletín", "Edição da newsletter", "Newsletter issue"),
        kind=MessageKind.newsletter,
        touchpoints=("newsletter",),
        owner="marketing",
        promise=T(
            "Contenido útil para la planta, no publicidad",
            "Conteúdo útil para a planta, não propaganda",
            "Useful content for the plant, not advertising",
        ),
    ),
    MessageSpec(
        id="proposal-document",
        name=T("Documento de propuesta", "Documento da proposta", "Proposal document"),
        kind=MessageKind.proposal,
        touchpoints=("rfp-response", "commercial-proposal", "expansion-proposal"),
        owner="sales",
        promise=T(
            "Una oferta clara y comparable, en el formato del cliente",
            "Uma oferta clara e comparável, no formato do cliente",
            "A clear offer the customer can compare, in their format",
        ),
    ),
    MessageSpec(
        id="quote-document",
        name=T("Documento de cotización", "Documento de cotação", "Quote document"),
        kind=MessageKind.quote,
        touchpoints=("quote", "spare-parts-store"),
        owner="sales",
        promise=T(
            "Precio final, sin letra chica",
            "Preço final, sem letras miúdas",
            "Final price, no small print",
        ),
    ),
    MessageSpec(
        id="contract-document",
        name=T(
            "Contrato y condiciones generales", "Contrato e condições gerais", "Contract & terms"
        ),
        kind=MessageKind.contract,
        touchpoints=("contract-negotiation", "contract-signature", "renewal-meeting"),
        owner="finance",
        promise=T(
            "Condiciones que se entienden y se cumplen",
            "Condições que se entendem e se cumprem",
            "Terms that are understood and kept",
        ),
    ),
    MessageSpec(
        id="invoice-document",
        name=T("Factura", "Nota fiscal", "Invoice"),
        kind=MessageKind.invoice,
        touchpoints=("invoice",),
        owner="finance",
        promise=T(
            "Factura exacta y alineada con la orden de compra",
            "Nota fiscal exata e alinhada com o pedido",
            "Accurate invoices that match the PO",
        ),
    ),
    MessageSpec(
        id="account-statement",
        name=T("Estado de cuenta", "Extrato da conta", "Account statement"),
        kind=MessageKind.statement,
        touchpoints=("customer-portal",),
        owner="finance",
        promise=T("Saldo claro y al día", "Saldo claro e em dia", "A clear, up-to-date balance"),
    ),
    MessageSpec(
        id="service-emails",
        name=T(
            "Correos de servicio y avisos",
            "E-mails de serviço e avisos",
            "Service emails & notices",
        ),
        kind=MessageKind.email,
        touchpoints=("welcome-email", "usage-report", "nps-survey"),
        owner="customer-success",
        promise=T(
            "Avisos oportunos, con el próximo paso claro",
            "Avisos na hora certa, com o próximo passo claro",
            "Timely notices with a clear next step",
        ),
    ),
    MessageSpec(
        id="customer-app",
        name=T("Portal y app de clientes", "Portal e app do cliente", "Customer portal & app"),
        kind=MessageKind.app,
        touchpoints=("customer-portal", "virtual-agent", "spare-parts-store"),
        owner="customer-service",
        promise=T(
            "Respuesta en minutos, a cualquier hora",
            "Resposta em minutos, a qualquer hora",
            "Answers in minutes, any time",
        ),
    ),
    MessageSpec(
        id="reference-programme",
        name=T(
            "Programa de clientes referentes",
            "Programa de clientes referência",
            "Reference customer programme",
        ),
        kind=MessageKind.loyalty_programme,
        touchpoints=("reference-request", "user-conference", "case-study-interview"),
        owner="marketing",
        promise=T(
            "Reconocer a quienes nos recomiendan",
            "Reconhecer quem nos indica",
            "Recognition for those who recommend us",
        ),
    ),
)
