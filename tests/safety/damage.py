"""Ways to damage a project file for the tests."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path


def page_size(path: Path) -> int:
    data = path.read_bytes()[16:18]
    size = int.from_bytes(data, "big")
    return 65536 if size == 1 else size


def table_pages(path: Path, table: str) -> list[int]:
    """Page numbers (1-based) holding the table's b-tree, via the dbstat virtual table if available."""
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in con.execute("SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno", (table,))]
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()


def overwrite_pages(path: Path, pages, seed: int = 1) -> None:
    """Overwrite whole pages (1-based numbers) with random bytes."""
    size = page_size(path)
    rng = random.Random(seed)
    with open(path, "r+b") as fh:
        for page in pages:
            fh.seek((page - 1) * size)
            fh.write(bytes(rng.getrandbits(8) for _ in range(size)))


def garble_middle(path: Path, fraction: float = 0.1, seed: int = 1) -> list[int]:
    """Overwrite ``fraction`` of the pages around the middle of the file with garbage.

    The schema's own pages (sqlite_schema) are spared: without them no tool can tell which
    page belongs to which table, and repair rightly reports that nothing can be read (tested
    separately)."""
    size = page_size(path)
    n = path.stat().st_size // size
    count = max(1, int(n * fraction))
    schema = set(table_pages(path, "sqlite_schema")) | set(table_pages(path, "sqlite_master"))
    candidates = [p for p in range(2, n + 1) if p not in schema]
    middle = len(candidates) // 2
    pages = candidates[max(0, middle - count // 2): max(0, middle - count // 2) + count]
    overwrite_pages(path, pages, seed)
    return pages


def crashed_with_wal(master: Path, folder: Path, city: str = "Kota Baru") -> Path:
    """A copy of ``master`` as a crash leaves it: an edit committed to the -wal, never checkpointed."""
    import shutil

    path = folder / "c.mpplan"
    shutil.copy2(master, path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA wal_autocheckpoint=0")
    con.execute("UPDATE site SET city=?", (city,))
    con.commit()
    crashed = folder / "crashed"
    crashed.mkdir()
    shutil.copy2(path, crashed / "c.mpplan")
    shutil.copy2(str(path) + "-wal", crashed / "c.mpplan-wal")  # copied while the connection is open
    con.close()
    return crashed / "c.mpplan"
