"""Team mode: the minimal role setup the README documents (issue 25), run on the test server as written.

An owner role owns the database and runs the migrations (the first ``mpp-planner copy`` into it, and every
schema upgrade); an editors group may read and write every table and use the sequences, for tables a later
migration makes too (default privileges); LISTEN/NOTIFY needs nothing more. An editor opens and edits the
project; an editor meeting an older schema is refused with a message saying that the owner must upgrade it.
"""

from __future__ import annotations

import itertools
import os

import pytest

from mpp_planner.cli import main
from mpp_planner.model import Agency, Site
from mpp_planner.project import Project
from mpp_planner.store.file import SCHEMA_HEAD, SCHEMA_REVISIONS
from mpp_planner.store.server import ServerError

#: the README's setup; {owner}, {editors}, {editor}, {database} are the names chosen there (PASSWORD left out:
#: the test server trusts its socket)
AS_ADMINISTRATOR = """
CREATE ROLE {owner} LOGIN;
CREATE ROLE {editors} NOLOGIN;
CREATE ROLE {editor} LOGIN IN ROLE {editors};
CREATE DATABASE {database} OWNER {owner};
REVOKE ALL ON DATABASE {database} FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {editors};
"""
AS_ADMINISTRATOR_IN_DATABASE = """
ALTER SCHEMA public OWNER TO {owner};
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
"""
AS_OWNER_BEFORE_THE_COPY = """
GRANT USAGE ON SCHEMA public TO {editors};
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {editors};
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO {editors};
"""
AS_OWNER_AFTER_THE_COPY = """
REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {editors};
"""

_names = itertools.count(1)


def run_sql(server, script: str, names: dict, *, database: str = "postgres", user: str | None = None) -> None:
    with server.connect(database, user=user) as con:
        for statement in script.format(**names).split(";"):
            if statement.strip():
                con.execute(statement)


@pytest.fixture
def roles(pg_server, tmp_path):
    """The roles and database of the README's setup, a project copied in by the owner: the names."""
    n = f"{os.getpid()}_{next(_names)}"
    names = {"owner": f"mpp_owner_{n}", "editors": f"mpp_editors_{n}", "editor": f"sari_{n}",
             "database": f"mpp_kota_{n}"}
    run_sql(pg_server, AS_ADMINISTRATOR, names)
    run_sql(pg_server, AS_ADMINISTRATOR_IN_DATABASE, names, database=names["database"])
    run_sql(pg_server, AS_OWNER_BEFORE_THE_COPY, names, database=names["database"], user=names["owner"])
    source = tmp_path / "kota.mpplan"
    project = Project.create(source, site_name="MPP Kota")
    with project.edit() as s:
        s.add(Agency(name="Dinas Kependudukan dan Pencatatan Sipil", short_name="Disdukcapil", tier="kab_kota"))
    project.close()
    assert main(["copy", str(source), pg_server.url(names["database"], names["owner"])]) == 0
    run_sql(pg_server, AS_OWNER_AFTER_THE_COPY, names, database=names["database"], user=names["owner"])
    names["owner_url"] = pg_server.url(names["database"], names["owner"])
    names["editor_url"] = pg_server.url(names["database"], names["editor"])
    return names


def test_an_editor_opens_and_edits_the_project_the_owner_copied(roles, pg_server):
    project = Project.open(roles["editor_url"])
    try:
        assert project.file.user == roles["editor"]
        with project.edit() as s:
            project.session.get(Site, 1).name = "MPP Kota Probolinggo"
            s.add(Agency(name="Kantor Pertanahan", short_name="BPN", tier="pusat"))  # a new id from the sequence
        agency = next(a for a in project.all(Agency) if a.short_name == "Disdukcapil")
        with project.edit():
            agency.name = "Disdukcapil Kota"
        with project.edit():
            project.session.delete(agency)
    finally:
        project.close()
    owner = Project.open(roles["owner_url"], readonly=True)
    try:
        assert owner.session.get(Site, 1).name == "MPP Kota Probolinggo"
        assert [a.short_name for a in owner.all(Agency)] == ["BPN"]
    finally:
        owner.close()
    with pg_server.connect(roles["database"]) as con:
        who = {row[0] for row in con.execute('SELECT "user" FROM change_log')}
    assert roles["editor"] in who


def test_an_editor_cannot_change_the_schema_nor_its_stamp(roles, pg_server):
    import psycopg

    with pg_server.connect(roles["database"], user=roles["editor"]) as con:
        for statement in ("ALTER TABLE agency ADD COLUMN x integer", "DROP TABLE agency",
                          "CREATE TABLE mine (id integer)", "UPDATE alembic_version SET version_num = '0001'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(statement)


def test_a_schema_upgrade_by_an_editor_is_refused_and_the_owner_is_named(roles, pg_server):
    older = SCHEMA_REVISIONS[-2]
    with pg_server.connect(roles["database"], user=roles["owner"]) as con:  # a server left at the previous version
        con.execute("UPDATE alembic_version SET version_num = %s", (older,))
    with pytest.raises(ServerError) as refused:
        Project.open(roles["editor_url"])
    message = str(refused.value)
    assert f"has an older schema ({older})" in message and f"database's owner ({roles['owner']})" in message
    assert "\n" not in message
    with pg_server.connect(roles["database"]) as con:  # nothing was changed: one transaction, rolled back
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == older
    code = main(["--lang", "en", "check", roles["editor_url"]])
    assert code == 2
    assert SCHEMA_HEAD != older
