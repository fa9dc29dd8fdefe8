"""Buyer personas on the plant side of the account: who champions, evaluates and uses."""

from __future__ import annotations

from jornada.model.templates._specs import EmpathySpec, PersonaSpec
from jornada.model.templates._text import MANAGEMENT, T

MAINTENANCE_MANAGER = PersonaSpec(
    id="maintenance-manager",
    name=T("Jefe de mantenimiento", "Gerente de manutenção", "Maintenance manager"),
    description=T(
        "Vive las fallas de cerca, busca la solución y la defiende dentro de la empresa.",
        "Vive as falhas de perto, busca a solução e a defende dentro da empresa.",
        "Lives with the breakdowns, looks for the fix and argues for it inside the company.",
    ),
    role="champion",
    department=T("Mantenimiento", "Manutenção", "Maintenance"),
    seniority=MANAGEMENT,
    motivations=(
        T("Dejar de apagar incendios", "Parar de apagar incêndios", "Stop firefighting"),
        T(
            "Ganar visibilidad con un proyecto exitoso",
            "Ganhar visibilidade com um projeto de sucesso",
            "Gain visibility with a successful project",
        ),
        T(
            "Un equipo capacitado y seguro",
            "Uma equipe capacitada e segura",
            "A trained, confident team",
        ),
    ),
    empathy=EmpathySpec(
        thinks=(
            T(
                "Si esto falla, el responsable soy yo.",
                "Se isso falhar, o responsável sou eu.",
                "If this fails, it's on me.",
            ),
            T(
                "Necesito datos para convencer a la dirección.",
                "Preciso de dados para convencer a diretoria.",
                "I need data to win over management.",
            ),
        ),
        feels=(
            T(
                "Cansancio por las urgencias nocturnas",
                "Cansaço com as urgências de madrugada",
                "Worn out by night-time call-outs",
            ),
            T(
                "Entusiasmo por el mantenimiento predictivo",
                "Entusiasmo pela manutenção preditiva",
                "Excited about predictive maintenance",
            ),
        ),
        says=(
            T(
                "¿Tienen casos en plantas como la nuestra?",
                "Vocês têm casos em plantas como a nossa?",
                "Do you have cases at plants like ours?",
            ),
            T(
                "Necesito algo que mi equipo pueda usar mañana.",
                "Preciso de algo que minha equipe use amanhã.",
                "I need something my team can use tomorrow.",
            ),
        ),
        does=(
            T(
                "Busca en Google, foros técnicos y LinkedIn",
                "Pesquisa no Google, fóruns técnicos e LinkedIn",
                "Searches Google, technical forums and LinkedIn",
            ),
            T(
                "Arma la presentación interna para el comité",
                "Monta a apresentação interna para o comitê",
                "Builds the internal pitch for the committee",
            ),
        ),
        pains=(
            T(
                "Repuestos que tardan semanas",
                "Peças que demoram semanas",
                "Spare parts that take weeks",
            ),
            T(
                "Historial de fallas disperso en planillas",
                "Histórico de falhas espalhado em planilhas",
                "Failure history scattered across spreadsheets",
            ),
        ),
        gains=(
            T(
                "Menos urgencias y paradas",
                "Menos urgências e paradas",
                "Fewer emergencies and stoppages",
            ),
            T(
                "Reconocimiento de la dirección",
                "Reconhecimento da diretoria",
                "Recognition from management",
            ),
        ),
    ),
)

