"""Team mode: every command-line export, check and print gives the same output from a project file and from
its copy on a server (``mpp-planner copy FILE postgresql://…``, then the address where the file was).

Compared as a reader sees them: PDF text page by page (pypdf), XLSX cell values and formulas sheet by sheet
(openpyxl), CSV, SVG and the printed lines byte for byte, PNG pixels, DXF entities (without the header's creation
time and the random ids ezdxf writes).

Two copies of the demo are compared. ``small_money``: the demo with the few amounts above Rp 21 juta capped
(runs on a server schema before 0009 too, which kept money in 32-bit columns). ``full``: the demo as it is; it
needs schema 0009 (money BIGINT on PostgreSQL: "integer out of range" before it).

Also ``mpp-planner copy`` itself: both ways with progress and a one-line report, its refusals (exit 2).
"""

from __future__ import annotations

import importlib
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from mpp_planner.cli import export as export_cli
from mpp_planner.cli import main
from tests.helpers import file_tables

YEAR, DATE, PERIOD = "2024", "2023-12-15", "2024 Semester I"
INT32_SEN = 2_000_000_000  # Rp 20 juta, below the end of a 32-bit money column (Rp 21,474,836.47)
VARIANTS = [["budget", "pdf", "--form", "rka"], ["budget", "xlsx", "--form", "rka"],
            ["budget", "xlsx", "--form", "sipd"], ["budget", "csv", "--form", "sipd"], ["survey", "pdf", "--poster"]]
OPTIONS = {"budget": ["--year", YEAR, "--date", DATE], "survey": ["--period", PERIOD, "--date", DATE],
           "inventory": ["--date", DATE], "plan": ["--dpi", "40"]}
PRINTS = [["check"], ["check", "--budget", YEAR, "--date", DATE], ["survey", "--period", PERIOD, "--by", "agency"],
          ["assess"]]


def export_cases() -> list[list[str]]:
    """Every KIND and every format of ``mpp-planner export`` (read from the registry, so a new one is covered),
    and the other forms."""
    cases = []
    for kind, module_name in sorted(export_cli.EXPORTS.items()):
        cases += [[kind, fmt] for fmt in importlib.import_module(module_name).FORMATS]
    return cases + VARIANTS


def cap_money(path: Path) -> None:
    """Amounts above what a 32-bit money column holds set to Rp 20 juta (the same file then on both sides)."""
    from mpp_planner.model import Base
    from mpp_planner.model.base import Money

    con = sqlite3.connect(path)
    try:
        for table in Base.metadata.sorted_tables:
            for col in table.columns:
                if isinstance(col.type, Money):
                    con.execute(f'UPDATE "{table.name}" SET "{col.name}" = ? WHERE ABS("{col.name}") > ?',
                                (INT32_SEN, INT32_SEN))
        con.commit()
    finally:
        con.close()


@pytest.fixture(scope="module", params=["small_money", "full"])
def pair(request, demo_master, pg_server, tmp_path_factory) -> tuple[str, str]:
    """(file, server address) holding the same project."""
    folder = tmp_path_factory.mktemp(f"parity-{request.param}")
    path = folder / "mpp.mpplan"
    shutil.copy2(demo_master, path)
    if request.param == "small_money":
        cap_money(path)
    url = pg_server.new_database()
    assert main(["copy", str(path), url]) == 0  # "full": needs schema 0009 (money BIGINT on PostgreSQL)
    return str(path), url


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def written(folder: Path) -> dict[str, Path]:
    return {p.name: p for p in sorted(folder.iterdir())}


def pdf_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(str(path)).pages]


def xlsx_cells(path: Path) -> dict[str, list[tuple]]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in wb.worksheets}


def png_pixels(path: Path) -> tuple:
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull(), path
    return image.width(), image.height(), bytes(image.constBits())


def dxf_entities(path: Path) -> list[tuple]:
    import ezdxf

    doc = ezdxf.readfile(path)
    out = []
    for e in doc.modelspace():
        attribs = {k: v for k, v in e.dxfattribs().items() if k not in ("handle", "owner")}
        out.append((e.dxftype(), repr(sorted(attribs.items(), key=lambda kv: kv[0]))))
    return out


