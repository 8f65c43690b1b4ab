"""The project file: creation, recognition of foreign or damaged files, Save As, migrations."""

import hashlib
import sqlite3

import pytest

from mpp_planner.project import Project
from mpp_planner.store import (APPLICATION_ID, SCHEMA_HEAD, DamagedProjectError, FileMissingError, NewerSchemaError,
                               NotAProjectError, ProjectFileError, inspect_file)
from mpp_planner.store.file import SCHEMA_REVISIONS

from tests.helpers import add_floor_with_room


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_is_stamped_and_marked(tmp_path):
    p = Project.create(tmp_path / "a.mpplan", site_name="MPP Kota Probolinggo")
    p.close()
    con = sqlite3.connect(tmp_path / "a.mpplan")
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == SCHEMA_HEAD
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert inspect_file(tmp_path / "a.mpplan").revision == SCHEMA_HEAD


def test_every_edit_is_on_disk_without_saving(tmp_path):
    p = Project.create(tmp_path / "a.mpplan", site_name="MPP")
    add_floor_with_room(p)
    # read with a separate connection while the project is still open: the edit is committed
    con = sqlite3.connect(tmp_path / "a.mpplan")
    assert con.execute("SELECT name FROM room").fetchall() == [("Aula",)]
    con.close()
    p.close()


def _other_sqlite(path):
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO contacts (name) VALUES ('x')")
    con.commit()
    con.close()


def _newer(path, src):
    path.write_bytes(src.read_bytes())
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()


def _no_version(path, src):
    path.write_bytes(src.read_bytes())
    con = sqlite3.connect(path)
    con.execute("DROP TABLE alembic_version")
    con.commit()
    con.close()


@pytest.mark.parametrize("kind, error, words", [
    ("empty", NotAProjectError, "empty"),
    ("random", NotAProjectError, "not an MPP Planner project"),
    ("text", NotAProjectError, "not an MPP Planner project"),
    ("other_sqlite", NotAProjectError, "another program"),
    ("truncated", DamagedProjectError, "damaged"),
    ("newer", NewerSchemaError, "newer MPP Planner"),
    ("no_version", DamagedProjectError, "schema version"),
])
def test_foreign_and_damaged_files_refused_untouched(tmp_path, demo_file, kind, error, words):
    bad = tmp_path / f"{kind}.mpplan"
    if kind == "empty":
        bad.write_bytes(b"")
    elif kind == "random":
        bad.write_bytes(bytes(range(256)) * 40)
    elif kind == "text":
        bad.write_text("Nama,Instansi\nA,B\n")
    elif kind == "other_sqlite":
        _other_sqlite(bad)
    elif kind == "truncated":
        bad.write_bytes(demo_file.read_bytes()[:4096])
    elif kind == "newer":
        _newer(bad, demo_file)
    elif kind == "no_version":
        _no_version(bad, demo_file)
    before = digest(bad)
    with pytest.raises(error) as err:
        Project.open(bad)
    assert words in str(err.value)
    assert digest(bad) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(kind)) == [bad.name]


def test_newer_schema_message_names_both_versions(tmp_path, demo_file):
    bad = tmp_path / "newer.mpplan"
    _newer(bad, demo_file)
    with pytest.raises(NewerSchemaError) as err:
        Project.open(bad)
    assert "9999" in str(err.value) and SCHEMA_HEAD in str(err.value)


def test_missing_and_folder(tmp_path):
    with pytest.raises(FileMissingError):
        Project.open(tmp_path / "nope.mpplan")
    with pytest.raises(NotAProjectError):
        Project.open(tmp_path)


def test_create_refuses_existing_and_missing_folder(tmp_path):
    (tmp_path / "x.mpplan").write_text("keep me")
    with pytest.raises(ProjectFileError):
        Project.create(tmp_path / "x.mpplan")
    assert (tmp_path / "x.mpplan").read_text() == "keep me"
    with pytest.raises(ProjectFileError):
        Project.create(tmp_path / "no" / "such" / "x.mpplan")


def test_save_as_copies_everything(demo_project, tmp_path):
    from sqlalchemy import func, select

    from mpp_planner.model import BudgetLine, Counter

    dest = demo_project.save_as(tmp_path / "copy.mpplan")
    n_counters = demo_project.session.scalar(select(func.count()).select_from(Counter))
    copy = Project.open(dest)
    try:
        assert copy.session.scalar(select(func.count()).select_from(Counter)) == n_counters
        assert copy.session.scalar(select(func.count()).select_from(BudgetLine)) > 0
        assert copy.site.name == "MPP Kota Probolinggo"
    finally:
        copy.close()


def test_readonly_refuses_edits(demo_file):
    from mpp_planner.project import ReadOnlyError

    p = Project.open(demo_file, readonly=True)
    try:
        with pytest.raises(ReadOnlyError):
            with p.edit():
                pass
    finally:
        p.close()


def test_schema_revisions_match_migration_scripts():
    from mpp_planner.store.migrate import script_revisions

    assert tuple(script_revisions()) == SCHEMA_REVISIONS


def test_migrations_build_the_same_schema_as_the_model(tmp_path):
    """Upgrading an empty database through every script gives exactly the model's schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from mpp_planner.model import Base
    from mpp_planner.store.file import make_engine
    from mpp_planner.store.migrate import upgrade_to_head

    engine = make_engine(tmp_path / "m.db")
    upgrade_to_head(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
