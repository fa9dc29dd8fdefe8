"""SQL shared by the presets: channels of activities, deal types, readable labels."""

from __future__ import annotations

from jornada.ingest.mapping import Kind
from jornada.workspace.schema import TABLES

NULL = "CAST(NULL AS VARCHAR)"

# Channel -> channel kind (the map's online / personal / physical).
CHANNEL_KINDS = {
    "email": "online",
    "web": "online",
    "social": "online",
    "messaging": "online",
    "phone": "personal",
    "meeting": "personal",
}


def channel_sql(activity: str) -> str:
    """SQL: the channel an activity (a sales activity type) uses, or NULL."""
    a = f"lower({activity})"
    return (
        f"CASE WHEN {a} LIKE '%email%' OR {a} LIKE '%e-mail%' THEN 'email' "
        f"WHEN {a} LIKE '%call%' THEN 'phone' "
        f"WHEN {a} LIKE '%meeting%' THEN 'meeting' "
        f"WHEN {a} LIKE '%linkedin%' THEN 'social' "
        f"WHEN {a} IN ('communication', 'sms', 'whatsapp') THEN 'messaging' END"
    )


def channel_kind_sql(channel: str) -> str:
    """SQL: online / personal for a channel :func:`channel_sql` gives, else NULL."""
    whens = " ".join(f"WHEN '{c}' THEN '{k}'" for c, k in CHANNEL_KINDS.items())
    return f"CASE {channel} {whens} END"


def deal_type_sql(value: str) -> str:
    """SQL: ``New Business``/``newbusiness`` -> ``new_business`` (the engine's word for
    first purchases), ``Existing Business`` -> ``existing_business``; others unchanged."""
    squashed = f"regexp_replace(lower({value}), '[^a-z]', '', 'g')"
    return (
        f"CASE {squashed} WHEN 'newbusiness' THEN 'new_business' "
        f"WHEN 'existingbusiness' THEN 'existing_business' ELSE {value} END"
    )


def label_sql(code: str) -> str:
    """SQL: ``INCOMING_EMAIL`` -> ``Incoming email``."""
    return f"upper(left({code}, 1)) || lower(replace(substr({code}, 2), '_', ' '))"


def columns(kind: Kind) -> tuple[str, ...]:
    """The canonical columns a preset fills (the import adds the provenance ones)."""
    return tuple(n for n in TABLES[kind.value].names if n not in ("import_id", "source_row"))


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


EVENT_COLUMNS = ("timestamp", "account_id", "contact_id", "activity", "channel", "channel_kind",
                 "content_id", "opportunity_id", "source_system", "event_id")  # fmt: skip
META_DEFAULTS = {
    "_why": NULL,
    "_deleted": "false",
    "_file": NULL,
    "_line": "CAST(NULL AS BIGINT)",
    "_part": "0",
    "_version": "1",
    "_group": NULL,
    "_fan": NULL,
}


def select_list(columns: tuple[str, ...], values: dict[str, str], **meta: str) -> str:
    """A candidate row's SELECT list: every column in order (NULL unless given), then the
    bookkeeping columns of :mod:`jornada.ingest.presets.run` (defaults unless given)."""
    unknown = set(values) - set(columns)
    if unknown:
        raise ValueError(f"not candidate columns: {sorted(unknown)}")
    out = [f'{values.get(c, NULL)} AS "{c}"' for c in columns]
    out += [f"{meta.get(k.lstrip('_'), default)} AS {k}" for k, default in META_DEFAULTS.items()]
    return ", ".join(out)


def orphans_sql(links: str, column: str, target: str, target_column: str = "id") -> str:
    """SQL: how many link rows point at a record the target view does not hold."""
    return (
        f"SELECT count(*) FROM {links} l WHERE l.{column} IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM {target} t WHERE t.{target_column} = l.{column})"
    )
