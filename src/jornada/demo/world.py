"""The demo world's specification: the vendor, its stages, touchpoints, units and buyers.

Plain frozen data, importable without running the generator. The demo journey map is
built from this module, and the generator draws every event from it.

The vendor is *Vértice Industrial*, a maker of plant-floor software (Vértice MES) and
sensor kits (Vértice Sense) sold to manufacturers in Latin America, Iberia and beyond.

Channel kinds follow DOMAIN.md's 65/35 online/offline reference, which counts live
webinars and events as offline: webinars are ``personal`` here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Phase = Literal["pre_purchase", "post_purchase"]
ChannelKind = Literal["online", "personal", "physical"]
Survey = Literal["nps", "csat", "ces"]
Language = Literal["es", "pt", "en"]

LANGUAGES: tuple[Language, ...] = ("es", "pt", "en")


@dataclass(frozen=True)
class Names:
    """A label in the three product languages."""

    es: str
    pt: str
    en: str

    def get(self, language: str) -> str:
        """The label in ``language`` (es, pt or en)."""
        return str(getattr(self, language))


@dataclass(frozen=True)
class Company:
    id: str
    name: str
    products: tuple[str, ...]
    description: Names


@dataclass(frozen=True)
class Stage:
    id: str
    names: Names
    phase: Phase


@dataclass(frozen=True)
class BusinessUnit:
    id: str
    names: Names


@dataclass(frozen=True)
class Role:
    """A buying-group role; ``required`` roles count towards role coverage."""

    id: str
    names: Names
    required: bool


@dataclass(frozen=True)
class Persona:
    id: str
    names: Names
    role: str
    department: str
    seniority: Literal["c_level", "director", "manager", "individual_contributor"]
    job_titles: Names


@dataclass(frozen=True)
class Touchpoint:
    """A touchpoint and how the generator uses it.

    ``weight`` is the relative frequency among a stage's ordinary events; 0 means the
    touchpoint only appears when the generator places it on purpose (contract signed,
    kickoff, renewals, the win-lift touchpoint) or never (``in_designed_map`` and no
    placement: a designed touchpoint the data never shows).
    """

    id: str
    stage: str
    names: Names
    activities: tuple[str, ...]
    channel: str
    channel_kind: ChannelKind
    owner_bu: str
    shared_bus: tuple[str, ...] = ()
    in_designed_map: bool = True
    source_system: str = "hubspot"
    weight: float = 1.0
    audience: tuple[str, ...] = ()
    anonymous_share: float = 0.0
    content_formats: tuple[str, ...] = ()
    survey: Survey | None = None
    survey_rate: float = 0.0
    topic: str = "general"

    @property
    def is_content(self) -> bool:
        return bool(self.content_formats)


@dataclass(frozen=True)
class Region:
    """A sales region: its countries (with weights) and its rep-id code."""

    id: str
    names: Names
    code: str
    weight: float
    countries: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Country:
    code: str
    names: Names
    language: Language
    legal_suffixes: tuple[str, ...]
    web_suffix: str


@dataclass(frozen=True)
class Segment:
    id: Literal["smb", "mid_market", "enterprise"]
    names: Names
    weight: float
    employees: tuple[int, int]
    buying_group: tuple[int, int]
    deal_median_usd: float
    deal_sigma: float
    activity: float
    win_log_odds: float


@dataclass(frozen=True)
class Industry:
    id: str
    names: Names
    weight: float


COMPANY = Company(
    id="vertice",
    name="Vértice Industrial",
    products=("Vértice MES", "Vértice Sense"),
    description=Names(
        es="Software de planta (MES) y kits de sensores para fabricantes industriales.",
        pt="Software de chão de fábrica (MES) e kits de sensores para indústrias.",
        en="Plant-floor software (MES) and sensor kits for manufacturers.",
    ),
)

STAGES: tuple[Stage, ...] = (
    Stage("awareness", Names("Descubrimiento", "Descoberta", "Awareness"), "pre_purchase"),
    Stage("consideration", Names("Consideración", "Consideração", "Consideration"), "pre_purchase"),
    Stage("evaluation", Names("Evaluación", "Avaliação", "Evaluation"), "pre_purchase"),
    Stage("purchase", Names("Compra", "Compra", "Purchase"), "pre_purchase"),
    Stage("onboarding", Names("Implementación", "Implantação", "Onboarding"), "post_purchase"),
    Stage("retention", Names("Retención", "Retenção", "Retention"), "post_purchase"),
    Stage("advocacy", Names("Recomendación", "Recomendação", "Advocacy"), "post_purchase"),
)

BUSINESS_UNITS: tuple[BusinessUnit, ...] = (
    BusinessUnit("marketing", Names("Marketing", "Marketing", "Marketing")),
    BusinessUnit("sales", Names("Ventas", "Vendas", "Sales")),
    BusinessUnit("presales", Names("Preventa y soluciones", "Pré-vendas e soluções", "Presales")),
    BusinessUnit(
        "customer_success", Names("Éxito del cliente", "Sucesso do cliente", "Customer success")
    ),
    BusinessUnit(
        "customer_service",
        Names("Servicio al cliente y campo", "Atendimento e campo", "Customer and field service"),
    ),
    BusinessUnit("finance", Names("Finanzas y facturación", "Financeiro", "Finance and billing")),
    BusinessUnit("legal", Names("Legal", "Jurídico", "Legal")),
)

ROLES: tuple[Role, ...] = (
    Role("economic_buyer", Names("Decisor económico", "Decisor econômico", "Economic buyer"), True),
    Role(
        "technical_evaluator",
        Names("Evaluador técnico", "Avaliador técnico", "Technical evaluator"),
        True,
    ),
    Role(
        "operations_lead",
        Names("Responsable de producción", "Responsável pela produção", "Operations lead"),
        True,
    ),
    Role("procurement", Names("Compras", "Compras", "Procurement"), True),
    Role("it_security", Names("TI y seguridad", "TI e segurança", "IT and security"), False),
    Role("legal_counsel", Names("Asesor legal", "Assessor jurídico", "Legal counsel"), False),
    Role("end_user", Names("Usuario de planta", "Usuário de chão de fábrica", "End user"), False),
)

PERSONAS: tuple[Persona, ...] = (
    Persona(
        "plant_director",
        Names("Directora de planta", "Diretora de planta", "Plant director"),
        "economic_buyer",
        "operations",
        "director",
        Names("Director de Planta", "Diretor Industrial", "Plant Director"),
    ),
    Persona(
        "cfo",
        Names("Director financiero", "Diretor financeiro", "Chief financial officer"),
        "economic_buyer",
        "finance",
        "c_level",
        Names("Director Financiero", "Diretor Financeiro", "CFO"),
    ),
    Persona(
        "automation_engineer",
        Names("Ingeniera de automatización", "Engenheira de automação", "Automation engineer"),
        "technical_evaluator",
        "engineering",
        "individual_contributor",
        Names("Ingeniero de Automatización", "Engenheiro de Automação", "Automation Engineer"),
    ),
    Persona(
        "engineering_manager",
        Names("Jefe de ingeniería", "Gerente de engenharia", "Engineering manager"),
        "technical_evaluator",
        "engineering",
        "manager",
        Names("Jefe de Ingeniería", "Gerente de Engenharia", "Engineering Manager"),
    ),
    Persona(
        "production_manager",
        Names("Gerente de producción", "Gerente de produção", "Production manager"),
        "operations_lead",
        "operations",
        "manager",
        Names("Gerente de Producción", "Gerente de Produção", "Production Manager"),
    ),
    Persona(
        "maintenance_manager",
        Names("Jefe de mantenimiento", "Gerente de manutenção", "Maintenance manager"),
        "operations_lead",
        "maintenance",
        "manager",
        Names("Jefe de Mantenimiento", "Gerente de Manutenção", "Maintenance Manager"),
    ),
    Persona(
        "purchasing_manager",
        Names("Responsable de compras", "Comprador sênior", "Purchasing manager"),
        "procurement",
        "procurement",
        "manager",
        Names("Gerente de Compras", "Comprador Sênior", "Purchasing Manager"),
    ),
    Persona(
        "it_manager",
        Names("Gerente de TI", "Gerente de TI", "IT manager"),
        "it_security",
        "it",
        "manager",
        Names("Gerente de TI", "Gerente de TI", "IT Manager"),
    ),
    Persona(
        "legal_counsel",
        Names("Abogada corporativa", "Advogada corporativa", "Corporate counsel"),
        "legal_counsel",
        "legal",
        "manager",
        Names("Abogado Corporativo", "Advogado Corporativo", "Corporate Counsel"),
    ),
    Persona(
        "line_supervisor",
        Names("Supervisor de línea", "Supervisor de linha", "Line supervisor"),
        "end_user",
        "operations",
        "individual_contributor",
        Names("Supervisor de Línea", "Supervisor de Linha", "Line Supervisor"),
    ),
    Persona(
        "quality_analyst",
        Names("Analista de calidad", "Analista de qualidade", "Quality analyst"),
        "end_user",
        "quality",
        "individual_contributor",
        Names("Analista de Calidad", "Analista de Qualidade", "Quality Analyst"),
    ),
)

_ALL = ("economic_buyer", "technical_evaluator", "operations_lead", "procurement")
_TECH = ("technical_evaluator", "it_security", "end_user")
_BIZ = ("economic_buyer", "procurement", "legal_counsel")
_FLOOR = ("operations_lead", "end_user", "technical_evaluator")


def _tp(
    id: str, stage: str, es: str, pt: str, en: str, activities: tuple[str, ...], **kw: Any
) -> Touchpoint:
    return Touchpoint(id, stage, Names(es, pt, en), activities, **kw)


TOUCHPOINTS: tuple[Touchpoint, ...] = (
    # awareness: online first
    _tp("aw_website_visit", "awareness", "Visita al sitio web", "Visita ao site", "Website visit",
        ("Website visit", "Page viewed"), channel="web", channel_kind="online",
        owner_bu="marketing", source_system="web_analytics", weight=5.0, anonymous_share=0.45),
    _tp("aw_search", "awareness", "Búsqueda", "Busca", "Search",
        ("Organic search visit", "Paid search click"), channel="search", channel_kind="online",
        owner_bu="marketing", source_system="web_analytics", weight=2.0, anonymous_share=0.5),
    _tp("aw_social", "awareness", "Redes sociales", "Redes sociais", "Social media",
        ("LinkedIn ad clicked", "Social post engaged"), channel="social", channel_kind="online",
        owner_bu="marketing", weight=2.0, anonymous_share=0.3),
    _tp("aw_blog", "awareness", "Blog y videos", "Blog e vídeos", "Blog and videos",
        ("Blog post read", "Video watched"), channel="blog", channel_kind="online",
        owner_bu="marketing", weight=3.0, anonymous_share=0.3,
        content_formats=("blog_post", "video")),
    _tp("aw_trade_show", "awareness", "Feria industrial", "Feira industrial", "Trade show",
        ("Trade show booth visit", "Industry fair badge scan"), channel="event",
        channel_kind="physical", owner_bu="marketing", shared_bus=("sales",), weight=1.2),
    _tp("aw_prospecting_call", "awareness", "Llamada de prospección",
        "Ligação de prospecção", "Prospecting call", ("Call: prospecting",), channel="phone",
        channel_kind="personal", owner_bu="sales", source_system="salesforce", weight=1.0,
        audience=_BIZ),
    _tp("aw_printed_catalogue", "awareness", "Catálogo impreso", "Catálogo impresso",
        "Printed catalogue", ("Printed catalogue mailed",), channel="print",
        channel_kind="physical", owner_bu="marketing", weight=0.0),
    # consideration
    _tp("cn_ebook", "consideration", "Ebooks y guías", "E-books e guias", "Ebooks and guides",
        ("Ebook downloaded", "Whitepaper downloaded"), channel="web", channel_kind="online",
        owner_bu="marketing", weight=2.5, content_formats=("ebook", "whitepaper")),
    _tp("cn_case_study", "consideration", "Casos de éxito", "Casos de sucesso", "Case studies",
        ("Case study viewed",), channel="web", channel_kind="online", owner_bu="marketing",
        weight=1.5, anonymous_share=0.2, content_formats=("case_study",)),
    _tp("cn_webinar", "consideration", "Webinar", "Webinar", "Webinar",
        ("Webinar registered", "Webinar attended"), channel="webinar", channel_kind="personal",
        owner_bu="marketing", shared_bus=("presales",), weight=1.5,
        content_formats=("webinar",), survey="csat", survey_rate=0.15, topic="content"),
    _tp("cn_pricing_page", "consideration", "Página de precios", "Página de preços",
        "Pricing page", ("Pricing page viewed",), channel="web", channel_kind="online",
        owner_bu="marketing", shared_bus=("sales",), source_system="web_analytics",
        weight=1.5, anonymous_share=0.3, audience=_BIZ),
    _tp("cn_email_nurture", "consideration", "Correos de nutrición", "E-mails de nutrição",
        "Nurture emails", ("Email opened: nurture", "Email clicked: nurture", "Newsletter opened"),
        channel="email", channel_kind="online", owner_bu="marketing", weight=2.0),
    _tp("cn_discovery_call", "consideration", "Llamada de descubrimiento",
        "Ligação de descoberta", "Discovery call", ("Call: discovery", "Meeting: discovery"),
        channel="phone", channel_kind="personal", owner_bu="sales",
        source_system="salesforce", weight=1.5, audience=_ALL),
    _tp("cn_peer_review_site", "consideration", "Sitios de reseñas", "Sites de avaliações",
        "Peer review sites", ("Review site visit: product profile", "Review site comparison"),
        channel="review_site", channel_kind="online", owner_bu="marketing",
        in_designed_map=False, source_system="review_site", weight=0.8,
        anonymous_share=0.4),
    # evaluation
    _tp("ev_product_demo", "evaluation", "Demostración del producto", "Demonstração do produto",
        "Product demo", ("Meeting: product demo", "Meeting: technical deep dive"),
        channel="meeting", channel_kind="personal", owner_bu="presales", shared_bus=("sales",),
        source_system="salesforce", weight=2.0, audience=_FLOOR, survey="csat",
        survey_rate=0.1, topic="product"),
    _tp("ev_datasheet", "evaluation", "Documentación técnica", "Documentação técnica",
        "Technical documentation", ("Datasheet downloaded", "Technical documentation viewed"),
        channel="web", channel_kind="online", owner_bu="presales", shared_bus=("marketing",),
        weight=2.0, audience=_TECH, content_formats=("datasheet", "checklist")),
    _tp("ev_roi_calculator", "evaluation", "Calculadora de ROI", "Calculadora de ROI",
        "ROI calculator", ("ROI calculator used",), channel="web", channel_kind="online",
        owner_bu="presales", shared_bus=("marketing",), weight=1.0, audience=_BIZ,
        content_formats=("calculator",)),
    _tp("ev_free_trial", "evaluation", "Prueba gratuita", "Teste gratuito", "Free trial",
        ("Free trial started", "Sandbox login"), channel="web", channel_kind="online",
        owner_bu="presales", source_system="product", weight=1.5, audience=_TECH),
    _tp("ev_site_poc", "evaluation", "Prueba piloto en planta", "Piloto na fábrica",
        "On-site proof of concept", ("On-site proof of concept", "Pilot line installation"),
        channel="field_service", channel_kind="physical", owner_bu="presales",
        shared_bus=("customer_success",), source_system="salesforce", weight=0.8,
        audience=_FLOOR),
    _tp("ev_reference_call", "evaluation", "Llamada con cliente de referencia",
        "Conversa com cliente de referência", "Customer reference call",
        ("Call: customer reference", "Reference plant visit"), channel="phone",
        channel_kind="personal", owner_bu="sales", shared_bus=("customer_success",),
        source_system="salesforce", weight=0.0, audience=_ALL),
    _tp("ev_whatsapp_rep", "evaluation", "WhatsApp con el vendedor", "WhatsApp com o vendedor",
        "WhatsApp with the rep",
        ("WhatsApp message", "Mensaje de WhatsApp", "Mensagem de WhatsApp"), channel="chat",
        channel_kind="personal", owner_bu="sales", in_designed_map=False,
        source_system="whatsapp", weight=1.0),
    # purchase
    _tp("pu_proposal", "purchase", "Propuesta comercial", "Proposta comercial", "Proposal",
        ("Proposal sent", "Proposal viewed"), channel="email", channel_kind="online",
        owner_bu="sales", shared_bus=("finance",), source_system="salesforce", weight=2.0,
        audience=_BIZ),
    _tp("pu_quote", "purchase", "Cotización", "Cotação", "Quote", ("Quote requested", "Quote sent"),
        channel="email", channel_kind="online", owner_bu="sales", shared_bus=("finance",),
        source_system="salesforce", weight=1.5, audience=("procurement", "economic_buyer")),
    _tp("pu_negotiation", "purchase", "Negociación", "Negociação", "Negotiation",
        ("Meeting: negotiation", "Call: pricing negotiation"), channel="meeting",
        channel_kind="personal", owner_bu="sales", shared_bus=("finance",),
        source_system="salesforce", weight=1.5, audience=_BIZ),
    _tp("pu_contract_redlines", "purchase", "Revisión legal del contrato",
        "Revisão jurídica do contrato", "Contract legal review",
        ("Contract redlines returned", "Legal review call"), channel="meeting",
        channel_kind="personal", owner_bu="legal", shared_bus=("sales", "finance"),
        source_system="salesforce", weight=1.0, audience=("legal_counsel", "procurement"),
        survey="ces", survey_rate=0.35, topic="contract"),
    _tp("pu_contract_signed", "purchase", "Firma del contrato", "Assinatura do contrato",
        "Contract signed", ("Contract signed",), channel="web", channel_kind="online",
        owner_bu="legal", shared_bus=("sales", "finance"), source_system="salesforce",
        weight=0.0, audience=("economic_buyer", "procurement"), survey="ces", survey_rate=0.3,
        topic="purchase"),
    # onboarding
    _tp("on_kickoff", "onboarding", "Reunión de inicio", "Reunião de kickoff",
        "Onboarding kickoff", ("Meeting: onboarding kickoff",), channel="meeting",
        channel_kind="personal", owner_bu="customer_success", shared_bus=("sales", "presales"),
        source_system="salesforce", weight=0.0),
    _tp("on_installation", "onboarding", "Instalación en planta", "Instalação na fábrica",
        "On-site installation",
        ("Field installation visit", "Visita técnica de instalación",
         "Visita técnica de instalação"),
        channel="field_service", channel_kind="physical", owner_bu="customer_service",
        source_system="field_service", weight=1.5, audience=_FLOOR),
    _tp("on_training", "onboarding", "Capacitación presencial", "Treinamento presencial",
        "On-site training", ("Training session attended",), channel="meeting",
        channel_kind="physical", owner_bu="customer_success", source_system="lms", weight=2.0,
        audience=("end_user", "operations_lead"), survey="csat", survey_rate=0.3,
        topic="training"),
    _tp("on_elearning", "onboarding", "Cursos en línea", "Cursos online", "E-learning",
        ("E-learning module completed",), channel="web", channel_kind="online",
        owner_bu="customer_success", source_system="lms", weight=1.5,
        audience=("end_user", "technical_evaluator"), content_formats=("video", "guide")),
    _tp("on_go_live", "onboarding", "Puesta en marcha", "Entrada em produção", "Go-live",
        ("Go-live sign-off",), channel="meeting", channel_kind="personal",
        owner_bu="customer_success", shared_bus=("customer_service",),
        source_system="salesforce", weight=0.0, survey="ces", survey_rate=0.4,
        topic="implementation"),
    # retention
    _tp("re_support_ticket", "retention", "Tickets de soporte", "Chamados de suporte",
        "Support tickets", ("Support ticket opened", "Support ticket resolved"),
        channel="support_portal", channel_kind="online", owner_bu="customer_service",
        source_system="zendesk", weight=1.6, audience=("end_user", "technical_evaluator"),
        survey="csat", survey_rate=0.3, topic="support"),
    _tp("re_field_service", "retention", "Servicio técnico en planta", "Assistência técnica",
        "Field service", ("Field service visit", "Preventive maintenance visit"),
        channel="field_service", channel_kind="physical", owner_bu="customer_service",
        source_system="field_service", weight=2.4, audience=_FLOOR, survey="csat",
        survey_rate=0.3, topic="field_service"),
    _tp("re_qbr", "retention", "Revisión trimestral de negocio", "Revisão trimestral de negócios",
        "Quarterly business review", ("Meeting: quarterly business review",),
        channel="meeting", channel_kind="personal", owner_bu="customer_success",
        shared_bus=("sales",), source_system="salesforce", weight=1.4,
        audience=("economic_buyer", "operations_lead")),
    _tp("re_invoice", "retention", "Facturación", "Faturamento", "Invoicing",
        ("Invoice sent", "Payment received"), channel="email", channel_kind="online",
        owner_bu="finance", source_system="erp", weight=0.8,
        audience=("procurement", "economic_buyer")),
    _tp("re_nps_survey", "retention", "Encuesta NPS", "Pesquisa NPS", "NPS survey",
        ("NPS survey answered",), channel="email", channel_kind="online",
        owner_bu="customer_success", source_system="qualtrics", weight=0.4, survey="nps",
        survey_rate=1.0, topic="relationship"),
    _tp("re_user_community", "retention", "Comunidad de usuarios", "Comunidade de usuários",
        "User community", ("Community forum post", "Community answer accepted"),
        channel="community", channel_kind="online", owner_bu="customer_success",
        in_designed_map=False, source_system="community", weight=0.8, audience=_TECH),
    _tp("re_renewal", "retention", "Renovación", "Renovação", "Renewal",
        ("Renewal quote sent", "Meeting: renewal review"), channel="meeting",
        channel_kind="personal", owner_bu="sales", shared_bus=("customer_success", "finance"),
        source_system="salesforce", weight=0.0, audience=("economic_buyer", "procurement")),
    _tp("re_upsell", "retention", "Ampliación y venta cruzada", "Expansão e venda cruzada",
        "Upsell and cross-sell", ("Meeting: expansion proposal", "Upsell quote sent"),
        channel="meeting", channel_kind="personal", owner_bu="sales", shared_bus=("presales",),
        source_system="salesforce", weight=0.0, audience=("economic_buyer", "operations_lead")),
    _tp("re_loyalty_programme", "retention", "Programa de fidelización", "Programa de fidelidade",
        "Loyalty programme", ("Loyalty points redeemed",), channel="web", channel_kind="online",
        owner_bu="marketing", shared_bus=("customer_success",), weight=0.0),
    # advocacy
    _tp("ad_referral", "advocacy", "Referidos", "Indicações", "Referrals",
        ("Referral given", "Call: referral introduction"), channel="phone",
        channel_kind="personal", owner_bu="sales", shared_bus=("marketing",),
        source_system="salesforce", weight=1.5, audience=("economic_buyer", "operations_lead")),
    _tp("ad_case_study", "advocacy", "Caso de éxito publicado", "Caso de sucesso publicado",
        "Published case study", ("Case study interview", "Testimonial video recorded"),
        channel="meeting", channel_kind="personal", owner_bu="marketing", weight=1.0,
        audience=("operations_lead", "economic_buyer")),
    _tp("ad_user_conference", "advocacy", "Congreso de usuarios", "Congresso de usuários",
        "User conference", ("User conference attended",), channel="event",
        channel_kind="physical", owner_bu="marketing", shared_bus=("customer_success",),
        weight=1.2),
)  # fmt: skip

REGIONS: tuple[Region, ...] = (
    Region("brazil", Names("Brasil", "Brasil", "Brazil"), "BR", 0.34, (("BR", 1.0),)),
    Region(
        "mexico",
        Names("México y Centroamérica", "México e América Central", "Mexico and Central America"),
        "MX",
        0.17,
        (("MX", 0.85), ("GT", 0.15)),
    ),
    Region(
        "andean",
        Names("Región andina", "Região andina", "Andean region"),
        "AN",
        0.13,
        (("CO", 0.5), ("PE", 0.35), ("EC", 0.15)),
    ),
    Region(
        "southern_cone",
        Names("Cono Sur", "Cone Sul", "Southern Cone"),
        "SC",
        0.1,
        (("CL", 0.5), ("AR", 0.4), ("UY", 0.1)),
    ),
    Region("iberia", Names("Iberia", "Ibéria", "Iberia"), "IB", 0.14, (("ES", 0.7), ("PT", 0.3))),
    Region(
        "north_america",
        Names("Norteamérica", "América do Norte", "North America"),
        "NA",
        0.08,
        (("US", 0.8), ("CA", 0.2)),
    ),
    Region(
        "global",
        Names("Otros mercados", "Outros mercados", "Other markets"),
        "GL",
        0.04,
        (("GB", 0.5), ("ZA", 0.5)),
    ),
)

COUNTRIES: tuple[Country, ...] = (
    Country("BR", Names("Brasil", "Brasil", "Brazil"), "pt", ("Ltda.", "S.A."), ".com.br"),
    Country("MX", Names("México", "México", "Mexico"), "es", ("S.A. de C.V.",), ".com.mx"),
    Country("GT", Names("Guatemala", "Guatemala", "Guatemala"), "es", ("S.A.",), ".com.gt"),
    Country("CO", Names("Colombia", "Colômbia", "Colombia"), "es", ("S.A.S.",), ".com.co"),
    Country("PE", Names("Perú", "Peru", "Peru"), "es", ("S.A.C.",), ".com.pe"),
    Country("EC", Names("Ecuador", "Equador", "Ecuador"), "es", ("S.A.",), ".com.ec"),
    Country("CL", Names("Chile", "Chile", "Chile"), "es", ("SpA", "S.A."), ".cl"),
    Country("AR", Names("Argentina", "Argentina", "Argentina"), "es", ("S.A.", "S.R.L."),
            ".com.ar"),
    Country("UY", Names("Uruguay", "Uruguai", "Uruguay"), "es", ("S.A.",), ".com.uy"),
    Country("ES", Names("España", "Espanha", "Spain"), "es", ("S.L.", "S.A."), ".es"),
    Country("PT", Names("Portugal", "Portugal", "Portugal"), "pt", ("Lda.", "S.A."), ".pt"),
    Country("US", Names("Estados Unidos", "Estados Unidos", "United States"), "en",
            ("Inc.", "LLC"), ".com"),
    Country("CA", Names("Canadá", "Canadá", "Canada"), "en", ("Inc.", "Ltd."), ".ca"),
    Country("GB", Names("Reino Unido", "Reino Unido", "United Kingdom"), "en", ("Ltd.",), ".co.uk"),
    Country("ZA", Names("Sudáfrica", "África do Sul", "South Africa"), "en", ("(Pty) Ltd",),
            ".co.za"),
)  # fmt: skip

SEGMENTS: tuple[Segment, ...] = (
    Segment("smb", Names("Pyme", "PME", "SMB"), 0.5, (50, 250), (3, 5), 18_000.0, 0.7, 0.75, 0.2),
    Segment(
        "mid_market",
        Names("Mediana empresa", "Média empresa", "Mid-market"),
        0.35,
        (250, 2_000),
        (4, 8),
        70_000.0,
        0.8,
        1.0,
        0.0,
    ),
    Segment(
        "enterprise",
        Names("Gran empresa", "Grande empresa", "Enterprise"),
        0.15,
        (2_000, 40_000),
        (6, 15),
        320_000.0,
        0.9,
        1.4,
        -0.3,
    ),
)

INDUSTRIES: tuple[Industry, ...] = (
    Industry("food_beverage",
             Names("Alimentos y bebidas", "Alimentos e bebidas", "Food and beverage"), 0.2),
    Industry("automotive_parts", Names("Autopartes", "Autopeças", "Automotive parts"), 0.14),
    Industry("packaging", Names("Envases y embalajes", "Embalagens", "Packaging"), 0.12),
    Industry("chemicals", Names("Química", "Química", "Chemicals"), 0.1),
    Industry("metalworking", Names("Metalmecánica", "Metalurgia", "Metalworking"), 0.12),
    Industry("plastics", Names("Plásticos", "Plásticos", "Plastics"), 0.1),
    Industry("pharmaceuticals", Names("Farmacéutica", "Farmacêutica", "Pharmaceuticals"), 0.07),
    Industry("mining", Names("Minería", "Mineração", "Mining"), 0.08),
    Industry("pulp_paper", Names("Celulosa y papel", "Papel e celulose", "Pulp and paper"), 0.07),
)  # fmt: skip

CONTENT_FORMATS: tuple[str, ...] = (
    "blog_post",
    "video",
    "ebook",
    "whitepaper",
    "case_study",
    "webinar",
    "datasheet",
    "checklist",
    "calculator",
    "guide",
)
GATED_FORMATS: frozenset[str] = frozenset({"ebook", "whitepaper", "webinar", "calculator"})

# How many assets the inventory plans per content touchpoint, role and language: many at
# the top of the funnel, few after it (the usual TOFU-heavy library).
CONTENT_PLAN: dict[str, int] = {
    "aw_blog": 3,
    "cn_ebook": 2,
    "cn_case_study": 2,
    "cn_webinar": 1,
    "ev_datasheet": 1,
    "ev_roi_calculator": 1,
    "on_elearning": 1,
}

# Where each stage's buyers come from: the affinity of each role to a stage's events.
ROLE_STAGE_AFFINITY: dict[str, tuple[float, ...]] = {
    #                    aw   cn   ev   pu   on   re   ad
    "economic_buyer": (0.6, 1.0, 0.8, 1.6, 0.5, 0.8, 1.5),
    "technical_evaluator": (1.2, 1.2, 2.0, 0.5, 1.2, 1.0, 0.6),
    "operations_lead": (1.0, 1.0, 1.0, 0.5, 1.2, 1.0, 1.2),
    "procurement": (0.3, 0.5, 0.6, 2.0, 0.3, 0.6, 0.2),
    "it_security": (0.5, 0.6, 1.2, 0.6, 0.8, 0.6, 0.2),
    "legal_counsel": (0.1, 0.1, 0.2, 1.5, 0.1, 0.2, 0.1),
    "end_user": (0.7, 0.5, 0.7, 0.1, 2.0, 1.8, 0.6),
}

DEFAULT_LIFT_TOUCHPOINT = "ev_reference_call"
DEFAULT_FRICTION_TOUCHPOINT = "pu_contract_redlines"
CONTRACT_SIGNED = "pu_contract_signed"
ONBOARDING_KICKOFF = "on_kickoff"
GO_LIVE = "on_go_live"
RENEWAL = "re_renewal"
UPSELL = "re_upsell"
# Touchpoints the generator places on purpose; they may not serve as lift or friction.
PLACED_TOUCHPOINTS: frozenset[str] = frozenset(
    {CONTRACT_SIGNED, ONBOARDING_KICKOFF, GO_LIVE, RENEWAL, UPSELL}
)

STAGE_IDS: tuple[str, ...] = tuple(s.id for s in STAGES)
TOUCHPOINT_IDS: tuple[str, ...] = tuple(t.id for t in TOUCHPOINTS)
ROLE_IDS: tuple[str, ...] = tuple(r.id for r in ROLES)
REQUIRED_ROLE_IDS: tuple[str, ...] = tuple(r.id for r in ROLES if r.required)
BUSINESS_UNIT_IDS: tuple[str, ...] = tuple(b.id for b in BUSINESS_UNITS)
REGION_IDS: tuple[str, ...] = tuple(r.id for r in REGIONS)
PRE_PURCHASE_STAGE_IDS: tuple[str, ...] = tuple(s.id for s in STAGES if s.phase == "pre_purchase")


def touchpoint(touchpoint_id: str) -> Touchpoint:
    """The touchpoint with this id (KeyError when unknown)."""
    for tp in TOUCHPOINTS:
        if tp.id == touchpoint_id:
            return tp
    raise KeyError(touchpoint_id)


def stage_index(stage_id: str) -> int:
    """Position of a stage in the stage order."""
    return STAGE_IDS.index(stage_id)
