"""File ▸ Project settings…: identity, signatories, paper and decree, one undoable edit, kept in the file."""

from __future__ import annotations

from datetime import date

from mpp_planner.model import Signatory, Site
from mpp_planner.project import Project


def file_rows(path, query: str) -> list[tuple]:
    """Rows of ``query`` on the project file, read with plain sqlite3 (no app code)."""
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def open_dialog(window):
    from mpp_planner.qt.project_settings import ProjectSettingsDialog

    return ProjectSettingsDialog(window.project, window.undo_stack, window)


def test_settings_are_saved_in_the_file_and_undone_in_one_step(qtbot, demo_window):
    window = demo_window
    assert window.act_project_settings.isEnabled()
    dialog = open_dialog(window)
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "MPP Kota Probolinggo" and dialog.paper.currentData() == "A4"
    dialog.paper.setCurrentIndex(dialog.paper.findData("F4"))
    dialog.decree_title.setText("Keputusan Kepala DPMPTSP Kota Probolinggo")
    dialog.decree_number.setText("503/12/425.117/2024")
    dialog.decree_date.setText("02-01-2024")
    assert dialog.decree_date_text.text() in ("2 Januari 2024", "2 January 2024")
    dialog.upt.setText("UPT Mal Pelayanan Publik")
    dialog.signers.item(3, 1).setText("")  # the room officer: nobody any more
    dialog.signers.item(3, 0).setText("")
    dialog.signers.item(0, 3).setText("19680512 199403 1 007")  # same NIP typed with spaces: no change
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    path = window.project.path
    rows = file_rows(path, "SELECT paper, decree_number, decree_date, upt_name FROM site")
    assert rows == [("F4", "503/12/425.117/2024", "2024-01-02", "UPT Mal Pelayanan Publik")]
    assert [r[0] for r in file_rows(path, "SELECT role FROM signatory ORDER BY role")] == [
        "goods_admin", "head", "proposer"]
    assert window.undo_stack.undoText()  # one step
    window.undo_stack.undo()
    assert file_rows(path, "SELECT paper, decree_number FROM site") == [("A4", "")]
    assert len(file_rows(path, "SELECT role FROM signatory")) == 4
    window.undo_stack.redo()
    p = Project.open(path, readonly=True)
    try:
        site = p.site
        assert (site.paper, site.decree_date) == ("F4", date(2024, 1, 2))
        assert p.session.query(Signatory).count() == 3 and isinstance(site, Site)
    finally:
        p.close()


def test_a_refused_value_is_told_in_the_dialog_which_stays_open(qtbot, demo_window):
    dialog = open_dialog(demo_window)
    qtbot.addWidget(dialog)
    dialog.signers.item(1, 3).setText("12345")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "18" in dialog.message.text()
    dialog.signers.item(1, 3).setText("")
    dialog.decree_date.setText("31-02-2024")
    assert dialog.decree_date_text.text()
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted and not dialog.message.isHidden()
    assert "31-02-2024" in dialog.message.text()
    assert file_rows(demo_window.project.path, "SELECT decree_date FROM site") == [(None,)]


def test_nothing_changed_closes_without_an_edit(qtbot, demo_window):
    dialog = open_dialog(demo_window)
    qtbot.addWidget(dialog)
    before = demo_window.undo_stack.count()
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted and demo_window.undo_stack.count() == before


def test_the_settings_dialog_looks_right(qtbot, demo_window, tmp_path):
    dialog = open_dialog(demo_window)
    qtbot.addWidget(dialog)
    dialog.show()
    for i in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(i)
        qtbot.wait(10)
        assert dialog.grab().save(str(tmp_path / f"settings-{i}.png"))
