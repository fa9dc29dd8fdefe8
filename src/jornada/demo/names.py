"""Name banks for people and companies, per language (es, pt, en)."""

from __future__ import annotations

import unicodedata

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "es": (
        "María", "José", "Lucía", "Carlos", "Ana", "Javier", "Camila", "Diego", "Valentina",
        "Andrés", "Sofía", "Jorge", "Daniela", "Miguel", "Paula", "Fernando", "Gabriela",
        "Ricardo", "Natalia", "Alejandro", "Carmen", "Luis", "Isabel", "Pablo", "Mónica",
        "Sergio", "Verónica", "Raúl", "Patricia", "Tomás",
    ),
    "pt": (
        "João", "Maria", "Ana", "Pedro", "Juliana", "Lucas", "Fernanda", "Rafael", "Camila",
        "Bruno", "Beatriz", "Thiago", "Larissa", "Gustavo", "Mariana", "Felipe", "Patrícia",
        "Rodrigo", "Aline", "Marcelo", "Letícia", "André", "Renata", "Eduardo", "Vanessa",
        "Luís", "Gabriela", "Paulo", "Cláudia", "Vítor",
    ),
    "en": (
        "James", "Mary", "Robert", "Jennifer", "Michael", "Linda", "David", "Sarah", "Daniel",
        "Emily", "Thomas", "Jessica", "Andrew", "Karen", "Kevin", "Laura", "Brian", "Rachel",
        "Steven", "Olivia", "Mark", "Hannah", "Paul", "Grace", "Peter", "Chloe", "Ryan",
        "Megan", "Simon", "Naledi",
    ),
}  # fmt: skip

LAST_NAMES: dict[str, tuple[str, ...]] = {
    "es": (
        "García", "Rodríguez", "Martínez", "López", "González", "Hernández", "Pérez", "Sánchez",
        "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Vargas", "Castro", "Romero",
        "Herrera", "Medina", "Aguilar", "Rojas", "Navarro", "Morales", "Ortiz", "Muñoz",
        "Silva", "Peña", "Cabrera", "Fuentes", "Ibáñez",
    ),
    "pt": (
        "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
        "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes",
        "Soares", "Fernandes", "Vieira", "Barbosa", "Rocha", "Dias", "Nascimento", "Araújo",
        "Moreira", "Cardoso", "Teixeira", "Correia", "Mendes", "Conceição",
    ),
    "en": (
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
        "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White",
        "Harris", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Scott",
        "Green", "Baker", "Adams", "Nelson", "Dlamini",
    ),
}  # fmt: skip

# Company names: an industry word plus a distinctive core; English puts the core first.
INDUSTRY_WORDS: dict[str, dict[str, str]] = {
    "food_beverage": {"es": "Alimentos", "pt": "Alimentos", "en": "Foods"},
    "automotive_parts": {"es": "Autopartes", "pt": "Autopeças", "en": "Auto Parts"},
    "packaging": {"es": "Envases", "pt": "Embalagens", "en": "Packaging"},
    "chemicals": {"es": "Química", "pt": "Química", "en": "Chemicals"},
    "metalworking": {"es": "Metalúrgica", "pt": "Metalúrgica", "en": "Metalworks"},
    "plastics": {"es": "Plásticos", "pt": "Plásticos", "en": "Plastics"},
    "pharmaceuticals": {"es": "Laboratorios", "pt": "Laboratórios", "en": "Pharma"},
    "mining": {"es": "Minera", "pt": "Mineradora", "en": "Mining"},
    "pulp_paper": {"es": "Papelera", "pt": "Papel e Celulose", "en": "Paper"},
}

NAME_CORES: dict[str, tuple[str, ...]] = {
    "es": (
        "Andina", "del Pacífico", "Sierra Alta", "Río Claro", "del Valle", "Monterrey",
        "La Esperanza", "Austral", "del Norte", "San Miguel", "Cordillera", "Altamar",
        "Los Álamos", "Santa Rosa", "Mediterránea", "del Sur", "Tres Cruces", "Vallejo",
        "Aurora", "El Roble", "Puerto Nuevo", "Cumbre", "Guadalupe", "Atlántida",
    ),
    "pt": (
        "Paulista", "do Vale", "Serra Azul", "Rio Grande", "Atlântica", "Mineira",
        "Nova Esperança", "Santa Clara", "Horizonte", "Guanabara", "Pampa", "Ipiranga",
        "Jequitibá", "Boa Vista", "do Sul", "Aurora", "Catarinense", "Tejo", "Minho",
        "Douro", "Cerrado", "Tropical", "Estrela", "Litoral",
    ),
    "en": (
        "Northfield", "Bluewater", "Granite", "Redwood", "Lakeside", "Ironbridge", "Summit",
        "Riverbend", "Pioneer", "Highland", "Silverline", "Oakridge", "Harbor", "Cedar",
        "Maple Leaf", "Eastgate", "Westbrook", "Kingsway", "Cape", "Meridian", "Falcon",
        "Sterling", "Crescent", "Beacon",
    ),
}  # fmt: skip


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits only: 'São João' -> 'saojoao'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())
