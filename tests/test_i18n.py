"""Every visible string is translated into Indonesian, the catalogue matches the source, and the
translations keep what the code relies on (placeholders, accelerators, spaces). Qt-free: the Qt
layer is read as source text only."""

from __future__ import annotations

import ast
import re
import string
from datetime import date
from pathlib import Path

import pytest

from mpp_planner import formats, i18n
from mpp_planner.i18n_catalog import extract_messages, missing_translations, po_path, read_po

PACKAGE = Path(__file__).resolve().parents[1] / "mpp_planner"


@pytest.fixture(scope="module")
def catalogue() -> dict[str, str]:
    return {k: v for k, v in read_po(po_path("id")).items() if k}


@pytest.fixture
def indonesian():
    i18n.set_language("id")
    yield
    i18n.set_language("en")


# --- the catalogue is complete and in step with the source ----------------------------------

def test_every_user_visible_string_has_an_indonesian_translation():
    missing = missing_translations("id")
    assert not missing, "untranslated (run `python -m mpp_planner.i18n_catalog extract`, then translate):\n" + \
        "\n".join(f"  {where[0]}: {msg!r}" for msg, where in missing)


def test_catalogue_is_in_step_with_the_source(catalogue):
    """Re-extracting changes nothing: no new msgid missing from the .po, no stale one left in it."""
    extracted = set(extract_messages())
    assert sorted(extracted - set(catalogue)) == [], "run `python -m mpp_planner.i18n_catalog extract`"
    assert sorted(set(catalogue) - extracted) == [], "stale entries: run `python -m mpp_planner.i18n_catalog extract`"
    assert all(catalogue[m] for m in extracted)


def fields(text: str):
    """The str.format fields and %-style conversions of a message, as a sorted list."""
    try:
        named = [f"{{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}"
                 for _lit, name, spec, conv in string.Formatter().parse(text) if name is not None]
    except ValueError:
        named = ["<unbalanced braces>"]
    percent = re.findall(r"%\([A-Za-z_]+\)[sdr]|%[sdr]", text)
    return sorted(named + percent)


def accelerators(text: str) -> tuple[int, int]:
    return len(re.findall(r"(?<!&)&(?!&)", text.replace("&&", ""))), text.count("&&")


def test_translations_keep_placeholders(catalogue):
    wrong = [(m, t) for m, t in catalogue.items() if fields(m) != fields(t)]
    assert not wrong, "\n".join(f"{m!r}\n  -> {t!r}" for m, t in wrong)


def test_translations_keep_accelerators_and_surrounding_spaces(catalogue):
    wrong = [(m, t) for m, t in catalogue.items() if accelerators(m) != accelerators(t)]
    assert not wrong, "\n".join(f"{m!r} -> {t!r}" for m, t in wrong)
    spaced = [(m, t) for m, t in catalogue.items()
              if (m[:1].isspace(), m[-1:].isspace(), m.count("\n"))
              != (t[:1].isspace(), t[-1:].isspace(), t.count("\n"))]
    assert not spaced, spaced


def test_placeholder_checks_can_fail():
    assert fields("Move {what}") != fields("Pindahkan {apa}")
    assert fields("{n:.0f} MB") != fields("{n} MB")
    assert fields("invalid choice: %(value)r") != fields("pilihan tidak sah")
    assert accelerators("&Copy") != accelerators("Salin")
    assert accelerators("Inventory && Needs") == accelerators("Inventaris && Kebutuhan")


def test_terminology_is_consistent(catalogue):
    """The glossary: one Indonesian word per domain noun."""
    expected = {"Counter": "Loket", "Agency": "Instansi", "Room": "Ruangan", "Floor": "Lantai", "Plan": "Denah",
                "Staff": "Petugas", "Unit": "Satuan", "Unit price": "Harga satuan", "Coefficient": "Koefisien",
                "Account code": "Kode rekening", "Finding": "Temuan", "Visits": "Visitasi", "Gap": "Kekurangan",
                "Save": "Simpan", "Cancel": "Batal", "Delete": "Hapus", "Add": "Tambah", "&Undo": "&Batalkan",
                "&Redo": "&Ulangi", "&Copy": "&Salin", "&Paste": "&Tempel", "Cu&t": "&Potong",
                "D&uplicate": "&Gandakan", "Zoom in": "Perbesar", "Zoom out": "Perkecil", "Fit to view": "Pas di layar",
                "Calibrate": "Kalibrasi", "Set origin": "Titik asal", "Background": "Latar", "Opacity": "Keburaman"}
    assert {k: catalogue[k] for k in expected} == expected
    # undo texts read naturally: verb first, then what
    assert catalogue["Move {what}"].format(what=catalogue["{n} counters"].format(n=3)) == "Pindahkan 3 loket"


