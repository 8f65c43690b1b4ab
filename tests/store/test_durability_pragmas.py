"""The README's crash-safety promise at its root: a project open for editing writes through a
connection in WAL mode with ``synchronous=FULL`` (2), so a committed edit survives a power cut.
Checked on the live connection the edits use, not on a fresh one."""

import sqlite3

import pytest

from mpp_planner.project import Project

FULL = 2


def pragmas(project) -> tuple[int, str, int]:
    """synchronous, journal_mode and foreign_keys of the connection the project's session edits through."""
    raw = project.session.connection().connection.driver_connection
    return (raw.execute("PRAGMA synchronous").fetchone()[0], raw.execute("PRAGMA journal_mode").fetchone()[0],
            raw.execute("PRAGMA foreign_keys").fetchone()[0])


def test_opened_for_editing_is_wal_with_full_sync(demo_file):
    project = Project.open(demo_file)
    try:
        assert pragmas(project) == (FULL, "wal", 1)
        # every pooled connection gets them, not only the first one
        with project.file.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == FULL
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        project.close()


def test_new_project_is_wal_with_full_sync(tmp_path):
    project = Project.create(tmp_path / "baru.mpplan", site_name="MPP Uji")
    try:
        assert pragmas(project) == (FULL, "wal", 1)
    finally:
        project.close()


def test_full_sync_still_holds_after_an_edit(demo_file):
    project = Project.open(demo_file)
    try:
        with project.edit():
            project.site.name = "MPP Kota Uji"
        assert pragmas(project) == (FULL, "wal", 1)
    finally:
        project.close()


def test_read_only_open_leaves_the_journal_mode_as_it_finds_it(demo_file):
    """A read-only open never writes, so it does not switch the file to WAL (that would need a write)
    and leaves no companions; beside a writer it reads that writer's WAL."""
    reader = Project.open(demo_file, readonly=True)
    try:
        _synchronous, journal, foreign_keys = pragmas(reader)  # never writes: its sync level does not matter
        assert journal == "delete" and foreign_keys == 1
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.session.connection().connection.driver_connection.execute("PRAGMA user_version=7")
    finally:
        reader.close()
    writer = Project.open(demo_file)
    try:
        reader = Project.open(demo_file, readonly=True)
        try:
            assert pragmas(reader)[1] == "wal"
        finally:
            reader.close()
    finally:
        writer.close()
