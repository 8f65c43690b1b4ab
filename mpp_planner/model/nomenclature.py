"""The sub kegiatan nomenclature (Permendagri 90/2019 as updated by Kepmendagri 050-5889/2021), kept as data in
``resources/sub_activities.csv``: one row per urusan, bidang urusan, program, kegiatan and sub kegiatan, the level
told by the code's shape (``2`` · ``2.18`` · ``2.18.01`` · ``2.18.01.2.07`` · ``2.18.01.2.07.0005``). A sub
kegiatan row also carries its output indicator (tolok ukur) and the indicator's unit."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mpp_planner.resources_path import resource

FILE_NAME = "sub_activities.csv"
#: dotted groups per level: urusan, bidang urusan, program, kegiatan (two groups: level + number), sub kegiatan
LEVEL_GROUPS = {1: "affair", 2: "affair_field", 3: "program", 5: "activity", 6: "sub_activity"}


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    indicator: str = ""
    indicator_unit: str = ""

    @property
    def level(self) -> str:
        return LEVEL_GROUPS.get(self.code.count(".") + 1, "")


def parent_codes(code: str) -> dict[str, str]:
    """The codes above a sub kegiatan code by level: ``{"affair": "2", "affair_field": "2.18", ...}``."""
    parts = code.split(".")
    return {"affair": parts[0], "affair_field": ".".join(parts[:2]), "program": ".".join(parts[:3]),
            "activity": ".".join(parts[:5])}


def read_entries(path: Path) -> dict[str, Entry]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return {row["code"].strip(): Entry(row["code"].strip(), row["name"].strip(),
                                           (row.get("indicator") or "").strip(),
                                           (row.get("indicator_unit") or "").strip())
                for row in csv.DictReader(fh) if (row.get("code") or "").strip()}


@lru_cache(maxsize=1)
def entries() -> dict[str, Entry]:
    """Every row of the list by code."""
    return read_entries(resource(FILE_NAME))


def sub_activities() -> list[Entry]:
    """The sub kegiatan rows, in code order."""
    return [e for e in entries().values() if e.level == "sub_activity"]


def context(code: str) -> dict[str, str]:
    """Names of the urusan, bidang urusan, program and kegiatan above ``code`` (empty when not listed)."""
    known = entries()
    return {level: known[c].name if c in known else "" for level, c in parent_codes(code).items()}