def same_output(a: Path, b: Path) -> None:
    suffix = a.suffix.lower()
    if suffix == ".pdf":
        assert pdf_text(a) == pdf_text(b), a.name
    elif suffix == ".xlsx":
        assert xlsx_cells(a) == xlsx_cells(b), a.name
    elif suffix == ".png":
        assert png_pixels(a) == png_pixels(b), a.name
    elif suffix == ".dxf":
        assert dxf_entities(a) == dxf_entities(b), a.name
    else:  # csv, svg
        assert a.read_bytes() == b.read_bytes(), a.name


@pytest.mark.parametrize("case", export_cases(), ids=lambda c: "-".join(x.lstrip("-") for x in c))
def test_every_export_is_the_same_from_the_file_and_from_the_server(pair, case, tmp_path, capsys):
    path, url = pair
    kind, fmt, *extra = case
    outputs = {}
    for side, source in (("file", path), ("server", url)):
        folder = tmp_path / side
        folder.mkdir()
        code, _out, err = run(capsys, "export", kind, source, "-o", str(folder / f"out.{fmt}"), *extra,
                              *OPTIONS.get(kind, []))
        assert code == 0, (side, err)
        outputs[side] = written(folder)
    assert outputs["file"].keys() == outputs["server"].keys()
    assert outputs["file"]
    for name, a in outputs["file"].items():
        same_output(a, outputs["server"][name])


@pytest.mark.parametrize("argv", PRINTS, ids=lambda a: "-".join(x.lstrip("-") for x in a))
def test_every_printed_result_is_the_same_from_the_file_and_from_the_server(pair, argv, capsys):
    path, url = pair
    command, *rest = argv
    from_file = run(capsys, command, path, *rest)
    from_server = run(capsys, command, url, *rest)
    assert from_file[:2] == from_server[:2]
    assert from_file[1].strip()


def test_the_assessment_sheets_are_the_same_from_the_file_and_from_the_server(pair, tmp_path, capsys):
    path, url = pair
    for fmt in ("pdf", "xlsx", "csv"):
        a, b = tmp_path / f"file.{fmt}", tmp_path / f"server.{fmt}"
        assert run(capsys, "assess", path, "-o", str(a))[0] == 0
        assert run(capsys, "assess", url, "-o", str(b))[0] == 0
        same_output(a, b)


def test_the_parity_check_can_fail(pair, tmp_path, capsys):
    """A changed row on the server shows in its export: the comparison is not vacuous."""
    from mpp_planner.model import Agency
    from mpp_planner.project import Project

    path, _url = pair
    other = tmp_path / "other.mpplan"
    shutil.copy2(path, other)
    project = Project.open(other)
    try:
        with project.edit():
            agency = project.all(Agency)[0]
            agency.name = agency.name + " (ubah)"
    finally:
        project.close()
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run(capsys, "export", "allocations", path, "-o", str(a))[0] == 0
    assert run(capsys, "export", "allocations", str(other), "-o", str(b))[0] == 0
    with pytest.raises(AssertionError):
        same_output(a, b)


def test_every_command_that_takes_a_project_takes_a_server_address(pg_server, capsys):
    """No command checks the address as a path first: each reaches the server (here: a database that does not
    exist, told in one line, exit 2), and its help names the address."""
    from mpp_planner.cli import command_parser

    url = pg_server.url("t_no_such_database")
    for argv in (["export", "allocations", url, "-o", "x.csv"], ["check", url], ["assess", url],
                 ["survey", url, "--period", PERIOD], ["import", "agencies", url, "--from", __file__],
                 ["import", "plan", url, "--from", __file__]):
        assert command_parser(argv[0]).parse_args(argv).file == url
        code, _out, err = run(capsys, *argv)
        assert code == 2, argv
        assert 'database "t_no_such_database" does not exist' in err, (argv, err)
        assert len(err.strip().splitlines()) == 1, err
    with pytest.raises(SystemExit):
        main(["--lang", "en", "check", "--help"])
    assert "postgresql://user@host/database" in capsys.readouterr().out.replace("\n", " ").replace("  ", "")


def test_no_password_names_where_to_give_it(monkeypatch, capsys):
    """The server asked for a password that was not given: the message says where to give it."""
    from mpp_planner.cli import server_failure_message
    from mpp_planner.store.server import ServerError

    class PGconn:
        needs_password = True

    class DriverError(Exception):
        pgconn = PGconn()

    try:
        try:
            raise DriverError("fe_sendauth: no password supplied")
        except DriverError:
            raise ServerError("u", "The server project 'u' cannot be opened: no password supplied") from None
    except ServerError as exc:
        message = server_failure_message(exc)
    assert message.endswith("Give the password with --password-prompt, in PGPASSWORD or in the .pgpass file.")
    assert re.search(r"supplied\. Give", message)


