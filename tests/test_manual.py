"""The user manual (mpp_planner.manual, Qt-free): every page builds in both languages, every link, anchor and image
of the built HTML resolves, every tab has a page, the pages name the real menus, and the app's copy is built once
and rebuilt when a page changes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from mpp_planner import manual
from mpp_planner.i18n_catalog import po_path, read_po

TAB_KEYS = ("plan", "agencies", "inventory", "budget", "survey", "assessment")  # main_window.TAB_KEYS (Qt)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("manual")
    manual.build(out)
    return out


@pytest.fixture
def src_copy(tmp_path) -> Path:
    """A copy of the sources to break on purpose."""
    return Path(shutil.copytree(manual.source_dir(), tmp_path / "manual", ignore=shutil.ignore_patterns("html")))


# --- what is shipped -----------------------------------------------------------------------------

def test_every_page_builds_in_both_languages_with_contents_and_neighbours(built):
    index = manual.load_index()
    for lang in manual.LANGUAGES:
        for n, key in enumerate(index.pages):
            text = (built / lang / f"{key}.html").read_text(encoding="utf-8")
            assert text.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in text
            assert text.count("<h1>") == 1
            if n > 0:
                assert f'href="{index.pages[n - 1]}.html"' in text and 'href="index.html"' in text
            if n + 1 < len(index.pages):
                assert f'href="{index.pages[n + 1]}.html"' in text
        home = (built / lang / "index.html").read_text(encoding="utf-8")
        assert manual.CONTENTS_MARK not in home
        for key in index.pages[1:]:  # the contents lead to every page
            assert f'href="{key}.html"' in home
    assert (built / manual.STAMP_FILE).read_text(encoding="utf-8") == manual.stamp()


def test_every_link_anchor_and_image_of_the_built_html_resolves(built):
    checked = 0
    for page in sorted(built.glob("*/*.html")):
        text = page.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"]+)"', text):
            if href.startswith(("http://", "https://", "mailto:")):
                continue
            target, _sep, anchor = href.partition("#")
            path = (page.parent / target).resolve() if target else page
            assert path.is_file(), f"{page.relative_to(built)}: link {href} leads nowhere"
            if anchor:
                assert f'name="{anchor}"' in path.read_text(encoding="utf-8"), f"{page.name}: no anchor {href}"
            checked += 1
        for src in re.findall(r'<img src="([^"]+)"', text):
            assert (page.parent / src).resolve().is_file(), f"{page.relative_to(built)}: no image {src}"
            checked += 1
    assert checked > 200


def test_every_tab_and_the_welcome_screen_have_a_page_in_both_languages(built):
    index = manual.load_index()
    assert set(index.tabs) == {*TAB_KEYS, "welcome"}
    for key in (*TAB_KEYS, "welcome"):
        page, anchor = manual.resolve(key)
        assert page != "index", key
        for lang in manual.LANGUAGES:
            text = (built / lang / f"{page}.html").read_text(encoding="utf-8")
            assert not anchor or f'name="{anchor}"' in text
    assert manual.resolve("plan") == ("plan", "")
    assert manual.resolve("budget#gaps") == ("budget", "gaps")
    assert manual.resolve("no-such-page") == ("index", "") == manual.resolve(None)


def test_an_indonesian_page_for_every_english_one_with_the_same_sections():
    index = manual.load_index()
    names = {lang: sorted(p.stem for p in (manual.source_dir() / lang).glob("*.md")) for lang in manual.LANGUAGES}
    assert names["id"] == names["en"] == sorted(index.pages)
    english = {p.key: p for p in manual.load("en")}
    for page in manual.load("id"):
        assert page.anchors == english[page.key].anchors, page.key  # the same anchors: links work in both
        assert len(page.images) == len(english[page.key].images), page.key


def test_pages_are_real_text_and_images_are_of_their_language():
    for lang in manual.LANGUAGES:
        for page in manual.load(lang):
            words = len(page.text.split())
            assert words >= (200 if page.key == "keyboard" else 350), f"{lang}/{page.key}: {words} words"
            assert all(Path(src).name.startswith(f"{lang}-") for _line, src in page.images), page.key
    assert not manual.problems()


def test_every_image_is_used_and_the_images_stay_small():
    used = {Path(src).name for lang in manual.LANGUAGES for page in manual.load(lang) for _line, src in page.images}
    shipped = {p.name for p in (manual.source_dir() / "img").iterdir()}
    assert used == shipped
    assert sum(p.stat().st_size for p in (manual.source_dir() / "img").iterdir()) < 1_500_000


def _ui(text: str) -> str:
    """A menu text as the menu shows it: the accelerator's "&" gone ("&&" is "&"), no "…" or ":"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip().rstrip("…").rstrip(":").strip()


