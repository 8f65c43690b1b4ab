"""Safety checks that apply to every importer in ``cli.import_cmd.IMPORTS`` and every exporter in
``cli.export.EXPORTS`` — whoever registers them. Each registered module is picked up automatically:

* importers: random bytes, random text and random CSV tables (with the module's own header names
  when it exposes ``ALIASES`` = {canonical: [accepted names]}) either give a command or
  ImportRefused with row errors — never another exception; ``prepare`` never writes; a pushed
  command applies all its rows or, when refused, none;
* exporters: text starting with =, +, -, @ in every text field never reaches a CSV or XLSX cell as a
  formula, and markup-like text never breaks a PDF.

A self-test runs the same machinery on small stand-in modules, so it is known to work before any
real importer or exporter is registered.
"""

import csv
import importlib
import io
import re
import sys
import types
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mpp_planner.cli import export as export_cli
from mpp_planner.cli import import_cmd as import_cli
from mpp_planner.cli import main
from mpp_planner.commands import History
from mpp_planner.importers import ImportRefused
from mpp_planner.model import Base, ValidationError
from mpp_planner.project import Project

from tests.safety.dump import content, dump_file

STATS = {"import": 0}
FORMULA_TEXTS = ["=HYPERLINK(\"http://x\",\"klik\")", "+62 812 555", "-cmd|' /C calc'!A0", "@SUM(1+1)"]
MARKUP = "<b>Kursi & Meja</b> < 5"
INJECTED_BITS = ("HYPERLINK", "http://x", "812 555", "calc", "SUM(1+1)")


# --- importers -----------------------------------------------------------------------------------

#: keyword arguments an importer's ``prepare`` needs besides the file (what its command line requires)
IMPORT_OPTIONS = {"survey": {"period": "2024 Semester I"}}


def export_options(kind: str, project_path) -> list[str]:
    """Arguments an exporter's command line requires, read from the (injected) file: the survey's period."""
    if kind != "survey":
        return []
    import sqlite3

    con = sqlite3.connect(f"file:{project_path}?mode=ro", uri=True)
    try:
        (name,) = con.execute("SELECT name FROM survey_period ORDER BY id LIMIT 1").fetchone()
    finally:
        con.close()
    return ["--period", name]


def fuzz_importer(module, project_path, examples=40, options=None):
    """Hypothesis run of ``module.prepare`` on generated files; returns the number of examples."""
    aliases = getattr(module, "ALIASES", {}) or {}
    header_words = sorted({name for canon, names in aliases.items() for name in (canon, *names)}) or ["nama"]
    cell = st.one_of(st.text(max_size=12), st.sampled_from(FORMULA_TEXTS + [MARKUP, "0", "-1", "1,5", "1.000.000"]))
    table = st.tuples(st.lists(st.sampled_from(header_words + ["lain", ""]), min_size=1, max_size=8),
                      st.lists(st.lists(cell, max_size=8), max_size=6))
    source = st.one_of(st.binary(max_size=600).map(lambda b: ("csv", b)),
                       st.text(max_size=400).map(lambda t: ("csv", t.encode("utf-8"))), table.map(_csv_bytes),
                       st.binary(max_size=300).map(lambda b: ("xlsx", b)))
    project = Project.open(project_path)
    reader_before = dump_file(project_path)
    count = {"n": 0}

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(src=source, encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    def run(src, encoding):
        count["n"] += 1
        kind, data = src
        if kind == "csv" and encoding != "utf-8":
            try:
                data = data.decode("utf-8").encode(encoding, errors="replace")
            except UnicodeDecodeError:
                pass
        path = Path(project_path).parent / f"masukan.{kind}"
        path.write_bytes(data)
        before = dump_file(project_path)
        try:
            command = module.prepare(project, path, **(options or {}))
        except ImportRefused as refused:
            assert refused.errors
            assert dump_file(project_path) == before
            return
        assert dump_file(project_path) == before, "prepare() must not write"
        history = History(project)
        try:
            history.push(command)
        except (ImportRefused, ValidationError):
            assert dump_file(project_path) == before, "a refused import must change nothing"
            return
        assert history.done
        history.undo()
        # (but for the row versions and the change log, which grow with every edit and undo)
        assert content(dump_file(project_path)) == content(before), "undo of an import must restore the project"

    try:
        run()
    finally:
        project.close()
    assert content(dump_file(project_path)) == content(reader_before)
    return count["n"]


def _csv_bytes(header_rows):
    header, rows = header_rows
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return "csv", buf.getvalue().encode("utf-8")


@pytest.mark.parametrize("kind", sorted(import_cli.IMPORTS))
def test_registered_importer_survives_fuzzing(kind, demo_file):
    module = importlib.import_module(import_cli.IMPORTS[kind])
    STATS["import"] += fuzz_importer(module, demo_file, options=IMPORT_OPTIONS.get(kind))


# --- exporters -----------------------------------------------------------------------------------

def inject_user_text(project):
    """Put formula-like and markup-like text into every text field the model accepts it in."""
    from sqlalchemy import String, Text

    texts = FORMULA_TEXTS + [MARKUP]
    i = 0
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        columns = [p for p in mapper.column_attrs if isinstance(p.columns[0].type, (String, Text))
                   and p.key in mapper.validators and not p.columns[0].primary_key]
        if not columns:
            continue
        for obj in project.all(cls)[:6]:
            for prop in columns:
                i += 1
                value = texts[i % len(texts)] + f" {i}"
                try:
                    with project.edit():
                        setattr(obj, prop.key, value)
                except Exception:  # noqa: BLE001 - codes, colours, choices refuse such text
                    pass


def assert_no_formula_cells(path: Path, fmt: str):
    if fmt == "csv":
        with open(path, encoding="utf-8-sig", newline="") as fh:
            sample = fh.read(4096)
            fh.seek(0)
            delimiter = ";" if sample.count(";") > sample.count(",") else ","
            for row in csv.reader(fh, delimiter=delimiter):
                for cell in row:
                    assert not _formula_like(cell), (path.name, cell)
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.data_type == "f":  # the app's own live formulas (budget sums) are fine,
                        formula = str(c.value)  # but no user text may have become part of one
                        assert not any(bit in formula for bit in INJECTED_BITS), (path.name, c.coordinate, formula)
                    elif isinstance(c.value, str):
                        assert not _formula_like(c.value), (path.name, ws.title, c.coordinate, c.value)


def _formula_like(text: str) -> bool:
    if not text or text[0] not in "=+-@\t\r":
        return False
    body = text[1:].replace(".", "").replace(",", "").replace(" ", "")
    return not (text[0] in "+-" and body.isdigit())  # a signed number written as text is harmless


@pytest.fixture
def injected_file(demo_file):
    project = Project.open(demo_file)
    inject_user_text(project)
    project.close()
    return demo_file


@pytest.mark.parametrize("kind", sorted(export_cli.EXPORTS))
def test_registered_exporter_neutralises_formulas_and_escapes_markup(kind, injected_file, tmp_path):
    module = importlib.import_module(export_cli.EXPORTS[kind])
    for fmt in module.FORMATS:
        out = tmp_path / f"{kind}.{fmt}"
        extra = export_options(kind, injected_file)
        assert main(["export", kind, str(injected_file), "-o", str(out), *extra]) == 0, (kind, fmt)
        assert_no_formula_cells(out, fmt)
        if fmt == "pdf":
            from pypdf import PdfReader

            text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(str(out)).pages))
            if "Kursi & Meja" in text:
                assert "<b>Kursi & Meja</b>" in text


