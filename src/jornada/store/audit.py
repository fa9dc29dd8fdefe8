"""Reading the audit log (entries are written by each change, see ``StoreBase._audit``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from jornada.store.base import StoreBase
from jornada.store.models import AuditRow
from jornada.store.records import AuditEntry


class AuditMethods(StoreBase):
    """Listing who changed what."""

    def audit_log(
        self,
        *,
        user_id: int | None = None,
        action: str | None = None,
        object_type: str | None = None,
        object_id: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        limit: int = 200,
    ) -> list[AuditEntry]:
        """Entries matching every filter given, newest first; ``until`` is exclusive."""
        query = select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(limit)
        filters = {
            AuditRow.user_id: user_id,
            AuditRow.action: action,
            AuditRow.object_type: object_type,
            AuditRow.object_id: object_id,
        }
        for column, value in filters.items():
            if value is not None:
                query = query.where(column == value)
        if since is not None:
            query = query.where(AuditRow.at >= since)
        if until is not None:
            query = query.where(AuditRow.at < until)
        with self._read() as session:
            return [_record(row) for row in session.scalars(query)]


def _record(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=row.at,
        user_id=row.user_id,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        detail=row.detail,
    )
