"""Team mode in the window (issue 25): File ▸ Open from Server… and Copy to Server…, the password kept in the
system keyring or asked each time, one-line failures, opening as a job with Cancel, the window title
"database @ host", the recent files list holding the address without the password, no automatic backup of a
server project, and File ▸ Save As… of a server project writing a local file."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from mpp_planner import settings
from mpp_planner.model import Agency, Site
from mpp_planner.project import Project
from mpp_planner.qt import server_dialog
from mpp_planner.qt.main_window import MainWindow
from mpp_planner.qt.server_dialog import ServerAddress, ServerDialog, failure, server_title
from mpp_planner.store.copy import copy_project
from tests.helpers import file_rows
from tests.server.conftest import pg_server, server_url  # noqa: F401 - the test server's fixtures

WAIT_MS = 20_000


def small_project(path):
    """A project with a few rows (and no money: a server schema before 0009 keeps money in 32 bits)."""
    project = Project.create(path, site_name="MPP Uji Server")
    with project.edit() as s:
        s.add(Agency(name="Dinas Kependudukan dan Pencatatan Sipil", short_name="Disdukcapil", tier="kab_kota"))
    project.close()
    return path


@pytest.fixture
def window(qtbot):
    w = MainWindow(None)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


@pytest.fixture
def no_keyring(monkeypatch):
    monkeypatch.setattr(server_dialog, "keyring_backend", lambda: None)


@pytest.fixture
def memory_keyring(monkeypatch):
    """The real ``keyring`` library with a backend in memory (no system service in a test)."""
    keyring = pytest.importorskip("keyring")
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self):
            super().__init__()
            self.store: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.store.get((service, username))

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    previous = keyring.get_keyring()
    backend = Memory()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def fill(dialog: ServerDialog, url: str, password: str = "") -> None:
    address = ServerAddress.from_url(url)
    dialog.host.setText(address.host)
    dialog.port.setValue(address.port)
    dialog.database.setText(address.database)
    dialog.user.setText(address.user)
    dialog.password.setText(password)


def finish(qtbot, handle) -> None:
    """Wait until a job ended (its on_done or on_failed has run in the GUI thread)."""
    from mpp_planner.qt.jobs import running_jobs

    assert handle is not None
    if handle in running_jobs():
        with qtbot.waitSignal(handle.finished, timeout=WAIT_MS):
            pass


# --- addresses and one-line failures (no server) ---------------------------------------------------------------

def test_an_address_is_built_from_the_fields_and_read_back():
    cases = [ServerAddress("db.kota.go.id", 5433, "mpp_kota", "sari"),
             ServerAddress("/run/postgresql", 5432, "mpp", ""),
             ServerAddress("fe80::1", 5432, "mpp kota", "budi@dinas")]
    for address in cases:
        assert ServerAddress.from_url(address.url()) == address
    assert cases[0].url() == "postgresql://sari@db.kota.go.id:5433/mpp_kota"
    assert cases[1].url() == "postgresql:///mpp?host=/run/postgresql&port=5432"
    assert server_title(cases[0].url()) == "mpp_kota @ db.kota.go.id"


def fake_failure(text: str, **pgconn):
    """A ServerError as ``store.server`` raises it, over a driver error carrying libpq's connection state."""
    from mpp_planner.store.server import ServerError

    class PGconn:
        needs_password, used_password, server_version = False, False, 0

    conn = PGconn()
    conn.__dict__.update(pgconn)

    class DriverError(Exception):
        pass

    error = DriverError(text)
    error.pgconn = conn  # type: ignore[attr-defined]
    try:
        try:
            raise error
        except DriverError:
            raise ServerError("x", "The server project cannot be opened: " + text) from None
    except ServerError as exc:
        return exc


def test_failures_are_told_in_one_line_each():
    url = "postgresql://sari@db.kota.go.id:5432/mpp_kota"
    kind, text = failure(fake_failure("connection failed: fe_sendauth: no password supplied", needs_password=True,
                                      used_password=True), url)
    assert (kind, text) == ("password", "The server asks for the password of the user “sari”.")
    kind, text = failure(fake_failure('connection failed: FATAL:  password authentication failed for user "sari"',
                                      used_password=True), url)
    assert kind == "wrong_password" and "wrong" in text
    kind, text = failure(fake_failure('connection failed: connection to server at "db.kota.go.id" (10.0.0.5), port '
                                      '5432 failed: Connection refused\nIs the server running?'), url)
    assert (kind, text) == ("unreachable", "The server db.kota.go.id cannot be reached: Connection refused")
    from mpp_planner.store.errors import NotAProjectError, NewerSchemaError

    kind, text = failure(NotAProjectError(url, "The database holds other tables."), url)
    assert kind == "not_project" and "not an MPP database" in text
    assert failure(NewerSchemaError(url, "0099", "0009"), url)[0] == "other"
    for _kind, text in [failure(fake_failure("a\nb\nc"), url)]:
        assert "\n" not in text


