"""A new project ready to use: the MPP's identity and letterhead, its signatories, the fiscal year,
the standard catalog with reference prices and the account code list from ``resources/``, and the
floors when given. Nothing comes from the demo; everything stays editable afterwards.

The catalog and account code loaders live here and the demo uses them too, so there is one loader.
:func:`new_project` is all or nothing: every value is checked before anything is written, the
project is built in a temporary file beside the target and moved into place only when complete, so
a refusal, a failure or a Cancel (``jobs.checkpoint``) leaves no file and never harms an existing one.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from mpp_planner.i18n import N_, _
from mpp_planner.jobs import checkpoint
from mpp_planner.model import AccountCode, Floor, ItemType, Signatory, Site, ValidationError
from mpp_planner.model.site import MAX_LOGO_BYTES
from mpp_planner.project import Project
from mpp_planner.resources_path import resource
from mpp_planner.store import ProjectFileError
from mpp_planner.store.errors import FileReadOnlyError

DEFAULT_PPN_RATE = Decimal("11")

#: the signatories the printed sheets look for (role key -> what the role signs), in the order offered
ROLES = {
    "head": N_("Head of the office (signs “Mengetahui” on the budget request and the KIR)"),
    "proposer": N_("Proposer (signs the budget request)"),
    "goods_admin": N_("Goods administrator, Pengurus Barang (signs the KIR)"),
    "room_officer": N_("Room officer, Penanggung Jawab Ruangan (signs the KIR)"),
}
_LOGO_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


# --- the shared loaders (resources/ -> rows of a project being built) -------------------------

def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of a UTF-8 CSV file with a header, blank rows skipped."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return [row for row in csv.DictReader(fh) if any((v or "").strip() for v in row.values())]


def load_catalog(session) -> dict[str, ItemType]:
    """Add the standard catalog (``resources/catalog.csv``, with SSH reference prices); key -> item type.
    The ``standard_price_code`` (SIPD kode_standar_harga) and ``asset_code`` (kode barang, Permendagri
    108/2016) columns are optional: an absent or empty one leaves the item without."""
    types = {}
    for row in read_csv(resource("catalog.csv")):
        it = ItemType(key=row["key"], name=row["name"], category=row["category"], unit=row["unit"],
                      ref_price=Decimal(row["ref_price"]), account_code=row["account_code"],
                      standard_price_code=row.get("standard_price_code") or "",
                      asset_code=row.get("asset_code") or "",
                      specification=row.get("specification", ""), tags=row.get("tags", ""),
                      seats=int(row.get("seats") or 0), width=int(row.get("width") or 600),
                      depth=int(row.get("depth") or 600))
        session.add(it)
        types[it.key] = it
    return types


def load_account_codes(session) -> None:
    """Add the account code list (``resources/account_codes.csv``, Permendagri 90/2019)."""
    for row in read_csv(resource("account_codes.csv")):
        session.add(AccountCode(code=row["code"], name=row["name"]))


def standard_sizes() -> tuple[int, int]:
    """How many item types and account codes a new project starts with."""
    return len(read_csv(resource("catalog.csv"))), len(read_csv(resource("account_codes.csv")))


# --- defaults ---------------------------------------------------------------------------------

def default_fiscal_year(today: date | None = None) -> int:
    """The year a new project plans for: next year. The budget request is drawn up during one year for
    the next fiscal year (TA), and the project's fiscal year is the year the budget screen, new budget
    lines and new findings start from."""
    return (today or date.today()).year + 1


def default_letterhead(*, name: str, government: str = "", office: str = "", address: str = "",
                       city: str = "") -> list[str]:
    """The kop surat of the printed sheets: GOVERNMENT, OFFICE, then the MPP with its address (or city)."""
    lines = [government.strip().upper(), office.strip().upper(),
             ", ".join(x.strip() for x in (name, address or city) if x.strip())]
    return [line for line in lines if line]


def default_title(role: str, office: str = "") -> str:
    """The usual title printed under a role's signature (Indonesian, as on the sheets)."""
    if role == "head":
        return f"Kepala {office.strip()}" if office.strip() else "Kepala Dinas"
    return {"proposer": "Kepala Bidang Pelayanan", "goods_admin": "Pengurus Barang",
            "room_officer": "Penanggung Jawab Ruangan"}.get(role, "")


# --- checking what the user gave, before anything is written ----------------------------------

@dataclass(frozen=True)
class SignatorySpec:
    """One person who signs the sheets: role key (see :data:`ROLES`), title, name, rank, NIP."""

    role: str
    title: str
    name: str
    rank: str = ""
    nip: str = ""


