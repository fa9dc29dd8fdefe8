"""Comments on a map element or on the whole map, and resolving them."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jornada.model.journey import COLLECTIONS
from jornada.store.base import StoreBase, lang_of
from jornada.store.errors import InvalidInput, NotFound
from jornada.store.models import CommentRow, MapRow, MapVersionRow, UserRow, WorkspaceRow
from jornada.store.records import Comment, MapKey, User

MAX_COMMENT = 10_000


class CommentMethods(StoreBase):
    """Adding, listing and resolving comments."""

    def add_comment(
        self, key: MapKey, text: str, author: User, element_id: str | None = None
    ) -> Comment:
        """A comment on ``element_id`` (which must be in the current version) or the map."""
        lang = lang_of(author)
        text = text.strip()
        if not text or len(text) > MAX_COMMENT:
            raise InvalidInput("comment.bad_length", lang, limit=MAX_COMMENT)
        with self._write() as session:
            row = self._map_row(session, key, lang)
            if element_id is not None and not _has_element(session, row, element_id):
                raise NotFound("comment.no_element", lang, element=element_id, map=str(key))
            comment = CommentRow(
                map_id=row.id,
                element_id=element_id,
                author_id=author.id,
                text=text,
                created_at=self._now(),
                resolved=False,
            )
            session.add(comment)
            session.flush()
            detail = {"map": str(key), "element_id": element_id}
            self._audit(session, author, "create", "comment", comment.id, detail)
            return _record(key, comment, author.display_name)

    def comments(
        self, key: MapKey, *, element_id: str | None = None, include_resolved: bool = True
    ) -> list[Comment]:
        """The map's comments, oldest first; only one element's when ``element_id`` is given."""
        with self._read() as session:
            row = self._map_row(session, key)
            query = (
                select(CommentRow, UserRow.display_name)
                .outerjoin(UserRow, UserRow.id == CommentRow.author_id)
                .where(CommentRow.map_id == row.id)
                .order_by(CommentRow.created_at, CommentRow.id)
            )
            if element_id is not None:
                query = query.where(CommentRow.element_id == element_id)
            if not include_resolved:
                query = query.where(CommentRow.resolved.is_(False))
            return [_record(key, comment, name) for comment, name in session.execute(query)]

    def open_comment_counts(self, key: MapKey) -> dict[str | None, int]:
        """Unresolved comments per element id (``None``: on the whole map), for badges."""
        with self._read() as session:
            row = self._map_row(session, key)
            counts = session.execute(  # (element_id, count) rows
                select(CommentRow.element_id, func.count())
                .where(CommentRow.map_id == row.id, CommentRow.resolved.is_(False))
                .group_by(CommentRow.element_id)
            ).all()
            return {element_id: int(count) for element_id, count in counts}

    def resolve_comment(self, comment_id: int, *, by: User, resolved: bool = True) -> Comment:
        """Mark a comment resolved (or open again with ``resolved=False``)."""
        lang = lang_of(by)
        with self._write() as session:
            comment = session.get(CommentRow, comment_id)
            if comment is None:
                raise NotFound("comment.not_found", lang, comment=comment_id)
            comment.resolved = resolved
            key = _key_of(session, comment.map_id)
            action = "resolve" if resolved else "reopen"
            self._audit(session, by, action, "comment", comment.id, {"map": str(key)})
            author = session.get(UserRow, comment.author_id) if comment.author_id else None
            return _record(key, comment, author.display_name if author else None)


def _has_element(session: Session, row: MapRow, element_id: str) -> bool:
    document = session.scalar(
        select(MapVersionRow.document).where(
            MapVersionRow.map_id == row.id, MapVersionRow.version == row.version
        )
    )
    if document is None:
        return False
    data = json.loads(document)
    return any(item.get("id") == element_id for name in COLLECTIONS for item in data.get(name, []))


def _key_of(session: Session, map_id: int) -> MapKey:
    workspace, slug = session.execute(
        select(WorkspaceRow.slug, MapRow.slug)
        .join(MapRow, MapRow.workspace_id == WorkspaceRow.id)
        .where(MapRow.id == map_id)
    ).one()
    return MapKey(workspace, slug)


def _record(key: MapKey, row: CommentRow, author_name: str | None) -> Comment:
    return Comment(
        id=row.id,
        key=key,
        element_id=row.element_id,
        author_id=row.author_id,
        text=row.text,
        created_at=row.created_at,
        resolved=row.resolved,
        author_name=author_name,
    )
