"""The manual in a window of its own: *Help ▸ Manual* opens its contents, F1 the page of the tab on screen.

The pages are the HTML that :mod:`mpp_planner.manual` builds from ``resources/manual`` (prebuilt by the
installer, else built on first use), in the interface language. The window is not modal, so the manual stays
open beside the work; one window per main window, brought forward and turned to the page asked for. A
QTextBrowser shows the pages (no web engine): contents on the left, Back and Forward, and a search field that
finds the words in the page shown, then in the following pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence, QTextCursor, QTextDocument
from PySide6.QtWidgets import (QLabel, QLineEdit, QMainWindow, QMessageBox, QSplitter, QTextBrowser, QToolBar,
                               QTreeWidget, QTreeWidgetItem, QWidget)

from mpp_planner.i18n import _, current_language

PAGE_ROLE = Qt.ItemDataRole.UserRole
ANCHOR_ROLE = Qt.ItemDataRole.UserRole + 1


class HelpWindow(QMainWindow):
    """The manual of one language: ``show_page(key)`` turns to a tab's page, a page or ``page#anchor``."""

    def __init__(self, parent: QWidget | None = None, language: str | None = None):
        from mpp_planner import manual

        # the pages first: a manual that cannot be built (ManualError, OSError) leaves no window behind
        language = language or current_language()
        folder = manual.html_dir(language)
        pages = manual.load(language)
        super().__init__(parent, Qt.WindowType.Window)
        self.language, self.folder, self.pages = language, folder, pages
        self.setObjectName("help-window")
        self.setWindowTitle(_("MPP Planner Manual"))
        self.resize(1040, 760)

        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)  # the web in the user's browser; pages of the manual here
        self.browser.setSearchPaths([str(self.folder)])
        self.browser.setAccessibleName(_("Manual page"))
        self.contents = QTreeWidget()
        self.contents.setHeaderHidden(True)
        self.contents.setAccessibleName(_("Contents of the manual"))
        for page in self.pages:
            item = QTreeWidgetItem([page.title])
            item.setData(0, PAGE_ROLE, page.key)
            item.setData(0, ANCHOR_ROLE, "")
            for anchor, title in page.sections:
                child = QTreeWidgetItem([title])
                child.setData(0, PAGE_ROLE, page.key)
                child.setData(0, ANCHOR_ROLE, anchor)
                item.addChild(child)
            self.contents.addTopLevelItem(item)
        self.contents.itemActivated.connect(self._open_item)
        self.contents.itemClicked.connect(self._open_item)
        split = QSplitter()
        split.addWidget(self.contents)
        split.addWidget(self.browser)
        split.setStretchFactor(1, 1)
        split.setSizes([270, 770])
        self.setCentralWidget(split)
        self._build_bar()
        self.browser.sourceChanged.connect(self._source_changed)

    def _build_bar(self) -> None:
        bar = QToolBar(_("MPP Planner Manual"))
        bar.setObjectName("help-bar")
        bar.setMovable(False)
        keys = QKeySequence.StandardKey
        self.act_back = QAction(_("Back"), self, shortcut=QKeySequence(keys.Back), enabled=False)
        self.act_forward = QAction(_("Forward"), self, shortcut=QKeySequence(keys.Forward), enabled=False)
        self.act_home = QAction(_("Contents"), self)
        self.act_back.triggered.connect(self.browser.backward)
        self.act_forward.triggered.connect(self.browser.forward)
        self.act_home.triggered.connect(lambda: self.show_page("index"))
        self.act_back.setToolTip(_("Back to the page shown before (Alt+Left)"))
        self.act_forward.setToolTip(_("Forward again (Alt+Right)"))
        self.act_home.setToolTip(_("The first page, with the contents of the manual"))
        self.browser.backwardAvailable.connect(self.act_back.setEnabled)
        self.browser.forwardAvailable.connect(self.act_forward.setEnabled)
        for act in (self.act_back, self.act_forward, self.act_home):
            bar.addAction(act)
        bar.addSeparator()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Find in the manual…"))
        self.search.setToolTip(_("Enter: the next place the words occur, in this page and then the following "
                                 "pages; Shift+Enter: the previous one"))
        self.search.setAccessibleName(_("Find in the manual"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(320)
        self.search.returnPressed.connect(self.find_next)
        self.found = QLabel()
        self.found.setContentsMargins(8, 0, 8, 0)
        self.search.textChanged.connect(lambda _t: self.found.setText(""))
        bar.addWidget(self.search)
        self.act_find = QAction(self, shortcut=QKeySequence(keys.Find))
        self.act_find.triggered.connect(self._focus_search)
        self.act_find_prev = QAction(self, shortcut=QKeySequence("Shift+Return"),
                                     shortcutContext=Qt.ShortcutContext.WidgetShortcut)
        self.act_find_prev.triggered.connect(lambda: self.find_next(backward=True))
        self.search.addAction(self.act_find_prev)
        self.addAction(self.act_find)
        bar.addWidget(self.found)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.bar = bar

    # --- pages ---------------------------------------------------------------------------------------
    def show_page(self, key: str | None = None) -> None:
        """Turn to the page of a tab key (``plan``), a page key or ``page#anchor`` (unknown: the contents)."""
        from mpp_planner import manual

        page, anchor = manual.resolve(key)
        url = QUrl.fromLocalFile(str(self.folder / f"{page}.html"))
        if anchor:
            url.setFragment(anchor)
        self.browser.setSource(url)

    def current_page(self) -> str:
        return Path(self.browser.source().toLocalFile()).stem

    def _open_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        key, anchor = item.data(0, PAGE_ROLE), item.data(0, ANCHOR_ROLE)
        self.show_page(f"{key}#{anchor}" if anchor else key)

    def _source_changed(self, url: QUrl) -> None:
        """The contents follow the page shown, whichever way it was reached (a link, Back, the list)."""
        key = Path(url.toLocalFile()).stem
        self.contents.blockSignals(True)
        for i in range(self.contents.topLevelItemCount()):
            item = self.contents.topLevelItem(i)
            if item is None:
                continue
            here = item.data(0, PAGE_ROLE) == key
            item.setExpanded(here)  # the sections of the page shown
            if here:
                self.contents.setCurrentItem(item)
        self.contents.blockSignals(False)
        page = next((p for p in self.pages if p.key == key), None)
        if page is not None:
            self.setWindowTitle(f"{page.title} — {_('MPP Planner Manual')}")

    # --- finding -------------------------------------------------------------------------------------
    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def find_next(self, backward: bool = False) -> bool:
        """The next (previous) place the words occur: in this page, else in the following (preceding) pages
        that hold them, round to this page's start (end) again. Says where, or that they are nowhere."""
        words = self.search.text().strip()
        if not words:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if self.browser.find(words, flags):
            self.found.setText("")
            return True
        keys = [p.key for p in self.pages]
        here = keys.index(self.current_page()) if self.current_page() in keys else 0
        order = keys[here + 1:] + keys[:here + 1]
        if backward:
            order = list(reversed(keys[:here])) + list(reversed(keys[here:]))
        wanted = words.casefold()
        for key in order:
            page = self.pages[keys.index(key)]
            if wanted not in page.text.casefold():
                continue
            if key != self.current_page():
                self.show_page(key)
            cursor = self.browser.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
            self.browser.setTextCursor(cursor)
            if self.browser.find(words, flags):
                self.found.setText(_("Found in “{page}”.").format(page=page.title) if key != keys[here] else "")
                return True
        self.found.setText(_("“{words}” is not in the manual.").format(words=words))
        return False


def show_help(parent: QWidget, key: str | None = None) -> HelpWindow | None:
    """Open (or bring forward) ``parent``'s manual window on the page for ``key``; None when the manual cannot
    be shown (the user is told why in one line)."""
    from mpp_planner.manual import ManualError

    window = parent.findChild(HelpWindow, "help-window", Qt.FindChildOption.FindDirectChildrenOnly)
    if window is None:
        try:
            window = HelpWindow(parent)
        except (ManualError, OSError) as exc:
            QMessageBox.warning(parent, _("MPP Planner Manual"),
                                _("The manual cannot be opened: {error}").format(error=exc))
            return None
    window.show_page(key)
    window.show()
    window.raise_()
    window.activateWindow()
    return window


def help_actions(window: QWidget, current_key: Callable[[], str | None]) -> tuple[QAction, QAction]:
    """*Help ▸ Manual* (its contents) and *Help ▸ Help on This Tab* (F1: the page of ``current_key()``)."""
    manual = QAction(_("&Manual"), window)
    manual.triggered.connect(lambda: show_help(window, "index"))
    manual.setStatusTip(_("The user manual: first steps, the plan, counters, inventory, budget, printing, backups"))
    context = QAction(_("Help on This &Tab"), window, shortcut=QKeySequence(QKeySequence.StandardKey.HelpContents),
                      shortcutContext=Qt.ShortcutContext.WindowShortcut)
    context.triggered.connect(lambda: show_help(window, current_key()))
    context.setStatusTip(_("The manual's page for the tab on screen"))
    window.addAction(context)  # F1 works with the menu bar hidden too
    return manual, context


__all__ = ["HelpWindow", "help_actions", "show_help"]