# --- the machinery itself, on stand-ins ----------------------------------------------------------

def _fake_modules():
    from mpp_planner.commands import AddObjects
    from mpp_planner.importers import RowError, read_table
    from mpp_planner.model import Agency
    from mpp_planner.reports.output import write_csv, write_atomically, xlsx_append

    imp = types.ModuleType("fake_agency_import")
    imp.HELP = "stand-in"
    imp.ALIASES = {"name": ["nama"], "short_name": ["singkatan"], "tier": ["tingkat"]}

    def prepare(project, source):
        table = read_table(source, imp.ALIASES, ["name"])
        objects, errors = [], []
        taken = {a.name for a in project.all(Agency)}
        for number, row in table.rows:
            try:
                agency = Agency(name=row.get("name", ""), short_name=row.get("short_name") or "X",
                                tier=row.get("tier") or "pusat")
            except ValidationError as exc:
                errors.append(RowError(number, exc.field, exc.message))
                continue
            if agency.name in taken:
                errors.append(RowError(number, "name", "exists"))
                continue
            taken.add(agency.name)
            objects.append(agency)
        if errors or not objects:
            raise ImportRefused(errors or [RowError(0, "", "no rows")])
        return AddObjects("import", objects)

    imp.prepare = prepare

    exp = types.ModuleType("fake_agency_export")
    exp.FORMATS = ("csv", "xlsx")
    exp.HELP = "stand-in"

    def export(project, out, fmt, args):
        rows = [[a.name, a.short_name, a.notes, a.email] for a in project.all(Agency)]
        if fmt == "csv":
            write_csv(out, ["Nama", "Singkatan", "Catatan", "Email"], rows)
        else:
            from openpyxl import Workbook

            def produce(tmp):
                wb = Workbook()
                for r in [["Nama", "Singkatan", "Catatan", "Email"], *rows]:
                    xlsx_append(wb.active, r)
                wb.save(tmp)

            write_atomically(out, produce)

    exp.export = export
    return imp, exp


def test_machinery_self_test_on_stand_ins(demo_file, tmp_path, monkeypatch):
    imp, exp = _fake_modules()
    monkeypatch.setitem(sys.modules, "fake_agency_import", imp)
    monkeypatch.setitem(sys.modules, "fake_agency_export", exp)
    monkeypatch.setitem(export_cli.EXPORTS, "fake", "fake_agency_export")
    assert fuzz_importer(imp, demo_file, examples=25) >= 25
    project = Project.open(demo_file)
    inject_user_text(project)
    project.close()
    for fmt in exp.FORMATS:
        out = tmp_path / f"x.{fmt}"
        assert main(["export", "fake", str(demo_file), "-o", str(out)]) == 0
        assert_no_formula_cells(out, fmt)
    # and the check can fail: a careless exporter is caught
    bad = tmp_path / "bad.csv"
    bad.write_text("Nama\n=HYPERLINK(1)\n", encoding="utf-8")
    with pytest.raises(AssertionError):
        assert_no_formula_cells(bad, "csv")


def test_report_registered_io(capsys):
    with capsys.disabled():
        print(f"\n[registered io] importers: {sorted(import_cli.IMPORTS) or 'none yet'}, "
              f"{STATS['import']} fuzz examples; exporters: {sorted(export_cli.EXPORTS) or 'none yet'}")
