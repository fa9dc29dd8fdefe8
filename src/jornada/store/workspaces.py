"""Workspaces: one company's (or one business line's) maps, data file and analyses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from jornada.store.base import StoreBase, lang_of
from jornada.store.errors import AlreadyExists, InvalidInput
from jornada.store.models import WorkspaceRow
from jornada.store.records import User, Workspace

_UNSET: Any = object()
MAX_NAME = 200


class WorkspaceMethods(StoreBase):
    """Creating, listing, changing and deleting workspaces."""

    def create_workspace(
        self,
        slug: str,
        name: str,
        *,
        by: User,
        description: str | None = None,
        data_path: str | None = None,
    ) -> Workspace:
        """A new workspace; ``slug`` is its address (lowercase letters, digits, ``_ . -``)."""
        lang = lang_of(by)
        self._check_slug(slug, lang)
        name = self._check_length(name, MAX_NAME, lang)
        if not name:
            raise InvalidInput("workspace.no_name", lang)
        try:
            with self._write() as session:
                row = WorkspaceRow(
                    slug=slug,
                    name=name,
                    description=description,
                    data_path=data_path,
                    created_by=by.id,
                    created_at=self._now(),
                )
                session.add(row)
                session.flush()
                self._audit(session, by, "create", "workspace", slug, {"name": row.name})
                return workspace_record(row)
        except IntegrityError:
            raise AlreadyExists("workspace.exists", lang, workspace=slug) from None

    def get_workspace(self, slug: str) -> Workspace:
        with self._read() as session:
            return workspace_record(self._workspace_row(session, slug))

    def workspaces(self) -> list[Workspace]:
        """Every workspace, by name."""
        with self._read() as session:
            rows = session.scalars(select(WorkspaceRow).order_by(WorkspaceRow.name))
            return [workspace_record(row) for row in rows]

    def update_workspace(
        self,
        slug: str,
        *,
        by: User,
        name: str | None = None,
        description: str | None = _UNSET,
        data_path: str | None = _UNSET,
    ) -> Workspace:
        """Change the name, description or data file path (the slug stays)."""
        lang = lang_of(by)
        with self._write() as session:
            row = self._workspace_row(session, slug, lang)
            wanted: dict[str, Any] = {"description": description, "data_path": data_path}
            wanted = {k: v for k, v in wanted.items() if v is not _UNSET}
            if name is not None:
                name = self._check_length(name, MAX_NAME, lang)
                if not name:
                    raise InvalidInput("workspace.no_name", lang)
                wanted["name"] = name
            changes = {k: [getattr(row, k), v] for k, v in wanted.items() if getattr(row, k) != v}
            for field, (_, new) in changes.items():
                setattr(row, field, new)
            if changes:
                self._audit(session, by, "update", "workspace", slug, changes)
            return workspace_record(row)

    def delete_workspace(self, slug: str, *, by: User) -> None:
        """Delete a workspace with its maps, versions, comments and analysis runs."""
        with self._write() as session:
            row = self._workspace_row(session, slug, lang_of(by))
            session.delete(row)
            self._audit(session, by, "delete", "workspace", slug, {"name": row.name})


def workspace_record(row: WorkspaceRow) -> Workspace:
    return Workspace(
        id=row.id,
        slug=row.slug,
        name=row.name,
        description=row.description,
        data_path=row.data_path,
        created_by=row.created_by,
        created_at=row.created_at,
    )