def test_without_a_keyring_the_dialog_says_the_password_is_asked_each_time(qtbot, no_keyring):
    dialog = ServerDialog(None)
    qtbot.addWidget(dialog)
    assert not dialog.remember.isEnabled()
    assert "asked each time" in dialog.keyring_note.text()
    assert dialog.port.value() == 5432
    dialog.grab().save(str(settings.config_dir() / "server-dialog.png"))


# --- against the test server -------------------------------------------------------------------------------------

def test_open_from_server_opens_the_project_and_remembers_the_password(qtbot, window, server_url, tmp_path,
                                                                      memory_keyring):  # noqa: F811
    copy_project(small_project(tmp_path / "kota.mpplan"), server_url)
    dialog = server_dialog.show_open_dialog(window)
    fill(dialog, server_url, "rahasia")  # the test server trusts its socket: any password does
    dialog.remember.setChecked(True)
    handle = dialog.test_connection()
    finish(qtbot, handle)
    assert "Connected to PostgreSQL" in dialog.status.text() and "MPP project" in dialog.status.text()
    handle = dialog.start()
    finish(qtbot, handle)
    assert window.project is not None and window.project.file.url == dialog.url()
    database = ServerAddress.from_url(server_url).database
    assert f"{database} @ " in window.windowTitle() and "MPP Uji Server" in window.windowTitle()
    assert "server's own backups" in window.statusBar().currentMessage()
    assert not (window.project.path.parent / "mpp-backups").exists() or not any(
        (window.project.path.parent / "mpp-backups").glob(f"{database}*"))
    assert settings.recent_files()[0] == dialog.url()
    assert "rahasia" not in settings.recent_files()[0]
    assert memory_keyring.store == {("MPP Planner", dialog.url()): "rahasia"}
    assert settings.load()["server"]["database"] == database
    window.close_project()

    # from the recent files list: the keyring's password, no dialog
    assert window.open_path(settings.recent_files()[0])
    qtbot.waitUntil(lambda: window.project is not None, timeout=WAIT_MS)
    assert window.project.file.password == "rahasia"
    assert window.project.session.get(Site, 1).name == "MPP Uji Server"


def test_an_empty_database_is_told_and_a_project_file_can_be_copied_into_it(qtbot, window, server_url, tmp_path,
                                                                           no_keyring, monkeypatch):  # noqa: F811
    source = small_project(tmp_path / "kota.mpplan")
    dialog = server_dialog.show_open_dialog(window)
    fill(dialog, server_url)
    finish(qtbot, dialog.start())
    assert window.project is None
    assert "is empty" in dialog.status.text() and "\n" not in dialog.status.text()
    assert dialog.copy_into_button.isVisible()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(source), "")))
    finish(qtbot, dialog.copy_file_into())  # the copy, then the opening, each a job
    qtbot.waitUntil(lambda: window.project is not None, timeout=WAIT_MS)
    assert [a.short_name for a in window.project.all(Agency)] == ["Disdukcapil"]
    assert not dialog.isVisible()


def test_an_unreachable_server_is_told_in_one_line(qtbot, window, tmp_path, no_keyring):
    dialog = server_dialog.show_open_dialog(window)
    fill(dialog, f"postgresql://mpp@/mpp?host={tmp_path}&port=5432")  # a folder where no server listens
    finish(qtbot, dialog.start())
    assert window.project is None
    assert dialog.status.text().startswith(f"The server {tmp_path} cannot be reached: ")
    assert "\n" not in dialog.status.text()


def test_an_opening_can_be_cancelled(qtbot, window, server_url, tmp_path, no_keyring, monkeypatch):  # noqa: F811
    copy_project(small_project(tmp_path / "kota.mpplan"), server_url)
    opened, go_on = [], threading.Event()
    real_open = Project.open.__func__  # type: ignore[attr-defined]

    def slow_open(cls, *args, **kwargs):
        project = real_open(cls, *args, **kwargs)
        opened.append(project)
        go_on.wait(10)
        return project

    monkeypatch.setattr(Project, "open", classmethod(slow_open))
    dialog = server_dialog.show_open_dialog(window)
    fill(dialog, server_url)
    handle = dialog.start()
    qtbot.waitUntil(lambda: bool(opened), timeout=WAIT_MS)
    handle.cancel()
    go_on.set()
    finish(qtbot, handle)
    assert handle.cancelled and window.project is None
    assert dialog.isVisible()  # the user may try again
    assert opened[0].file.closed  # what the cancelled job opened is closed


