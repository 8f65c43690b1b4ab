"""The province roll-up's tables, defined once for the workbook, the PDF and the CSV: one topic per table with
the MPPs as rows, each column's Indonesian heading, how its value is read from an
:class:`~mpp_planner.model.rollup.MppSummary`, and whether the province rows add it up and average it; the
ranking tables; the words for skipped files. Printed documents are Indonesian whatever the UI language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from mpp_planner.formats import number
from mpp_planner.model.rollup import (SEVERITIES, SKIP_DAMAGED, SKIP_FAILED, SKIP_LOCKED, SKIP_MISSING,
                                      SKIP_NEWER, SKIP_NOT_PROJECT, SKIP_UNREADABLE, TIER_GROUPS, MppSummary, Rollup,
                                      SkippedFile, average, competition_ranks, total)

INT, MONEY, AREA, DEC, TEXT = "int", "money", "area", "dec", "text"

TIER_HEADINGS = {"pusat": "Pusat/Vertikal", "provinsi": "Provinsi", "kab_kota": "Kabupaten/Kota", "bumn": "BUMN",
                 "bumd": "BUMD", "lainnya": "Lainnya"}
SEVERITY_HEADINGS = {"high": "Tinggi", "medium": "Sedang", "low": "Rendah"}
SKIP_LABELS = {SKIP_MISSING: "Berkas tidak ditemukan", SKIP_NOT_PROJECT: "Bukan berkas proyek MPP Planner",
               SKIP_DAMAGED: "Berkas rusak", SKIP_NEWER: "Dibuat MPP Planner versi lebih baru",
               SKIP_LOCKED: "Sedang dibuka untuk diedit di komputer lain (folder jaringan)",
               SKIP_UNREADABLE: "Berkas tidak dapat dibaca", SKIP_FAILED: "Gagal diringkas"}
NO_SUB_ACTIVITY = "Tanpa sub kegiatan"
DUPLICATE_MARK = "*"
DUPLICATE_NOTE = (f"{DUPLICATE_MARK} Dua berkas atau lebih memuat MPP yang sama (nama, kabupaten/kota dan provinsi "
                  "sama); periksa lembar Berkas. Setiap berkas tetap dihitung dalam jumlah.")
IDENTITY_HEADINGS = ("No", "MPP", "Kabupaten/Kota")
TOTAL_LABEL = "Jumlah Provinsi"
AVERAGE_LABEL = "Rata-rata"


@dataclass(frozen=True)
class Column:
    heading: str
    value: Callable[[MppSummary], Any]  # int, Decimal, str or None (no value)
    kind: str = INT
    total: bool = True  # the province row adds it up
    average: bool = True  # the average row averages the known values
    short: str = ""  # a short heading for narrow pages
    legend: str = ""  # what the short heading stands for, printed under the table on narrow pages


@dataclass(frozen=True)
class Topic:
    sheet: str  # the workbook sheet's name (at most 31 characters)
    title: str
    columns: tuple[Column, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ranking:
    title: str
    value: Callable[[MppSummary], Any]
    kind: str
    descending: bool = True  # the largest value ranks first
    note: str = ""


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def topics(r: Rollup) -> list[Topic]:
    """Every table of the roll-up of ``r.year``, in the order the documents show them."""
    y = r.year

    def budget(s: MppSummary):
        return s.budget(y)

    def ikm(s: MppSummary):
        found = s.skm(y)
        return found.ikm if found else None

    requested = Column("Usulan (Rp)", lambda s: budget(s).requested, MONEY)
    approved = Column("Disetujui (Rp)", lambda s: budget(s).approved, MONEY)
    agencies = Column("Jumlah Instansi", lambda s: s.agencies)
    services = Column("Jumlah Layanan", lambda s: s.services)
    counters = Column("Jumlah Loket", lambda s: s.counters)
    findings = Column("Jumlah Temuan", lambda s: s.findings_of())
    needs = Column("Kebutuhan Terbuka", lambda s: s.open_needs)
    needs_cost = Column("Perkiraan Biaya Kebutuhan (Rp)", lambda s: s.open_needs_cost, MONEY)
    ikm_col = Column("IKM", ikm, DEC, total=False)
    facility = Column("Nilai Sarpras PEKPPP", lambda s: s.facility_score if s.facilities else None, total=False)

    summary = Topic("Ringkasan", f"Ringkasan per MPP Tahun {y}",
                    (counters, agencies, services, findings, needs, needs_cost, requested, approved, ikm_col,
                     facility))
    plan = Topic("Denah", "Denah dan Luas Ruang", (
        Column("Jumlah Lantai", lambda s: s.floors), Column("Jumlah Ruang", lambda s: s.rooms),
        Column("Luas Seluruh Ruang (m²)", lambda s: s.room_area_m2, AREA),
        Column("Luas Area Pelayanan Publik (m²)", lambda s: s.service_area_m2, AREA)),
        ("Luas area pelayanan publik: ruang yang dipakai masyarakat (ruang loket, ruang tunggu, laktasi, bermain "
         "anak, ibadah, informasi, pengaduan, pojok baca), diukur dari denah.",))
    counter_topic = Topic("Loket", "Loket dan Alokasinya", (
        counters, Column("Loket Teralokasi", lambda s: s.counters_allocated),
        Column("Loket Belum Teralokasi", lambda s: s.counters_unallocated),
        Column("Teralokasi (%)", lambda s: percent(s.counters_allocated, s.counters), DEC, total=False)))
    tier_columns = tuple(Column(f"Instansi {TIER_HEADINGS[g]}", _tier_getter(g), short=TIER_HEADINGS[g])
                         for g in TIER_GROUPS)
    agency_topic = Topic("Instansi", "Instansi per Tingkat dan Layanan", (*tier_columns, agencies, services),
                         ("Lainnya: badan hukum publik (BPJS) dan swasta.",))
    rules = r.rule_columns()
    rule_columns = tuple(Column(f"{name} ({SEVERITY_HEADINGS.get(sev, sev)})", _rule_getter(rid),
                                short=f"A{i}", legend=f"A{i} = {name} ({SEVERITY_HEADINGS.get(sev, sev)})")
                         for i, (rid, name, sev) in enumerate(rules, start=1))
    severity_columns = tuple(Column(f"Prioritas {SEVERITY_HEADINGS[sev]}", _severity_getter(sev),
                                    short=SEVERITY_HEADINGS[sev]) for sev in SEVERITIES)
    finding_topic = Topic("Temuan", "Temuan Standar Sarana Prasarana per Aturan dan Prioritas",
                          (*rule_columns, *severity_columns, findings),
                          ("Temuan pemeriksaan standar sarana prasarana (aturan bawaan MPP Planner, sama dengan "
                           "perintah mpp-planner check).",))
    need_topic = Topic("Kebutuhan", "Kebutuhan Sarana Prasarana yang Belum Terpenuhi", (needs, needs_cost),
                       ("Biaya: kekurangan barang × harga referensi katalog, belum termasuk PPN.",))
    budget_topic = Topic("Anggaran", f"Usulan Anggaran Tahun {y}", (
        Column("Pagu (Rp)", lambda s: budget(s).ceiling, MONEY), requested, approved,
        Column("Selisih Usulan − Disetujui (Rp)", lambda s: budget(s).requested - budget(s).approved, MONEY),
        Column("Baris Usulan", lambda s: budget(s).lines)),
        ("Usulan: semua baris yang tidak ditolak; disetujui: nilai persetujuan baris berstatus disetujui.",))
    account_columns: list[Column] = []
    for code, name in r.account_columns():
        for label, field in (("Usulan", "requested"), ("Disetujui", "approved")):
            account_columns.append(Column(
                f"{code} {name} – {label} (Rp)".replace("  ", " "),
                _account_getter(y, code, field), MONEY,
                short=f"{code} {label}", legend=f"{code} = {name}" if name else ""))
    account_topic = Topic("Rekening", f"Anggaran Tahun {y} per Kelompok dan Jenis Belanja", tuple(account_columns))
    sub_columns: list[Column] = []
    for code, name in r.sub_activity_columns():
        title = f"{code} {name}" if code else NO_SUB_ACTIVITY
        for label, field in (("Usulan", "requested"), ("Disetujui", "approved")):
            sub_columns.append(Column(f"{title} – {label} (Rp)", _sub_activity_getter(y, code, field), MONEY,
                                      short=f"{code or NO_SUB_ACTIVITY} {label}",
                                      legend=f"{code} = {name}" if code and name else ""))
    sub_topic = Topic("Sub Kegiatan", f"Anggaran Tahun {y} per Sub Kegiatan", tuple(sub_columns))
    skm_topic = Topic("SKM", f"Survei Kepuasan Masyarakat (SKM) Tahun {y}", (
        Column("Periode", _skm_getter(y, "name"), TEXT, total=False, average=False),
        Column("Responden", _skm_getter(y, "respondents")),
        ikm_col,
        Column("Mutu", _skm_getter(y, "mutu"), TEXT, total=False, average=False),
        Column("Kinerja", _skm_getter(y, "kinerja"), TEXT, total=False, average=False)),
        ("Periode survei terakhir tahun ini yang memiliki responden (PermenPANRB 14/2017); kosong: belum ada data.",))
    score_columns = tuple(Column(f"{name} (0–5)", _score_getter(key), total=False, short=f"S{i}",
                                 legend=f"S{i} = {name}")
                          for i, (key, name) in enumerate(r.facility_columns(), start=1))
    pekppp_topic = Topic("PEKPPP", "PEKPPP: Nilai Indikator Sarana Prasarana", (
        *score_columns, Column("Jumlah Nilai Sarpras", lambda s: s.facility_score if s.facilities else None,
                               total=False),
        Column("Nilai Maksimal", lambda s: s.facility_max if s.facilities else None, total=False, average=False),
        Column("Indeks PEKPPP (0–5)", lambda s: s.pekppp_index, DEC, total=False)),
        ("Dinilai dari denah, inventaris, daftar periksa dan SKM dengan instrumen bawaan (PermenPANRB 29/2022).",))
    return [summary, plan, counter_topic, agency_topic, finding_topic, need_topic, budget_topic, account_topic,
            sub_topic, skm_topic, pekppp_topic]


Getter = Callable[[MppSummary], Any]


def _pair(pair, field: str) -> Decimal | None:
    return getattr(pair, field) if pair is not None else None


def _tier_getter(group: str) -> Getter:
    return lambda s: s.tier(group).agencies


def _rule_getter(rule_id: str) -> Getter:
    return lambda s: s.rule_count(rule_id)


def _severity_getter(severity: str) -> Getter:
    return lambda s: s.findings_of(severity)


def _account_getter(year: int, code: str, field: str) -> Getter:
    return lambda s: _pair(s.budget(year).account(code), field)


def _sub_activity_getter(year: int, code: str, field: str) -> Getter:
    return lambda s: _pair(s.budget(year).sub_activity(code), field)


def _skm_getter(year: int, field: str) -> Getter:
    def value(s: MppSummary) -> Any:
        period = s.skm(year)
        return getattr(period, field) if period is not None else None

    return value


def _score_getter(key: str) -> Getter:
    def value(s: MppSummary) -> int | None:
        found = s.facility(key)
        return found.score if found else None

    return value


def rankings(r: Rollup) -> list[Ranking]:
    y = r.year

    def ikm(s: MppSummary):
        found = s.skm(y)
        return found.ikm if found else None

    return [
        Ranking("IKM (Survei Kepuasan Masyarakat)", ikm, DEC, note="MPP tanpa SKM tahun ini tidak diperingkat."),
        Ranking("Nilai Sarana Prasarana PEKPPP", lambda s: s.facility_score if s.facilities else None, INT),
        Ranking("Jumlah Instansi", lambda s: s.agencies, INT),
        Ranking("Jumlah Layanan", lambda s: s.services, INT),
        Ranking("Loket Teralokasi (%)", lambda s: percent(s.counters_allocated, s.counters), DEC),
        Ranking("Temuan Prioritas Tinggi (paling sedikit di atas)", lambda s: s.findings_of("high"), INT,
                descending=False),
        Ranking(f"Usulan Anggaran Tahun {y} (Rp)", lambda s: s.budget(y).requested, MONEY),
    ]


def ranked(r: Rollup, ranking: Ranking) -> list[tuple[int, MppSummary, Any]]:
    """(rank, summary, value) of the MPPs with a value, best first (ties share a rank, by name after)."""
    rows = [(s, ranking.value(s)) for s in r.summaries]
    rows = [(s, v) for s, v in rows if v is not None]
    ranks = competition_ranks([v for _s, v in rows], descending=ranking.descending)
    out = [(rank, s, v) for (s, v), rank in zip(rows, ranks) if rank is not None]
    return sorted(out, key=lambda t: t[0])


def column_values(r: Rollup, column: Column) -> list[Any]:
    return [column.value(s) for s in r.summaries]


def column_total(values: list[Any]) -> Decimal | int:
    return total(v for v in values if not isinstance(v, str))


def column_average(values: list[Any]) -> Decimal | None:
    return average(v for v in values if not isinstance(v, str))


def mpp_name(r: Rollup, s: MppSummary) -> str:
    """The MPP's name as the tables print it, marked when another file holds the same MPP."""
    return s.identity.name + (DUPLICATE_MARK if r.is_duplicate(s) else "")


