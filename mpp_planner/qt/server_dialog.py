"""Team mode in the window: *File ▸ Open from Server…* and *File ▸ Copy to Server…* (issue 25).

One dialog for both: the server's host and port, the database, the user and the password, "remember the
password in the system keyring" (the ``keyring`` library: Windows Credential Locker, macOS Keychain, the Secret
Service; without a usable keyring the password is asked each time, and the dialog says so) and *Test Connection*.
Connecting, opening and copying run as jobs with Cancel (``qt.jobs.run_job``); a failure is told in one line in
the dialog (unreachable, password needed or wrong, not an MPP database — then *Copy a Project File into It…*).

A server project is named by its address without the password (``postgresql://user@host:port/database``): that
is what the recent files list keeps, and opening one from there takes the password from the keyring, libpq's
own places (``PGPASSWORD``, ``.pgpass``), or asks in this dialog.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote, urlsplit

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QMessageBox, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from mpp_planner import FILE_SUFFIX, settings
from mpp_planner.i18n import N_, _, ngettext
from mpp_planner.qt.jobs import JobHandle, run_job

log = logging.getLogger(__name__)

KEYRING_SERVICE = "MPP Planner"
DEFAULT_PORT = 5432
OPEN_TEXT = N_("Open from Ser&ver…")
COPY_TEXT = N_("Cop&y to Server…")


# --- addresses ------------------------------------------------------------------------------------------------

@dataclass
class ServerAddress:
    """The parts of a server project's address, as the dialog shows them (never a password)."""

    host: str = "localhost"
    port: int = DEFAULT_PORT
    database: str = ""
    user: str = ""

    def url(self) -> str:
        """``postgresql://user@host:port/database``; a host that is a folder (``/run/postgresql``) is a Unix
        socket, given as libpq's ``host`` parameter."""
        auth = quote(self.user, safe="") + "@" if self.user else ""
        database = quote(self.database, safe="")
        host = self.host.strip() or "localhost"
        if host.startswith("/"):
            return f"postgresql://{auth}/{database}?host={quote(host, safe='/')}&port={self.port}"
        if ":" in host and not host.startswith("["):  # IPv6
            host = f"[{host}]"
        return f"postgresql://{auth}{host}:{self.port}/{database}"

    @classmethod
    def from_url(cls, url: str) -> "ServerAddress":
        parts = urlsplit(url)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        host = parts.hostname or query.get("host") or "localhost"
        return cls(host=host, port=int(parts.port or query.get("port") or DEFAULT_PORT),
                   database=unquote(parts.path.lstrip("/")), user=unquote(parts.username or ""))

    def title(self) -> str:
        """"database @ host", as the window title shows a server project."""
        return f"{self.database} @ {self.host}"


def server_title(url: str) -> str:
    try:
        return ServerAddress.from_url(url).title()
    except Exception:  # noqa: BLE001 - a title never fails: the address as it is
        from mpp_planner.store.server import safe_url

        return safe_url(url)


def last_address() -> ServerAddress:
    """The address the dialog was last used with (settings), else localhost."""
    saved = settings.load().get("server")
    if not isinstance(saved, dict):
        return ServerAddress()
    try:
        return ServerAddress(host=str(saved.get("host") or "localhost"), port=int(saved.get("port") or DEFAULT_PORT),
                             database=str(saved.get("database") or ""), user=str(saved.get("user") or ""))
    except (TypeError, ValueError):
        return ServerAddress()


def remember_address(address: ServerAddress) -> None:
    settings.save({"server": {"host": address.host, "port": address.port, "database": address.database,
                              "user": address.user}})


# --- the system keyring ---------------------------------------------------------------------------------------

def keyring_backend():
    """The ``keyring`` module when it is installed and has a usable backend here, else None."""
    try:
        import keyring
        from keyring.backends import fail, null
    except Exception:  # noqa: BLE001 - not installed, or broken: passwords are asked each time
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001
        return None
    if isinstance(backend, (fail.Keyring, null.Keyring)) or getattr(backend, "priority", 0) <= 0:
        return None
    return keyring


def _key(url: str) -> str:
    from mpp_planner.store.server import safe_url

    return safe_url(url)


def stored_password(url: str) -> str | None:
    keyring = keyring_backend()
    if keyring is None:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, _key(url))
    except Exception as exc:  # noqa: BLE001 - a locked or absent keyring service: ask instead
        log.info("keyring: no password read for %s: %s", _key(url), exc)
        return None


def store_password(url: str, password: str) -> bool:
    keyring = keyring_backend()
    if keyring is None or not password:
        return False
    try:
        keyring.set_password(KEYRING_SERVICE, _key(url), password)
        return True
    except Exception as exc:  # noqa: BLE001
        log.warning("keyring: the password for %s was not stored: %s", _key(url), exc)
        return False


