"""What the GUI does with an unexpected error: Qt's own messages go to the log, and an exception
nobody caught (in a slot, a thread, start-up) is logged and shown in one calm dialog that can save
an error report for support.

PySide6 passes exceptions raised in slots to ``sys.excepthook``; :mod:`mpp_planner.logs` logs them
and calls :meth:`CrashReporter.on_error`, which may run in any thread, so it only emits a queued
signal and the dialog is made in the GUI thread.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QtMsgType, Signal, qInstallMessageHandler, qVersion
from PySide6.QtWidgets import (QApplication, QCheckBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QMessageBox,
                               QPushButton, QVBoxLayout, QWidget)

from mpp_planner import logs
from mpp_planner.i18n import _

log = logging.getLogger(__name__)

WindowGetter = Callable[[], "QWidget | None"]

_QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}


def qt_message_handler(mode, context, message: str) -> None:
    """Qt's debug/warning/critical messages into the log (logger ``qt`` or the Qt category, such as
    ``qt.qpa.fonts``), and to the console as before when there is one."""
    category = getattr(context, "category", None) or "default"
    logger = logging.getLogger(category if category.startswith("qt.") else "qt")
    logger.log(_QT_LEVELS.get(mode, logging.WARNING), "%s", message)
    if sys.stderr is not None:
        try:
            sys.stderr.write(message + "\n")
        except (OSError, ValueError):
            pass


def project_path_of(window: QWidget | None) -> Path | None:
    """The file of the project open in ``window`` (the main window), if any."""
    path = getattr(getattr(window, "project", None), "path", None)
    return Path(path) if path else None


class CrashDialog(QDialog):
    """Something went wrong; the work is safe; here is what, and a button to save a report."""

    def __init__(self, summary: str, project_path: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Unexpected error"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.project_path = project_path
        self.count = 1
        heading = QLabel("<b>" + _("Something went wrong in MPP Planner.") + "</b>")
        safe = QLabel(_("Your work is safe: every change was saved to the project file the moment you made it. "
                        "You can go on working, or close MPP Planner and open it again."))
        safe.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.repeats = QLabel()
        self.repeats.hide()
        log_file = logs.current_log_file()
        where = QLabel(_("Details were written to {path}").format(path=log_file) if log_file else "")
        where.setTextFormat(Qt.TextFormat.PlainText)
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setVisible(log_file is not None)
        help_text = QLabel(_("If it happens again, save an error report and send it to the person who helps "
                             "you with MPP Planner."))
        help_text.setWordWrap(True)
        self.include_project = QCheckBox(_("Include the project file"))
        self.include_project.setChecked(False)
        self.include_project.setEnabled(project_path is not None)
        self.include_project.setToolTip(_("The project file holds the plan, the agencies, the inventory and the "
                                          "budget. Include it only if the person you send the report to may see them."))
        self.saved = QLabel()
        self.saved.setTextFormat(Qt.TextFormat.PlainText)
        self.saved.setWordWrap(True)
        self.saved.hide()
        self.save_button = QPushButton(_("Save error report…"))
        self.save_button.clicked.connect(self.save_report)
        close = QPushButton(_("Close"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        for widget in (heading, safe, self.summary, self.repeats, where, help_text, self.include_project,
                       self.saved):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.setMinimumWidth(460)
        self.set_summary(summary)

    def set_summary(self, summary: str) -> None:
        self.summary.setText(summary)

    def happened_again(self, summary: str) -> None:
        """Another error while this one is shown: count it rather than open a second dialog."""
        self.count += 1
        self.set_summary(summary)
        self.repeats.setText(_("This happened {n} times.").format(n=self.count))
        self.repeats.show()

    def save_report(self) -> Path | None:
        """Ask where, then write the zip (with the project file only when ticked)."""
        suggested = Path.home() / f"mpp-planner-error-{datetime.now():%Y%m%d-%H%M}.zip"
        path, _filter = QFileDialog.getSaveFileName(self, _("Save error report"), str(suggested),
                                                    _("ZIP archives (*.zip)"))
        if not path:
            return None
        dest = Path(path) if path.lower().endswith(".zip") else Path(path + ".zip")
        project = self.project_path if self.include_project.isChecked() else None
        try:
            logs.make_error_report(dest, project_path=project, qt_version=qVersion())
        except Exception as exc:  # disk full, unreadable project: say so, stay open
            log.warning("Cannot write the error report %s", dest, exc_info=True)
            QMessageBox.warning(self, _("Save error report"),
                                _("Cannot write the error report: {error}").format(error=exc))
            return None
        self.saved.setText(_("Report saved: {path}").format(path=dest))
        self.saved.show()
        return dest


class CrashReporter(QObject):
    """Receives unhandled errors from any thread and shows at most one :class:`CrashDialog`."""

    error = Signal(str)

    def __init__(self, app: QCoreApplication, window_getter: WindowGetter):
        super().__init__(app)  # lives in the GUI thread, as long as the application
        self.window_getter = window_getter
        self.dialog: CrashDialog | None = None
        self.broken = False  # the dialog itself failed once: from then on errors are only logged
        self.error.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def on_error(self, _exc_type, exc: BaseException, _tb) -> None:
        """The callback of :func:`mpp_planner.logs.install_excepthook` (already logged)."""
        if not self.broken:
            self.error.emit(logs.summary(exc))

    def _show(self, summary: str) -> None:
        try:
            if self.dialog is not None:
                self.dialog.happened_again(summary)
                return
            window = self.window_getter()
            self.dialog = CrashDialog(summary, project_path_of(window),
                                      window if isinstance(window, QWidget) else None)
            self.dialog.finished.connect(self._forget)
            self.dialog.destroyed.connect(self._forget)  # closed with its parent window
            self.dialog.show()
            self.dialog.raise_()
        except Exception:  # raising here would come back as another error to show
            self.broken = True
            log.exception("Cannot show the error dialog; further errors are only logged")

    def _forget(self, *_args) -> None:
        self.dialog = None


_reporter: CrashReporter | None = None


def install(app: QCoreApplication, window_getter: WindowGetter) -> CrashReporter:
    """Route Qt's messages to the log and unhandled errors to the dialog. ``window_getter`` returns
    the main window (its project can go into the report); called again, it only re-installs the hooks."""
    global _reporter
    if _reporter is None or _reporter.parent() is not app:
        _reporter = CrashReporter(app, window_getter)
    _reporter.window_getter = window_getter
    qInstallMessageHandler(qt_message_handler)
    logs.install_excepthook(_reporter.on_error)
    return _reporter


def start_up_failed(exc: BaseException) -> int:
    """Start-up raised before the event loop ran: log it and show the dialog now (modal), since a
    windowed build has no console to print to. The exit code."""
    log.critical("Start-up failed", exc_info=exc)
    try:
        app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 - kept alive for exec
        dialog = CrashDialog(logs.summary(exc), None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        dialog.exec()
    except Exception:  # no display at all: the log has it
        log.exception("Cannot show the start-up error")
    return 1