def test_copy_to_server_copies_the_open_file_and_opens_the_copy(qtbot, server_url, tmp_path, no_keyring,
                                                                monkeypatch):  # noqa: F811
    window = MainWindow(Project.open(small_project(tmp_path / "kota.mpplan")))
    qtbot.addWidget(window)
    window.show()
    try:
        asked = []
        monkeypatch.setattr(QMessageBox, "question", staticmethod(
            lambda parent, title, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.Yes))
        window.menu_file.aboutToShow.emit()
        assert window.act_copy_server.isEnabled()
        window.act_copy_server.trigger()
        dialog = window.findChild(ServerDialog)
        assert dialog.mode == "copy" and dialog.go_button.text().replace("&", "") == "Copy"
        fill(dialog, server_url)
        finish(qtbot, dialog.start())
        assert asked and asked[0].startswith("Copied ") and "verified (row counts and SHA-256 per table)" in asked[0]
        qtbot.waitUntil(lambda: getattr(window.project.file, "is_server", False), timeout=WAIT_MS)
        assert [a.short_name for a in window.project.all(Agency)] == ["Disdukcapil"]
    finally:
        window.close()


def test_save_as_of_a_server_project_writes_a_local_file_and_stays_on_the_server(qtbot, server_url, tmp_path,
                                                                                 monkeypatch):  # noqa: F811
    copy_project(small_project(tmp_path / "kota.mpplan"), server_url)
    window = MainWindow(Project.open(server_url))
    qtbot.addWidget(window)
    try:
        out = tmp_path / "salinan.mpplan"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
        finish(qtbot, window.save_as())
        assert file_rows(out, "agency")
        assert getattr(window.project.file, "is_server", False)
        assert str(out) in window.statusBar().currentMessage()
    finally:
        window.close()


def test_a_recent_server_project_asks_for_the_password_when_the_server_wants_one(qtbot, window, server_url,
                                                                                  tmp_path, no_keyring,
                                                                                  monkeypatch):  # noqa: F811
    """The trusting test server never asks: a server that does is stood in for by the opening job's failure."""
    copy_project(small_project(tmp_path / "kota.mpplan"), server_url)
    real_open = server_dialog.open_work
    tried = []

    def password_wanted(url, password):
        tried.append(password)
        if password is None:
            raise fake_failure("connection failed: fe_sendauth: no password supplied", needs_password=True)
        return real_open(url, password)

    monkeypatch.setattr(server_dialog, "open_work", password_wanted)
    assert window.open_path(server_url)
    qtbot.waitUntil(lambda: window.findChild(ServerDialog) is not None, timeout=WAIT_MS)
    dialog = window.findChild(ServerDialog)
    assert dialog.status.text() == "The server asks for the password of the user “mpp”."
    assert (dialog.database.text(), dialog.user.text()) == (ServerAddress.from_url(server_url).database, "mpp")
    assert window.project is None
    dialog.password.setText("rahasia")
    finish(qtbot, dialog.start())
    assert tried == [None, "rahasia"]
    assert window.project is not None and window.project.file.password == "rahasia"


@pytest.mark.parametrize("quit_after_show", [False, True])
def test_mpp_planner_with_a_server_address_opens_it_in_the_window(qtbot, server_url, tmp_path, no_keyring,
                                                                  quit_after_show):  # noqa: F811
    """``mpp-planner postgresql://…``: not handed to a running copy (the hand-over passes file paths), opened in the
    window as a job (the dialog would ask for a missing password); headless runs open it before the window."""
    import argparse

    from mpp_planner.qt import app as gui_app

    copy_project(small_project(tmp_path / "kota.mpplan"), server_url)
    args = argparse.Namespace(file=server_url, screenshot=None, tab="plan", size="1400x900",
                              quit_after_show=quit_after_show)
    result = gui_app._start(args)
    assert not isinstance(result, int), result
    _app, window = result
    qtbot.addWidget(window)
    try:
        if not quit_after_show:
            assert window.project is None  # the opening job is running
        qtbot.waitUntil(lambda: window.project is not None, timeout=WAIT_MS)
        assert window.project.file.url == server_url
        assert "MPP Uji Server" in window.windowTitle()
    finally:
        window.close()