def forget_password(url: str) -> None:
    keyring = keyring_backend()
    if keyring is None:
        return
    try:
        keyring.delete_password(KEYRING_SERVICE, _key(url))
    except Exception:  # noqa: BLE001 - nothing was stored
        pass


# --- what went wrong, in one line -----------------------------------------------------------------------------

def failure(exc: BaseException, url: str) -> tuple[str, str]:
    """(kind, one line) for a failure to reach, open or copy into a server database. ``kind`` is "password"
    (asked for, none given), "wrong_password", "unreachable", "not_project", "empty" or "other"."""
    from mpp_planner.store.errors import NotAProjectError

    address = ServerAddress.from_url(url)
    if isinstance(exc, NotAProjectError):
        if _("The database holds other tables.") in str(exc):
            return "not_project", _("The database “{database}” is not an MPP database: it holds other "
                                    "tables.").format(database=address.database)
        return "empty", _("The database “{database}” is empty: it holds no MPP project yet. Copy a project file "
                          "into it to start.").format(database=address.database)
    cause = exc.__cause__ or exc.__context__  # the driver's error behind the one-line ServerError
    driver_error = getattr(cause, "orig", cause)
    pgconn = getattr(driver_error, "pgconn", None)
    text = next((ln.strip() for ln in str(driver_error).splitlines() if ln.strip()), "")
    user = address.user or _("(your login name)")
    if pgconn is not None and getattr(pgconn, "needs_password", False):
        return "password", _("The server asks for the password of the user “{user}”.").format(user=user)
    if pgconn is not None and getattr(pgconn, "used_password", False) and "password" in text.lower():
        return "wrong_password", _("The password of the user “{user}” is wrong, or the user may not sign in to "
                                   "this database.").format(user=user)
    if cause is not None and "FATAL" not in text and (pgconn is None or getattr(pgconn, "server_version", 0) == 0):
        return "unreachable", _("The server {host} cannot be reached: {reason}").format(
            host=address.host, reason=text.split("failed: ")[-1].strip() or type(driver_error).__name__)
    return "other", str(exc).splitlines()[0] if str(exc) else type(exc).__name__


# --- the jobs ---------------------------------------------------------------------------------------------------

@dataclass
class Probe:
    version: str
    tls: bool
    revision: str | None
    has_tables: bool


def probe(url: str, password: str | None) -> Probe:
    """Test Connection: sign in, and say what the database holds (job work)."""
    from mpp_planner.jobs import checkpoint
    from mpp_planner.store.errors import ProjectFileError
    from mpp_planner.store.server import ServerError, make_server_engine, server_message, server_revision

    checkpoint(0, 0, _("Connecting to {server}…").format(server=server_title(url)))
    engine = make_server_engine(url, readonly=True, password=password)
    try:
        con = engine.raw_connection()  # the driver's connection: two questions of the server itself
        try:
            cur = con.cursor()
            cur.execute("SHOW server_version")
            version = str(cur.fetchone()[0])
            cur.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            row = cur.fetchone()
        finally:
            con.close()
        revision, has_tables = server_revision(engine)
    except ProjectFileError:
        raise
    except Exception as exc:  # the driver's or SQLAlchemy's error: one line, its cause kept for ``failure``
        raise ServerError(url, server_message(exc, url)) from exc
    finally:
        engine.dispose()
    return Probe(version.split()[0], bool(row and row[0]), revision, has_tables)


def open_work(url: str, password: str | None):
    """Open the server project (job work); a cancelled job closes what it opened."""
    from mpp_planner.jobs import Cancelled, checkpoint
    from mpp_planner.project import Project

    checkpoint(0, 0, _("Connecting to {server}…").format(server=server_title(url)))
    project = Project.open(url, password=password)
    try:
        checkpoint()
    except Cancelled:
        project.close()
        raise
    return project


def copy_report_text(report) -> str:
    from mpp_planner.formats import number

    rows = ngettext("{n} row", "{n} rows", report.rows).format(n=number(report.rows))
    return _("Copied {rows}, verified (row counts and SHA-256 per table).").format(rows=rows)


# --- the dialog -------------------------------------------------------------------------------------------------

