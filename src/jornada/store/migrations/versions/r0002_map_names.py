"""Maps keep their current name (filled in from the current version) for the maps list
without reading every document; the audit log is indexed by time for its filters.

Revision ID: 0002
Revises: 0001
Created: 2025-06-15
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_maps = sa.table("maps", sa.column("id"), sa.column("version"), sa.column("name"))
_versions = sa.table(
    "map_versions", sa.column("map_id"), sa.column("version"), sa.column("document")
)


def upgrade() -> None:
    with op.batch_alter_table("maps") as batch:
        batch.add_column(sa.Column("name", sa.Text, nullable=False, server_default=""))
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    connection = op.get_bind()
    current = sa.select(_maps.c.id, _versions.c.document).join(
        _versions,
        sa.and_(_versions.c.map_id == _maps.c.id, _versions.c.version == _maps.c.version),
    )
    # One row per map, and a workspace holds tens of maps: a loop is the clear way.
    for map_id, document in connection.execute(current).all():
        name = str(json.loads(document).get("name", ""))
        connection.execute(sa.update(_maps).where(_maps.c.id == map_id).values(name=name))


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_log_at"), "audit_log")
    with op.batch_alter_table("maps") as batch:
        batch.drop_column("name")
