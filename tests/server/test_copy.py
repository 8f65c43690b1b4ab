"""Team mode: a project copied file → server → file keeps every row (ids, plan, inventory, budget,
backgrounds), verified table by table; the schema on the server is the one the migrations build."""

from __future__ import annotations

import pytest

from mpp_planner.store.copy import CopyError, copy_project
from mpp_planner.store.server import open_server
from tests.helpers import file_tables


def test_file_to_server_to_file_round_trip_is_identical(demo_file, server_url, tmp_path):
    there = copy_project(demo_file, server_url)
    assert there.rows > 1000
    back = tmp_path / "back.mpplan"
    again = copy_project(server_url, back)
    assert [(t.name, t.rows, t.checksum) for t in again.tables] == [(t.name, t.rows, t.checksum) for t in there.tables]
    assert file_tables(back) == file_tables(demo_file)


def test_the_server_schema_is_the_models(server_url, demo_file):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from mpp_planner.model import Base

    copy_project(demo_file, server_url)
    store = open_server(server_url)
    try:
        with store.engine.connect() as con:
            diffs = compare_metadata(MigrationContext.configure(con), Base.metadata)
    finally:
        store.close()
    assert diffs == []


def test_a_copy_into_a_database_that_is_not_empty_is_refused(demo_file, server_url):
    copy_project(demo_file, server_url)
    with pytest.raises(CopyError, match="not empty"):
        copy_project(demo_file, server_url)


def test_new_rows_on_the_server_get_fresh_ids(demo_file, server_url):
    from mpp_planner.model import Agency
    from mpp_planner.project import Project

    copy_project(demo_file, server_url)
    project = Project.open(server_url)
    try:
        top = max(a.id for a in project.all(Agency))
        with project.edit() as s:
            agency = Agency(name="Kantor Baru", short_name="KB", tier="kab_kota")
            s.add(agency)
        assert agency.id > top
    finally:
        project.close()
