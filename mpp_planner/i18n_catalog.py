"""Translation catalogues: extract the strings marked with ``_()``/``N_()``/``ngettext()`` from the
source, merge them into ``resources/locale/<lang>/LC_MESSAGES/mpp_planner.po``, and compile ``.po``
to ``.mo`` (GNU gettext format) without external tools.

    python -m mpp_planner.i18n_catalog extract   # update the .po files (new strings get empty msgstr)
    python -m mpp_planner.i18n_catalog compile   # write the .mo files next to the .po files
    python -m mpp_planner.i18n_catalog check     # list strings without a translation (exit 1 if any)
"""

from __future__ import annotations

import ast
import os
import array
import struct
import sys
from pathlib import Path

DOMAIN = "mpp_planner"
MARKERS = {"_", "N_"}
PACKAGE = Path(__file__).resolve().parent


def _literal(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def extract_messages(root: Path = PACKAGE) -> dict[str, list[str]]:
    """msgid -> list of "file:line" where it is used."""
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError:
            continue
        rel = path.relative_to(root.parent).as_posix()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else (
                node.func.attr if isinstance(node.func, ast.Attribute) else None)
            if name in MARKERS and node.args:
                msg = _literal(node.args[0])
                if msg:
                    found.setdefault(msg, []).append(f"{rel}:{node.lineno}")
            elif name == "ngettext" and len(node.args) >= 2:
                for arg in node.args[:2]:
                    msg = _literal(arg)
                    if msg:
                        found.setdefault(msg, []).append(f"{rel}:{node.lineno}")
    return found


# --- .po reading and writing ---------------------------------------------------------

def _decode_c(s: str) -> str:
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}.get(n, "\\" + n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def read_po(path: Path) -> dict[str, str]:
    """msgid -> msgstr (fuzzy entries are skipped; the header has msgid "")."""
    entries: dict[str, str] = {}
    msgid: str | None = None
    msgstr: str | None = None
    section = None
    fuzzy = False

    def flush():
        nonlocal msgid, msgstr, fuzzy
        if msgid is not None and msgstr is not None and not fuzzy:
            entries[msgid] = msgstr
        msgid = msgstr = None
        fuzzy = False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            section = None
            continue
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
            continue
        if line.startswith("#"):
            continue
        if line.startswith("msgid "):
            if msgid is not None and msgstr is not None:
                flush()
            msgid, section = _decode_c(line[6:].strip()[1:-1]), "id"
        elif line.startswith("msgstr "):
            msgstr, section = _decode_c(line[7:].strip()[1:-1]), "str"
        elif line.startswith('"'):
            if section == "id" and msgid is not None:  # a continuation line of the msgid just read
                msgid += _decode_c(line[1:-1])
            elif section == "str" and msgstr is not None:
                msgstr += _decode_c(line[1:-1])
    flush()
    return entries


def write_po(path: Path, messages: dict[str, list[str]], translations: dict[str, str], lang: str) -> None:
    header = (f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: {lang}\\n"\n'
              f'"Project-Id-Version: MPP Planner\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n')
    parts = [header]
    for msgid in sorted(messages, key=lambda m: (messages[m][0], m)):
        where = " ".join(messages[msgid][:3])
        parts.append(f"#: {where}\nmsgid {_quote(msgid)}\nmsgstr {_quote(translations.get(msgid, ''))}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")


def compile_mo(po: Path, mo: Path) -> None:
    """Write a GNU .mo file (same layout as CPython's Tools/i18n/msgfmt.py)."""
    entries = {k: v for k, v in read_po(po).items() if v or k == ""}
    if "" not in entries:
        entries[""] = "Content-Type: text/plain; charset=UTF-8\n"
    keys = sorted(entries)
    ids = strs = b""
    offsets = []
    for k in keys:
        kb, vb = k.encode("utf-8"), entries[k].encode("utf-8")
        offsets.append((len(ids), len(kb), len(strs), len(vb)))
        ids += kb + b"\0"
        strs += vb + b"\0"
    keystart = 7 * 4 + 16 * len(keys)
    valuestart = keystart + len(ids)
    koffsets, voffsets = [], []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    output = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    output += array.array("i", koffsets + voffsets).tobytes() + ids + strs
    tmp = mo.with_name(f".{mo.name}.{os.getpid()}.tmp")  # atomic: another process may be reading it
    tmp.write_bytes(output)
    os.replace(tmp, mo)


def po_path(lang: str, locale_dir: Path | None = None) -> Path:
    from mpp_planner.resources_path import locale_dir as default_dir

    return (locale_dir or default_dir()) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def ensure_compiled(locale_dir: Path) -> None:
    """Compile every .po whose .mo is missing or older (used at first start and by the build)."""
    for po in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
        mo = po.with_suffix(".mo")
        try:
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                compile_mo(po, mo)
        except OSError:
            pass  # read-only install: the build step compiled it already


def missing_translations(lang: str = "id") -> list[tuple[str, list[str]]]:
    messages = extract_messages()
    translated = read_po(po_path(lang)) if po_path(lang).exists() else {}
    return [(m, where) for m, where in messages.items() if not translated.get(m)]


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "check"
    from mpp_planner.resources_path import locale_dir

    if cmd == "extract":
        messages = extract_messages()
        for lang in ("id",):
            path = po_path(lang)
            old = read_po(path) if path.exists() else {}
            write_po(path, messages, old, lang)
            print(f"{path}: {len(messages)} messages, {sum(1 for m in messages if old.get(m))} translated")
        return 0
    if cmd == "compile":
        for po in locale_dir().glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
            compile_mo(po, po.with_suffix(".mo"))
            print(f"compiled {po.with_suffix('.mo')}")
        return 0
    if cmd == "check":
        missing = missing_translations()
        for msg, where in missing:
            print(f"{where[0]}: {msg!r}")
        print(f"{len(missing)} untranslated")
        return 1 if missing else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
