"""The kode barang list (Permendagri 108/2016, kodefikasi barang milik daerah), kept as data in
``resources/asset_codes.csv`` (``code,name``): the entries an MPP uses, every level from akun down to the
sub-sub rincian objek that a catalog item or a KIR row carries — ``1`` Aset · ``1.3`` Aset Tetap · ``1.3.2``
Peralatan dan Mesin · ``1.3.2.05`` Alat Kantor dan Rumah Tangga · ``1.3.2.05.01`` Alat Kantor ·
``1.3.2.05.01.04`` Alat Penyimpan Perlengkapan Kantor · ``1.3.2.05.01.04.001`` Lemari Besi/Metal.

Source: the Lampiran of Permendagri 108/2016 (Berita Negara 2016 No. 2083) as the kodefikasi tables of
regional asset systems (SIMDA BMD, SIMBADA and their exports) carry it, cross-checked between such tables; the
names are the regulation's spelling (a few typing slips mended). It is not the whole regulation and a code
that could not be confirmed is left out (a wheelchair's code among the medical equipment, 1.3.2.07, for one):
a region adds the codes it needs by editing the CSV. A code of the right shape is accepted on an item even
when it is not listed; the list names it and offers it in the forms.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mpp_planner.model.site import ASSET_CODE_RE
from mpp_planner.resources_path import resource

FILE_NAME = "asset_codes.csv"


@dataclass(frozen=True)
class AssetCode:
    code: str
    name: str

    @property
    def level(self) -> int:
        """1 (akun) … 7 (sub-sub rincian objek, the code an item carries)."""
        return self.code.count(".") + 1

    @property
    def full(self) -> bool:
        return bool(ASSET_CODE_RE.match(self.code))

    @property
    def label(self) -> str:
        """What a form's completer shows: ``1.3.2.05.01.04.001 — Lemari Besi/Metal``."""
        return f"{self.code} — {self.name}"


def read_entries(path: Path) -> dict[str, AssetCode]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return {row["code"].strip(): AssetCode(row["code"].strip(), (row.get("name") or "").strip())
                for row in csv.DictReader(fh) if (row.get("code") or "").strip()}


@lru_cache(maxsize=1)
def entries() -> dict[str, AssetCode]:
    """Every row of the list by code, in the file's order."""
    return read_entries(resource(FILE_NAME))


def name_of(code: str) -> str:
    """The listed name of ``code`` ("" when it is not in the list)."""
    entry = entries().get((code or "").strip())
    return entry.name if entry else ""


def choices() -> list[AssetCode]:
    """The full seven-level codes, in code order: what a catalog item or a KIR row may carry."""
    return sorted((e for e in entries().values() if e.full), key=lambda e: [int(p) for p in e.code.split(".")])


def parent_codes(code: str) -> list[str]:
    """The codes of the levels above ``code``: ``1``, ``1.3``, ``1.3.2`` … (the akun first)."""
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def code_of(text: str) -> str:
    """The code in what a form's field holds: a completer's ``code — name`` gives the code."""
    return (text or "").split("—")[0].strip()
