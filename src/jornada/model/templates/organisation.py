"""The company side shared by every template: purpose, scope, business units, buying roles."""

from __future__ import annotations

from jornada.model.templates._specs import RoleSpec, UnitSpec
from jornada.model.templates._text import T

BRAND_PROMISE = T(
    "Su operación funcionando, con un socio que responde y cumple lo que promete.",
    "Sua operação funcionando, com um parceiro que responde e cumpre o que promete.",
    "Your operation running, with a partner who answers and keeps its word.",
)

OBJECTIVES = (
    T(
        "Encontrar las fricciones que alargan la compra y las que ponen en riesgo la renovación",
        "Encontrar os atritos que alongam o ciclo de compra e os que colocam a renovação em risco",
        "Find the frictions that stretch the buying cycle and those that put renewals at risk",
    ),
    T(
        "Alinear marketing, ventas, preventa, servicio y finanzas en los mismos puntos de contacto",
        "Alinhar marketing, vendas, pré-vendas, serviço e financeiro nos mesmos pontos de contato",
        "Align marketing, sales, presales, service and finance around the same touchpoints",
    ),
    T(
        "Dar a la gerencia general una vista única para supervisar iniciativas y KPI por etapa",
        "Dar à diretoria geral uma visão única para acompanhar iniciativas e KPIs por etapa",
        "Give general management one view to oversee initiatives and KPIs stage by stage",
    ),
    T(
        "Aumentar la retención y las recomendaciones de las cuentas clave",
        "Aumentar a retenção e as indicações das contas-chave",
        "Grow retention and referrals from key accounts",
    ),
)

SEGMENTS = (
    T(
        "Plantas de manufactura medianas y grandes",
        "Plantas industriais de médio e grande porte",
        "Mid-size and large manufacturing plants",
    ),
    T(
        "Minería, energía y utilities",
        "Mineração, energia e utilities",
        "Mining, energy and utilities",
    ),
)
REGIONS = (T("Latinoamérica", "América Latina", "Latin America"), T("Iberia", "Ibéria", "Iberia"))
PRODUCTS = (
    T(
        "Equipos industriales y repuestos",
        "Equipamentos industriais e peças",
        "Industrial equipment and spare parts",
    ),
    T("Contratos de mantenimiento", "Contratos de manutenção", "Maintenance contracts"),
    T("Monitoreo remoto de activos", "Monitoramento remoto de ativos", "Remote asset monitoring"),
)
SCOPE_NOTES = T(
    "Mapa general de la cuenta, antes y después de la compra; cada área deriva su mapa detallado.",
    "Mapa geral da conta, antes e depois da compra; cada área deriva o seu mapa detalhado.",
    "Account-level map, before and after the purchase; each area derives its detailed map.",
)

