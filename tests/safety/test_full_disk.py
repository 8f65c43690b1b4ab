"""A full disk (and the other storage failures) in any command: one translated line on stderr, exit 2,
no traceback, nothing left in the folder and the project as it was.

The disk fills in three ways, each where the real one would show: SQLite's own "database or disk is
full" (the file may not grow by a page: ``PRAGMA max_page_count``), ``OSError(ENOSPC)`` from the
file writes of exports (raised by the raw file under Python's buffers, so buffered bytes fail when
flushed, as on a real disk), and from ``os.write`` of the lock file."""

import contextlib
import errno
import gc
import io
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, event

from mpp_planner.cli import main
from mpp_planner.i18n import set_language
from mpp_planner.project import Project
from mpp_planner.store import ProjectFileError
from mpp_planner.store.errors import storage_failure, write_failure
from tests.helpers import STORAGE_FAILURE_TEXT, file_rows, storage_fails

NOISE = ("Traceback", "Exception ignored", "sqlalchemy", "[SQL", "OperationalError", "Unexpected error")


def listing(folder):
    return sorted(p.name for p in Path(folder).iterdir())


@pytest.fixture
def agencies_csv(tmp_path):
    """400 new agencies in a folder of their own (more than the free pages of the demo file)."""
    folder = tmp_path / "sumber"
    folder.mkdir()
    path = folder / "instansi.csv"
    rows = ["nama,singkatan,tier"] + [f"Dinas Uji Coba Nomor {i},DUC{i},provinsi" for i in range(400)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def sqlite_disk_full():
    """Every new SQLite connection may not grow its file: SQLite itself reports the disk full."""
    def no_room(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        pages = cur.execute("PRAGMA page_count").fetchone()[0]
        cur.execute(f"PRAGMA max_page_count={max(pages, 1)}")
        cur.close()

    event.listen(Engine, "connect", no_room)
    yield
    event.remove(Engine, "connect", no_room)


@contextlib.contextmanager
def unraisable(monkeypatch):
    """What Python could only print as "Exception ignored in ..." (a zip finishing itself in __del__),
    until the end of the block (after a garbage collection). Set in the test's body: pytest puts its
    own hook in place for each phase of a test. The command's log record of the error is not made:
    pytest keeps records until the test ends, and with them the error's frames and what they hold."""
    import mpp_planner.cli

    monkeypatch.setattr(mpp_planner.cli.log, "disabled", True)
    seen: list = []
    previous, sys.unraisablehook = sys.unraisablehook, seen.append
    try:
        yield seen
        gc.collect()
    finally:
        sys.unraisablehook = previous


def one_clean_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert not [word for word in NOISE if word in err], err
    return lines[0]


# --- imports and other edits ------------------------------------------------------------------------

def test_full_disk_during_an_import(demo_file, agencies_csv, sqlite_disk_full, capsys):
    rows, files = file_rows(demo_file, "agency"), listing(demo_file.parent)
    capsys.readouterr()
    assert main(["import", "agencies", str(demo_file), "--from", str(agencies_csv)]) == 2
    line = one_clean_line(capsys.readouterr().err)
    assert line == "mpp-planner: The disk is full, so the change cannot be saved. Free some space and try again."
    assert file_rows(demo_file, "agency") == rows
    assert listing(demo_file.parent) == files  # no lock, no -wal, no -shm, no temporary


def test_full_disk_during_an_import_in_indonesian(demo_file, agencies_csv, sqlite_disk_full, capsys):
    rows = file_rows(demo_file, "agency")
    capsys.readouterr()
    try:
        assert main(["--lang", "id", "import", "agencies", str(demo_file), "--from", str(agencies_csv)]) == 2
    finally:
        set_language("en")
    assert "Disk penuh" in one_clean_line(capsys.readouterr().err)
    assert file_rows(demo_file, "agency") == rows


@pytest.mark.parametrize("kind, words", [
    ("full", "The disk is full"), ("locked", "busy"), ("readonly", "has become read-only"),
    ("io", "could not be read or written")])
def test_every_storage_failure_of_an_import_is_one_line(demo_file, agencies_csv, monkeypatch, capsys, kind, words):
    real_open = Project.open

    def open_failing(cls, path, *args, **kwargs):
        project = real_open(path, *args, **kwargs)
        storage_fails(monkeypatch, project, kind)
        return project

    monkeypatch.setattr(Project, "open", classmethod(open_failing))
    rows, files = file_rows(demo_file, "agency"), listing(demo_file.parent)
    capsys.readouterr()
    assert main(["import", "agencies", str(demo_file), "--from", str(agencies_csv)]) == 2
    assert words in one_clean_line(capsys.readouterr().err)
    assert file_rows(demo_file, "agency") == rows and listing(demo_file.parent) == files


def test_a_bug_is_still_not_called_a_disk_failure(demo_file, agencies_csv, monkeypatch):
    """Only storage failures are caught: anything else still reaches the error hook (and its log)."""
    from mpp_planner.commands import History

    def broken(self, command):
        raise KeyError("a bug")

    monkeypatch.setattr(History, "push", broken)
    with pytest.raises(KeyError):
        main(["import", "agencies", str(demo_file), "--from", str(agencies_csv)])


@pytest.mark.parametrize("command", [["demo", "{folder}/demo2.mpplan"],
                                     ["new", "{folder}/baru.mpplan", "--name", "MPP Uji"]])
def test_full_disk_while_making_a_project(tmp_path, sqlite_disk_full, capsys, command):
    folder = tmp_path / "baru"
    folder.mkdir()
    capsys.readouterr()
    assert main([arg.format(folder=folder) for arg in command]) == 2
    assert "The disk is full" in one_clean_line(capsys.readouterr().err)
    assert listing(folder) == []


# --- the lock file ----------------------------------------------------------------------------------

def no_bytes_left(monkeypatch):
    """The disk has room for a name but not for a byte: os.write of the lock fails with ENOSPC."""
    from mpp_planner.store import lock as locking

    def write(_fd, _data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(locking.os, "write", write)


def test_no_bytes_left_for_the_lock_leaves_no_empty_lock_file(demo_file, monkeypatch):
    files = listing(demo_file.parent)
    no_bytes_left(monkeypatch)
    with pytest.raises(ProjectFileError) as err:
        Project.open(demo_file)
    assert "is full, so it cannot be opened for editing" in str(err.value)
    assert listing(demo_file.parent) == files  # no empty demo.mpplan.lock.<token>.tmp


def test_no_bytes_left_for_the_lock_through_the_command_line(demo_file, agencies_csv, monkeypatch, capsys):
    files, rows = listing(demo_file.parent), file_rows(demo_file, "agency")
    no_bytes_left(monkeypatch)
    capsys.readouterr()
    assert main(["import", "agencies", str(demo_file), "--from", str(agencies_csv)]) == 2
    assert "is full" in one_clean_line(capsys.readouterr().err)
    assert listing(demo_file.parent) == files and file_rows(demo_file, "agency") == rows


# --- exports ------------------------------------------------------------------------------------------

def disk_full_in(monkeypatch, folder: Path, room: int) -> None:
    """Files opened for writing in ``folder`` may not grow beyond ``room`` bytes: their raw writes fail
    with ENOSPC under Python's buffer (so buffered bytes fail on flush or close, as on a real disk)."""
    real_open = io.open
    inside = os.path.normcase(str(folder.resolve()))

    class NoRoom(io.FileIO):
        def write(self, data):
            if self.tell() + len(data) > room:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return super().write(data)

    def open_(file, mode="r", buffering=-1, encoding=None, errors=None, newline=None, closefd=True, opener=None):
        if (isinstance(file, (str, os.PathLike)) and any(c in mode for c in "wax+")
                and os.path.normcase(os.path.abspath(file)).startswith(inside)):
            raw = NoRoom(file, mode.replace("b", "").replace("t", ""))
            buffered = io.BufferedRandom(raw) if "+" in mode else io.BufferedWriter(raw)
            if "b" in mode:
                return buffered
            return io.TextIOWrapper(buffered, encoding=encoding, errors=errors, newline=newline)
        return real_open(file, mode, buffering, encoding, errors, newline, closefd, opener)

    monkeypatch.setattr(io, "open", open_)
    monkeypatch.setattr("builtins.open", open_)


EXPORTS = [
    ["export", "allocations", "{file}", "-o", "{out}/loket.xlsx"],
    ["export", "allocations", "{file}", "-o", "{out}/loket.csv"],
    ["export", "allocations", "{file}", "-o", "{out}/loket.pdf"],
    ["export", "inventory", "{file}", "-o", "{out}/kir.xlsx", "--date", "2023-10-02"],
    ["export", "budget", "{file}", "-o", "{out}/usulan.xlsx", "--date", "2023-10-02"],
    ["export", "budget", "{file}", "-o", "{out}/rka.xlsx", "--form", "rka", "--date", "2023-10-02"],
    ["export", "budget", "{file}", "-o", "{out}/sipd.xlsx", "--form", "sipd"],
    ["export", "survey", "{file}", "-o", "{out}/skm.xlsx", "--period", "2024 Semester I", "--date", "2024-07-15"],
    ["export", "plan", "{file}", "-o", "{out}/denah.pdf"],
    ["export", "plan", "{file}", "-o", "{out}/denah.svg"],
    ["export", "plan", "{file}", "-o", "{out}/denah.dxf"],
]


@pytest.mark.parametrize("room", [0, 6000])
@pytest.mark.parametrize("command", EXPORTS, ids=lambda c: f"{c[1]}-{Path(c[4]).name}")
def test_full_disk_during_an_export(demo_file, tmp_path, monkeypatch, capsys, command, room):
    out = tmp_path / "keluaran"
    out.mkdir()
    disk_full_in(monkeypatch, out, room)
    capsys.readouterr()
    with unraisable(monkeypatch) as ignored:  # a zip left open would try to finish itself, fail and print a trace
        code = main([arg.format(file=demo_file, out=out) for arg in command])
    err = capsys.readouterr().err
    assert code == 2, err
    line = one_clean_line(err)
    assert line.startswith("mpp-planner: Cannot write '") and "the disk is full" in line, line
    assert ignored == [], [str(u.exc_value) for u in ignored]
    assert listing(out) == []


def test_full_disk_during_the_assessment_sheet(demo_file, tmp_path, monkeypatch, capsys):
    out = tmp_path / "keluaran"
    out.mkdir()
    disk_full_in(monkeypatch, out, 0)
    capsys.readouterr()
    with unraisable(monkeypatch) as ignored:
        assert main(["assess", str(demo_file), "-o", str(out / "penilaian.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "Cannot write" in err and not [word for word in NOISE if word in err], err
    assert ignored == [] and listing(out) == []


def test_a_writer_library_wrapping_the_disk_error_is_still_a_full_disk():
    from xlsxwriter.exceptions import FileCreateError

    wrapped = FileCreateError(OSError(errno.ENOSPC, "No space left on device"))
    assert storage_failure(wrapped) == "full"
    assert write_failure(wrapped) == "the disk is full; free some space and try again"
    assert write_failure(ValueError("not a disk")) is None
    assert storage_failure(OSError(errno.EIO, "I/O error")) == "io"


@pytest.mark.parametrize("kind", sorted(STORAGE_FAILURE_TEXT))
def test_storage_failures_from_sqlite_are_recognised(kind):
    import sqlite3

    assert storage_failure(sqlite3.OperationalError(STORAGE_FAILURE_TEXT[kind])) == kind
