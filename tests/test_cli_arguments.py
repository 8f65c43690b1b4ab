"""Bad command-line arguments are refused before anything starts (issue 23): ``--lang`` without a value or
with an unknown one, a demo file that is no .mpplan, an unusable ``--size``, and input paths that are a
folder or a device. Each: exit 2, one message naming the problem, no GUI, nothing written."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mpp_planner import i18n
from mpp_planner.cli import CliError, gui_parser, input_file, main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def no_gui(monkeypatch):
    """Starting the GUI is a failure here: recorded, and never blocking the test in an event loop."""
    started: list = []

    def run_gui(args) -> int:
        started.append(args)
        return 0

    monkeypatch.setattr("mpp_planner.qt.app.run_gui", run_gui)
    yield started
    assert started == [], "the GUI was started"
    i18n.set_language("en")


def refused(capsys, argv) -> str:
    """Run ``argv``; it must stop as an argument error (exit 2) and say so on stderr only."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    return err


# --- --lang ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [["--lang", "xx"], ["--lang=xx"], ["x.mpplan", "--lang", "xx"],
                                  ["--lang", "xx", "--lang", "en"], ["demo", "{tmp}/d.mpplan", "--lang", "xx"],
                                  ["check", "{tmp}/d.mpplan", "--lang=fr"]])
def test_unknown_language_is_refused(capsys, tmp_path, argv):
    err = refused(capsys, [a.format(tmp=tmp_path) for a in argv])
    assert "error: argument --lang: unknown language" in err
    assert f"unknown language '{'fr' if 'fr' in str(argv) else 'xx'}' (choose id or en)" in err
    assert not (tmp_path / "d.mpplan").exists()


@pytest.mark.parametrize("argv", [["--lang"], ["x.mpplan", "--lang"], ["--lang", "--help"],
                                  ["demo", "{tmp}/d.mpplan", "--lang"], ["check", "{tmp}/d.mpplan", "--lang"]])
def test_lang_without_a_value_is_an_argument_error(capsys, tmp_path, argv):
    err = refused(capsys, [a.format(tmp=tmp_path) for a in argv])
    assert err.splitlines()[-1] == "mpp-planner: error: argument --lang: expected one argument"
    assert err.startswith("usage: mpp-planner")
    assert not (tmp_path / "d.mpplan").exists()


def test_the_refusal_speaks_the_users_language(capsys, monkeypatch):
    monkeypatch.setenv("MPP_PLANNER_LANG", "id")
    err = refused(capsys, ["--lang", "xx"])
    assert "galat: argumen --lang: bahasa 'xx' tidak dikenal (pilih id atau en)" in err
    err = refused(capsys, ["--lang"])
    assert "galat: argumen --lang: memerlukan satu nilai" in err