@dataclass
class ProjectSpec:
    """Every value of a new project, checked by the model's own rules."""

    name: str
    government: str = ""
    office: str = ""
    city: str = ""
    province: str = ""
    address: str = ""
    year: int = 0
    letterhead: list[str] = field(default_factory=list)
    logo: bytes | None = None
    ppn_rate: Decimal = DEFAULT_PPN_RATE
    floors: list[str] = field(default_factory=list)
    signatories: list[SignatorySpec] = field(default_factory=list)


def check_signatory(spec: SignatorySpec | Mapping) -> SignatorySpec:
    """``spec`` cleaned by the model's rules (an 18-digit NIP, a title and a name); ValidationError if not."""
    if isinstance(spec, Mapping):
        spec = SignatorySpec(**{k: spec.get(k, "") for k in ("role", "title", "name", "rank", "nip")})
    sig = Signatory(role=spec.role, title=spec.title, name=spec.name, rank=spec.rank, nip=spec.nip)
    return SignatorySpec(sig.role, sig.title, sig.name, sig.rank, sig.nip)


def check_signatories(specs: Iterable[SignatorySpec | Mapping]) -> list[SignatorySpec]:
    out: list[SignatorySpec] = []
    for spec in specs:
        sig = check_signatory(spec)
        if any(o.role == sig.role for o in out):
            raise ValidationError("role", _("Two signatories have the role '{role}'; each role signs once.").format(
                role=sig.role))
        out.append(sig)
    return out


def check_floors(names: Iterable[str]) -> list[str]:
    """Floor names cleaned by the model's rules, each once (ignoring case); ValidationError if not."""
    out: list[str] = []
    for order, name in enumerate(names, start=1):
        floor = Floor(name=name, order=order)
        if floor.name.casefold() in (o.casefold() for o in out):
            raise ValidationError("name", _("The floor '{name}' is given twice.").format(name=floor.name))
        out.append(floor.name)
    return out


def read_logo(path: str | os.PathLike) -> bytes:
    """The bytes of a logo image file (PNG or JPEG, at most 2 MB); ValidationError otherwise."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_LOGO_BYTES:
            raise ValidationError("logo", _("The logo is too large (at most {mb} MB).").format(
                mb=MAX_LOGO_BYTES // (1024 * 1024)))
        data = p.read_bytes()
    except OSError as exc:
        raise ValidationError("logo", _("Cannot read the logo '{path}': {error}").format(
            path=p.name, error=exc.strerror or exc)) from None
    return check_logo(data, p.name)


def check_logo(data: bytes, name: str = "") -> bytes:
    if not data.startswith(_LOGO_MAGIC):
        raise ValidationError("logo", _("The logo must be a PNG or JPEG image ('{name}' is not).").format(
            name=name or _("the file")))
    return data


def check_project(*, name: str, government: str = "", office: str = "", city: str = "", province: str = "",
                  address: str = "", year: int | None = None, letterhead: Iterable[str] | None = None,
                  logo: bytes | str | os.PathLike | None = None, ppn_rate: Decimal | str = DEFAULT_PPN_RATE,
                  floors: Iterable[str] = (), signatories: Iterable[SignatorySpec | Mapping] = ()) -> ProjectSpec:
    """Every value checked by the model (a transient Site, Signatory and Floor rows); nothing is written.
    Raises ValidationError naming the field."""
    site = Site(id=1, name=name, city=city, province=province, government_name=government,
                operator_office=office, address=address,
                fiscal_year=default_fiscal_year() if year is None else year, ppn_rate=ppn_rate)
    if letterhead is None:
        lines = default_letterhead(name=site.name, government=site.government_name, office=site.operator_office,
                                   address=site.address, city=site.city)
    else:
        lines = [line.strip() for line in letterhead if line.strip()]
    site.letterhead = lines
    if isinstance(logo, (str, os.PathLike)):
        logo = read_logo(logo)
    elif logo is not None:
        logo = check_logo(bytes(logo))
    site.logo = logo
    return ProjectSpec(name=site.name, government=site.government_name, office=site.operator_office,
                       city=site.city, province=site.province, address=site.address, year=site.fiscal_year,
                       letterhead=list(site.letterhead), logo=site.logo, ppn_rate=site.ppn_rate,
                       floors=check_floors(floors), signatories=check_signatories(signatories))


# --- writing the project ------------------------------------------------------------------------

def new_project(path: str | os.PathLike, *, name: str, government: str = "", office: str = "", city: str = "",
                province: str = "", address: str = "", year: int | None = None,
                letterhead: Iterable[str] | None = None, floors: Iterable[str] = (),
                signatories: Iterable[SignatorySpec | Mapping] = (), logo: bytes | str | os.PathLike | None = None,
                ppn_rate: Decimal | str = DEFAULT_PPN_RATE, overwrite: bool = False) -> Project:
    """Create the project file at ``path``, ready to use, and return it open for editing.

    ``year`` defaults to next year (see :func:`default_fiscal_year`), ``letterhead`` to
    :func:`default_letterhead`; ``logo`` is image bytes or an image file. Refusals: ValidationError (a
    value), ProjectFileError (the file exists without ``overwrite``, its folder is missing, it is open
    here or in another MPP Planner); OSError when the folder cannot be written."""
    spec = check_project(name=name, government=government, office=office, city=city, province=province,
                         address=address, year=year, letterhead=letterhead, logo=logo, ppn_rate=ppn_rate,
                         floors=floors, signatories=signatories)
    return write_project(path, spec, overwrite=overwrite)


def write_project(path: str | os.PathLike, spec: ProjectSpec, *, overwrite: bool = False) -> Project:
    """Build ``spec`` (from :func:`check_project`) into a new file at ``path``; see :func:`new_project`."""
    target = Path(path)
    _check_target(target, overwrite)
    tmp = _temporary_beside(target)
    try:
        _build(tmp, spec)
        return _place(tmp, target, overwrite)
    finally:
        _remove_file(tmp)


def _check_target(target: Path, overwrite: bool) -> None:
    from mpp_planner.store.lock import held_locks

    if target.is_dir():
        raise ProjectFileError(target, _("'{path}' is a folder; choose a file name.").format(path=target))
    if target.exists() and not overwrite:
        raise ProjectFileError(target, _("'{path}' already exists.").format(path=target))
    if target.is_file() and not os.access(target, os.W_OK):  # read-only on purpose: not replaced
        raise FileReadOnlyError(target, replacing=True)
    if not target.parent.is_dir():
        raise ProjectFileError(target, _("The folder '{path}' does not exist.").format(path=target.parent))
    here = os.path.normcase(str(target.resolve()))
    if any(os.path.normcase(str(held.path.resolve())) == here for held in held_locks()):
        raise ProjectFileError(target, _("'{path}' is the project open now; choose another file name.").format(
            path=target))


def _temporary_beside(target: Path) -> Path:
    """A free name in the target's folder (so the finished file moves into place in one step)."""
    fd, name = tempfile.mkstemp(prefix=".mpplan-new-", suffix=target.suffix or ".mpplan", dir=target.parent)
    os.close(fd)
    os.unlink(name)  # Project.create wants a name that is free
    return Path(name)


