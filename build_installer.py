"""Build a self-contained MPP Planner for offline office laptops.

    python build_installer.py            # PyInstaller one-folder bundle, then the package for this OS
    python build_installer.py --check    # ... and run the built program headless as a smoke test
    python build_installer.py --check --skip-build   # only the smoke test of an existing bundle

* Windows: dist/mpp-planner/ (no console window), then an Inno Setup installer when `iscc` is on
  PATH (Start-menu entry, .mpplan file association, uninstaller), otherwise a zip.
* Linux: dist/mpp-planner-<version>-linux-<arch>.tar.gz with a .desktop file and the icon.

Needs `pip install pyinstaller` (the script says so when it is missing). Everything the app
reads at run time — resources (catalog, agencies, demo data, rules, icons), compiled
translations, the Alembic migration scripts — is put into the bundle.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
APP = "mpp-planner"
DIST = ROOT / "dist"
BUILD = ROOT / "build" / "pyinstaller"
IS_WINDOWS = os.name == "nt"


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from mpp_planner import __version__

    return __version__


def log(msg: str) -> None:
    print(f"[build] {msg}", flush=True)


def compile_translations() -> None:
    sys.path.insert(0, str(ROOT))
    from mpp_planner.i18n_catalog import ensure_compiled

    ensure_compiled(ROOT / "resources" / "locale")


MANUAL_HTML = BUILD / "manual-html"


def build_manual() -> Path:
    """The user manual as HTML (F1 and Help ▸ Manual show it), built from resources/manual and checked (every page,
    link, anchor and image), shipped prebuilt so the installed program need not write it on first use."""
    sys.path.insert(0, str(ROOT))
    from mpp_planner.manual import ManualError, build

    shutil.rmtree(MANUAL_HTML, ignore_errors=True)
    try:
        pages = build(MANUAL_HTML)
    except ManualError as exc:
        sys.exit(f"build_installer.py: the manual does not build: {exc}")
    log(f"manual: {len(pages)} pages ({folder_size(MANUAL_HTML) / 1e6:.1f} MB)")
    return MANUAL_HTML


def pyinstaller_args(launcher: Path) -> list[str]:
    sep = os.pathsep
    icon = ROOT / "resources" / "icons" / ("mpp-planner.ico" if IS_WINDOWS else "mpp-planner.png")
    args = [
        str(launcher), "--name", APP, "--onedir", "--noconfirm", "--clean",
        "--distpath", str(DIST), "--workpath", str(BUILD), "--specpath", str(BUILD),
        "--icon", str(icon),
        "--add-data", f"{ROOT / 'resources'}{sep}mpp_planner/resources",
        "--add-data", f"{MANUAL_HTML}{sep}mpp_planner/resources/manual/html",  # build_manual() made it
        "--add-data", f"{ROOT / 'mpp_planner' / 'store' / 'migrations'}{sep}mpp_planner/store/migrations",
        "--collect-submodules", "mpp_planner",
        "--collect-submodules", "num2words",
        "--collect-submodules", "alembic",
        "--collect-data", "reportlab",
        "--hidden-import", "sqlalchemy.dialects.sqlite",
        *server_driver_args(),
        "--exclude-module", "tkinter",
        "--exclude-module", "pytest",
        "--exclude-module", "hypothesis",
    ]
    if IS_WINDOWS:
        args.append("--windowed")  # no console window
    return args


def server_driver_args() -> list[str]:
    """Team mode (issue 25): PostgreSQL's driver, psycopg 3, is imported only when a server project is opened,
    by name through SQLAlchemy's dialect, so PyInstaller is told: the dialect, psycopg's modules, and the binary
    package with libpq and its TLS libraries. The system keyring's backends (Windows Credential Locker, macOS
    Keychain, Secret Service) come with ``keyring`` when it is installed (the password is asked each time
    without it)."""
    from importlib.util import find_spec

    args = ["--hidden-import", "sqlalchemy.dialects.postgresql.psycopg", "--collect-submodules", "psycopg"]
    if find_spec("psycopg_binary") is not None:
        args += ["--collect-all", "psycopg_binary"]
    if find_spec("keyring") is not None:
        args += ["--collect-submodules", "keyring.backends", "--copy-metadata", "keyring"]
    return args


def build_bundle() -> Path:
    try:
        import PyInstaller.__main__ as pyinstaller
    except ImportError:
        sys.exit("build_installer.py: PyInstaller is not installed; run: pip install pyinstaller")
    compile_translations()
    BUILD.mkdir(parents=True, exist_ok=True)
    build_manual()
    launcher = BUILD / "launch_mpp_planner.py"
    # freeze_support: the roll-up's worker processes start the frozen executable again (Windows, spawn)
    launcher.write_text("import multiprocessing\nimport sys\nmultiprocessing.freeze_support()\n"
                        "from mpp_planner.cli import main\nsys.exit(main())\n", encoding="utf-8")
    log("PyInstaller " + " ".join(pyinstaller_args(launcher)[1:4]))
    pyinstaller.run(pyinstaller_args(launcher))
    bundle = DIST / APP
    if not executable(bundle).exists():
        sys.exit(f"build_installer.py: the bundle has no executable at {executable(bundle)}")
    return bundle


def executable(bundle: Path) -> Path:
    return bundle / (APP + (".exe" if IS_WINDOWS else ""))


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# --- packages ---------------------------------------------------------------------------

DESKTOP = """[Desktop Entry]
Type=Application
Name=MPP Planner
GenericName=Perencana Mal Pelayanan Publik
Comment=Denah, alokasi loket, inventaris dan usulan anggaran MPP
Exec=mpp-planner/mpp-planner %f
Icon=mpp-planner
Terminal=false
Categories=Office;
MimeType=application/x-mpplan;
"""


def package_linux(bundle: Path) -> Path:
    arch = platform.machine() or "x86_64"
    out = DIST / f"{APP}-{version()}-linux-{arch}.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        desktop = Path(tmp) / "mpp-planner.desktop"
        desktop.write_text(DESKTOP, encoding="utf-8")
        with tarfile.open(out, "w:gz") as tar:
            tar.add(bundle, arcname=APP)
            tar.add(desktop, arcname="mpp-planner.desktop")
            tar.add(ROOT / "resources" / "icons" / "mpp-planner.png", arcname="mpp-planner.png")
            tar.add(ROOT / "README.md", arcname="README.md")
    return out


INNO = r'''; Generated by build_installer.py
[Setup]
AppId={{5B0F3E3A-6D43-4D0C-9C8B-4D50504C0001}
AppName=MPP Planner
AppVersion=@VERSION@
AppPublisher=DPMPTSP
DefaultDirName={autopf}\MPP Planner
DefaultGroupName=MPP Planner
UninstallDisplayIcon={app}\mpp-planner.exe
OutputDir=@OUTDIR@
OutputBaseFilename=mpp-planner-@VERSION@-setup
Compression=lzma2
SolidCompression=yes
ChangesAssociations=yes
PrivilegesRequiredOverridesAllowed=dialog

[Languages]
Name: "id"; MessagesFile: "compiler:Languages\Indonesian.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "@BUNDLE@\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\MPP Planner"; Filename: "{app}\mpp-planner.exe"
Name: "{group}\Hapus MPP Planner"; Filename: "{uninstallexe}"
Name: "{autodesktop}\MPP Planner"; Filename: "{app}\mpp-planner.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Registry]
Root: HKA; Subkey: "Software\Classes\.mpplan"; ValueType: string; ValueName: ""; ValueData: "MPPPlanner.Project"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\MPPPlanner.Project"; ValueType: string; ValueName: ""; ValueData: "Proyek MPP Planner"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\MPPPlanner.Project\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\mpp-planner.exe,0"
Root: HKA; Subkey: "Software\Classes\MPPPlanner.Project\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\mpp-planner.exe"" ""%1"""