PROCESS_ENGINEER = PersonaSpec(
    id="process-engineer",
    name=T("Ingeniera de procesos", "Engenheira de processos", "Process engineer"),
    description=T(
        "Evalúa compatibilidad, seguridad y desempeño; su visto bueno abre o cierra la puerta.",
        "Avalia compatibilidade, segurança e desempenho; seu aval técnico abre ou fecha a porta.",
        "Judges compatibility, safety and performance; her sign-off opens or shuts the door.",
    ),
    role="technical-evaluator",
    department=T("Ingeniería", "Engenharia", "Engineering"),
    seniority=T("Profesional senior", "Profissional sênior", "Senior professional"),
    motivations=(
        T(
            "Una solución que se integre sin riesgo con lo instalado",
            "Uma solução que se integre sem risco ao que já existe",
            "A solution that fits the installed base without risk",
        ),
        T(
            "Cumplir las normas de seguridad",
            "Cumprir as normas de segurança",
            "Meet safety standards",
        ),
        T(
            "Documentación completa y precisa",
            "Documentação completa e precisa",
            "Complete, accurate documentation",
        ),
    ),
    empathy=EmpathySpec(
        thinks=(
            T(
                "¿Es compatible con nuestros PLC y protocolos?",
                "É compatível com nossos CLPs e protocolos?",
                "Does it work with our PLCs and protocols?",
            ),
            T(
                "Los folletos comerciales nunca dicen todo.",
                "Os folhetos comerciais nunca contam tudo.",
                "Sales brochures never tell the whole story.",
            ),
        ),
        feels=(
            T(
                "Escepticismo ante las demos armadas",
                "Ceticismo diante de demos ensaiadas",
                "Sceptical of staged demos",
            ),
            T(
                "Responsable por la seguridad de la planta",
                "Responsável pela segurança da planta",
                "Accountable for plant safety",
            ),
        ),
        says=(
            T(
                "Envíenme la ficha técnica y los planos.",
                "Me enviem a ficha técnica e os desenhos.",
                "Send me the datasheet and drawings.",
            ),
            T(
                "Quiero verlo funcionar en nuestras condiciones.",
                "Quero ver funcionando nas nossas condições.",
                "I want to see it run in our conditions.",
            ),
        ),
        does=(
            T(
                "Compara especificaciones en una matriz",
                "Compara especificações numa matriz",
                "Compares specs in a matrix",
            ),
            T(
                "Pide pilotos y visitas técnicas",
                "Pede pilotos e visitas técnicas",
                "Asks for pilots and site visits",
            ),
        ),
        pains=(
            T(
                "Especificaciones incompletas o difíciles de encontrar",
                "Especificações incompletas ou difíceis de achar",
                "Specs that are incomplete or hard to find",
            ),
            T("Demos genéricas", "Demos genéricas", "Generic demos"),
        ),
        gains=(
            T(
                "Documentación técnica clara desde el inicio",
                "Documentação técnica clara desde o início",
                "Clear technical documentation from day one",
            ),
            T(
                "Acceso directo a un ingeniero del proveedor",
                "Acesso direto a um engenheiro do fornecedor",
                "Direct access to one of the supplier's engineers",
            ),
        ),
    ),
)

PLANT_SUPERVISOR = PersonaSpec(
    id="plant-supervisor",
    name=T("Supervisor de planta", "Supervisor de produção", "Plant supervisor"),
    description=T(
        "Usa la solución en cada turno; su experiencia diaria decide la renovación.",
        "Usa a solução em todo turno; sua experiência diária decide a renovação.",
        "Uses the solution every shift; his day-to-day experience decides the renewal.",
    ),
    role="end-user",
    department=T("Producción", "Produção", "Production"),
    seniority=T("Mando medio", "Supervisão", "Frontline supervisor"),
    motivations=(
        T("Turnos sin interrupciones", "Turnos sem interrupções", "Shifts without interruptions"),
        T(
            "Herramientas fáciles de usar",
            "Ferramentas fáceis de usar",
            "Tools that are easy to use",
        ),
        T(
            "Respuesta rápida cuando algo falla",
            "Resposta rápida quando algo falha",
            "Fast help when something breaks",
        ),
    ),
    empathy=EmpathySpec(
        thinks=(
            T(
                "Otra herramienta más que aprender.",
                "Mais uma ferramenta para aprender.",
                "Yet another tool to learn.",
            ),
            T(
                "¿A quién llamo si se detiene a las tres de la mañana?",
                "Para quem eu ligo se parar às três da manhã?",
                "Who do I call if it stops at 3 a.m.?",
            ),
        ),
        feels=(
            T(
                "Ansiedad cuando falla algo en su turno",
                "Ansiedade quando algo falha no turno",
                "Anxious when something fails on shift",
            ),
            T(
                "Alivio cuando el técnico llega preparado",
                "Alívio quando o técnico chega preparado",
                "Relief when the technician arrives prepared",
            ),
        ),
        says=(
            T(
                "Necesito la solución ya, no un número de ticket.",
                "Preciso da solução agora, não de um número de chamado.",
                "I need a fix now, not a ticket number.",
            ),
            T(
                "La capacitación tiene que ser en la planta.",
                "O treinamento tem que ser na planta.",
                "Training has to happen on the shop floor.",
            ),
        ),
        does=(
            T(
                "Reporta fallas por teléfono o WhatsApp",
                "Reporta falhas por telefone ou WhatsApp",
                "Reports faults by phone or WhatsApp",
            ),
            T(
                "Consulta manuales en el celular",
                "Consulta manuais no celular",
                "Looks up manuals on his phone",
            ),
        ),
        pains=(
            T(
                "Esperas largas en la mesa de ayuda",
                "Longas esperas na central de atendimento",
                "Long waits at the help desk",
            ),
            T(
                "Manuales que no responden la pregunta concreta",
                "Manuais que não respondem à pergunta concreta",
                "Manuals that don't answer the actual question",
            ),
        ),
        gains=(
            T("Respuestas en minutos", "Respostas em minutos", "Answers in minutes"),
            T(
                "Equipos que funcionan sin sorpresas",
                "Equipamentos que funcionam sem surpresas",
                "Equipment that just works",
            ),
        ),
    ),
)

PLANT_PERSONAS = (MAINTENANCE_MANAGER, PROCESS_ENGINEER, PLANT_SUPERVISOR)
