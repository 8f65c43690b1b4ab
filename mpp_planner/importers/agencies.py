"""Import agencies from CSV or XLSX: every row checked, then all rows added as one undoable
step, or nothing at all.

Columns (Indonesian or English headers; order free; unknown columns ignored): name/nama,
short_name/singkatan, tier/tingkat/jenis, and optionally colour/warna, contact_person/narahubung,
phone/telepon, email/surel, mou_number/nomor_pks, mou_date/tanggal_pks, services/layanan
(separated by ";"), notes/keterangan.

Duplicates are errors, never updates: a name or short name that is already in the project, or
that appears twice in the file (ignoring case and extra spaces), refuses the import with the row
numbers, so a second import of the same list can never silently overwrite edits made in the app.
A missing colour gets a distinct colour not yet used by another agency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from mpp_planner.commands.agencies import AddAgencies, name_key
from mpp_planner.formats import MONTHS_EN, MONTHS_ID
from mpp_planner.i18n import N_, _, ngettext
from mpp_planner.importers.table import ImportRefused, RowError, normalise_header, read_table
from mpp_planner.model import Agency, Service, ValidationError
from mpp_planner.model.agency import Tier, TIER_LABELS
from mpp_planner.model.base import field_label

HELP = N_("agencies: name, short name, tier, colour, contact, MoU/PKS, services (CSV or XLSX)")

ALIASES: dict[str, list[str]] = {
    "name": ["nama", "nama instansi", "instansi", "nama lembaga", "lembaga", "agency", "agency name", "nama_instansi"],
    "short_name": ["singkatan", "nama singkat", "short", "short name", "abbreviation", "akronim", "alias"],
    "tier": ["tingkat", "jenis", "jenis instansi", "tingkat instansi", "kategori", "level", "type", "kelompok"],
    "colour": ["warna", "color", "colour hex", "warna hex"],
    "contact_person": ["narahubung", "kontak", "contact", "pic", "nama kontak", "contact name", "petugas"],
    "phone": ["telepon", "telp", "no telp", "nomor telepon", "hp", "no hp", "phone number", "telephone"],
    "email": ["surel", "e mail", "pos el", "alamat email"],
    "mou_number": ["nomor mou", "no mou", "nomor pks", "no pks", "mou", "pks", "mou pks", "nomor mou pks",
                   "mou no", "mou pks number", "agreement number", "nomor perjanjian"],
    "mou_date": ["tanggal mou", "tgl mou", "tanggal pks", "tgl pks", "tanggal mou pks", "mou pks date",
                 "agreement date", "tanggal perjanjian"],
    "services": ["layanan", "jenis layanan", "daftar layanan", "typical services", "service", "services list"],
    "notes": ["catatan", "keterangan", "note", "remarks"],
}
REQUIRED = ["name", "short_name", "tier"]

_TIER_WORDS = {
    Tier.PUSAT: ["pusat", "vertikal", "pusat vertikal", "instansi vertikal", "instansi pusat", "vertical", "central",
                 "kementerian", "kementerian lembaga"],
    Tier.PROVINSI: ["provinsi", "prov", "pemprov", "pemerintah provinsi", "province", "provincial"],
    Tier.KAB_KOTA: ["kab kota", "kabupaten kota", "kab", "kabupaten", "kota", "pemkot", "pemkab", "pemda",
                    "pemerintah kota", "pemerintah kabupaten", "pemerintah kabupaten kota", "opd", "city", "regency",
                    "city regency", "local government"],
    Tier.BUMN: ["bumn", "badan usaha milik negara", "state company", "state owned company", "soe"],
    Tier.BUMD: ["bumd", "badan usaha milik daerah", "regional company", "perumda", "perseroda"],
    Tier.BADAN_HUKUM_PUBLIK: ["badan hukum publik", "bhp", "public legal body"],
    Tier.SWASTA: ["swasta", "private", "private company", "perusahaan swasta"],
}
TIER_WORDS = {normalise_header(w): t.value for t, words in _TIER_WORDS.items() for w in [t.value, *words]}
TIER_WORDS.update({normalise_header(label): t.value for t, label in TIER_LABELS.items()})

# distinct colours for agencies imported without one (Kelly / Tableau, readable under dark text)
PALETTE = ("#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#17BECF", "#BCBD22",
           "#7F7F7F", "#AEC7E8", "#FFBB78", "#98DF8A", "#FF9896", "#C5B0D5", "#C49C94", "#F7B6D2", "#9EDAE5",
           "#DBDB8D", "#393B79", "#637939", "#8C6D31", "#843C39", "#7B4173", "#3182BD", "#E6550D", "#31A354")

SERVICE_SPLIT = re.compile(r"[;\n|]")
MONTHS = {m.casefold(): i + 1 for names in (MONTHS_ID, MONTHS_EN) for i, m in enumerate(names)}
MONTHS.update({m[:3].casefold(): i + 1 for names in (MONTHS_ID, MONTHS_EN) for i, m in enumerate(names)})
MONTHS["agu"] = 8


def parse_tier(text: str) -> str | None:
    return TIER_WORDS.get(normalise_header(text))


def parse_colour(text: str) -> str:
    """"#1f4e99", "1F4E99" or "#abc" -> "#1F4E99"; anything else is refused by the model."""
    value = text.strip()
    if re.fullmatch(r"[0-9A-Fa-f]{6}", value):
        value = "#" + value
    elif re.fullmatch(r"#[0-9A-Fa-f]{3}", value):
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value


def parse_date(text: str) -> date:
    value = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", value)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", value)
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
        m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", value)
        if m and m[2].casefold() in MONTHS:
            return date(int(m[3]), MONTHS[m[2].casefold()], int(m[1]))
    except ValueError:
        pass
    raise ValidationError("mou_date", _("'{value}' is not a date; write 2019-05-20, 20/05/2019 or 20 Mei 2019.")
                          .format(value=value))


@dataclass
class PlannedRow:
    """One row of the file: what it would add, or why it cannot."""

    row: int
    values: dict[str, str]
    agency: Agency | None = None
    errors: list[RowError] = field(default_factory=list)
    auto_colour: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportPlan:
    source: Path
    rows: list[PlannedRow]
    encoding: str = ""

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]

    def command(self) -> AddAgencies:
        if self.errors:
            raise ImportRefused(self.errors)
        if not self.rows:
            raise ImportRefused([RowError(0, "", _("The file has no agency rows."))])
        agencies = [r.agency for r in self.rows]
        text = ngettext("Import {n} agency from {file}", "Import {n} agencies from {file}", len(agencies))
        return AddAgencies(agencies, text.format(n=len(agencies), file=self.source.name))


def read(project, source: str | Path) -> ImportPlan:
    """Read and check every row; file-level problems raise :class:`ImportRefused`."""
    source = Path(source)
    table = read_table(source, ALIASES, REQUIRED)
    existing = list(project.session.execute(select(Agency.name, Agency.short_name, Agency.colour)))
    names = {name_key(n): n for n, _s, _c in existing}
    shorts = {name_key(s): n for n, s, _c in existing}
    used_colours = {c.upper() for _n, _s, c in existing}
    seen_names: dict[str, int] = {}
    seen_shorts: dict[str, int] = {}
    planned: list[PlannedRow] = []
    for number, values in table.rows:
        row = PlannedRow(number, values)
        planned.append(row)
        agency = Agency()
        fields = {
            "name": values.get("name", ""), "short_name": values.get("short_name", ""),
            "contact_person": values.get("contact_person", ""), "phone": values.get("phone", ""),
            "email": values.get("email", ""), "mou_number": values.get("mou_number", ""),
            "notes": values.get("notes", ""),
        }

        def fail(column: str, message: str) -> None:
            row.errors.append(RowError(number, field_label(column), message))  # noqa: B023 - called within the iteration

        for key, value in fields.items():
            try:
                setattr(agency, key, value)
            except ValidationError as exc:
                fail(key, exc.message)
        tier_text = values.get("tier", "")
        tier = parse_tier(tier_text)
        if tier is None:
            fail("tier", _("unknown tier '{value}'; use pusat/vertikal, provinsi, kab/kota, BUMN, BUMD, "
                           "badan hukum publik or swasta.").format(value=tier_text) if tier_text.strip()
                 else _("Tier must not be empty."))
        else:
            agency.tier = tier
        colour_text = values.get("colour", "").strip()
        if colour_text:
            try:
                agency.colour = parse_colour(colour_text)
            except ValidationError as exc:
                fail("colour", exc.message)
        else:
            row.auto_colour = True
        if values.get("mou_date", "").strip():
            try:
                agency.mou_date = parse_date(values["mou_date"])
            except ValidationError as exc:
                fail("mou_date", exc.message)
        for service in SERVICE_SPLIT.split(values.get("services", "")):
            if service.strip():
                try:
                    agency.services.append(Service(name=service))
                except ValidationError as exc:
                    fail("services", exc.message)
        key, short = name_key(fields["name"]), name_key(fields["short_name"])
        if key and key in names:
            fail("name", _("'{name}' is already in the project; edit it in the register or remove this row.")
                 .format(name=names[key]))
        elif key and key in seen_names:
            fail("name", _("'{name}' is also in row {row}.").format(name=fields["name"].strip(), row=seen_names[key]))
        if short and short in shorts:
            fail("short_name", _("The short name '{short}' is already used by {name}.").format(
                short=fields["short_name"].strip(), name=shorts[short]))
        elif short and short in seen_shorts:
            fail("short_name", _("The short name '{short}' is also in row {row}.").format(
                short=fields["short_name"].strip(), row=seen_shorts[short]))
        seen_names.setdefault(key, number)
        seen_shorts.setdefault(short, number)
        if not row.auto_colour and not row.errors:
            used_colours.add(agency.colour)
        row.agency = agency
    # colours for rows without one: distinct, not yet used, in file order
    free = [c for c in PALETTE if c not in used_colours] or list(PALETTE)
    i = 0
    for row in planned:
        if row.auto_colour and row.agency is not None:
            row.agency.colour = free[i % len(free)]
            i += 1
    for row in planned:
        if row.errors and row.agency is not None:
            row.agency.services.clear()
            row.agency = None
    return ImportPlan(source, planned, table.encoding)


def prepare(project, source: str | Path) -> AddAgencies:
    """The import as one command; raises :class:`ImportRefused` with every row error."""
    return read(project, source).command()
