"""Alembic environment: always run on a connection handed in by mpp_planner.store.migrate."""

from alembic import context

from mpp_planner.model import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("MPP Planner migrations run only through mpp_planner.store.migrate")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