def skip_text(skip: SkippedFile) -> str:
    """Why a file was skipped, in Indonesian, with what the store found."""
    label = SKIP_LABELS.get(skip.reason, skip.reason)
    if skip.reason == SKIP_NEWER and skip.detail:
        return f"{label} (skema {skip.detail})"
    return f"{label}: {skip.detail}" if skip.detail else label


def text_of(value: Any, kind: str) -> str:
    """A value as the printed tables write it (Indonesian numbers); "–" for no value."""
    if value is None or value == "":
        return "–"
    if kind == TEXT or isinstance(value, str):
        return str(value)
    if kind == MONEY:
        return number(value, 0 if value == value.to_integral_value() else 2, lang="id")
    if kind in (AREA, DEC):
        return number(value, 2, lang="id")
    return number(value, 0, lang="id")


def subtitle(r: Rollup) -> str:
    where = f"Provinsi {r.province}" if r.province else "Beberapa provinsi"
    return f"{where} · Tahun Anggaran {r.year}"


def counts_text(r: Rollup) -> str:
    groups = r.duplicates
    text = f"{len(r.summaries)} berkas dibaca, {len(r.skipped)} berkas dilewati"
    if groups:
        text += f", {sum(len(g) for g in groups)} berkas memuat MPP yang sama ({len(groups)} MPP)"
    return text + "."


# --- writing ---------------------------------------------------------------------------------------

FORMATS = ("xlsx", "pdf", "csv")


def write(r: Rollup, out, fmt: str) -> Path:
    """Write the roll-up as ``fmt`` (xlsx, pdf, csv) to ``out``, all or nothing (a cancelled job leaves no file)."""
    from mpp_planner.reports.output import write_atomically

    if fmt == "csv":
        from mpp_planner.reports.rollup_csv import write_csv_file

        return write_csv_file(r, out)
    if fmt == "xlsx":
        from mpp_planner.reports.rollup_xlsx import write_xlsx

        return write_atomically(out, lambda tmp: write_xlsx(r, tmp))
    if fmt == "pdf":
        from mpp_planner.reports.rollup_pdf import write_pdf

        return write_atomically(out, lambda tmp: write_pdf(r, tmp))
    raise ValueError(f"unknown roll-up format {fmt!r}")
