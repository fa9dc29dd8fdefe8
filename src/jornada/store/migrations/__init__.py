"""Alembic migrations of the store's schema (run by ``jornada.store.database.upgrade``)."""