UNITS = (
    UnitSpec(
        "marketing",
        T("Marketing y demanda", "Marketing e demanda", "Marketing & demand"),
        T("Gerente de marketing", "Gerente de marketing", "Head of marketing"),
        T(
            "Atrae cuentas objetivo y las nutre con contenido hasta que piden hablar con ventas.",
            "Atrai contas-alvo e as nutre com conteúdo até pedirem para falar com vendas.",
            "Attracts target accounts and nurtures them with content until they ask for sales.",
        ),
    ),
    UnitSpec(
        "sales",
        T("Ventas", "Vendas", "Sales"),
        T("Director comercial", "Diretor comercial", "Sales director"),
        T(
            "Dueña de la oportunidad y de la relación con el grupo de compra.",
            "Dona da oportunidade e do relacionamento com o grupo de compra.",
            "Owns the opportunity and the relationship with the buying group.",
        ),
    ),
    UnitSpec(
        "presales",
        T(
            "Preventa e ingeniería de soluciones",
            "Pré-vendas e engenharia de soluções",
            "Presales & solutions engineering",
        ),
        T("Jefe de preventa", "Gerente de pré-vendas", "Head of presales"),
        T(
            "Traduce los requerimientos técnicos en una solución demostrable y dimensionada.",
            "Traduz os requisitos técnicos em uma solução demonstrável e dimensionada.",
            "Turns technical requirements into a sized solution the customer can see working.",
        ),
    ),
    UnitSpec(
        "customer-success",
        T("Éxito del cliente", "Sucesso do cliente", "Customer success"),
        T(
            "Gerente de éxito del cliente",
            "Gerente de sucesso do cliente",
            "Head of customer success",
        ),
        T(
            "Lleva al cliente del contrato al valor: implementación, adopción y renovación.",
            "Leva o cliente do contrato ao valor: implantação, adoção e renovação.",
            "Takes the customer from contract to value: rollout, adoption and renewal.",
        ),
    ),
    UnitSpec(
        "customer-service",
        T("Atención al cliente", "Atendimento ao cliente", "Customer service"),
        T("Jefa de atención al cliente", "Gerente de atendimento", "Customer service manager"),
        T(
            "Mesa de ayuda, portal de autoservicio y gestión de incidentes.",
            "Central de atendimento, portal de autoatendimento e gestão de chamados.",
            "Help desk, self-service portal and incident management.",
        ),
    ),
    UnitSpec(
        "operations",
        T(
            "Operaciones y servicio técnico",
            "Operações e assistência técnica",
            "Operations & field service",
        ),
        T("Gerente de operaciones", "Gerente de operações", "Operations manager"),
        T(
            "Instalación, puesta en marcha, servicio en campo, taller y logística de repuestos.",
            "Instalação, comissionamento, serviço de campo, oficina e logística de peças.",
            "Installation, commissioning, field service, repair shop and spare-parts logistics.",
        ),
    ),
    UnitSpec(
        "finance",
        T("Finanzas y facturación", "Financeiro e faturamento", "Finance & billing"),
        T("Gerente de administración y finanzas", "Gerente financeiro", "Finance manager"),
        T(
            "Alta de clientes, cotizaciones aprobadas, contratos, facturas y cobranza.",
            "Cadastro de clientes, cotações aprovadas, contratos, faturas e cobrança.",
            "Customer set-up, approved quotes, contracts, invoices and collections.",
        ),
    ),
)

ROLES = (
    RoleSpec(
        "economic-buyer",
        T(
            "Comprador económico (decisor)",
            "Comprador econômico (decisor)",
            "Economic buyer (decision maker)",
        ),
        T(
            "Aprueba la inversión y responde por el resultado del negocio.",
            "Aprova o investimento e responde pelo resultado do negócio.",
            "Signs off the investment and answers for the business outcome.",
        ),
        required=True,
    ),
    RoleSpec(
        "champion",
        T("Promotor interno", "Defensor interno", "Champion"),
        T(
            "Impulsa el proyecto dentro de la cuenta y vende la solución a sus colegas.",
            "Impulsiona o projeto dentro da conta e vende a solução para os colegas.",
            "Pushes the project inside the account and sells the solution to colleagues.",
        ),
        required=True,
    ),
    RoleSpec(
        "technical-evaluator",
        T("Evaluador técnico", "Avaliador técnico", "Technical evaluator"),
        T(
            "Verifica que la solución cumple los requerimientos técnicos y de seguridad.",
            "Verifica se a solução atende aos requisitos técnicos e de segurança.",
            "Checks that the solution meets the technical and safety requirements.",
        ),
        required=True,
    ),
    RoleSpec(
        "procurement",
        T("Compras", "Compras (suprimentos)", "Procurement"),
        T(
            "Conduce la licitación, compara ofertas y negocia condiciones.",
            "Conduz a concorrência, compara propostas e negocia condições.",
            "Runs the tender, compares offers and negotiates terms.",
        ),
        required=True,
    ),
    RoleSpec(
        "end-user",
        T("Usuario", "Usuário", "User"),
        T(
            "Opera y mantiene la solución en el día a día.",
            "Opera e mantém a solução no dia a dia.",
            "Runs and maintains the solution day to day.",
        ),
    ),
    RoleSpec(
        "finance-legal",
        T("Finanzas y legal", "Financeiro e jurídico", "Finance & legal"),
        T(
            "Revisa presupuesto, condiciones de pago, garantías y cláusulas del contrato.",
            "Revisa orçamento, condições de pagamento, garantias e cláusulas do contrato.",
            "Reviews budget, payment terms, warranties and contract clauses.",
        ),
    ),
)