# --- the runtime uses the catalogue ----------------------------------------------------------

def test_gettext_and_plural_forms_use_the_catalogue(indonesian):
    assert i18n._("Counters") == "Loket"
    assert i18n.ngettext("{n} room", "{n} rooms", 1).format(n=1) == "1 ruangan"
    assert i18n.ngettext("{n} room", "{n} rooms", 3).format(n=3) == "3 ruangan"
    i18n.set_language("en")
    assert i18n.ngettext("{n} room", "{n} rooms", 3).format(n=3) == "3 rooms"


def test_cli_speaks_the_chosen_language(tmp_path, capsys):
    from mpp_planner.cli import main

    assert main(["demo", str(tmp_path / "a.mpplan"), "--lang", "id"]) == 0
    assert "Proyek contoh ditulis ke" in capsys.readouterr().err
    assert main(["demo", str(tmp_path / "b.mpplan"), "--lang", "en"]) == 0
    assert "Demo project written to" in capsys.readouterr().err
    # argparse's own words and errors follow too
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "nothing", "--lang", "id"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "penggunaan:" in err and "pilihan tidak sah" in err
    with pytest.raises(SystemExit):
        main(["--help", "--lang", "id"])
    out = capsys.readouterr().out
    assert "opsi:" in out and "tampilkan bantuan ini lalu keluar" in out
    with pytest.raises(SystemExit):
        main(["--help", "--lang", "en"])
    assert "show this help message and exit" in capsys.readouterr().out
    i18n.set_language("en")


def test_numbers_and_dates_follow_the_ui_language(indonesian):
    assert formats.number(1234567.5, 2) == "1.234.567,50"
    assert formats.long_date(date(2023, 12, 15)) == "15 Desember 2023"
    assert formats.rupiah(1250000) == "Rp1.250.000"
    i18n.set_language("en")
    assert formats.number(1234567.5, 2) == "1,234,567.50"
    assert formats.long_date(date(2023, 12, 15)) == "15 December 2023"
    # reports ask for Indonesian explicitly
    assert formats.long_date(date(2023, 12, 15), lang="id") == "15 Desember 2023"


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


@pytest.mark.parametrize("kind, words", [
    ("budget", ["USULAN KEBUTUHAN SARANA DAN PRASARANA", "Terbilang:", "Probolinggo, 15 Desember 2023",
                "Halaman 1 dari", "1.889.553.000"]),
    ("inventory", ["KARTU INVENTARIS RUANGAN (KIR)", "Keadaan Barang", "Probolinggo, 15 Desember 2023"]),
    ("allocations", ["DAFTAR ALOKASI LOKET INSTANSI", "Keadaan per 15 Desember 2023", "Instansi Pusat/Vertikal"]),
    ("findings", ["HASIL PEMERIKSAAN STANDAR", "Keadaan per 15 Desember 2023", "Luas Ruang Laktasi hanya 8,75 m²"]),
])
def test_official_reports_are_indonesian_with_the_ui_in_english(demo_file, tmp_path, capsys, kind, words):
    from mpp_planner.cli import main

    out = tmp_path / f"{kind}.pdf"
    assert main(["export", kind, str(demo_file), "-o", str(out), "--date", "2023-12-15", "--lang", "en"]) == 0
    assert i18n.current_language() == "en"
    assert "Written:" in capsys.readouterr().err  # the CLI itself speaks English
    text = pdf_text(out)
    for word in words:
        assert word in text
    for english in ("December", "Page 1 of", "Total amount", "measures", "Agency"):
        assert english not in text
    assert not re.search(r"\d,\d{3},\d{3}", text), "English thousands separators in an official report"


# --- nothing visible is left unwrapped -------------------------------------------------------

# call name -> positions of the arguments that are shown to the user
VISIBLE_ARGS = {
    "setText": (0,), "setWindowTitle": (0,), "setToolTip": (0,), "setStatusTip": (0,), "setWhatsThis": (0,),
    "setPlaceholderText": (0,), "setTitle": (0,), "setLabelText": (0,), "setTabText": (1,), "setTabToolTip": (1,),
    "addTab": (1,), "insertTab": (2,), "setHeaderLabels": (0,), "setHorizontalHeaderLabels": (0,),
    "setVerticalHeaderLabels": (0,), "addMenu": (0, 1), "addAction": (0, 1), "addRow": (0,), "showMessage": (0,),
    "setSpecialValueText": (0,), "addItem": (0,), "addItems": (0,), "setInformativeText": (0,),
    "setDetailedText": (0,), "setNameFilter": (0,), "addSection": (0,), "setPrefix": (0,), "setSuffix": (0,),
    "QLabel": (0,), "QPushButton": (0, 1), "QAction": (0, 1), "QCheckBox": (0,), "QRadioButton": (0,),
    "QGroupBox": (0,), "QMenu": (0,), "QDockWidget": (0,), "QToolBar": (0,), "QCommandLinkButton": (0, 1),
    "QTreeWidgetItem": (0,), "QListWidgetItem": (0, 1), "QStandardItem": (0, 1), "QTableWidgetItem": (0,),
    "QProgressDialog": (0, 1), "Column": (0,),
    "information": (1, 2), "warning": (1, 2), "critical": (1, 2), "question": (1, 2), "about": (1, 2),
    "getText": (1, 2), "getInt": (1, 2), "getDouble": (1, 2), "getItem": (1, 2),
    "getSaveFileName": (1, 3), "getOpenFileName": (1, 3), "getOpenFileNames": (1, 3), "getExistingDirectory": (1,),
}
VISIBLE_KEYWORDS = {"text", "toolTip", "statusTip", "title", "caption", "filter", "label", "header", "tip",
                    "placeholderText", "windowTitle"}