def test_menu_paths_in_the_pages_are_the_interface_texts():
    """Every part of "*Berkas ▸ Pengaturan Proyek… ▸ Pencetakan*" is a text of the interface: an Indonesian
    translation on the Indonesian pages, an English message on the English ones."""
    catalogue = {k: v for k, v in read_po(po_path("id")).items() if k}
    known = {"id": {_ui(v) for v in catalogue.values()}, "en": {_ui(k) for k in catalogue}}
    paths = 0
    for lang in manual.LANGUAGES:
        for path in sorted((manual.source_dir() / lang).glob("*.md")):
            for m in re.finditer(r"\*([^*|]+▸[^*|]+)\*", path.read_text(encoding="utf-8")):
                for part in m.group(1).split("▸"):
                    name = " ".join(part.split()).rstrip("…").strip()
                    assert name in known[lang], f"{lang}/{path.name}: '{name}' (in *{m.group(1)}*) is not in the UI"
                paths += 1
    assert paths > 80


# --- the converter -------------------------------------------------------------------------------

SAMPLE = """# Title *here*

Text with **bold**, *italic*, `kode_akun`, <script> & [a link](plan.md#walls), a star \\* and 5 * 3.
Second line of the paragraph.

## Section one {#one}

- item one
  continued
- item two
  - child a
  - child b

1. step
2. step two

   its second paragraph

> **Note:** careful
> still the note

| Column | Value |
|---|---:|
| a \\| b | 1 |

![Caption of the image](../img/id-plan.png)

```
mpp-planner repair A.mpplan -o B.mpplan
```

### Sub-section
"""


def test_the_markdown_subset_becomes_html():
    page = manual.render_page(SAMPLE, "id/sample.md")
    body = page.body
    assert page.title == "Title here" and "<h1>Title <i>here</i></h1>" in body
    assert "<b>bold</b>, <i>italic</i>, <code>kode_akun</code>, &lt;script&gt; &amp;" in body
    assert '<a href="plan.html#walls">a link</a>' in body and "a star * and 5 * 3. Second line" in body
    assert '<h2 id="one"><a name="one"></a>Section one</h2>' in body
    assert "<ul><li>item one continued</li><li>item two\n<ul><li>child a</li><li>child b</li></ul></li></ul>" in body
    assert "<ol><li>step</li><li><p>step two</p>\n<p>its second paragraph</p></li></ol>" in body
    assert '<td class="note"><p><b>Note:</b> careful still the note</p></td>' in body
    assert '<th>Column</th><th>Value</th></tr><tr><td align="left">a | b</td><td align="right">1</td>' in body
    assert '<img src="../img/id-plan.png" alt="Caption of the image">' in body
    assert '<p class="caption">Caption of the image</p>' in body
    assert "<pre>mpp-planner repair A.mpplan -o B.mpplan</pre>" in body
    assert page.sections == [("one", "Section one")] and page.anchors == {"one", "sub-section"}
    assert page.links == [(2, "plan.md#walls")] and page.images == [(25, "../img/id-plan.png")]
    assert "<b>" not in page.text and "kode_akun, <script> & a link, a star" in page.text


@pytest.mark.parametrize("text, where, message", [
    ("Text before the title\n# Title\n", "id/x.md:1", "starts with its title"),
    ("# Title\n\n## A\n\n## A\n", "id/x.md:5", "anchor 'a' is used twice"),
    ("# Title\n\n```\ncode\n", "id/x.md:3", "not closed"),
    ("# Title\n\n| a | b |\n|---|---|\n| 1 |\n", "id/x.md:5", "1 cells"),
    ("# Title\n\n# Another\n", "id/x.md:3", "one '# Title'"),
])
def test_a_malformed_page_is_refused_with_its_file_and_line(text, where, message):
    with pytest.raises(manual.ManualError, match=re.escape(where) + ".*" + re.escape(message)):
        manual.render_page(text, "id/x.md")


