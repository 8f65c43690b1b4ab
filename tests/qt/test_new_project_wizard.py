"""File ▸ New…: the wizard driven through its real widgets makes a project ready to use, opens it in the
window, and the file says the same after reopening. Refusals are told on the page; nothing is written."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWizard

from mpp_planner.project import Project
from mpp_planner.qt.main_window import MainWindow
from tests.helpers import file_rows

NAME = "MPP Kabupaten Probolinggo"


@pytest.fixture
def window(qtbot):
    w = MainWindow(None)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def click(qtbot, button):
    assert button.isEnabled() and button.isVisible()
    qtbot.mouseClick(button, Qt.LeftButton)


def next_page(qtbot, wizard):
    click(qtbot, wizard.button(QWizard.NextButton))


def type_into(qtbot, edit, text):
    edit.clear()
    qtbot.keyClicks(edit, text)


def finish(qtbot, wizard):
    click(qtbot, wizard.button(QWizard.FinishButton))
    assert wizard.handle is not None, wizard.file.message.text()
    with qtbot.waitSignal(wizard.handle.finished, timeout=20_000):
        pass


def fill_identity(qtbot, wizard):
    page = wizard.identity
    assert not wizard.button(QWizard.NextButton).isEnabled()  # no name yet
    type_into(qtbot, page.name, NAME)
    type_into(qtbot, page.government, "Pemerintah Kabupaten Probolinggo")
    type_into(qtbot, page.office, "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu")
    type_into(qtbot, page.city, "Kraksaan")
    next_page(qtbot, wizard)


def logo_file(tmp_path):
    image = QImage(40, 48, QImage.Format_RGB32)
    image.fill(QColor("#1F5FA8"))
    path = tmp_path / "logo.png"
    assert image.save(str(path))
    return path


def test_the_wizard_makes_a_ready_project_and_the_window_opens_it(qtbot, window, tmp_path, monkeypatch):
    wizard = window.new_project()
    assert wizard.isVisible() and wizard.currentPage() is wizard.identity
    fill_identity(qtbot, wizard)

    # letterhead: proposed from the identity; one line edited; a logo picked from a file, shown in the preview
    page = wizard.letterhead
    assert wizard.currentPage() is page
    assert page.lines.toPlainText().splitlines() == [
        "PEMERINTAH KABUPATEN PROBOLINGGO", "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU",
        "MPP Kabupaten Probolinggo, Kraksaan"]
    page.lines.moveCursor(page.lines.textCursor().MoveOperation.End)
    qtbot.keyClicks(page.lines, ", Jawa Timur")
    (tmp_path / "notes.txt").write_text("not a picture")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "notes.txt"), ""))
    click(qtbot, page.choose)
    assert page.message.isVisible() and "PNG or JPEG" in page.message.text() and page.logo is None
    logo = logo_file(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(logo), ""))
    click(qtbot, page.choose)
    assert not page.message.isVisible() and page.logo == logo.read_bytes()
    assert page.preview.pixmap() is not None and not page.preview.pixmap().isNull()
    next_page(qtbot, wizard)

    # signatories: a bad NIP is refused on the page by the model's rule, then fixed
    page = wizard.signatories
    assert wizard.currentPage() is page and page.role.currentData() == "head"
    assert page.title.text() == "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
    type_into(qtbot, page.person, "Drs. Ahmad Fauzi, M.Si.")
    type_into(qtbot, page.rank, "Pembina Utama Muda")
    type_into(qtbot, page.nip, "19700101 199503 1")
    click(qtbot, page.add_button)
    assert page.message.isVisible() and "18 digits" in page.message.text()
    assert page.table.rowCount() == 0 and page.signatories == []
    next_page(qtbot, wizard)  # what is typed but not added is not silently dropped
    assert wizard.currentPage() is page and "Add the signatory" in page.message.text()
    type_into(qtbot, page.nip, "19700101 199503 1 002")
    click(qtbot, page.add_button)
    assert not page.message.isVisible() and page.table.rowCount() == 1
    assert page.table.item(0, 4).text() == "197001011995031002"
    assert page.role.currentData() == "proposer"  # the next role still free
    next_page(qtbot, wizard)

    # fiscal year and two floors (a name given twice is refused)
    page = wizard.year_floors
    assert wizard.currentPage() is page
    page.year.selectAll()
    qtbot.keyClicks(page.year, "2025")
    type_into(qtbot, page.floor_name, "Lantai 1")
    click(qtbot, page.add_button)
    type_into(qtbot, page.floor_name, "lantai 1")
    click(qtbot, page.add_button)
    assert "given twice" in page.message.text() and page.floors() == ["Lantai 1"]
    type_into(qtbot, page.floor_name, "Lantai 2")
    qtbot.keyClick(page.floor_name, Qt.Key_Return)
    assert page.floors() == ["Lantai 1", "Lantai 2"] and page.year.value() == 2025
    next_page(qtbot, wizard)

    # the file: proposed from the name, chosen through Browse
    page = wizard.file
    assert wizard.currentPage() is page and page.path.text().endswith(NAME + ".mpplan")
    assert "2 floor(s)" in page.summary.text() and "73 item types" in page.summary.text()
    dest = tmp_path / "kabupaten"  # the suffix is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    click(qtbot, page.browse)
    finish(qtbot, wizard)

    path = tmp_path / "kabupaten.mpplan"
    assert window.project is not None and window.project.path == path
    assert NAME in window.windowTitle() and "2 floors" in window.status_label.text()
    assert not list(tmp_path.glob(".mpplan*"))
    assert [row[1] for row in sorted(file_rows(path, "floor"))] == ["Lantai 1", "Lantai 2"]

    path_again = window.project.path
    window.close_project()
    again = Project.open(path_again)
    try:
        site = again.site
        assert (site.name, site.city, site.fiscal_year) == (NAME, "Kraksaan", 2025)
        assert site.letterhead[-1] == "MPP Kabupaten Probolinggo, Kraksaan, Jawa Timur"
        assert site.logo == logo.read_bytes()
        from mpp_planner.reads.catalog import account_codes, item_types
        from mpp_planner.seed import standard_sizes

        assert len(item_types(again)) == 73 and len(account_codes(again)) == standard_sizes()[1]
    finally:
        again.close()
    assert [(r[1], r[3], r[4], r[5]) for r in file_rows(path, "signatory")] == [
        ("head", "Drs. Ahmad Fauzi, M.Si.", "Pembina Utama Muda", "197001011995031002")]


def run_to_the_file_page(qtbot, wizard):
    fill_identity(qtbot, wizard)
    for _page in range(3):
        next_page(qtbot, wizard)
    assert wizard.currentPage() is wizard.file


def test_an_existing_file_is_replaced_only_when_the_user_says_so(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "kab.mpplan"
    target.write_bytes(b"keep me")
    answers = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    wizard = window.new_project()
    run_to_the_file_page(qtbot, wizard)
    type_into(qtbot, wizard.file.path, str(target))
    answers.append(QMessageBox.No)
    click(qtbot, wizard.button(QWizard.FinishButton))
    assert wizard.handle is None and wizard.isVisible() and target.read_bytes() == b"keep me"
    answers.append(QMessageBox.Yes)
    finish(qtbot, wizard)
    assert window.project.path == target and window.project.site.name == NAME


def test_a_missing_folder_is_told_on_the_page_and_the_wizard_stays(qtbot, window, tmp_path):
    wizard = window.new_project()
    run_to_the_file_page(qtbot, wizard)
    type_into(qtbot, wizard.file.path, str(tmp_path / "no" / "such" / "kab.mpplan"))
    finish(qtbot, wizard)
    assert wizard.isVisible() and "does not exist" in wizard.file.message.text()
    assert window.project is None and list(tmp_path.iterdir()) == []


def test_cancel_leaves_no_file_and_keeps_the_open_project(qtbot, tmp_path, demo_file):
    from tests.qt.plan_helpers import open_window

    window = open_window(qtbot, demo_file)
    before = window.project
    wizard = window.new_project()
    assert str(tmp_path) in wizard.file.folder  # proposed beside the open project
    run_to_the_file_page(qtbot, wizard)
    type_into(qtbot, wizard.file.path, str(tmp_path / "kab.mpplan"))
    click(qtbot, wizard.button(QWizard.FinishButton))
    wizard.handle.cancel()  # before the worker's first checkpoint
    with qtbot.waitSignal(wizard.handle.finished, timeout=20_000):
        pass
    assert wizard.handle.cancelled and "no project file was made" in wizard.file.message.text()
    assert window.project is before and not (tmp_path / "kab.mpplan").exists()
    assert not list(tmp_path.glob(".mpplan*"))
    window.close()
