"""The store's first schema: users, sessions, sign-in attempts, workspaces, maps and their
versions, comments, analysis runs and the audit log.

Revision ID: 0001
Revises:
Created: 2025-06-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _at(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _user_ref(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"))


def _choice(name: str, values: tuple[str, ...], constraint: str) -> sa.Column[object]:
    kind = sa.Enum(*values, name=constraint, native_enum=False, create_constraint=True, length=20)
    return sa.Column(name, kind, nullable=False)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        _choice("role", ("admin", "cx_lead", "bu_owner", "viewer"), "user_role"),
        sa.Column("business_unit", sa.String(80)),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        _choice("language", ("es", "pt", "en"), "user_language"),
        _at("created_at"),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        _at("created_at"),
        _at("last_seen_at"),
        _at("expires_at"),
        sa.Column("csrf_secret", sa.String(64), nullable=False),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(400), nullable=False),
        _at("at"),
        sa.Column("success", sa.Boolean, nullable=False),
        sa.Index(None, "key", "at"),
    )
    op.create_table(
        "workspaces",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(80), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("data_path", sa.Text),
        _user_ref("created_by"),
        _at("created_at"),
    )
    op.create_table(
        "maps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "workspace_id",
            sa.Integer,
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("slug", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        _at("created_at"),
        _at("updated_at"),
        sa.UniqueConstraint("workspace_id", "slug"),
    )
    op.create_table(
        "map_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "map_id", sa.Integer, sa.ForeignKey("maps.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        _user_ref("author_id"),
        _at("created_at"),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("restored_from", sa.Integer),
        sa.UniqueConstraint("map_id", "version"),
    )
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "map_id",
            sa.Integer,
            sa.ForeignKey("maps.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("element_id", sa.String(80)),
        _user_ref("author_id"),
        sa.Column("text", sa.Text, nullable=False),
        _at("created_at"),
        sa.Column("resolved", sa.Boolean, nullable=False),
    )
    op.create_table(
        "analysis_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "workspace_id",
            sa.Integer,
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "map_version_id", sa.Integer, sa.ForeignKey("map_versions.id", ondelete="SET NULL")
        ),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("filters", sa.JSON, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("findings", sa.JSON, nullable=False),
        _user_ref("created_by"),
        _at("created_at"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        _at("at"),
        _user_ref("user_id"),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("object_type", sa.String(40), nullable=False),
        sa.Column("object_id", sa.String(200), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Index(None, "object_type", "object_id"),
    )


def downgrade() -> None:
    for table in (
        "audit_log",
        "analysis_runs",
        "comments",
        "map_versions",
        "maps",
        "workspaces",
        "login_attempts",
        "sessions",
        "users",
    ):
        op.drop_table(table)
