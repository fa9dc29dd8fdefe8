"""Maps and their versions, saved with optimistic locking.

Every save names the version the editor started from. The map's row is updated with
``UPDATE maps SET version = expected + 1 WHERE id = ? AND version = expected`` in the
same transaction that stores the new version: when two people save from the same version
only one update finds its row, and the other gets :class:`StaleEdit` naming who saved
which version when. Nothing is overwritten, ever; older versions stay readable.
"""

from __future__ import annotations

import json
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jornada.i18n import t
from jornada.model import JourneyMap, MapFormat, loads_map, to_data
from jornada.store.base import StoreBase, lang_of
from jornada.store.diff import Change, diff_maps
from jornada.store.errors import AlreadyExists, InvalidInput, NotFound, StaleEdit
from jornada.store.models import MapRow, MapVersionRow, UserRow
from jornada.store.records import LoadedMap, MapInfo, MapKey, MapVersion, User

AUDITED_CHANGES = 100
"""At most this many element changes are listed in a save's audit entry."""


class MapMethods(StoreBase):
    """Creating, reading, saving, comparing and restoring maps."""

    def create_map(
        self, workspace: str, journey: JourneyMap, author: User, message: str = ""
    ) -> MapVersion:
        """Store a new map as version 1; its id (``journey.id``) is its address."""
        lang = lang_of(author)
        key = MapKey(workspace, journey.id)
        now = self._now()
        try:
            with self._write() as session:
                workspace_row = self._workspace_row(session, workspace, lang)
                row = MapRow(
                    workspace_id=workspace_row.id,
                    slug=journey.id,
                    name=journey.name,
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
                session.add(row)
                session.flush()
                version = self._add_version(session, row.id, 1, journey, author, message)
                detail = {"version": 1, "message": message, "name": journey.name}
                self._audit(session, author, "create", "map", key, detail)
                return _version_record(key, version, author.display_name)
        except IntegrityError:
            raise AlreadyExists("map.exists", lang, map=str(key)) from None

    def get_map(self, key: MapKey, version: int | None = None) -> LoadedMap:
        """The map at its current version, or at ``version``."""
        with self._read() as session:
            row = self._map_row(session, key)
            number = row.version if version is None else version
            return LoadedMap(self._journey(session, key, row.id, number), number)

    def maps(self, workspace: str) -> list[MapInfo]:
        """The workspace's maps, by name."""
        with self._read() as session:
            workspace_row = self._workspace_row(session, workspace)
            rows = session.scalars(
                select(MapRow)
                .where(MapRow.workspace_id == workspace_row.id)
                .order_by(MapRow.name, MapRow.slug)
            )
            return [
                MapInfo(MapKey(workspace, r.slug), r.name, r.version, r.created_at, r.updated_at)
                for r in rows
            ]

    def save_map(
        self,
        key: MapKey,
        journey: JourneyMap,
        expected_version: int,
        author: User,
        message: str = "",
    ) -> MapVersion:
        """Store ``journey`` as the next version if the map is still at ``expected_version``.

        Raises :class:`StaleEdit` (nothing written) when someone saved in between.
        """
        lang = lang_of(author)
        if journey.id != key.map:
            raise InvalidInput("map.id_changed", lang, old=key.map, new=journey.id)
        with self._write() as session:
            row = self._map_row(session, key, lang)
            number = self._advance(session, row.id, key, expected_version, journey.name, lang)
            previous = self._journey(session, key, row.id, expected_version)
            version = self._add_version(session, row.id, number, journey, author, message)
            detail = {
                "version": number,
                "message": message,
                "changes": _audited(diff_maps(previous, journey)),
            }
            self._audit(session, author, "save", "map", key, detail)
            return _version_record(key, version, author.display_name)

    def restore(self, key: MapKey, version: int, expected_version: int, author: User) -> MapVersion:
        """Make an old version current again, as a new version (history is never rewritten)."""
        lang = lang_of(author)
        with self._write() as session:
            row = self._map_row(session, key, lang)
            old = self._journey(session, key, row.id, version)
            number = self._advance(session, row.id, key, expected_version, old.name, lang)
            message = t("store.map.restored", lang, version=version)
            saved = self._add_version(session, row.id, number, old, author, message, version)
            detail = {"version": number, "restored_from": version}
            self._audit(session, author, "restore", "map", key, detail)
            return _version_record(key, saved, author.display_name)

    def versions(self, key: MapKey) -> list[MapVersion]:
        """Every version of the map, newest first."""
        with self._read() as session:
            row = self._map_row(session, key)
            rows = session.execute(
                select(MapVersionRow, UserRow.display_name)
                .outerjoin(UserRow, UserRow.id == MapVersionRow.author_id)
                .where(MapVersionRow.map_id == row.id)
                .order_by(MapVersionRow.version.desc())
            ).all()
            return [_version_record(key, version, name) for version, name in rows]

    def diff(self, key: MapKey, v1: int, v2: int) -> list[Change]:
        """What changed from version ``v1`` to version ``v2``, element by element."""
        with self._read() as session:
            row = self._map_row(session, key)
            old = self._journey(session, key, row.id, v1)
            new = self._journey(session, key, row.id, v2)
        return diff_maps(old, new)

    def delete_map(self, key: MapKey, *, by: User) -> None:
        """Delete a map with all its versions and comments."""
        with self._write() as session:
            row = self._map_row(session, key, lang_of(by))
            session.delete(row)
            self._audit(session, by, "delete", "map", key, {"version": row.version})

    def _advance(
        self, session: Session, map_id: int, key: MapKey, expected: int, name: str, lang: str
    ) -> int:
        """Move the map from ``expected`` to the next version, or raise :class:`StaleEdit`."""
        result = session.execute(
            update(MapRow)
            .where(MapRow.id == map_id, MapRow.version == expected)
            .values(version=expected + 1, name=name, updated_at=self._now())
            .execution_options(synchronize_session=False)
        )
        if cast(CursorResult[Any], result).rowcount == 1:
            return expected + 1
        current, saved_at, author = session.execute(
            select(MapVersionRow.version, MapVersionRow.created_at, UserRow.display_name)
            .join(MapRow, MapRow.id == MapVersionRow.map_id)
            .outerjoin(UserRow, UserRow.id == MapVersionRow.author_id)
            .where(MapRow.id == map_id, MapVersionRow.version == MapRow.version)
        ).one()
        raise StaleEdit(
            lang,
            map_key=str(key),
            expected=expected,
            current=current,
            author=author or t("store.someone", lang),
            saved_at=saved_at,
        )

    def _add_version(
        self,
        session: Session,
        map_id: int,
        number: int,
        journey: JourneyMap,
        author: User,
        message: str,
        restored_from: int | None = None,
    ) -> MapVersionRow:
        row = MapVersionRow(
            map_id=map_id,
            version=number,
            document=json.dumps(to_data(journey), ensure_ascii=False),
            author_id=author.id,
            created_at=self._now(),
            message=message,
            restored_from=restored_from,
        )
        session.add(row)
        session.flush()
        return row

    @staticmethod
    def _journey(session: Session, key: MapKey, map_id: int, version: int) -> JourneyMap:
        document = session.scalar(
            select(MapVersionRow.document).where(
                MapVersionRow.map_id == map_id, MapVersionRow.version == version
            )
        )
        if document is None:
            raise NotFound("map.no_version", "en", map=str(key), version=version)
        return loads_map(document, MapFormat.json, source=f"{key} v{version}")


def _version_record(key: MapKey, row: MapVersionRow, author_name: str | None) -> MapVersion:
    return MapVersion(
        key=key,
        version=row.version,
        author_id=row.author_id,
        author_name=author_name,
        created_at=row.created_at,
        message=row.message,
        restored_from=row.restored_from,
    )


def _audited(changes: list[Change]) -> list[dict[str, str]]:
    """A save's changes for the audit log: which element of which collection, how."""
    listed = [
        {"collection": c.collection, "id": c.element_id, "kind": c.kind.value}
        for c in changes[:AUDITED_CHANGES]
    ]
    if len(changes) > AUDITED_CHANGES:
        listed.append(
            {"collection": "...", "id": str(len(changes) - AUDITED_CHANGES), "kind": "more"}
        )
    return listed