[Run]
Filename: "{app}\mpp-planner.exe"; Description: "{cm:LaunchProgram,MPP Planner}"; Flags: nowait postinstall skipifsilent
'''  # noqa: E501 - Inno Setup entries are one line each


def package_windows(bundle: Path) -> Path:
    script = BUILD / "mpp-planner.iss"
    script.write_text(INNO.replace("@VERSION@", version()).replace("@OUTDIR@", str(DIST))
                      .replace("@BUNDLE@", str(bundle)), encoding="utf-8")
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if iscc:
        log(f"Inno Setup: {iscc} {script}")
        subprocess.run([iscc, str(script)], check=True)
        return DIST / f"{APP}-{version()}-setup.exe"
    log("iscc not on PATH: making a zip instead (the .iss script is in build/pyinstaller)")
    out = DIST / f"{APP}-{version()}-windows.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for f in bundle.rglob("*"):
            z.write(f, Path(APP) / f.relative_to(bundle))
    return out


# --- smoke test -------------------------------------------------------------------------

def check(bundle: Path) -> None:
    """Run the built program headless and verify what it writes."""
    exe = executable(bundle)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        env["MPP_PLANNER_CONFIG_DIR"] = str(t / "config")
        env["MPP_PLANNER_DATA_DIR"] = str(t / "data")

        def run(*args: str, ok=(0,)) -> subprocess.CompletedProcess:
            start = time.perf_counter()
            result = subprocess.run([str(exe), *args], env=env, capture_output=True, text=True, timeout=300)
            log(f"{' '.join(args[:3])} -> exit {result.returncode} in {time.perf_counter() - start:.2f} s")
            if result.returncode not in ok:
                sys.exit(f"check failed: {args}: exit {result.returncode}\n{result.stdout}\n{result.stderr}")
            return result

        out = run("--version").stdout
        if version() not in out:
            sys.exit(f"check failed: --version printed {out!r}")
        demo = t / "demo.mpplan"
        run("demo", str(demo))
        with open(demo, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                sys.exit("check failed: demo is not a SQLite file")
        produced = [t / "budget.pdf", t / "alloc.xlsx", t / "alloc.pdf", t / "rekap.xlsx"]
        run("export", "budget", str(demo), "--year", "2024", "-o", str(produced[0]))
        run("export", "allocations", str(demo), "-o", str(produced[1]))
        run("export", "allocations", str(demo), "-o", str(produced[2]))
        run("rollup", str(demo), "-o", str(produced[3]))  # worker processes start the frozen executable again
        result = run("check", str(demo), ok=(1,))  # the demo has the inspection's findings
        if "laktasi" not in result.stdout.lower() and "lactation" not in result.stdout.lower():
            sys.exit("check failed: 'check' did not report the lactation-room findings")
        for path in produced:
            data = path.read_bytes()
            magic = b"%PDF" if path.suffix == ".pdf" else b"PK"
            if not data.startswith(magic) or len(data) < 1000:
                sys.exit(f"check failed: {path.name} is not a valid {path.suffix} file")
        run(str(demo), "--screenshot", str(t / "shot.png"))
        if not (t / "shot.png").exists():
            sys.exit("check failed: no screenshot")
        check_server_driver(run)
    manual = [p for p in bundle.rglob("resources/manual/html/*/index.html")]
    if sorted(p.parent.name for p in manual) != ["en", "id"]:
        sys.exit(f"check failed: the bundle has no prebuilt manual in both languages ({manual})")
    log("smoke test passed")


def check_server_driver(run) -> None:
    """The bundled psycopg and libpq answer: a server address where nothing listens is refused in one line by
    libpq itself (a missing driver would be an import error), exit 2; keyring's backends are in the bundle."""
    result = run("check", "postgresql://mpp@127.0.0.1:1/mpp", ok=(2,))
    if "refused" not in result.stderr.lower() or "Traceback" in result.stderr or "No module" in result.stderr:
        sys.exit(f"check failed: the server driver did not answer as libpq does: {result.stderr!r}")
    from importlib.util import find_spec

    toc = BUILD / APP / "PYZ-00.toc"
    if find_spec("keyring") is not None and toc.exists() and "keyring.backends" not in toc.read_text(errors="replace"):
        sys.exit("check failed: the bundle has no keyring backends")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build the MPP Planner bundle and package.")
    parser.add_argument("--check", action="store_true", help="run the built program headless as a smoke test")
    parser.add_argument("--skip-build", action="store_true", help="use the existing dist/ bundle")
    parser.add_argument("--no-package", action="store_true", help="only the PyInstaller bundle")
    args = parser.parse_args(argv)
    bundle = DIST / APP
    if not args.skip_build:
        start = time.perf_counter()
        bundle = build_bundle()
        log(f"bundle built in {time.perf_counter() - start:.0f} s: {bundle} ({folder_size(bundle) / 1e6:.0f} MB)")
        if not args.no_package:
            package = package_windows(bundle) if IS_WINDOWS else package_linux(bundle)
            log(f"package: {package} ({package.stat().st_size / 1e6:.0f} MB)")
    elif not executable(bundle).exists():
        sys.exit("build_installer.py: no bundle in dist/; build it first")
    if args.check:
        check(bundle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