class ServerDialog(QDialog):
    """Where the server project is (or goes) and who signs in. ``mode`` "open": *Open* opens it (``opened``
    is emitted with the Project); "copy": *Copy* copies ``source`` (a file path or a server address) into the
    empty database (``copied`` is emitted with the address and the copy's report)."""

    opened = Signal(object)
    copied = Signal(str, object)

    def __init__(self, parent: QWidget | None = None, *, mode: str = "open", url: str | None = None,
                 message: str = "", source: str | None = None, source_password: str | None = None):
        super().__init__(parent)
        self.mode, self.source, self.source_password = mode, source, source_password
        self.handle: JobHandle | None = None
        self.project = None
        self.setWindowTitle(_("Open from Server") if mode == "open" else _("Copy to Server"))
        address = ServerAddress.from_url(url) if url else last_address()
        intro = QLabel(_("A project on a PostgreSQL server can be opened by several people at once. Ask the server's "
                         "administrator for these details.") if mode == "open" else
                       _("The open project is copied into an empty database on the server (create one with: createdb "
                         "NAME). Then everyone opens it from there."))
        intro.setWordWrap(True)
        self.host = QLineEdit(address.host)
        self.host.setToolTip(_("The server's name or IP address (or the folder of its Unix socket)"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(address.port)
        self.port.setGroupSeparatorShown(False)
        self.database = QLineEdit(address.database)
        self.database.setPlaceholderText(_("e.g. mpp_kota"))
        self.user = QLineEdit(address.user)
        self.user.setPlaceholderText(_("(your login name)"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("(from the keyring, PGPASSWORD or .pgpass when empty)"))
        self.remember = QCheckBox(_("&Remember the password in the system keyring"))
        self.keyring_note = QLabel()
        self.keyring_note.setWordWrap(True)
        if keyring_backend() is None:
            self.remember.setEnabled(False)
            self.keyring_note.setText(_("No system keyring is available on this computer: the password is asked "
                                        "each time."))
        else:
            self.keyring_note.hide()
            stored = stored_password(address.url()) if address.database else None
            if stored:
                self.password.setText(stored)
                self.remember.setChecked(True)
        host_row = QHBoxLayout()
        host_row.addWidget(self.host, 1)
        port_label = QLabel(_("Port:"))
        port_label.setBuddy(self.port)
        host_row.addWidget(port_label)
        host_row.addWidget(self.port)
        host_label = QLabel(_("&Server:"))
        host_label.setBuddy(self.host)
        form = QFormLayout()
        form.addRow(host_label, host_row)
        form.addRow(_("&Database:"), self.database)
        form.addRow(_("&User:"), self.user)
        form.addRow(_("&Password:"), self.password)
        form.addRow("", self.remember)
        self.test_button = QPushButton(_("&Test Connection"))
        self.test_button.clicked.connect(self.test_connection)
        self.copy_into_button = QPushButton(_("Copy a Project &File into It…"))
        self.copy_into_button.clicked.connect(self.copy_file_into)
        self.copy_into_button.hide()
        self.status = QLabel(message)
        self.status.setObjectName("server_status")
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(36)
        tools = QHBoxLayout()
        tools.addWidget(self.test_button)
        tools.addWidget(self.copy_into_button)
        tools.addStretch(1)
        buttons = QDialogButtonBox()
        self.go_button = buttons.addButton(_("&Open") if mode == "open" else _("&Copy"),
                                           QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.keyring_note)
        layout.addLayout(tools)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        (self.password if address.database else self.database).setFocus()

    # --- reading the fields ---------------------------------------------------------------------------
    def address(self) -> ServerAddress:
        return ServerAddress(host=self.host.text().strip() or "localhost", port=self.port.value(),
                             database=self.database.text().strip(), user=self.user.text().strip())

    def url(self) -> str:
        return self.address().url()

    def password_given(self) -> str | None:
        return self.password.text() or None

    def _ready(self) -> bool:
        if not self.address().database:
            self.tell(_("Enter the name of the database."))
            self.database.setFocus()
            return False
        return True

    def tell(self, text: str, kind: str = "") -> None:
        """One line in the dialog; after "empty" in the open dialog, offer to copy a file into the database."""
        self.status.setText(text)
        self.copy_into_button.setVisible(self.mode == "open" and kind == "empty")
        if kind in ("password", "wrong_password"):
            self.password.setFocus()
            self.password.selectAll()

    def _busy(self, busy: bool) -> None:
        for w in (self.go_button, self.test_button, self.copy_into_button):
            w.setEnabled(not busy)

    def _run(self, title: str, work, on_done, label: str = "") -> JobHandle:
        self._busy(True)
        url = self.url()
        self.handle = run_job(self, title, work, on_done=on_done, label=label,
                              on_failed=lambda exc: self.tell(*reversed(failure(exc, url))))
        self.handle.finished.connect(lambda: self._busy(False))
        return self.handle

    # --- the buttons ----------------------------------------------------------------------------------
    def test_connection(self) -> JobHandle | None:
        if not self._ready():
            return None
        url, password = self.url(), self.password_given()
        self.tell(_("Connecting…"))
        return self._run(_("Test Connection"), lambda: probe(url, password), self._tested)

    def _tested(self, result: Probe) -> None:
        tls = _("encrypted (TLS)") if result.tls else _("not encrypted")
        if result.revision is not None:
            what = _("it holds an MPP project (schema {revision}).").format(revision=result.revision)
        elif result.has_tables:
            what = _("it holds other tables: it is not an MPP database.")
        else:
            what = _("it is empty: a project file can be copied into it.")
        self.tell(_("Connected to PostgreSQL {version}, {tls}; {what}").format(version=result.version, tls=tls,
                                                                              what=what),
                  "empty" if result.revision is None and not result.has_tables else "")

    def start(self) -> JobHandle | None:
        """*Open* or *Copy*: as a job; the dialog stays open with the reason when it fails."""
        if not self._ready():
            return None
        url, password = self.url(), self.password_given()
        if self.mode == "copy":
            return self._copy(self.source or "", self.source_password, url, password)
        self.tell(_("Opening…"))
        return self._run(_("Open from Server"), lambda: open_work(url, password), self._opened,
                         label=_("Opening {server}…").format(server=server_title(url)))

    def _keep_password(self, url: str, password: str | None) -> None:
        remember_address(self.address())
        if self.remember.isChecked() and password:
            store_password(url, password)
        elif not self.remember.isChecked():
            forget_password(url)

    def _opened(self, project) -> None:
        self._keep_password(self.url(), self.password_given())
        self.project = project
        self.accept()
        self.opened.emit(project)

    def copy_file_into(self) -> JobHandle | None:
        """*Copy a Project File into It…*: choose a file, copy it into this (empty) database, then open it."""
        path, _chosen = QFileDialog.getOpenFileName(
            self, _("Copy a project file to the server"), "",
            _("MPP Planner projects (*{suffix})").format(suffix=FILE_SUFFIX) + ";;" + _("All files (*)"))
        if not path:
            return None
        return self._copy(path, None, self.url(), self.password_given())

    def _copy(self, source: str, source_password: str | None, url: str, password: str | None) -> JobHandle:
        from mpp_planner.store.copy import copy_project

        self.tell(_("Copying…"))

        def done(report) -> None:
            self._keep_password(url, password)
            self.tell(copy_report_text(report))
            if self.mode == "open":  # the database holds the project now: open it
                self.start()
            else:
                self.accept()
                self.copied.emit(url, report)

        return self._run(_("Copy to Server"), lambda: copy_project(source, url, source_password=source_password,
                                                                   dest_password=password), done,
                         label=_("Copying the project to {server}…").format(server=server_title(url)))


# --- the main window's entries ----------------------------------------------------------------------------------

def show_open_dialog(window, url: str | None = None, message: str = "", kind: str = "") -> ServerDialog:
    """File ▸ Open from Server… (or the dialog again, filled in, when opening ``url`` failed)."""
    dialog = ServerDialog(window, mode="open", url=url, message=message)
    if kind:
        dialog.tell(message, kind)
    dialog.opened.connect(lambda project: _use(window, project))
    dialog.open()
    return dialog


def _use(window, project) -> None:
    window.set_project(project)
    window.after_open()


def open_server_url(window, url: str) -> JobHandle:
    """Open the server project at ``url`` (the recent files list, the command line): with the password from the
    keyring or libpq's own places; when that does not do, the dialog asks, filled in, saying why."""
    password = stored_password(url)

    def failed(exc: BaseException) -> None:
        kind, text = failure(exc, url)
        show_open_dialog(window, url, text, kind)

    return run_job(window, _("Open from Server"), lambda: open_work(url, password), on_done=lambda p: _use(window, p),
                   on_failed=failed, label=_("Opening {server}…").format(server=server_title(url)))


def show_copy_dialog(window) -> ServerDialog | None:
    """File ▸ Copy to Server…: the open project into an empty database; then offer to open the copy."""
    project = getattr(window, "project", None)
    if project is None:
        return None
    store = project.file
    server = getattr(store, "is_server", False)
    dialog = ServerDialog(window, mode="copy", source=store.url if server else str(project.path),
                          source_password=store.password if server else None)

    def copied(url: str, report) -> None:
        answer = QMessageBox.question(window, _("Copy to Server"), copy_report_text(report) + "\n\n" + _(
            "Open the project from the server now? The file stays as it is; from now on, edit the server's copy."))
        if answer == QMessageBox.StandardButton.Yes:
            open_server_url(window, url)

    dialog.copied.connect(copied)
    dialog.open()
    return dialog


def server_actions(window) -> tuple[QAction, QAction]:
    """File ▸ Open from Server… and File ▸ Copy to Server… for the main window."""
    open_act = QAction(_(OPEN_TEXT), window)
    open_act.setStatusTip(_("Open a project kept on a PostgreSQL server (team mode)"))
    open_act.triggered.connect(lambda _checked=False: show_open_dialog(window))
    copy_act = QAction(_(COPY_TEXT), window)
    copy_act.setStatusTip(_("Copy the open project into an empty database on a PostgreSQL server"))
    copy_act.triggered.connect(lambda _checked=False: show_copy_dialog(window))
    return open_act, copy_act