# --- mpp-planner copy ---------------------------------------------------------------------------------------------

def test_copy_goes_both_ways_with_progress_and_a_one_line_report(demo_file, server_url, tmp_path, capsys):
    code, _out, err = run(capsys, "copy", str(demo_file), server_url)
    assert code == 0, err
    lines = err.strip().splitlines()
    assert re.fullmatch(r"\[ *\d+%\] (Copying|Checking) \w+…", lines[0]), lines[0]
    assert len(lines) <= 25  # a line at each tenth of the way, not one per batch
    rows = re.fullmatch(r"Copied ([\d,]+) rows in (\d+) tables to (.+), verified \(row counts and SHA-256 per "
                        r"table\) in [\d.]+ s\.", lines[-1])
    assert rows is not None, lines[-1]
    assert int(rows[1].replace(",", "")) > 1000 and rows[3] == server_url
    back = tmp_path / "back.mpplan"
    code, _out, err = run(capsys, "copy", server_url, str(back))
    assert code == 0, err
    assert f"tables to {back}, verified" in err
    assert file_tables(back) == file_tables(demo_file)


def test_copy_refuses_what_it_cannot_do_in_one_line_and_keeps_nothing(demo_file, server_url, pg_server, tmp_path,
                                                                      capsys):
    cases = [
        ([str(tmp_path / "missing.mpplan"), server_url], "does not exist"),
        ([str(demo_file), str(tmp_path / "copy.txt")], "must be a .mpplan file or a server address"),
        ([str(demo_file), str(demo_file), "--force"], "SOURCE and DEST are the same file"),
        ([str(demo_file), f"postgresql://mpp@/x?host={tmp_path}&port=5432"], "cannot be opened"),
        ([pg_server.url("t_no_such_database"), str(tmp_path / "x.mpplan")], "does not exist"),
    ]
    for argv, words in cases:
        code, _out, err = run(capsys, "copy", *argv)
        assert code == 2, argv
        assert words in err, (argv, err)
        assert err.strip().splitlines()[-1].startswith("mpp-planner: ")
    assert not (tmp_path / "x.mpplan").exists() and not (tmp_path / "copy.txt").exists()
    assert run(capsys, "copy", str(demo_file), server_url)[0] == 0
    code, _out, err = run(capsys, "copy", str(demo_file), server_url)
    assert code == 2 and "is not empty" in err
    out = tmp_path / "there.mpplan"
    out.write_bytes(b"old")
    code, _out, err = run(capsys, "copy", server_url, str(out))
    assert code == 2 and "already exists; use --force" in err and out.read_bytes() == b"old"
    assert run(capsys, "copy", server_url, str(out), "--force")[0] == 0
    assert file_tables(out) == file_tables(demo_file)


def test_the_password_can_be_asked_on_the_terminal(demo_file, server_url, monkeypatch, capsys):
    import getpass

    asked = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt: asked.append(prompt) or "rahasia")
    assert run(capsys, "copy", str(demo_file), server_url, "--password-prompt")[0] == 0
    assert asked == [f"Password for {server_url}: "]  # the trusting test server takes any password
    assert run(capsys, "check", server_url, "--password-prompt")[0] == 1
    assert len(asked) == 2
    monkeypatch.setattr(getpass, "getpass", lambda prompt: (_ for _ in ()).throw(EOFError()))
    code, _out, err = run(capsys, "check", server_url, "--password-prompt")
    assert code == 2 and "No password was given" in err


def test_an_import_into_the_server_copy_gives_what_it_gives_in_the_file(demo_file, server_url, tmp_path, capsys):
    """Commands that change the project take the address too: the same import, then the same export."""
    assert run(capsys, "copy", str(demo_file), server_url)[0] == 0
    source = tmp_path / "instansi.csv"
    source.write_text("nama,singkatan,tier\nDinas Uji Coba,DUC,provinsi\n", encoding="utf-8")
    outputs = []
    for project in (str(demo_file), server_url):
        code, _out, err = run(capsys, "import", "agencies", project, "--from", str(source))
        assert code == 0, err
        out = tmp_path / f"{len(outputs)}.csv"
        assert run(capsys, "export", "allocations", project, "-o", str(out))[0] == 0
        outputs.append(out)
    assert "Dinas Uji Coba" in outputs[1].read_text(encoding="utf-8-sig")
    same_output(*outputs)
