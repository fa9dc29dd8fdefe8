"""Buyer personas on the business side of the account: who pays, buys and approves."""

from __future__ import annotations

from jornada.model.templates._specs import EmpathySpec, PersonaSpec
from jornada.model.templates._text import MANAGEMENT, T

OPERATIONS_DIRECTOR = PersonaSpec(
    id="operations-director",
    name=T("Directora de operaciones", "Diretora de operações", "Operations director"),
    description=T(
        "Responde por la producción y el costo de operación de varias plantas; firma la inversión.",
        "Responde pela produção e pelo custo operacional de várias plantas; assina o investimento.",
        "Answers for output and operating cost across several plants; signs the investment.",
    ),
    role="economic-buyer",
    department=T("Operaciones", "Operações", "Operations"),
    seniority=T("Dirección", "Diretoria", "Executive"),
    motivations=(
        T(
            "Cumplir las metas de producción y disponibilidad",
            "Cumprir as metas de produção e disponibilidade",
            "Hit output and uptime targets",
        ),
        T(
            "Bajar el costo total de operación",
            "Reduzir o custo total de operação",
            "Lower the total cost of operation",
        ),
        T(
            "Tomar decisiones que pueda defender ante el directorio",
            "Tomar decisões que possa defender no conselho",
            "Make decisions she can defend before the board",
        ),
    ),
    empathy=EmpathySpec(
        thinks=(
            T(
                "¿Cuánto nos cuesta cada hora de planta parada?",
                "Quanto nos custa cada hora de planta parada?",
                "What does every hour of downtime cost us?",
            ),
            T(
                "Este proveedor tiene que responder por años, no solo hasta la firma.",
                "Esse fornecedor precisa responder por anos, não só até a assinatura.",
                "This supplier must deliver for years, not just until signature.",
            ),
        ),
        feels=(
            T(
                "Presión por los resultados del trimestre",
                "Pressão pelos resultados do trimestre",
                "Pressure from quarterly results",
            ),
            T(
                "Desconfianza de las promesas comerciales",
                "Desconfiança das promessas comerciais",
                "Wary of sales promises",
            ),
        ),
        says=(
            T(
                "Muéstrenme el retorno en números.",
                "Mostrem o retorno em números.",
                "Show me the return in numbers.",
            ),
            T(
                "No quiero sorpresas después de firmar.",
                "Não quero surpresas depois de assinar.",
                "No surprises after we sign.",
            ),
        ),
        does=(
            T(
                "Delega la evaluación técnica y revisa el caso de negocio final",
                "Delega a avaliação técnica e revisa o business case final",
                "Delegates the technical evaluation and reviews the final business case",
            ),
            T(
                "Consulta a colegas de otras plantas antes de decidir",
                "Consulta colegas de outras plantas antes de decidir",
                "Asks peers at other plants before deciding",
            ),
        ),
        pains=(
            T("Paradas no planificadas", "Paradas não programadas", "Unplanned downtime"),
            T(
                "Proyectos que se atrasan y exceden el presupuesto",
                "Projetos que atrasam e estouram o orçamento",
                "Projects that run late and over budget",
            ),
        ),
        gains=(
            T(
                "Disponibilidad de planta predecible",
                "Disponibilidade de planta previsível",
                "Predictable plant uptime",
            ),
            T(
                "Un solo responsable que rinde cuentas",
                "Um único responsável que presta contas",
                "One accountable partner",
            ),
        ),
    ),
)