def test_lang_without_a_value_starts_no_gui_as_a_program(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MPP_PLANNER_LANG="en")
    result = subprocess.run([sys.executable, "-m", "mpp_planner", "--lang"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "mpp-planner: error: argument --lang: expected one argument"
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_good_language_still_works(capsys, tmp_path):
    assert main(["demo", str(tmp_path / "d.mpplan"), "--lang", "id"]) == 0
    assert "Proyek contoh ditulis ke" in capsys.readouterr().err


# --- demo OUT must be a .mpplan ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["d.txt", "d", ".mpplan", "d.mpplan.txt"])
def test_demo_needs_an_mpplan_name(capsys, tmp_path, name):
    assert main(["demo", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    assert err == f"mpp-planner: The new project must be a .mpplan file (got '{tmp_path / name}').\n"
    assert list(tmp_path.iterdir()) == []


def test_demo_accepts_any_case_of_the_suffix(tmp_path):
    assert main(["demo", str(tmp_path / "Demo Kota.MPPLAN")]) == 0
    assert (tmp_path / "Demo Kota.MPPLAN").stat().st_size > 0


# --- --size ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("size, words", [
    ("0x0", "--size must be from 200x200 to 10000x10000 pixels (got 0x0)."),
    ("199x900", "(got 199x900)"),
    ("1400x10001", "(got 1400x10001)"),
    ("1400×900", "--size must look like 1400x900 (got 1400×900)."),
    ("abc", "--size must look like 1400x900 (got abc)."),
    ("1400x", "(got 1400x)"),
    ("-1400x900", "(got -1400x900)"),
    ("１４００x900", "must look like"),  # full-width digits
])
def test_bad_window_size_is_refused_by_the_parser(capsys, tmp_path, size, words):
    err = refused(capsys, [str(tmp_path / "x.mpplan"), "--screenshot", str(tmp_path / "s.png"), f"--size={size}"])
    assert err.splitlines()[-1].startswith("mpp-planner: error: --size must")
    assert words in err
    assert not (tmp_path / "s.png").exists()


def test_good_window_sizes_are_parsed():
    assert gui_parser().parse_args([]).size == (1400, 900)
    assert gui_parser().parse_args(["--size", "800X600"]).size == (800, 600)
    assert gui_parser().parse_args(["--size", "200x10000"]).size == (200, 10000)


# --- input paths: a folder or a device is not "missing" ------------------------------------------------------

@pytest.fixture
def project_file(tmp_path):
    path = tmp_path / "p.mpplan"
    assert main(["demo", str(path)]) == 0
    return path


def input_cases(tmp_path, project):
    folder = tmp_path / "a folder with spaces"
    folder.mkdir()
    p = str(project)
    commands = [["import", kind, p, "--from", "{src}"]
                for kind in ("agencies", "prices", "accounts", "inventory", "budget", "plan")]
    commands += [["import", "survey", p, "--from", "{src}", "--period", "2024 Semester I"],
                 ["check", p, "--rules", "{src}"], ["assess", p, "--rules", "{src}"],
                 ["repair", "{src}", "-o", str(tmp_path / "r.mpplan")],
                 ["new", str(tmp_path / "n.mpplan"), "--name", "MPP X", "--logo", "{src}"]]
    sources = [(str(folder), f"'{folder}' is a folder, not a file."),
               (os.devnull, f"'{os.devnull}' is not a regular file."),
               (str(tmp_path / "nothing.csv"), f"The file '{tmp_path / 'nothing.csv'}' does not exist.")]
    cases = [([a.format(src=src) for a in command], message) for command in commands for src, message in sources]
    logo_missing = "Cannot read the logo 'nothing.csv': No such file or directory"  # its own message
    return [(argv, logo_missing if "--logo" in argv and "nothing" in message else message) for argv, message in cases]


def test_every_input_path_says_what_it_is(capsys, tmp_path, project_file):
    before = project_file.read_bytes()
    capsys.readouterr()
    for argv, message in input_cases(tmp_path, project_file):
        assert main(argv) == 2, argv
        out, err = capsys.readouterr()
        assert err == f"mpp-planner: {message}\n", argv
    assert project_file.read_bytes() == before
    assert not (tmp_path / "r.mpplan").exists() and not (tmp_path / "n.mpplan").exists()


def test_dev_zero_is_not_read(capsys, project_file):
    capsys.readouterr()
    assert main(["import", "agencies", str(project_file), "--from", "/dev/zero"]) == 2
    assert capsys.readouterr().err == "mpp-planner: '/dev/zero' is not a regular file.\n"


def test_input_file_on_a_path_that_cannot_be_looked_at(monkeypatch, tmp_path):
    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "is_dir", denied)
    with pytest.raises(CliError, match=r"Cannot read .*: Permission denied"):
        input_file(tmp_path / "x.csv")


def test_input_file_keeps_windows_style_names(tmp_path):
    """A UNC-like or spaced name is only checked, never rewritten (here on Linux: a relative name)."""
    src = tmp_path / "Daftar Instansi (final).csv"
    src.write_text("nama\n", encoding="utf-8")
    assert input_file(str(src)) == src
    with pytest.raises(CliError, match=r"does not exist"):
        input_file(r"\\server\share\Daftar Instansi.csv")
