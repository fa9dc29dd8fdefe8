"""Pain points and moments of truth, tied to catalogue touchpoints.

A template keeps the items whose touchpoints it places; each item's stage is the stage of
its touchpoint, so the same pain point lands in "validation" or "decision" as the stage set
requires. Every pain point has an initiative in :mod:`.plan`.
"""

from __future__ import annotations

from jornada.model.elements import Severity
from jornada.model.templates._specs import MomentSpec, PainSpec
from jornada.model.templates._text import T

PAIN_POINTS = (
    PainSpec(
        id="hard-to-find-specs",
        name=T(
            "Especificaciones técnicas difíciles de encontrar",
            "Especificações técnicas difíceis de encontrar",
            "Technical specs hard to find",
        ),
        description=T(
            "Fichas y planos dispersos o tras un formulario: la ingeniera los pide por correo.",
            "Fichas e desenhos espalhados ou atrás de formulário: a engenheira pede por e-mail.",
            "Datasheets and drawings are scattered or behind a form, so engineers email for them.",
        ),
        touchpoint="website",
        persona="process-engineer",
    ),
    PainSpec(
        id="slow-proposal",
        name=T(
            "Propuesta lenta y difícil de comparar",
            "Proposta lenta e difícil de comparar",
            "Slow proposal that is hard to compare",
        ),
        description=T(
            "Tarda semanas y no sigue el formato de la licitación; compras no puede compararla.",
            "Leva semanas e ignora o formato da concorrência; suprimentos não consegue comparar.",
            "It takes weeks and ignores the tender format, so procurement cannot compare it.",
        ),
        touchpoint="commercial-proposal",
        persona="procurement-manager",
        severity=Severity.high,
    ),
    PainSpec(
        id="generic-demo",
        name=T(
            "Demo que no refleja su planta",
            "Demo que não reflete a planta do cliente",
            "Demo that ignores their plant",
        ),
        description=T(
            "Se muestra el catálogo entero y el evaluador no ve sus condiciones de operación.",
            "Mostra-se o catálogo inteiro e o avaliador técnico não vê suas condições de operação.",
            "The whole catalogue is shown; the evaluator never sees their operating conditions.",
        ),
        touchpoint="product-demo",
        persona="process-engineer",
    ),
    PainSpec(
        id="supplier-setup-delay",
        name=T(
            "Alta de proveedor trabada", "Cadastro de fornecedor travado", "Supplier set-up stalls"
        ),
        description=T(
            "Faltan certificados, pólizas o datos bancarios y el alta se detiene semanas.",
            "Faltam certificados, apólices ou dados bancários e o cadastro para por semanas.",
            "Missing certificates, insurance or bank details hold up set-up for weeks.",
        ),
        touchpoint="vendor-registration",
        persona="procurement-manager",
    ),
    PainSpec(
        id="repeated-handover",
        name=T(
            "El cliente repite todo en el traspaso",
            "O cliente repete tudo na passagem de bastão",
            "Customer repeats everything at handover",
        ),
        description=T(
            "Lo acordado con ventas no llega a implementación; el cliente vuelve a explicar todo.",
            "O combinado com vendas não chega à implantação; o cliente explica tudo de novo.",
            "What was agreed with sales never reaches the rollout team; the customer starts over.",
        ),
        touchpoint="kickoff-meeting",
        persona="operations-director",
        severity=Severity.high,
    ),
    PainSpec(
        id="invoice-mismatch",
        name=T(
            "Facturas que no coinciden con la orden de compra",
            "Faturas que não batem com o pedido de compra",
            "Invoices that don't match the PO",
        ),
        description=T(
            "Sin número de orden o con otro monto, la factura se rechaza y el pago se atrasa.",
            "Sem número do pedido ou com outro valor, a fatura é recusada e o pagamento atrasa.",
            "Without the PO number or with another amount, the invoice bounces and payment slips.",
        ),
        touchpoint="invoice",
        persona="finance-controller",
        severity=Severity.high,
    ),
    PainSpec(
        id="unprepared-technician",
        name=T(
            "Técnico sin historial ni repuestos",
            "Técnico sem histórico nem peças",
            "Technician without history or parts",
        ),
        description=T(
            "Llega sin conocer las fallas anteriores ni el repuesto; hace falta otra visita.",
            "Chega sem conhecer as falhas anteriores nem levar a peça; é preciso outra visita.",
            "They arrive without the failure history or the part, so a second visit is needed.",
        ),
        touchpoint="field-service-visit",
        persona="maintenance-manager",
        severity=Severity.high,
    ),
    PainSpec(
        id="renewal-surprise",
        name=T(
            "Reajuste sorpresa en la renovación",
            "Reajuste surpresa na renovação",
            "Surprise increase at renewal",
        ),
        description=T(
            "La renovación trae un aumento de precio sin mostrar el valor entregado en el año.",
            "A renovação traz aumento de preço sem mostrar o valor entregue no ano.",
            "The renewal brings a price increase with no evidence of the value delivered.",
        ),
        touchpoint="renewal-meeting",
        persona="finance-controller",
    ),
)

MOMENTS_OF_TRUTH = (
    MomentSpec(
        id="mot-demo",
        name=T(
            "Verlo funcionar con sus datos",
            "Ver funcionando com os seus dados",
            "Seeing it work on their data",
        ),
        description=T(
            "Si la demo convence al evaluador técnico, el promotor gana argumentos ante el comité.",
            "Se a demo convence o avaliador técnico, o defensor ganha argumentos para o comitê.",
            "If the demo wins over the evaluator, the champion has a case for the committee.",
        ),
        touchpoint="product-demo",
    ),
    MomentSpec(
        id="mot-kickoff",
        name=T(
            "El primer día como cliente",
            "O primeiro dia como cliente",
            "The first day as a customer",
        ),
        description=T(
            "El cliente comprueba si lo prometido en la venta se sostiene.",
            "O cliente confere se o prometido na venda se sustenta.",
            "The customer checks whether what sales promised holds up.",
        ),
        touchpoint="kickoff-meeting",
    ),
    MomentSpec(
        id="mot-commissioning",
        name=T(
            "Puesta en marcha sin sorpresas",
            "Comissionamento sem surpresas",
            "Commissioning without surprises",
        ),
        description=T(
            "La línea vuelve a producir en la fecha acordada, o la relación empieza con deuda.",
            "A linha volta a produzir na data combinada, ou a relação já começa devendo.",
            "The line runs again on the agreed date, or the relationship starts in debt.",
        ),
        touchpoint="installation-commissioning",
    ),
    MomentSpec(
        id="mot-first-fix",
        name=T(
            "La primera falla resuelta", "A primeira falha resolvida", "The first breakdown fixed"
        ),
        description=T(
            "Cómo respondemos a la primera parada decide si confían en el contrato de servicio.",
            "Como respondemos à primeira parada decide se confiam no contrato de serviço.",
            "How we handle the first stoppage decides whether they trust the service contract.",
        ),
        touchpoint="field-service-visit",
    ),
    MomentSpec(
        id="mot-renewal",
        name=T("La decisión de renovar", "A decisão de renovar", "The decision to renew"),
        description=T(
            "El comprador económico decide si el valor entregado justifica otro período.",
            "O comprador econômico decide se o valor entregue justifica mais um período.",
            "The economic buyer decides whether the value delivered earns another term.",
        ),
        touchpoint="renewal-meeting",
    ),
)
