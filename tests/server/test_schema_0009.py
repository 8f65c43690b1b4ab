"""Schema 0009 on PostgreSQL: a database at schema 0008 is upgraded in place — a version on every row, the change
log, money as BIGINT (Rp 1 000 triliun fits; 0008's INTEGER ended at Rp 21 juta) — and then matches the model
exactly (alembic's compare_metadata finds nothing); the downgrade takes it back."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import inspect, text

from mpp_planner.model import Base, BudgetCeiling, Site
from mpp_planner.model.base import MAX_MONEY
from mpp_planner.project import Project
from mpp_planner.store.migrate import alembic_config
from mpp_planner.store.server import make_server_engine, open_server


def _types(engine, table: str) -> dict[str, str]:
    with engine.connect() as con:
        return {c["name"]: str(c["type"]) for c in inspect(con).get_columns(table)}


def test_a_0008_database_is_upgraded_to_the_model_and_back(server_url):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_server_engine(server_url)
    try:
        with engine.begin() as con:
            command.upgrade(alembic_config(con), "0008")
            con.execute(text("INSERT INTO site (id, name, city, province, government_name, operator_office, upt_name, "
                             "address, fiscal_year, letterhead, ppn_rate, budget_title, paper, decree_title, "
                             "decree_number, capitalisation_threshold) VALUES (1, 'MPP', '', '', '', '', '', '', 2024, "
                             "'[]', 1100, '', 'A4', '', '', 100000000)"))
            con.execute(text("INSERT INTO budget_ceiling (year, amount) VALUES (2024, 2000000000)"))
        assert _types(engine, "budget_ceiling")["amount"] == "INTEGER"
        project = Project(open_server(server_url))  # a writer upgrades an older schema when it opens it
        try:
            with project.file.engine.connect() as con:
                assert con.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0009"
                assert compare_metadata(MigrationContext.configure(con), Base.metadata) == []
            assert project.get(BudgetCeiling, 2024).row_version == 1 and project.site.row_version == 1
            with project.edit():
                project.get(BudgetCeiling, 2024).amount = MAX_MONEY
                project.site.name = "MPP Kota"
            project.session.expire_all()
            assert project.get(BudgetCeiling, 2024).amount == MAX_MONEY
            assert project.get(BudgetCeiling, 2024).row_version == 2
            assert {(e.table_name, e.verb) for e in _log(project)} == {("budget_ceiling", "update"), ("site", "update")}
            with project.edit():
                project.get(BudgetCeiling, 2024).amount = Decimal("20000000.00")  # back within 32 bits
        finally:
            project.close()
        for table, column in (("budget_line", "unit_price"), ("inventory_item", "quantity"), ("need", "quantity"),
                              ("item_type", "ref_price"), ("site", "capitalisation_threshold")):
            assert _types(engine, table)[column] == "BIGINT", (table, column)
        assert all("row_version" in _types(engine, t) for t in Base.metadata.tables)
        with engine.begin() as con:
            command.downgrade(alembic_config(con), "0008")
        assert _types(engine, "budget_ceiling") == {"year": "INTEGER", "amount": "INTEGER"}
        with engine.connect() as con:
            assert "change_log" not in inspect(con).get_table_names()
            assert con.execute(text("SELECT name FROM site")).scalar() == "MPP Kota"
    finally:
        engine.dispose()


def _log(project):
    from mpp_planner.reads.history import recent

    return recent(project)


def test_a_server_site_row_is_versioned_like_a_file(server_url, demo_file):
    from mpp_planner.store.copy import copy_project

    copy_project(demo_file, server_url)
    project = Project.open(server_url)
    try:
        version = project.site.row_version
        with project.edit():
            project.site.city = "Kota Baru"
        assert project.site.row_version == version + 1
        assert project.session.get(Site, 1).city == "Kota Baru"
    finally:
        project.close()
