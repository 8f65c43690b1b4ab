"""Alembic glue: run the scripts in ``store/migrations`` against an engine."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade_to_head(engine: Engine) -> None:
    with engine.begin() as conn:
        upgrade_on(conn)


def upgrade_on(connection) -> None:
    """Run the migrations up to head on ``connection``, inside the caller's transaction."""
    from alembic import command

    command.upgrade(alembic_config(connection), "head")


def script_revisions() -> list[str]:
    """Revision ids of the migration scripts, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]
