"""The Import… button of the account codes dialog: the file is read in a job, applied as one undo step;
a bad file names its rows on the dialog and changes nothing."""

import pytest
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select

from mpp_planner.model import AccountCode
from mpp_planner.project import Project
from mpp_planner.qt.budget.dialogs import AccountCodesDialog
from mpp_planner.qt.jobs import running_jobs
from tests.helpers import open_for_screen

ATK = "5.1.02.01.01.0024"
NEW_CODE = "5.1.02.01.01.0032"
NEW_NAME = "Belanja Alat/Bahan untuk Kegiatan Kantor-Perlengkapan Dinas"


@pytest.fixture
def dialog(qtbot, demo_file):
    with open_for_screen(demo_file) as (project, signals, stack):
        widget = AccountCodesDialog(project, stack, signals)
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitExposed(widget)
        yield widget


def on_disk(project) -> dict[str, str]:
    other = Project.open(project.path, readonly=True)
    try:
        return dict(other.session.execute(select(AccountCode.code, AccountCode.name)).all())
    finally:
        other.close()


def click_import(qtbot, monkeypatch, dialog, path):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    dialog.import_button.click()
    handle = dialog.job
    assert handle is not None
    qtbot.waitUntil(lambda: handle not in running_jobs(), timeout=60_000)
    return handle


def codes_in_table(dialog) -> dict[str, str]:
    return {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}


def test_import_button_adds_and_renames_in_one_undo_step(qtbot, monkeypatch, dialog, tmp_path):
    before = on_disk(dialog.project)
    source = tmp_path / "akun.csv"
    source.write_text(f"kode_akun,nama_akun\n{NEW_CODE},{NEW_NAME}\n{ATK},Nama Baru ATK\n", encoding="utf-8")
    click_import(qtbot, monkeypatch, dialog, source)
    assert dialog.error.text() == ""
    assert "1 code(s) added, 1 name(s) updated" in dialog.status.text()
    after = on_disk(dialog.project)
    assert after[NEW_CODE] == NEW_NAME and after[ATK] == "Nama Baru ATK" and len(after) == len(before) + 1
    assert codes_in_table(dialog)[NEW_CODE] == NEW_NAME
    assert dialog.undo_stack.count() == 1
    dialog.undo_stack.undo()
    assert on_disk(dialog.project) == before
    assert NEW_CODE not in codes_in_table(dialog)


def test_a_bad_row_is_named_and_nothing_changes(qtbot, monkeypatch, dialog, tmp_path):
    before = on_disk(dialog.project)
    source = tmp_path / "akun.csv"
    source.write_text(f"kode,nama\n{NEW_CODE},{NEW_NAME}\n5.1.2.01,Belanja Salah\n", encoding="utf-8")
    click_import(qtbot, monkeypatch, dialog, source)
    assert "row 3" in dialog.error.text() and "5.1.2.01" in dialog.error.text()
    assert dialog.status.text() == ""
    assert on_disk(dialog.project) == before and dialog.undo_stack.count() == 0


def test_no_file_chosen_does_nothing(qtbot, monkeypatch, dialog):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    assert dialog.import_codes() is None and dialog.job is None