def _build(tmp: Path, spec: ProjectSpec) -> None:
    total = 4
    checkpoint(0, total, _("Creating the project file…"))
    project = Project.create(tmp, site_name=spec.name)
    try:
        with project.edit() as s:
            checkpoint(1, total, _("Writing the MPP's identity and signatories…"))
            site = project.site
            site.city, site.province, site.address = spec.city, spec.province, spec.address
            site.government_name, site.operator_office = spec.government, spec.office
            site.fiscal_year, site.ppn_rate = spec.year, spec.ppn_rate
            site.letterhead, site.logo = list(spec.letterhead), spec.logo
            for sig in spec.signatories:
                s.add(Signatory(role=sig.role, title=sig.title, name=sig.name, rank=sig.rank, nip=sig.nip))
            for order, floor_name in enumerate(spec.floors, start=1):
                s.add(Floor(name=floor_name, order=order))
            checkpoint(2, total, _("Adding the account codes…"))
            load_account_codes(s)
            checkpoint(3, total, _("Adding the standard catalog with reference prices…"))
            load_catalog(s)
            s.flush()
            checkpoint(3, total)  # a Cancel heard here still drops everything
        checkpoint(total, total)
    finally:
        project.close()


def _place(tmp: Path, target: Path, overwrite: bool) -> Project:
    """Move the finished file to ``target`` while holding its lock (an existing project open in another
    MPP Planner is not replaced), then open it."""
    from mpp_planner.store import lock as locking
    from mpp_planner.store.file import SIDECARS

    plock = locking.acquire(target)
    try:
        if target.exists() and not overwrite:  # made meanwhile by someone else
            raise ProjectFileError(target, _("'{path}' already exists.").format(path=target))
        for suffix in SIDECARS:
            Path(str(target) + suffix).unlink(missing_ok=True)
        os.replace(tmp, target)
        return Project.open(target)  # takes the same lock again (held by this process)
    finally:
        plock.release()


def _remove_file(path: Path) -> None:
    from mpp_planner.store.file import SIDECARS

    for suffix in ("", *SIDECARS, ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)


__all__ = ["DEFAULT_PPN_RATE", "ROLES", "ProjectSpec", "SignatorySpec", "check_floors", "check_logo",
           "check_project", "check_signatories", "check_signatory", "default_fiscal_year", "default_letterhead",
           "default_title", "load_account_codes", "load_catalog", "new_project", "read_csv", "read_logo",
           "standard_sizes", "write_project"]
