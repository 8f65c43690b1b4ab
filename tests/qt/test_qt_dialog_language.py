"""Qt's own print dialog, page setup and print preview speak the interface language: in Indonesian, their
buttons, labels, choices and tool bar say it in Indonesian, and none of the English words we translate is left.

(Offscreen on Linux the print dialog and the page setup are Qt's own widgets; on Windows they are the system's,
in the language of Windows. The print preview is Qt's own everywhere.)"""

import pytest
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPageSetupDialog, QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QGroupBox, QLabel, QTabWidget

from mpp_planner.i18n import _, set_language
from mpp_planner.qt.qt_translation import QT_MESSAGES, CatalogueTranslator

PRINT_CONTEXTS = ("QPrintDialog", "QPrintWidget", "QPrintSettingsOutput", "QPrintPropertiesWidget",
                  "QPageSetupWidget", "QPrintPreviewDialog")


@pytest.fixture
def indonesian(qapp):
    """The interface in Indonesian with Qt's words translated, as the app starts with ``--lang id``."""
    set_language("id")
    translator = CatalogueTranslator(qapp)
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)
    set_language("en")


def texts_of(dialog) -> set[str]:
    """Every word the dialog shows: buttons, labels, group boxes, tabs, combo box choices, tool bar actions."""
    out = {w.text() for w in dialog.findChildren(QAbstractButton)} | {w.text() for w in dialog.findChildren(QLabel)}
    out |= {g.title() for g in dialog.findChildren(QGroupBox)}
    out |= {t.tabText(i) for t in dialog.findChildren(QTabWidget) for i in range(t.count())}
    out |= {c.itemText(i) for c in dialog.findChildren(QComboBox) for i in range(c.count())}
    out |= {a.text() for a in dialog.findChildren(QAction)}
    return {t for t in out if t}


def english_left(texts: set[str]) -> set[str]:
    """The shown texts that are English words we translate."""
    english = {t for context in PRINT_CONTEXTS for t in QT_MESSAGES[context] if _(t) != t}
    return texts & english


def printer() -> QPrinter:
    p = QPrinter(QPrinter.PrinterMode.HighResolution)
    p.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # no real printer here: Qt's "print to file"
    return p


def test_the_print_dialog_speaks_indonesian(indonesian, qtbot):
    paper = printer()  # kept alive as long as the dialog: it only points at it
    dialog = QPrintDialog(paper)
    qtbot.addWidget(dialog)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setMinMax(1, 3)
    dialog.show()
    options = next(b for b in dialog.findChildren(QAbstractButton) if b.text() == "&Opsi >>")
    options.click()  # the options part too
    texts = texts_of(dialog)
    assert {"&Cetak", "Batal", "&Opsi <<", "P&roperti", "Cetak semua", "Halaman dari", "Jumlah salinan:",
            "Semua halaman", "Halaman ganjil", "Cetak ke Berkas (PDF)", "Berwarna"} <= texts
    assert english_left(texts) == set()


def test_the_page_setup_speaks_indonesian(indonesian, qtbot):
    paper = printer()  # kept alive as long as the dialog: it only points at it
    dialog = QPageSetupDialog(paper)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = texts_of(dialog)
    assert {"Ukuran kertas:", "Orientasi", "Potret (tegak)", "Lanskap (mendatar)", "Margin", "Milimeter (mm)",
            "Halaman &per lembar:"} <= texts
    assert english_left(texts) == set()


def test_the_print_preview_speaks_indonesian(indonesian, qtbot):
    paper = printer()  # kept alive as long as the dialog: it only points at it
    dialog = QPrintPreviewDialog(paper)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = texts_of(dialog)
    assert {"Halaman berikutnya", "Halaman sebelumnya", "Pas selebar jendela", "Perbesar", "Cetak",
            "Pengaturan halaman", "Tampilkan halaman berhadapan"} <= texts
    assert english_left(texts) == set()


def test_in_english_qt_keeps_its_own_words(qtbot):
    assert QApplication.instance() is not None
    paper = printer()  # kept alive as long as the dialog: it only points at it
    dialog = QPrintPreviewDialog(paper)
    qtbot.addWidget(dialog)
    assert {"Next page", "Fit width", "Page setup"} <= texts_of(dialog)
