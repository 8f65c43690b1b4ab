"""The user manual: Markdown pages under ``resources/manual/<lang>/`` turned into HTML for the help window.

    python -m mpp_planner.manual build OUT_DIR    # every language: OUT_DIR/<lang>/<page>.html, OUT_DIR/img/
    python -m mpp_planner.manual check            # every page renders, every link, anchor and image resolves

Why this shape:

* The text lives in the repository as Markdown, one file per page and language, reviewed like code.
  ``resources/manual/index.toml`` gives the reading order, the words of the navigation in each language and
  which page F1 opens on each tab (``[tabs]``, a page or ``page#anchor``).
* The converter is ours, for the subset the pages use: headings (``## Title {#anchor}``), paragraphs, nested
  lists, pipe tables, ``>`` notes, fenced code, ``**bold**``, ``*italic*``, ```code```, links to pages
  (``plan.md#walls``) and the web, images, and ``{{contents}}`` for the generated table of contents. The help
  window's QTextBrowser renders only a subset of HTML 4 anyway, and a Markdown library would be one more run-time
  dependency of the offline installer for features the pages never use (markdown-it-py is in the development
  environment only, through import-linter and rich).
* The output is static HTML with inline CSS, contents and previous/next links, readable in any browser too.
  The installer ships it prebuilt (``build_installer.py``). A checkout or a wheel builds it on first use into the
  user's data folder, in a folder named by a hash of the sources, so an edited page is rebuilt, never shown stale.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("id", "en")
CONVERTER_VERSION = "1"  # with CSS, part of the build's hash: raise it when the HTML made here changes
STAMP_FILE = "stamp.txt"
CONTENTS_MARK = "{{contents}}"

CSS = """
body { font-size: 10.5pt; color: #1d232a; }
h1 { font-size: 17pt; color: #1F4E79; margin-top: 4px; }
h2 { font-size: 13.5pt; color: #1F4E79; margin-top: 18px; }
h3 { font-size: 11.5pt; color: #2c3e50; margin-top: 12px; }
p, li { line-height: 135%; }
code, pre { font-family: monospace; background-color: #F1F3F6; }
pre { padding: 6px; }
table.grid { border-collapse: collapse; margin: 6px 0; }
table.grid th { background-color: #E6ECF3; text-align: left; }
td.note { background-color: #EEF4FB; }
p.figure { text-align: center; margin: 10px 0 2px 0; line-height: 100%; }
p.caption { text-align: center; color: #5a6570; font-style: italic; font-size: 9pt; margin-top: 0; }
table.nav { color: #5a6570; font-size: 9.5pt; }
"""


class ManualError(Exception):
    """A page or the index that cannot be turned into HTML (the message names the file and line)."""


@dataclass
class Page:
    key: str  # file name without .md, the same in every language
    title: str
    body: str  # the page's HTML without the navigation
    sections: list[tuple[str, str]] = field(default_factory=list)  # (anchor, title) of each ## heading
    anchors: set[str] = field(default_factory=set)
    links: list[tuple[int, str]] = field(default_factory=list)  # (line, href) of every link
    images: list[tuple[int, str]] = field(default_factory=list)  # (line, src) of every image
    text: str = ""  # the plain text, for searching


@dataclass
class Index:
    pages: list[str]
    tabs: dict[str, str]
    labels: dict[str, dict[str, str]]


def source_dir() -> Path:
    from mpp_planner.resources_path import resource

    return resource("manual")


def load_index(src: Path | None = None) -> Index:
    path = (src or source_dir()) / "index.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        index = Index(list(data["pages"]), dict(data.get("tabs", {})), dict(data["labels"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ManualError(f"{path}: {exc}") from exc
    if not index.pages or index.pages[0] != "index":
        raise ManualError(f"{path}: the first page must be 'index'")
    return index


# --- Markdown ------------------------------------------------------------------------------------

HEADING = re.compile(r"^(#{1,4})\s+(.*?)(?:\s+\{#([A-Za-z][\w-]*)\})?\s*$")
ITEM = re.compile(r"^( {0,3})([-*]|\d{1,3}[.)])\s+(.*)$")
TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
IMAGE_LINE = re.compile(r"^!\[([^\]]*)\]\(([^)\s]+)\)\s*$")
INLINE = re.compile(r"`([^`]+)`|!\[([^\]]*)\]\(([^)\s]+)\)|\[([^\]]+)\]\(([^)\s]+)\)|\*\*(.+?)\*\*|\*([^*\s][^*]*?)\*"
                    r"|<(https?://[^>\s]+)>")
ESCAPES = {"\\*": "\x01", "\\|": "\x02", "\\`": "\x03", "\\[": "\x04", "\\]": "\x05", "\\{": "\x06"}
UNESCAPES = {v: k[1] for k, v in ESCAPES.items()}


def slug(text: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return words or "section"


def _href(target: str) -> str:
    """A link as written in the page -> as written in the HTML: ``plan.md#walls`` -> ``plan.html#walls``."""
    if re.match(r"^[a-z]+:", target):
        return target
    page, sep, anchor = target.partition("#")
    if page.endswith(".md"):
        page = page[:-3] + ".html"
    return page + sep + anchor


class Renderer:
    """One page's Markdown -> HTML, collecting its title, sections, anchors, links and images."""

    def __init__(self, name: str):
        self.name = name
        self.page = Page(key=Path(name).stem, title="", body="")
        self.line = 0

    def fail(self, message: str) -> ManualError:
        return ManualError(f"{self.name}:{self.line + 1}: {message}")

    # inline --------------------------------------------------------------------------------------
    def inline(self, text: str) -> str:
        for raw, mark in ESCAPES.items():
            text = text.replace(raw, mark)
        return self._inline(text)

    def _inline(self, text: str) -> str:
        out, pos = [], 0
        for m in INLINE.finditer(text):
            out.append(self._plain(text[pos:m.start()]))
            code, alt, src, label, target, bold, italic, url = m.groups()
            if code is not None:
                out.append(f"<code>{self._plain(code)}</code>")
            elif src is not None:
                out.append(self.image(alt, src))
            elif target is not None:
                self.page.links.append((self.line, target))
                out.append(f'<a href="{html.escape(_href(target))}">{self._inline(label)}</a>')
            elif bold is not None:
                out.append(f"<b>{self._inline(bold)}</b>")
            elif italic is not None:
                out.append(f"<i>{self._inline(italic)}</i>")
            else:
                self.page.links.append((self.line, url))
                out.append(f'<a href="{html.escape(url)}">{self._plain(url)}</a>')
            pos = m.end()
        out.append(self._plain(text[pos:]))
        return "".join(out)

    @staticmethod
    def _plain(text: str) -> str:
        text = html.escape(text, quote=False)
        for mark, char in UNESCAPES.items():
            text = text.replace(mark, char)
        return text

    def image(self, alt: str, src: str) -> str:
        self.page.images.append((self.line, src))
        return f'<img src="{html.escape(src)}" alt="{html.escape(alt)}">'

    # blocks --------------------------------------------------------------------------------------
    def render(self, text: str) -> Page:
        lines = text.replace("\t", "    ").splitlines()
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        m = HEADING.match(lines[first]) if first is not None else None
        if m is None or len(m.group(1)) != 1:
            self.line = first or 0
            raise self.fail("a page starts with its title: '# Title'")
        self.page.body = self.blocks(lines, 0)
        text = re.sub(r"</?(?:b|i|code|a)\b[^>]*>", "", self.page.body.replace(CONTENTS_MARK, ""))
        text = re.sub(r"<[^>]+>", " ", text)
        self.page.text = re.sub(r"\s+", " ", html.unescape(text)).strip()
        return self.page

    def blocks(self, lines: list[str], offset: int) -> str:
        """``lines`` (the page's lines from ``offset``, dedented) as HTML blocks."""
        out: list[str] = []
        i = 0
        while i < len(lines):
            self.line = offset + i
            line = lines[i]
            stripped = line.strip()
            if not stripped:
                i += 1
            elif stripped.startswith("```"):
                end = next((j for j in range(i + 1, len(lines)) if lines[j].strip().startswith("```")), None)
                if end is None:
                    raise self.fail("a ``` block is not closed")
                code = "\n".join(lines[i + 1:end])
                out.append(f"<pre>{html.escape(code, quote=False)}</pre>")
                i = end + 1
            elif stripped == CONTENTS_MARK:
                out.append(CONTENTS_MARK)
                i += 1
            elif (heading := HEADING.match(line)) is not None:
                out.append(self.heading(heading))
                i += 1
            elif stripped.startswith("|") and i + 1 < len(lines) and TABLE_RULE.match(lines[i + 1].strip()):
                end = i + 2
                while end < len(lines) and lines[end].strip().startswith("|"):
                    end += 1
                out.append(self.table(lines[i:end], offset + i))
                i = end
            elif stripped.startswith(">"):
                end = i
                while end < len(lines) and lines[end].strip().startswith(">"):
                    end += 1
                inner = [re.sub(r"^\s*> ?", "", x) for x in lines[i:end]]
                out.append('<table width="100%" cellpadding="8" cellspacing="0"><tr><td class="note">'
                           f"{self.blocks(inner, offset + i)}</td></tr></table>")
                i = end
            elif ITEM.match(line):
                html_list, i = self.list_block(lines, i, offset)
                out.append(html_list)
            elif (figure := IMAGE_LINE.match(stripped)) is not None:
                alt, src = figure.groups()
                out.append(f'<p class="figure">{self.image(alt, src)}</p>')
                if alt:
                    out.append(f'<p class="caption">{self.inline(alt)}</p>')
                i += 1
            else:
                end = i + 1
                while end < len(lines) and lines[end].strip() and not self._starts_block(lines, end):
                    end += 1
                out.append("<p>" + self.inline(" ".join(x.strip() for x in lines[i:end])) + "</p>")
                i = end
        return "\n".join(out)

    @staticmethod
    def _starts_block(lines: list[str], i: int) -> bool:
        s = lines[i].strip()
        return bool(HEADING.match(lines[i]) or ITEM.match(lines[i]) or s.startswith(("```", ">"))
                    or IMAGE_LINE.match(s) or s == CONTENTS_MARK
                    or (s.startswith("|") and i + 1 < len(lines) and TABLE_RULE.match(lines[i + 1].strip())))

    def heading(self, m: re.Match) -> str:
        level, title, anchor = len(m.group(1)), m.group(2), m.group(3)
        if level == 1:
            if self.page.title:
                raise self.fail("a page has one '# Title'")
            self.page.title = re.sub(r"[*`]", "", title)
            return f"<h1>{self.inline(title)}</h1>"
        anchor = anchor or slug(title)
        if anchor in self.page.anchors:
            raise self.fail(f"the anchor '{anchor}' is used twice on this page")
        self.page.anchors.add(anchor)
        if level == 2:
            self.page.sections.append((anchor, re.sub(r"[*`]", "", title)))
        return f'<h{level} id="{anchor}"><a name="{anchor}"></a>{self.inline(title)}</h{level}>'

    def list_block(self, lines: list[str], i: int, offset: int) -> tuple[str, int]:
        """A list from ``lines[i]``: items at this indentation; an item holds the lines indented under it."""
        first = ITEM.match(lines[i])
        assert first is not None  # the caller saw an item here
        ordered = first.group(2)[0].isdigit()
        items: list[str] = []
        while i < len(lines):
            m = ITEM.match(lines[i])
            if m is None or m.group(2)[0].isdigit() != ordered:
                break
            start = i
            body = [m.group(3)]
            i += 1
            while i < len(lines):
                line = lines[i]
                if not line.strip():
                    nxt = next((j for j in range(i, len(lines)) if lines[j].strip()), None)
                    if nxt is None or len(lines[nxt]) - len(lines[nxt].lstrip()) < 2:
                        break
                    body.append("")
                elif len(line) - len(line.lstrip()) >= 2:
                    body.append(line[min(len(line) - len(line.lstrip()), len(m.group(1)) + len(m.group(2)) + 1):])
                elif ITEM.match(line) or self._starts_block(lines, i):
                    break
                else:
                    body.append(line.strip())  # a lazy continuation of the item's paragraph
                i += 1
            inner = self.blocks(body, offset + start)
            if inner.startswith("<p>") and inner.count("<p>") == 1:  # a tight item: no paragraph around it
                inner = inner[3:].replace("</p>", "", 1)
            items.append(f"<li>{inner}</li>")
            while i < len(lines) and not lines[i].strip():
                nxt = next((j for j in range(i, len(lines)) if lines[j].strip()), len(lines))
                if nxt < len(lines) and ITEM.match(lines[nxt]):
                    i = nxt
                break
        tag = "ol" if ordered else "ul"
        return f"<{tag}>" + "".join(items) + f"</{tag}>", i

    def table(self, rows: list[str], offset: int) -> str:
        def cells(row: str) -> list[str]:
            for raw, mark in ESCAPES.items():
                row = row.replace(raw, mark)
            row = row.strip().strip("|")
            return [c.strip() for c in row.split("|")]

        head, rule, body = cells(rows[0]), cells(rows[1]), [cells(r) for r in rows[2:]]
        align = ["right" if c.endswith(":") and not c.startswith(":") else
                 "center" if c.startswith(":") and c.endswith(":") else "left" for c in rule]
        out = ['<table class="grid" border="1" cellspacing="0" cellpadding="4">',
               "<tr>" + "".join(f"<th>{self._inline(c)}</th>" for c in head) + "</tr>"]
        for n, row in enumerate(body):
            self.line = offset + 2 + n
            if len(row) != len(head):
                raise self.fail(f"this table row has {len(row)} cells, the heading {len(head)}")
            out.append("<tr>" + "".join(f'<td align="{a}">{self._inline(c)}</td>' for a, c in zip(align, row))
                       + "</tr>")
        return "".join(out) + "</table>"


def render_page(text: str, name: str) -> Page:
    """One Markdown page -> a :class:`Page` (raises :class:`ManualError` naming ``name`` and the line)."""
    return Renderer(name).render(text)


# --- the manual ----------------------------------------------------------------------------------

def load(lang: str, src: Path | None = None) -> list[Page]:
    """The pages of ``lang`` in reading order (a language with no page of its own falls back to Indonesian)."""
    src = src or source_dir()
    return list(_load(lang if lang in LANGUAGES else LANGUAGES[0], str(src), stamp(src)))


@lru_cache(maxsize=4)
def _load(lang: str, src: str, _stamp: str) -> tuple[Page, ...]:
    index = load_index(Path(src))
    pages = []
    for key in index.pages:
        path = Path(src) / lang / f"{key}.md"
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ManualError(f"{path}: {exc.strerror or exc}") from exc
        pages.append(render_page(text, f"{lang}/{key}.md"))
    return tuple(pages)


def resolve(key: str | None, src: Path | None = None) -> tuple[str, str]:
    """A tab key (``plan``), a page key or ``page#anchor`` -> (page, anchor); anything else -> the index."""
    index = load_index(src)
    target = index.tabs.get(key or "", key or "index")
    page, _sep, anchor = target.partition("#")
    return (page, anchor) if page in index.pages else ("index", "")


def problems(src: Path | None = None) -> list[str]:
    """What is wrong with the sources: pages missing or failing, links, anchors or images that lead nowhere."""
    src = src or source_dir()
    try:
        index = load_index(src)
    except ManualError as exc:
        return [str(exc)]
    found: list[str] = []
    for target in index.tabs.values():
        if target.partition("#")[0] not in index.pages:
            found.append(f"index.toml: the tab page '{target}' is not in pages")
    for lang in LANGUAGES:
        if lang not in index.labels:
            found.append(f"index.toml: no [labels.{lang}]")
        pages: dict[str, Page] = {}
        for key in index.pages:
            try:
                pages[key] = render_page((src / lang / f"{key}.md").read_text(encoding="utf-8"), f"{lang}/{key}.md")
            except OSError as exc:
                found.append(f"{lang}/{key}.md: {exc.strerror or exc}")
            except ManualError as exc:
                found.append(str(exc))
        for target in index.tabs.values():
            name, _sep, anchor = target.partition("#")
            if anchor and name in pages and anchor not in pages[name].anchors:
                found.append(f"index.toml: {lang}/{name}.md has no anchor '{anchor}'")
        for key, page in pages.items():
            for line, href in page.links:
                if re.match(r"^[a-z]+:", href):
                    continue
                target, _sep, anchor = href.partition("#")
                target = target[:-3] if target.endswith(".md") else target
                if (target or key) not in pages:
                    found.append(f"{lang}/{key}.md:{line + 1}: the link '{href}' leads to no page")
                elif anchor and anchor not in pages[target or key].anchors:
                    found.append(f"{lang}/{key}.md:{line + 1}: the link '{href}' leads to no heading")
            for line, img in page.images:
                if not (src / lang / img).resolve().is_file():
                    found.append(f"{lang}/{key}.md:{line + 1}: no image '{img}'")
        extra = sorted(p.stem for p in (src / lang).glob("*.md") if p.stem not in index.pages)
        found += [f"{lang}/{name}.md is not in index.toml's pages" for name in extra]
    return found


def stamp(src: Path | None = None) -> str:
    """A hash of every source file (and of the converter): names the built copy that matches them."""
    src = src or source_dir()
    digest = hashlib.sha256((CONVERTER_VERSION + CSS).encode())
    for path in sorted(p for p in src.rglob("*") if p.is_file() and "html" not in p.relative_to(src).parts[:1]):
        if path.suffix in (".md", ".toml", ".png", ".jpg", ".svg"):
            digest.update(path.relative_to(src).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _nav(pages: list[Page], n: int, labels: dict[str, str]) -> str:
    prev = f'&lsaquo; <a href="{pages[n - 1].key}.html">{html.escape(pages[n - 1].title)}</a>' if n > 0 else ""
    nxt = (f'<a href="{pages[n + 1].key}.html">{html.escape(pages[n + 1].title)}</a> &rsaquo;'
           if n + 1 < len(pages) else "")
    home = f'<a href="index.html">{html.escape(labels["contents"])}</a>' if n > 0 else ""
    return (f'<table class="nav" width="100%" cellspacing="0"><tr><td width="40%">{prev}</td>'
            f'<td width="20%" align="center">{home}</td><td width="40%" align="right">{nxt}</td></tr></table>')


def _contents(pages: list[Page]) -> str:
    out = ["<ul>"]
    for page in pages[1:]:
        sections = "".join(f'<li><a href="{page.key}.html#{a}">{html.escape(t)}</a></li>' for a, t in page.sections)
        out.append(f'<li><a href="{page.key}.html"><b>{html.escape(page.title)}</b></a>'
                   + (f"<ul>{sections}</ul>" if sections else "") + "</li>")
    return "".join(out) + "</ul>"


def page_html(pages: list[Page], n: int, lang: str, labels: dict[str, str]) -> str:
    page = pages[n]
    body = page.body.replace(CONTENTS_MARK, _contents(pages))
    nav = _nav(pages, n, labels)
    title = html.escape(page.title if n == 0 else f"{page.title} — {labels['title']}")
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
            f"<style>{CSS}</style>\n</head>\n<body>\n{nav}\n{body}\n<hr>\n{nav}\n</body>\n</html>\n")


def build(out: Path, langs: tuple[str, ...] = LANGUAGES, src: Path | None = None) -> list[Path]:
    """Write the manual as HTML into ``out`` (``out/<lang>/<page>.html``, ``out/img/``, ``out/stamp.txt``);
    refuses (:class:`ManualError`) when any page fails or a link, anchor or image leads nowhere."""
    src = src or source_dir()
    wrong = problems(src)
    if wrong:
        raise ManualError("; ".join(wrong))
    index = load_index(src)
    written: list[Path] = []
    for lang in langs:
        pages = load(lang, src)
        folder = out / lang
        folder.mkdir(parents=True, exist_ok=True)
        for n, page in enumerate(pages):
            path = folder / f"{page.key}.html"
            path.write_text(page_html(pages, n, lang, index.labels[lang]), encoding="utf-8")
            written.append(path)
    images = src / "img"
    if images.is_dir():
        shutil.copytree(images, out / "img", dirs_exist_ok=True)
    (out / STAMP_FILE).write_text(stamp(src), encoding="utf-8")
    return written


def html_dir(lang: str, src: Path | None = None) -> Path:
    """The built pages of ``lang``: the installer's prebuilt copy when it matches the sources, else a copy built
    on first use in the user's data folder (or a temporary folder when that cannot be written)."""
    src = src or source_dir()
    lang = lang if lang in LANGUAGES else LANGUAGES[0]
    current = stamp(src)
    prebuilt = src / "html"
    if _stamp_of(prebuilt) == current:
        return prebuilt / lang
    from mpp_planner import settings

    cache = settings.data_dir() / "manual"
    target = cache / current
    if _stamp_of(target) == current:
        return target / lang
    shutil.rmtree(target, ignore_errors=True)  # a copy left half-made
    try:
        cache.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".build-", dir=cache))
    except OSError:
        work = Path(tempfile.mkdtemp(prefix="mpp-planner-manual-"))
        build(work, src=src)
        return work / lang
    try:
        build(work, src=src)
        os.replace(work, target)
    except OSError:
        if _stamp_of(target) != current:  # not another copy of the app that built it meanwhile
            return work / lang
    shutil.rmtree(work, ignore_errors=True)
    for old in cache.iterdir():  # copies built from older sources
        if old.name != current and not old.name.startswith(".build-"):
            shutil.rmtree(old, ignore_errors=True)
    return target / lang


def _stamp_of(folder: Path) -> str | None:
    try:
        return (folder / STAMP_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["check"] and len(args) == 1:
        wrong = problems()
        for line in wrong:
            print(line, file=sys.stderr)
        return 1 if wrong else 0
    if args[:1] == ["build"] and len(args) == 2:
        try:
            written = build(Path(args[1]))
        except (ManualError, OSError) as exc:
            print(f"manual: {exc}", file=sys.stderr)
            return 2
        print(f"manual: {len(written)} pages written to {args[1]}")
        return 0
    print("usage: python -m mpp_planner.manual build OUT_DIR | check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