PROCUREMENT_MANAGER = PersonaSpec(
    id="procurement-manager",
    name=T("Gerente de compras", "Gerente de suprimentos", "Procurement manager"),
    description=T(
        "Conduce la licitación y cuida que la compra sea comparable, auditable y a buen precio.",
        "Conduz a concorrência e garante que a compra seja comparável, auditável e bem negociada.",
        "Runs the tender and makes sure the purchase is comparable, auditable and well priced.",
    ),
    role="procurement",
    department=T("Compras", "Suprimentos", "Procurement"),
    seniority=MANAGEMENT,
    motivations=(
        T("Ahorro demostrable", "Economia comprovável", "Savings he can prove"),
        T(
            "Un proceso transparente y auditable",
            "Um processo transparente e auditável",
            "A transparent, auditable process",
        ),
        T("Proveedores confiables", "Fornecedores confiáveis", "Reliable suppliers"),
    ),
    empathy=EmpathySpec(
        thinks=(
            T(
                "Necesito tres ofertas comparables.",
                "Preciso de três propostas comparáveis.",
                "I need three comparable offers.",
            ),
            T(
                "¿Este proveedor cumple nuestras políticas?",
                "Esse fornecedor cumpre nossas políticas?",
                "Does this supplier meet our policies?",
            ),
        ),
        feels=(
            T(
                "Presión por plazos y ahorro",
                "Pressão por prazo e economia",
                "Squeezed between deadlines and savings",
            ),
            T(
                "Frustración con propuestas imposibles de comparar",
                "Frustração com propostas impossíveis de comparar",
                "Frustrated by offers that can't be compared",
            ),
        ),
        says=(
            T(
                "Envíen la cotización en nuestro formato.",
                "Mandem a cotação no nosso formato.",
                "Send the quote in our template.",
            ),
            T(
                "¿Cuál es el costo total a cinco años?",
                "Qual é o custo total em cinco anos?",
                "What is the five-year total cost?",
            ),
        ),
        does=(
            T(
                "Gestiona la licitación en el portal de proveedores",
                "Gerencia a concorrência no portal de fornecedores",
                "Runs the tender on the supplier portal",
            ),
            T(
                "Negocia precio, plazos y garantías",
                "Negocia preço, prazos e garantias",
                "Negotiates price, lead times and warranties",
            ),
        ),
        pains=(
            T(
                "Propuestas tardías y con formatos distintos",
                "Propostas atrasadas e em formatos diferentes",
                "Late proposals in different formats",
            ),
            T(
                "Alta de proveedor trabada por documentos faltantes",
                "Cadastro de fornecedor travado por documentos faltantes",
                "Supplier set-up stalled by missing documents",
            ),
        ),
        gains=(
            T(
                "Ofertas fáciles de comparar",
                "Propostas fáceis de comparar",
                "Offers that are easy to compare",
            ),
            T(
                "Documentos completos al primer envío",
                "Documentos completos no primeiro envio",
                "Complete documents the first time",
            ),
        ),
    ),
)

FINANCE_CONTROLLER = PersonaSpec(
    id="finance-controller",
    name=T("Controller financiero", "Controller financeiro", "Financial controller"),
    description=T(
        "Cuida el presupuesto, las condiciones de pago y que cada factura cuadre con la orden.",
        "Cuida do orçamento, das condições de pagamento e de que cada fatura bata com o pedido.",
        "Guards budget and payment terms; makes sure every invoice matches the purchase order.",
    ),
    role="finance-legal",
    department=T("Finanzas", "Financeiro", "Finance"),
    seniority=MANAGEMENT,
    motivations=(
        T("Presupuesto bajo control", "Orçamento sob controle", "Budget under control"),
        T(
            "Facturas que pasan la conciliación sin retrabajo",
            "Faturas que passam na conciliação sem retrabalho",
            "Invoices that reconcile without rework",
        ),
        T("Riesgo contractual acotado", "Risco contratual limitado", "Contained contract risk"),
    ),
    empathy=EmpathySpec(
        thinks=(
            T(
                "¿Esta inversión se paga dentro del año fiscal?",
                "Esse investimento se paga dentro do ano fiscal?",
                "Does this pay back within the fiscal year?",
            ),
            T(
                "Cada factura con error es trabajo extra.",
                "Cada fatura errada é trabalho extra.",
                "Every wrong invoice means extra work.",
            ),
        ),
        feels=(
            T(
                "Cautela ante compromisos de varios años",
                "Cautela com compromissos de vários anos",
                "Cautious about multi-year commitments",
            ),
            T(
                "Molestia con los errores de facturación",
                "Irritação com erros de faturamento",
                "Annoyed by billing errors",
            ),
        ),
        says=(
            T(
                "La factura debe citar nuestra orden de compra.",
                "A nota fiscal precisa citar o nosso pedido de compra.",
                "The invoice must quote our PO number.",
            ),
            T(
                "Quiero ver las condiciones de pago y de reajuste.",
                "Quero ver as condições de pagamento e de reajuste.",
                "Show me the payment and price-adjustment terms.",
            ),
        ),
        does=(
            T(
                "Revisa el caso de negocio y las cláusulas",
                "Revisa o business case e as cláusulas",
                "Reviews the business case and the clauses",
            ),
            T(
                "Concilia facturas contra órdenes de compra",
                "Concilia faturas com pedidos de compra",
                "Matches invoices against purchase orders",
            ),
        ),
        pains=(
            T(
                "Facturas que no coinciden con la orden",
                "Faturas que não batem com o pedido",
                "Invoices that don't match the order",
            ),
            T(
                "Reajustes de precio inesperados",
                "Reajustes de preço inesperados",
                "Unexpected price increases",
            ),
        ),
        gains=(
            T("Costos previsibles", "Custos previsíveis", "Predictable costs"),
            T(
                "Un estado de cuenta claro",
                "Um extrato de conta claro",
                "A clear account statement",
            ),
        ),
    ),
)

BUSINESS_PERSONAS = (OPERATIONS_DIRECTOR, PROCUREMENT_MANAGER, FINANCE_CONTROLLER)
