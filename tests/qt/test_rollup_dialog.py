"""File ▸ Roll-up of Several MPPs…: the dialog reads a folder as a job (worker processes behind a progress dialog
with Cancel), writes the report, tells the files skipped and offers to open the report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from mpp_planner.qt.rollup_dialog import RollupDialog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def sent_folder(demo_master, tmp_path) -> Path:
    """What came in by e-mail: the demo, an older project file of another MPP, and a note."""
    folder = tmp_path / "kiriman"
    folder.mkdir()
    shutil.copy2(demo_master, folder / "probolinggo.mpplan")
    shutil.copy2(FIXTURES / "schema-0007.mpplan", folder / "fixture.mpplan")
    (folder / "catatan.txt").write_text("berkas MPP tahun 2024\n", encoding="utf-8")
    return folder


def _button(dialog, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text)


def test_the_dialog_rolls_up_a_folder_writes_the_report_and_offers_to_open_it(qtbot, sent_folder, tmp_path,
                                                                              dialog_texts, monkeypatch):
    from openpyxl import load_workbook

    out = tmp_path / "Rekap MPP 2024.xlsx"
    opened = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(sent_folder)))
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile())))
    monkeypatch.setattr(QMessageBox, "clickedButton",
                        lambda box: next(b for b in box.buttons() if b.text() == "Open the Report"))
    dialog = RollupDialog(year=2024, folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(_button(dialog, "Add Folder…"), Qt.LeftButton)
    assert dialog.paths() == [str(sent_folder)]
    dialog.output.setText(str(out))
    qtbot.mouseClick(dialog.run_button, Qt.LeftButton)
    assert not dialog.run_button.isEnabled()  # one run at a time
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=120_000)
    qtbot.waitUntil(dialog.run_button.isEnabled, timeout=10_000)
    result = dialog.outcome
    assert sorted(s.identity.name for s in result.summaries) == ["MPP Fixture 0001", "MPP Kota Probolinggo"]
    assert [Path(s.path).name for s in result.skipped] == ["catatan.txt"]
    title, text = dialog_texts[-1]
    assert title == "Roll-up of Several MPPs"
    assert "2 file(s) read, 1 skipped" in text and "catatan.txt" in text and str(out) in text
    assert opened == [str(out)]
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Ringkasan" and wb["Ringkasan"]["B5"].value == "MPP Fixture 0001"
    assert sorted(p.name for p in sent_folder.iterdir()) == ["catatan.txt", "fixture.mpplan", "probolinggo.mpplan"]


def test_cancel_leaves_no_report(qtbot, sent_folder, tmp_path, dialog_texts):
    out = tmp_path / "rekap.pdf"
    dialog = RollupDialog(year=2024)
    qtbot.addWidget(dialog)
    dialog.add_paths([sent_folder])
    dialog.output.setText(str(out))
    handle = dialog.start()
    assert handle is not None
    handle.cancel()
    with qtbot.waitSignal(handle.finished, timeout=60_000):
        pass
    assert dialog.outcome is None and not out.exists() and dialog_texts == []


def test_missing_choices_are_told_before_anything_runs(qtbot, sent_folder, tmp_path, dialog_texts):
    dialog = RollupDialog(year=2024, folder=tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.output.text() == str(tmp_path / "Rekap MPP 2024.xlsx")
    dialog.year.setValue(2025)  # the suggested name follows the year
    assert dialog.output.text() == str(tmp_path / "Rekap MPP 2025.xlsx")
    assert dialog.start() is None
    assert dialog_texts[-1][1] == "Add the project files or a folder holding them first."
    dialog.add_paths([sent_folder])
    dialog.output.setText(str(tmp_path / "rekap.docx"))
    assert dialog.start() is None
    assert "Unknown output format '.docx'" in dialog_texts[-1][1]


def test_the_file_menu_opens_the_dialog_on_the_projects_year_and_folder(demo_window, qtbot):
    act = next(a for a in demo_window.menu_file.actions() if a.text() == "Ro&ll-up of Several MPPs…")
    act.trigger()
    dialog = next(w for w in demo_window.findChildren(RollupDialog))
    assert dialog.year.value() == 2024
    assert dialog.folder == str(demo_window.project.path.parent)
    dialog.close()
