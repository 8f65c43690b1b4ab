"""A read-only project file (its mode 0444, the Windows read-only attribute) in a writable folder is
not "damaged": opening it for editing says it is read-only (no database text, no advice to repair),
the GUI offers to open it read-only, CLI commands that edit refuse in one line with exit 2, and a
read-only open works and leaves nothing beside it. A read-only folder is named as the folder.

The permission tests deny writing through ``os.access`` (what the app asks, and all Windows shows of
the read-only attribute) or through SQLite's own refusal; the file-mode tests run the command line
in a process that has no right to override file permissions (as a user, or as root without
CAP_DAC_OVERRIDE)."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mpp_planner.cli import main
from mpp_planner.i18n import set_language
from mpp_planner.project import Project
from mpp_planner.store import DamagedProjectError, FolderReadOnlyError
from mpp_planner.store.errors import FileReadOnlyError
from tests.helpers import deny_lock_files, file_rows

ROOT = Path(__file__).resolve().parents[2]
RAW_WORDS = ("sqlite", "sqlalche", "damaged", "rusak", "repair", "Traceback")


def raw_words(text, *paths):
    """Database or repair words in ``text`` (the paths, which hold the test's name, left out)."""
    for path in paths:
        text = text.replace(str(path), "")
    return [word for word in RAW_WORDS if word.lower() in text.lower()]


def listing(folder):
    return sorted(p.name for p in Path(folder).iterdir())


def deny_writing(monkeypatch, *paths):
    """``os.access(path, W_OK)`` is False for ``paths`` (a read-only attribute or mode), as the app sees it."""
    denied = {os.path.normcase(os.path.abspath(p)) for p in paths}
    real_access = os.access

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and os.path.normcase(os.path.abspath(path)) in denied:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


def to_wal(path):
    """The file's header says write-ahead log (as a copy taken while it was open elsewhere)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    assert not Path(f"{path}-wal").exists()


def test_opening_a_read_only_file_for_editing_says_read_only_not_damaged(demo_file, monkeypatch):
    before, files = demo_file.read_bytes(), listing(demo_file.parent)
    deny_writing(monkeypatch, demo_file)
    with pytest.raises(FileReadOnlyError) as err:
        Project.open(demo_file)
    message = str(err.value)
    assert str(demo_file) in message and "read-only (a file attribute or its permissions)" in message
    assert not raw_words(message, demo_file)
    assert not isinstance(err.value, DamagedProjectError)
    assert demo_file.read_bytes() == before and listing(demo_file.parent) == files  # no lock, no -wal left


def test_sqlite_refusing_to_write_is_read_only_too(demo_file, monkeypatch):
    """What os.access does not see (a Windows permission, a read-only share): SQLite's own refusal."""
    from sqlalchemy import event

    from mpp_planner.store import file as store_file

    real_make_engine = store_file.make_engine

    def refusing_engine(path, *, readonly=False, **kwargs):
        engine = real_make_engine(path, readonly=readonly, **kwargs)
        if not readonly:
            @event.listens_for(engine, "connect")
            def refuse(_dbapi, _record):
                raise sqlite3.OperationalError("attempt to write a readonly database")
        return engine

    monkeypatch.setattr(store_file, "make_engine", refusing_engine)
    files = listing(demo_file.parent)
    with pytest.raises(FileReadOnlyError) as err:
        Project.open(demo_file)
    assert "read-only" in str(err.value) and not raw_words(str(err.value), demo_file)
    assert listing(demo_file.parent) == files  # the lock it took is gone again
    monkeypatch.setattr(store_file, "make_engine", real_make_engine)
    Project.open(demo_file).close()


def test_read_only_open_of_a_read_only_wal_file_leaves_nothing_beside_it(demo_file, monkeypatch):
    to_wal(demo_file)
    before, files = demo_file.read_bytes(), listing(demo_file.parent)
    deny_writing(monkeypatch, demo_file)
    project = Project.open(demo_file, readonly=True)
    try:
        assert project.readonly and project.site.name
        with project.reader() as reader:  # a job's own connection
            assert reader.site.name == project.site.name
    finally:
        project.close()
    assert demo_file.read_bytes() == before
    assert listing(demo_file.parent) == files  # no read-only -wal/-shm that would block editing later


def test_import_into_a_read_only_file_refuses_in_one_line(demo_file, tmp_path, monkeypatch, capsys):
    source = tmp_path / "instansi.csv"
    source.write_text("nama,singkatan,tier\nDinas Uji Coba,DUC,provinsi\n", encoding="utf-8")
    rows, files = file_rows(demo_file, "agency"), listing(demo_file.parent)
    deny_writing(monkeypatch, demo_file)
    capsys.readouterr()
    assert main(["import", "agencies", str(demo_file), "--from", str(source)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "read-only" in err, err
    assert not raw_words(err, demo_file, source), err
    assert file_rows(demo_file, "agency") == rows and listing(demo_file.parent) == files


def test_new_project_over_a_read_only_file_is_refused(demo_file, monkeypatch, capsys):
    before = demo_file.read_bytes()
    deny_writing(monkeypatch, demo_file)
    capsys.readouterr()
    assert main(["new", str(demo_file), "--name", "MPP Baru", "--force"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "read-only" in err and "cannot be overwritten" in err, err
    assert demo_file.read_bytes() == before
    assert not [p for p in listing(demo_file.parent) if p != demo_file.name]


def test_read_only_folder_message_names_the_folder_and_the_file(demo_file, monkeypatch):
    deny_lock_files(monkeypatch)
    with pytest.raises(FolderReadOnlyError) as err:
        Project.open(demo_file)
    message = str(err.value)
    assert f"'{demo_file}' is in a folder that cannot be written to ('{demo_file.parent}')" in message
    set_language("id")
    try:
        with pytest.raises(FolderReadOnlyError) as err:
            Project.open(demo_file)
    finally:
        set_language("en")
    assert f"'{demo_file}' berada di folder yang tidak dapat ditulisi ('{demo_file.parent}')" in str(err.value)
    assert f"Folder '{demo_file}'" not in str(err.value)  # the file is not called a folder any more


# --- the GUI ----------------------------------------------------------------------------------------

def answer_dialog(qtbot, monkeypatch, button_label):
    """The next QMessageBox is recorded (title, text, informative text) and answered with the button
    whose text contains ``button_label``."""
    from PySide6.QtWidgets import QMessageBox

    seen = []

    def exec_(box):
        seen.append((box.windowTitle(), box.text(), box.informativeText()))
        for button in box.buttons():
            if button_label in button.text().replace("&", ""):
                button.click()
                return 0
        raise AssertionError(f"no button {button_label!r}")

    def static(_parent, title, text, *args, **kwargs):  # an error box instead of the question
        seen.append((title, text, ""))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    for kind in ("critical", "warning", "information"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(static))
    return seen


@pytest.fixture
def window(qtbot):
    from mpp_planner.qt.main_window import MainWindow

    w = MainWindow(None)
    qtbot.addWidget(w)
    yield w
    w.close()


def test_gui_offers_to_open_a_read_only_file_read_only(window, qtbot, demo_file, monkeypatch):
    deny_writing(monkeypatch, demo_file)
    seen = answer_dialog(qtbot, monkeypatch, "Open Read-Only")
    assert window.open_path(demo_file)
    title, text, more = seen[0]
    assert title == "Read-only file" and demo_file.name in text and "read-only" in text
    assert "damaged" not in (text + more).lower()
    assert window.project.readonly


def test_gui_names_the_folder_that_cannot_be_written(window, qtbot, demo_file, monkeypatch):
    deny_lock_files(monkeypatch)
    seen = answer_dialog(qtbot, monkeypatch, "Cancel")
    assert not window.open_path(demo_file)
    title, text, _more = seen[0]
    assert title == "Read-only folder" and str(demo_file.parent) in text and demo_file.name in text
    assert window.project is None


# --- a real file mode -------------------------------------------------------------------------------

def _without_permission_override() -> list[str] | None:
    """How to run a command that file permissions bind: as it is for a user; as root through setpriv
    without CAP_DAC_OVERRIDE (None when that is not possible here)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search",
              "--inh-caps=-dac_override,-dac_read_search", "--"]
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    return prefix if probe.returncode == 0 else None


def cli(prefix, *args):
    env = dict(os.environ, MPP_PLANNER_LANG="en")
    return subprocess.run([*prefix, sys.executable, "-m", "mpp_planner", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)


def test_a_file_with_mode_0444_through_the_command_line(tmp_path, demo_master):
    prefix = _without_permission_override()
    if prefix is None:
        pytest.skip("cannot drop the right to override file permissions here")
    folder = tmp_path / "proyek"
    folder.mkdir()
    project = folder / "mpp.mpplan"
    shutil.copy2(demo_master, project)
    to_wal(project)
    source = tmp_path / "instansi.csv"
    source.write_text("nama,singkatan,tier\nDinas Uji Coba,DUC,provinsi\n", encoding="utf-8")
    project.chmod(0o444)
    out = tmp_path / "out"
    out.mkdir()
    try:
        before, rows, files = project.read_bytes(), file_rows(project, "agency"), listing(folder)
        result = cli(prefix, "import", "agencies", str(project), "--from", str(source))
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and "is read-only" in result.stderr, result.stderr
        assert not raw_words(result.stderr, project, source), result.stderr
        result = cli(prefix, "new", str(project), "--name", "MPP Baru", "--force")
        assert result.returncode == 2 and "cannot be overwritten" in result.stderr, result.stderr
        result = cli(prefix, "export", "allocations", str(project), "-o", str(out / "loket.csv"))
        assert result.returncode == 0, result.stderr
        assert (out / "loket.csv").read_bytes().count(b"\n") > 10
        assert project.read_bytes() == before and file_rows(project, "agency") == rows
        assert listing(folder) == files  # the read-only export made no -wal/-shm beside the file
    finally:
        project.chmod(0o644)
    Project.open(project).close()  # and once writable again, it opens for editing
