"""The manual in the GUI: F1 opens the page of the tab on screen, Help ▸ Manual the contents; the window finds
words across pages, goes back and forward, follows the interface language, and says so when it cannot open."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, Qt, QUrl
from PySide6.QtGui import QImage, QKeySequence, QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from mpp_planner import i18n, manual
from mpp_planner.qt.help import HelpWindow, show_help
from mpp_planner.qt.main_window import TAB_KEYS, MainWindow


def press_f1(window, qtbot) -> HelpWindow:
    window.windowHandle().requestActivate()  # F1 is a shortcut of the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    QTest.keyClick(window.focusWidget() or window, Qt.Key_F1)
    help_window = window.findChild(HelpWindow)
    assert help_window is not None, "F1 opened no manual"
    qtbot.waitUntil(help_window.isVisible)
    return help_window


def shown(help_window: HelpWindow) -> tuple[str, str]:
    url = help_window.browser.source()
    return help_window.current_page(), url.fragment()


def test_f1_on_the_plan_tab_opens_the_plan_page(demo_window, qtbot):
    demo_window.show_tab("plan")
    demo_window.tab_widgets["plan"].view.setFocus()
    help_window = press_f1(demo_window, qtbot)
    assert shown(help_window) == ("plan", "")
    assert help_window.browser.documentTitle().startswith("Drawing the plan")
    assert "The Plan tab (Ctrl+1)" in help_window.browser.toPlainText()
    assert help_window.contents.currentItem().text(0) == "Drawing the plan"
    assert not help_window.isModal() and help_window.isWindow()


def test_f1_on_the_budget_tab_opens_the_budget_page_in_the_same_window(demo_window, qtbot):
    demo_window.show_tab("plan")
    first = press_f1(demo_window, qtbot)
    demo_window.show_tab("budget")
    demo_window.tab_widgets["budget"].setFocus()
    again = press_f1(demo_window, qtbot)
    assert again is first and len(demo_window.findChildren(HelpWindow)) == 1
    assert shown(again) == ("budget", "")
    assert "Budget, RKA and SIPD" in again.browser.toPlainText()


def test_every_tab_has_its_page(demo_window):
    pages = []
    for key in TAB_KEYS:
        demo_window.show_tab(key)
        assert demo_window.current_tab_key() == key
        demo_window.act_help_tab.trigger()
        pages.append(demo_window.findChild(HelpWindow).current_page())
    assert pages == [manual.resolve(key)[0] for key in TAB_KEYS] == list(TAB_KEYS)


def test_help_menu_manual_opens_the_contents(demo_window, qtbot):
    menu = next(a.menu() for a in demo_window.menuBar().actions() if a.text() == "&Help")
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["&Manual", "Help on This &Tab", "&About MPP Planner"]
    assert demo_window.act_help_tab.shortcut() == QKeySequence(QKeySequence.HelpContents)
    next(a for a in menu.actions() if a.text() == "&Manual").trigger()
    help_window = demo_window.findChild(HelpWindow)
    qtbot.waitUntil(help_window.isVisible)
    assert shown(help_window) == ("index", "")
    text = help_window.browser.toPlainText()
    assert "MPP Planner Manual" in text and "Backups and repair" in text  # the generated contents
    assert help_window.contents.topLevelItemCount() == len(manual.load_index().pages)


def test_f1_without_a_project_opens_the_first_steps(qtbot):
    window = MainWindow(None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.current_tab_key() == "welcome"
    help_window = press_f1(window, qtbot)
    assert shown(help_window) == ("first-project", "")
    window.close()


def test_links_back_forward_and_the_contents_list(demo_window, qtbot):
    help_window = show_help(demo_window, "index")
    help_window.show_page("budget#gaps")
    assert shown(help_window) == ("budget", "gaps")
    assert help_window.act_back.isEnabled() and not help_window.act_forward.isEnabled()
    help_window.act_back.trigger()
    assert shown(help_window) == ("index", "")
    help_window.act_forward.trigger()
    assert shown(help_window)[0] == "budget"
    # a section in the contents list turns to its heading
    plan = next(help_window.contents.topLevelItem(i) for i in range(help_window.contents.topLevelItemCount())
                if help_window.contents.topLevelItem(i).text(0) == "Drawing the plan")
    walls = next(plan.child(i) for i in range(plan.childCount()) if plan.child(i).text(0) == "Walls")
    help_window.contents.itemClicked.emit(walls, 0)
    assert shown(help_window) == ("plan", "walls")
    help_window.act_home.trigger()
    assert shown(help_window) == ("index", "")


def test_find_goes_through_the_page_then_the_following_pages(demo_window, qtbot):
    help_window = show_help(demo_window, "plan")
    qtbot.keyClicks(help_window.search, "Walls Around Room")
    qtbot.keyClick(help_window.search, Qt.Key_Return)
    assert help_window.browser.textCursor().selectedText() == "Walls Around Room"
    assert help_window.current_page() == "plan"
    help_window.search.setText("Krejcie")  # only on the survey and assessment pages, after the plan
    assert help_window.find_next()
    assert help_window.current_page() == "survey" and "“The satisfaction survey (SKM)”" in help_window.found.text()
    assert help_window.browser.textCursor().selectedText() == "Krejcie"
    assert help_window.find_next(backward=True)  # back to the previous place: the earlier page holds none before
    help_window.search.setText("no such words anywhere")
    assert not help_window.find_next()
    assert help_window.found.text() == "“no such words anywhere” is not in the manual."


@pytest.fixture
def indonesian():
    i18n.set_language("id")
    yield
    i18n.set_language("en")


def test_the_manual_follows_the_interface_language(qtbot, indonesian, tmp_path):
    window = HelpWindow()
    qtbot.addWidget(window)
    window.show_page("plan")
    window.show()
    qtbot.waitExposed(window)
    assert window.language == "id" and window.folder.name == "id"
    assert window.browser.documentTitle().startswith("Menggambar denah")
    assert window.act_back.text() == "Kembali" and window.search.placeholderText() == "Cari di panduan…"
    assert window.windowTitle() == "Menggambar denah — Panduan MPP Planner"
    # the window renders: the page with its screenshot, the contents, the tool bar (look at it)
    image = window.grab()
    assert image.save(str(tmp_path / "help-id.png"))
    assert image.width() >= 1000 and image.height() >= 700
    colours = {image.toImage().pixelColor(x, y).name() for x in range(300, 1000, 37) for y in range(40, 700, 29)}
    assert len(colours) > 10  # text and a picture, not an empty page


def test_a_manual_that_cannot_be_opened_is_told_in_one_line(demo_window, dialog_texts, monkeypatch):
    def broken(lang, src=None):
        raise manual.ManualError("en/plan.md:3: a ``` block is not closed")

    monkeypatch.setattr(manual, "html_dir", broken)
    assert show_help(demo_window, "plan") is None
    assert dialog_texts == [("MPP Planner Manual", "The manual cannot be opened: en/plan.md:3: a ``` block is "
                             "not closed")]
    assert demo_window.findChild(HelpWindow) is None


def test_pages_and_pictures_load_from_a_folder_with_spaces(qtbot, monkeypatch, tmp_path):
    """As under "C:\\Users\\Siti Aminah\\AppData\\Local\\MPP Planner": the pages and their images resolve."""
    monkeypatch.setenv("MPP_PLANNER_DATA_DIR", str(tmp_path / "Data Pengguna" / "MPP Planner (uji)"))
    window = HelpWindow()
    qtbot.addWidget(window)
    assert " " in str(window.folder) or window.folder.parent.parent.name == "html"  # (a prebuilt copy is used)
    window.show_page("agencies#assign")
    assert "Assigning counters to an agency" in window.browser.toPlainText()
    picture = window.browser.loadResource(QTextDocument.ResourceType.ImageResource, QUrl("../img/en-dialog-assign.png"))
    assert isinstance(picture, (QImage, QByteArray, bytes)) and picture
