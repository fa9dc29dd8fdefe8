"""Survey comments composed from phrase parts, per language and sentiment.

A comment is an opener, a remark about the touchpoint's topic and sometimes a closer, all
in the respondent's language and all with the sentiment of the score.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jornada.demo._arrays import Bools, Ints

SENTIMENTS = ("negative", "neutral", "positive")
LANGS = ("es", "pt", "en")

OPENERS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "es": (
        ("Muy decepcionados.", "No quedamos conformes.", "Experiencia frustrante.",
         "Esperábamos mucho más."),
        ("Experiencia correcta.", "En general, aceptable.", "Ni bien ni mal.",
         "Cumplió, sin más."),
        ("Excelente experiencia.", "Muy satisfechos.", "Todo salió muy bien.",
         "Superó nuestras expectativas."),
    ),
    "pt": (
        ("Muito decepcionados.", "Não ficamos satisfeitos.", "Experiência frustrante.",
         "Esperávamos muito mais."),
        ("Experiência razoável.", "No geral, aceitável.", "Nem bom nem ruim.",
         "Cumpriu o básico."),
        ("Excelente experiência.", "Muito satisfeitos.", "Tudo correu muito bem.",
         "Superou nossas expectativas."),
    ),
    "en": (
        ("Very disappointed.", "Not happy with this.", "A frustrating experience.",
         "We expected much more."),
        ("It was fine.", "Acceptable overall.", "Neither good nor bad.", "It did the job."),
        ("Excellent experience.", "Very satisfied.", "Everything went smoothly.",
         "Beyond what we expected."),
    ),
}  # fmt: skip

CLOSERS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "es": (
        ("Así es difícil seguir adelante.", "Necesitamos una respuesta pronto."),
        ("Hay margen para mejorar.", "Veremos cómo evoluciona."),
        ("Los recomendaríamos sin dudar.", "Gracias al equipo."),
    ),
    "pt": (
        ("Assim fica difícil continuar.", "Precisamos de uma resposta logo."),
        ("Há espaço para melhorar.", "Vamos ver como evolui."),
        ("Recomendaríamos sem dúvida.", "Obrigado à equipe."),
    ),
    "en": (
        ("Hard to move forward like this.", "We need an answer soon."),
        ("There is room to improve.", "We will see how it evolves."),
        ("We would recommend them without hesitation.", "Thanks to the team."),
    ),
}  # fmt: skip

ASPECTS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]] = {
    "general": {
        "es": (("La atención fue lenta y confusa.",), ("La atención fue razonable.",),
               ("La atención fue rápida y clara.",)),
        "pt": (("O atendimento foi lento e confuso.",), ("O atendimento foi razoável.",),
               ("O atendimento foi rápido e claro.",)),
        "en": (("The service was slow and confusing.",), ("The service was reasonable.",),
               ("The service was quick and clear.",)),
    },
    "content": {
        "es": (("El webinar fue demasiado comercial y poco técnico.",
                "No encontramos nada útil para nuestra planta."),
               ("El contenido fue básico pero útil.", "Algunos temas ya los conocíamos."),
               ("El webinar explicó muy bien cómo medir el OEE.",
                "Aprendimos ideas concretas para la línea de envasado.")),
        "pt": (("O webinar foi comercial demais e pouco técnico.",
                "Não encontramos nada útil para a nossa fábrica."),
               ("O conteúdo foi básico, mas útil.", "Alguns temas já conhecíamos."),
               ("O webinar explicou muito bem como medir o OEE.",
                "Saímos com ideias concretas para a linha de envase.")),
        "en": (("The webinar was too salesy and not technical enough.",
                "Nothing in it was useful for our plant."),
               ("The content was basic but useful.", "We already knew some of the topics."),
               ("The webinar explained how to measure OEE really well.",
                "We took away concrete ideas for the packing line.")),
    },
    "product": {
        "es": (("La demo no mostró la integración con nuestro PLC.",
                "El presentador no supo responder preguntas técnicas."),
               ("La demo cubrió lo esencial.", "Faltó ver un caso de nuestro sector."),
               ("La demo respondió todas las dudas del equipo de ingeniería.",
                "Ver el tablero en tiempo real nos convenció.")),
        "pt": (("A demonstração não mostrou a integração com o nosso CLP.",
                "O apresentador não soube responder às perguntas técnicas."),
               ("A demonstração cobriu o essencial.", "Faltou um caso do nosso setor."),
               ("A demonstração respondeu todas as dúvidas da engenharia.",
                "Ver o painel em tempo real nos convenceu.")),
        "en": (("The demo did not show the integration with our PLC.",
                "The presenter could not answer technical questions."),
               ("The demo covered the essentials.", "We missed a case from our industry."),
               ("The demo answered every question from our engineers.",
                "Seeing the live dashboard convinced us.")),
    },
    "contract": {
        "es": (("La revisión legal del contrato tardó semanas sin novedades.",
                "Cada ronda de cambios al contrato volvía con nuevas cláusulas.",
                "El área legal pidió documentos que ya habíamos enviado."),
               ("La revisión del contrato tomó el tiempo habitual.",
                "Hubo algunas idas y vueltas con las cláusulas."),
               ("El contrato se cerró rápido y sin sorpresas.",
                "El equipo legal fue claro y flexible.")),
        "pt": (("A revisão jurídica do contrato levou semanas sem retorno.",
                "Cada rodada de ajustes no contrato voltava com cláusulas novas.",
                "O jurídico pediu documentos que já tínhamos enviado."),
               ("A revisão do contrato levou o tempo normal.",
                "Houve algumas idas e vindas nas cláusulas."),
               ("O contrato foi fechado rápido e sem surpresas.",
                "A equipe jurídica foi clara e flexível.")),
        "en": (("The legal review of the contract dragged on for weeks with no news.",
                "Every round of contract changes came back with new clauses.",
                "Legal asked again for documents we had already sent."),
               ("The contract review took the usual time.",
                "There was some back and forth on the clauses."),
               ("The contract was closed quickly with no surprises.",
                "The legal team was clear and flexible.")),
    },
    "purchase": {
        "es": (("La facturación inicial tuvo errores.", "El proceso de firma fue engorroso."),
               ("La firma fue sencilla.", "El proceso de compra fue estándar."),
               ("Firmar fue muy fácil.", "El proceso de compra fue ágil.")),
        "pt": (("O faturamento inicial veio com erros.",
                "O processo de assinatura foi complicado."),
               ("A assinatura foi simples.", "O processo de compra foi padrão."),
               ("Assinar foi muito fácil.", "O processo de compra foi ágil.")),
        "en": (("The first invoice had errors.", "Signing was cumbersome."),
               ("Signing was simple.", "A standard buying process."),
               ("Signing was very easy.", "The buying process was quick.")),
    },
    "training": {
        "es": (("La capacitación fue muy teórica para los operadores.",
                "El instructor llegó tarde y sin material."),
               ("La capacitación cubrió lo básico.", "Faltaron ejercicios prácticos."),
               ("Los operadores salieron usando el sistema.",
                "La capacitación en planta fue muy práctica.")),
        "pt": (("O treinamento foi teórico demais para os operadores.",
                "O instrutor chegou atrasado e sem material."),
               ("O treinamento cobriu o básico.", "Faltaram exercícios práticos."),
               ("Os operadores saíram usando o sistema.",
                "O treinamento na fábrica foi muito prático.")),
        "en": (("The training was too theoretical for the operators.",
                "The trainer arrived late with no material."),
               ("The training covered the basics.", "We missed hands-on exercises."),
               ("The operators left already using the system.",
                "The on-site training was very practical.")),
    },
    "implementation": {
        "es": (("La puesta en marcha se retrasó un mes.",
                "Tuvimos paradas de línea durante la instalación."),
               ("La puesta en marcha se hizo según lo previsto.",
                "Hubo detalles menores por resolver."),
               ("Arrancamos sin ninguna parada de línea.",
                "El equipo de implementación fue impecable.")),
        "pt": (("A entrada em produção atrasou um mês.",
                "Tivemos paradas de linha durante a instalação."),
               ("A entrada em produção seguiu o previsto.",
                "Ficaram pequenos detalhes pendentes."),
               ("Entramos em produção sem nenhuma parada de linha.",
                "A equipe de implantação foi impecável.")),
        "en": (("Go-live slipped by a month.", "We had line stoppages during installation."),
               ("Go-live happened as planned.", "A few small items were left open."),
               ("We went live without a single line stoppage.",
                "The implementation team was flawless.")),
    },
    "support": {
        "es": (("El ticket quedó abierto días sin respuesta.",
                "Nos pasaron de un agente a otro sin resolver nada."),
               ("El soporte resolvió el problema, aunque tardó.",
                "La respuesta fue correcta pero genérica."),
               ("El soporte resolvió la falla en pocas horas.",
                "El agente entendía nuestro proceso.")),
        "pt": (("O chamado ficou dias aberto sem resposta.",
                "Fomos passados de um atendente para outro sem solução."),
               ("O suporte resolveu o problema, mas demorou.",
                "A resposta foi correta, porém genérica."),
               ("O suporte resolveu a falha em poucas horas.",
                "O atendente entendia o nosso processo.")),
        "en": (("The ticket sat open for days with no reply.",
                "We were passed from agent to agent with no fix."),
               ("Support fixed the issue, though it took a while.",
                "The answer was correct but generic."),
               ("Support fixed the fault within hours.", "The agent understood our process.")),
    },
    "field_service": {
        "es": (("El técnico no traía los repuestos.", "La visita se reprogramó dos veces."),
               ("La visita técnica cumplió.", "El técnico resolvió lo urgente."),
               ("El técnico dejó la línea funcionando el mismo día.",
                "El mantenimiento preventivo evitó una parada.")),
        "pt": (("O técnico veio sem as peças.", "A visita foi remarcada duas vezes."),
               ("A visita técnica cumpriu o combinado.", "O técnico resolveu o urgente."),
               ("O técnico deixou a linha funcionando no mesmo dia.",
                "A manutenção preventiva evitou uma parada.")),
        "en": (("The technician came without the spare parts.",
                "The visit was rescheduled twice."),
               ("The service visit did what was agreed.", "The technician fixed the urgent part."),
               ("The technician had the line running the same day.",
                "Preventive maintenance saved us a stoppage.")),
    },
    "relationship": {
        "es": (("Sentimos que solo nos llaman para renovar.",
                "El sistema no entregó el ahorro prometido."),
               ("La relación es correcta.", "El producto cumple, el servicio podría mejorar."),
               ("Son un socio real para nuestra planta.",
                "Redujimos las paradas no planificadas de forma visible.")),
        "pt": (("Parece que só ligam na hora de renovar.",
                "O sistema não entregou a economia prometida."),
               ("A relação é correta.", "O produto atende, o serviço poderia melhorar."),
               ("São um parceiro de verdade para a nossa fábrica.",
                "Reduzimos visivelmente as paradas não planejadas.")),
        "en": (("It feels like they only call us at renewal time.",
                "The system did not deliver the promised savings."),
               ("The relationship is fine.", "The product works; service could be better."),
               ("They are a real partner for our plant.",
                "Unplanned downtime dropped noticeably.")),
    },
}  # fmt: skip

TOPICS: tuple[str, ...] = tuple(ASPECTS)


def _flatten(banks: list[tuple[str, ...]]) -> tuple[pa.Array, Ints, Ints]:
    counts = np.array([len(b) for b in banks], dtype=np.int64)
    starts = np.zeros(len(banks), dtype=np.int64)
    starts[1:] = np.cumsum(counts)[:-1]
    flat = pa.array([p for b in banks for p in b], type=pa.string())
    return flat, starts, counts


_OPEN = _flatten([OPENERS[lang][s] for lang in LANGS for s in range(3)])
_CLOSE = _flatten([CLOSERS[lang][s] for lang in LANGS for s in range(3)])
_ASPECT = _flatten([ASPECTS[t][lang][s] for t in TOPICS for lang in LANGS for s in range(3)])


def _draw(rng: np.random.Generator, bank: tuple[pa.Array, Ints, Ints], key: Ints) -> pa.Array:
    flat, starts, counts = bank
    index = starts[key] + np.floor(rng.random(len(key)) * counts[key]).astype(np.int64)
    return flat.take(pa.array(index, type=pa.int64()))


def compose(
    rng: np.random.Generator, topic: Ints, language: Ints, sentiment: Ints, blank: Bools
) -> pa.Array:
    """One comment per row (null where ``blank``), in ``LANGS[language]``."""
    lang_sent = language * 3 + sentiment
    opener = _draw(rng, _OPEN, lang_sent)
    aspect = _draw(rng, _ASPECT, topic * 9 + lang_sent)
    closer = _draw(rng, _CLOSE, lang_sent)
    with_closer = pa.array(rng.random(len(topic)) < 0.45)
    closer = pc.if_else(with_closer, pc.binary_join_element_wise(" ", closer, ""), "")
    text = pc.binary_join_element_wise(opener, " ", aspect, closer, "")
    return pc.if_else(pa.array(blank), pa.scalar(None, pa.string()), text)