def test_broken_links_missing_anchors_images_and_pages_are_found(src_copy, tmp_path):
    plan = src_copy / "en" / "plan.md"
    plan.write_text(plan.read_text(encoding="utf-8") + "\nSee [nowhere](nowhere.md), [no heading](budget.md#nope) "
                    "and ![x](../img/none.png).\n", encoding="utf-8")
    (src_copy / "id" / "keyboard.md").unlink()
    (src_copy / "en" / "extra.md").write_text("# Extra\n", encoding="utf-8")
    found = "\n".join(manual.problems(src_copy))
    assert "en/plan.md:" in found and "'nowhere.md' leads to no page" in found
    assert "'budget.md#nope' leads to no heading" in found and "no image '../img/none.png'" in found
    assert "id/keyboard.md: No such file" in found and "en/extra.md is not in index.toml" in found
    with pytest.raises(manual.ManualError):
        manual.build(tmp_path / "out", src=src_copy)
    assert not (tmp_path / "out" / "id").exists()  # nothing half-built


def test_a_tab_page_missing_from_the_index_is_found(src_copy):
    index = src_copy / "index.toml"
    index.write_text(index.read_text(encoding="utf-8").replace('budget = "budget"', 'budget = "budgets#x"'),
                     encoding="utf-8")
    assert any("the tab page 'budgets#x' is not in pages" in p for p in manual.problems(src_copy))


# --- the app's copy ------------------------------------------------------------------------------

def test_the_app_builds_its_copy_once_and_again_when_a_page_changes(src_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("MPP_PLANNER_DATA_DIR", str(tmp_path / "data"))
    first = manual.html_dir("id", src_copy)
    assert first == tmp_path / "data" / "manual" / manual.stamp(src_copy) / "id"
    assert (first / "plan.html").is_file() and (first.parent / "en" / "plan.html").is_file()
    made = (first / "plan.html").stat().st_mtime_ns
    assert manual.html_dir("id", src_copy) == first and (first / "plan.html").stat().st_mtime_ns == made
    assert manual.html_dir("xx", src_copy) == first  # an unknown language: Indonesian
    page = src_copy / "id" / "plan.md"
    page.write_text(page.read_text(encoding="utf-8").replace("# Menggambar denah", "# Denah"), encoding="utf-8")
    second = manual.html_dir("id", src_copy)
    assert second != first and "<h1>Denah</h1>" in (second / "plan.html").read_text(encoding="utf-8")
    assert not first.parent.exists()  # the copy of the older sources is gone
    assert [p.name for p in (tmp_path / "data" / "manual").iterdir()] == [second.parent.name]


def test_the_installers_prebuilt_copy_is_used_when_it_matches(src_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("MPP_PLANNER_DATA_DIR", str(tmp_path / "data"))
    manual.build(src_copy / "html", src=src_copy)
    assert manual.html_dir("en", src_copy) == src_copy / "html" / "en"
    assert not (tmp_path / "data" / "manual").exists()
    (src_copy / "en" / "index.md").write_text("# Changed\n\n{{contents}}\n", encoding="utf-8")
    assert manual.html_dir("en", src_copy).parent.parent == tmp_path / "data" / "manual"  # stale: built anew


def test_an_unwritable_data_folder_falls_back_to_a_temporary_folder(src_copy, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("MPP_PLANNER_DATA_DIR", str(blocker / "data"))  # mkdir under a file fails (NotADirectory)
    folder = manual.html_dir("id", src_copy)
    assert (folder / "index.html").is_file() and blocker not in folder.parents
    shutil.rmtree(folder.parent)


def test_the_command_line(tmp_path, capsys):
    assert manual.main(["build", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "en" / "keyboard.html").is_file()
    assert manual.main(["check"]) == 0
    assert manual.main(["bogus"]) == 2 and "usage" in capsys.readouterr().err