# Literals that are legitimately not translated: (file, text).
ALLOWED = {
    ("mpp_planner/qt/budget/dialogs.py", "Unit"),  # default *data* value of a new line's unit (as in "2 Unit")
    ("mpp_planner/qt/main_window.py", "MPP "),  # prefilled start of the MPP's name
    ("mpp_planner/qt/plan_export/dialog.py", "all"),  # item *data* of the floor combo
    ("mpp_planner/qt/plan_export/dialog.py", "agency"),
    ("mpp_planner/qt/plan_export/dialog.py", "tier"),
    ("mpp_planner/qt/plan_export/dialog.py", " dpi"),  # unit symbol
    ("mpp_planner/qt/inventory/catalog.py", " mm"),  # unit symbol
    ("mpp_planner/qt/plan/wall_bar.py", " mm"),  # unit symbol
}


def _is_translated(node) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext")


def _literal_texts(node):
    """Literal text reaching the screen through ``node`` without passing through ``_()``."""
    if _is_translated(node):
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        yield "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for element in node.elts:
            yield from _literal_texts(element)
    elif isinstance(node, ast.BinOp):
        yield from _literal_texts(node.left)
        yield from _literal_texts(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _literal_texts(node.body)
        yield from _literal_texts(node.orelse)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"):
        yield from _literal_texts(node.func.value)


def _has_words(text: str) -> bool:
    """Text a reader would need translated: a word of two letters or more outside markup and fields."""
    bare = re.sub(r"<[^>]+>|&[a-z]+;|\{[^{}]*\}", "", text)
    return bool(re.search(r"[A-Za-z]{2,}", bare))


def unwrapped_literals(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parents[1]).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name not in VISIBLE_ARGS:
                continue
            args = [node.args[i] for i in VISIBLE_ARGS[name] if i < len(node.args)]
            args += [k.value for k in node.keywords if k.arg in VISIBLE_KEYWORDS]
            for arg in args:
                for text in _literal_texts(arg):
                    if _has_words(text) and (rel, text) not in ALLOWED:
                        found.append(f"{rel}:{node.lineno}: {name}({text!r})")
    return found


def test_no_literal_text_reaches_the_qt_widgets_untranslated():
    found = unwrapped_literals(PACKAGE / "qt")
    assert not found, "wrap these in _() (or allow-list them with a reason):\n" + "\n".join(found)


def test_the_unwrapped_literal_scan_can_fail(tmp_path):
    qt = tmp_path / "mpp_planner" / "qt"
    qt.mkdir(parents=True)
    (qt / "w.py").write_text(
        "from mpp_planner.i18n import _\n"
        "label = QLabel('Counters')\n"
        "ok = QLabel(_('Counters'))\n"
        "button.setToolTip(f'Delete {n} rows')\n"
        "QMessageBox.warning(self, _('Title'), 'Something went wrong')\n"
        "act = menu.addAction('&Open')\n"
        "box.setSuffix(' %')\n", encoding="utf-8")
    found = unwrapped_literals(qt)
    assert len(found) == 4, found


def test_translate_calls_cannot_hide_from_extraction():
    """``_`` is never rebound inside a function that translates (it would shadow the function), and
    literal text handed to another gettext function is marked with N_() so extraction sees it."""
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            rebinds = any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)
                          for n in ast.walk(fn)) or "_" in [a.arg for a in fn.args.args + fn.args.kwonlyargs]
            calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_"
                        for n in ast.walk(fn))
            if rebinds and calls:
                problems.append(f"{path.name}:{fn.lineno}: '_' rebound in a function that calls _()")
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
                name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
                if name in ("gettext", "pgettext", "tr") and node.args and isinstance(node.args[0], ast.Constant):
                    problems.append(f"{path.name}:{node.lineno}: {name}({node.args[0].value!r}) is not extracted")
    assert not problems, "\n".join(problems)
