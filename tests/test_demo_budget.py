"""The demo's 2024 budget request is one a finance verifier would pass (issue 17): no finding from the budget
checks, nor from ``mpp-planner check FILE --budget 2024``; the catalog books low-value items on goods accounts
and capital items on the capital account that matches their kode barang; two sub kegiatan; an officer per room.
Everything is read from the demo file as built by ``build_demo``."""

import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from mpp_planner.commands.budget import lines_of_year, sub_activities_of_year
from mpp_planner.demo import MAINTENANCE, PROCUREMENT
from mpp_planner.model import AccountCode, BudgetLine, ItemType, Room, asset_codes
from mpp_planner.model.site import ASSET_CODE_RE
from mpp_planner.reports import kir
from mpp_planner.standards.budget_checks import CAPITAL_WORKS, capitalisation_threshold, check_budget

ROOT = Path(__file__).resolve().parent.parent
SIGNED = date(2023, 12, 15)  # the sheet of TA 2024 is signed in 2023
#: capital items the kode barang list (resources/asset_codes.csv) has no code for yet
AWAITING_CODES = {"kursi_roda", "wastafel_portable", "sterilizer", "alat_permainan", "perosotan",
                  "tempat_sampah_pilah", "buku_bacaan"}


def test_the_demo_budget_has_no_finding(demo_project):
    assert check_budget(demo_project, 2024, sign_date=SIGNED) == []
    lines = lines_of_year(demo_project, 2024)
    # still a budget with a story: ~40 lines, every priority, lines approved, requested and rejected
    assert 30 <= len(lines) <= 45
    assert {b.priority for b in lines} == {1, 2, 3}
    assert {b.status for b in lines} == {"approved", "requested", "rejected"}


def test_check_budget_command_exits_0_on_the_demo(demo_file):
    result = subprocess.run([sys.executable, "-m", "mpp_planner", "check", str(demo_file), "--budget", "2024",
                             "--date", SIGNED.isoformat(), "--lang", "en"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"No budget findings: \d+ line\(s\) of 2024 checked\.", result.stdout), result.stdout


def test_consumables_are_on_their_goods_accounts(demo_project):
    lines = lines_of_year(demo_project, 2024)

    def accounts(*words):
        return {b.account_code for b in lines if b.description.lower().startswith(words)}

    assert accounts("kertas") == {"5.1.02.01.01.0025"}  # Kertas dan Cover, thermal queue paper too
    assert accounts("tinta", "flashdisk") == {"5.1.02.01.01.0029"}  # Bahan Komputer
    names = {a.code: a.name for a in demo_project.session.scalars(select(AccountCode))}
    assert names["5.1.02.01.01.0025"].endswith("Kertas dan Cover")
    assert names["5.1.02.01.01.0029"].endswith("Bahan Komputer")
    # nothing left on the office-supplies account that belongs on those two
    assert not any(b.account_code == "5.1.02.01.01.0024" for b in lines)


def test_catalog_accounts_follow_the_capitalisation_threshold(demo_project):
    """Every item's account is in the account list; below the threshold an item is goods (5.1.02), at or above
    it capital (5.2). Exceptions a verifier accepts: building works priced per m² or per part (5.2.03, like the
    check), per-m² items whose asset is the whole laid area (carpet), and library collections (5.2.05), which
    are capitalised whatever their unit price."""
    threshold = capitalisation_threshold(demo_project)
    known = {a.code for a in demo_project.session.scalars(select(AccountCode))}
    types = list(demo_project.session.scalars(select(ItemType)))
    assert len(types) > 60
    for it in types:
        assert it.account_code in known, f"{it.key}: {it.account_code} is not in the account list"
        if it.ref_price >= threshold:
            assert it.account_code.startswith("5.2"), f"{it.key} is worth {it.ref_price}: capital"
        elif not (it.account_code.startswith((*CAPITAL_WORKS, "5.2.05")) or it.unit in ("m2", "m")):
            assert it.account_code.startswith("5.1.02."), f"{it.key} costs {it.ref_price}: goods, not capital"
    by_key = {it.key: it for it in types}
    assert by_key["tempat_sampah"].account_code == by_key["pigora_akrilik"].account_code == "5.1.02.01.01.0030"
    assert by_key["apar"].account_code == "5.1.02.01.01.0036"


def capital_object(account: str) -> str:
    """The kode barang prefix a capital account buys: 5.2.02.05.01.0004 -> 1.3.2.05.01.04 (Permendagri 90/2019
    numbers its capital sub rincian objek after the 108/2016 kodefikasi)."""
    parts = account.split(".")
    return ".".join(["1", "3", parts[2][-1], *parts[3:5], parts[5][-2:]])


def test_capital_items_carry_the_kode_barang_of_their_account(demo_project):
    listed = asset_codes.entries()
    for it in demo_project.session.scalars(select(ItemType)):
        if it.asset_code:
            assert ASSET_CODE_RE.match(it.asset_code) and it.asset_code in listed, f"{it.key}: {it.asset_code}"
        if not it.account_code.startswith("5.2"):
            continue
        if it.key in AWAITING_CODES and not it.asset_code:
            continue
        assert it.asset_code.startswith(capital_object(it.account_code) + "."), (
            f"{it.key}: kode barang {it.asset_code} does not match account {it.account_code}")
    by_key = {it.key: it for it in demo_project.session.scalars(select(ItemType))}
    assert by_key["kursi_tunggu_4"].asset_code == "1.3.2.05.02.01.035"  # Bangku Tunggu
    assert by_key["lemari_arsip"].asset_code == "1.3.2.05.01.04.001"  # Lemari Besi/Metal
    assert by_key["banner_stand"].asset_code == ""  # a consumable print has none
    assert capital_object("5.2.03.01.01.0001") == "1.3.3.01.01.01"


def test_two_sub_kegiatan_hold_every_line(demo_project):
    subs = sub_activities_of_year(demo_project, 2024)
    assert [s.code for s in subs] == [PROCUREMENT, MAINTENANCE]
    # kegiatan Pengadaan / Pemeliharaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah
    assert [s.code.rsplit(".", 1)[0] for s in subs] == ["2.18.01.2.07", "2.18.01.2.09"]
    assert [s.activity.startswith(("Pengadaan Barang Milik Daerah", "Pemeliharaan Barang Milik Daerah"))
            for s in subs] == [True, True]
    lines = demo_project.session.scalars(select(BudgetLine).where(BudgetLine.fiscal_year == 2024)).all()
    by_sub = {s.code: [b for b in lines if b.sub_activity_id == s.id] for s in subs}
    assert sum(len(v) for v in by_sub.values()) == len(lines)
    assert by_sub[MAINTENANCE] and by_sub[PROCUREMENT]
    for b in lines:
        if b.account_code.startswith("5.1.02.03."):  # maintenance accounts
            assert b.sub_activity.code == MAINTENANCE, b.description
        if b.account_code.startswith("5.2"):  # capital spending is procurement
            assert b.sub_activity.code == PROCUREMENT, b.description
    # a goods account put under maintenance by the data file's sub_activity column
    [refill] = [b for b in by_sub[MAINTENANCE] if not b.account_code.startswith("5.1.02.03.")]
    assert refill.account_code == "5.1.02.01.01.0009" and "APAR" in refill.description


def test_every_room_has_a_responsible_officer_who_signs_its_kir(demo_project):
    rooms = demo_project.session.scalars(select(Room)).all()
    assert len(rooms) > 30
    for room in rooms:
        assert room.officer_name.strip(), room.name
        assert re.fullmatch(r"\d{18}", room.officer_nip), room.name
        born, appointed = date(*map(int, (room.officer_nip[:4], room.officer_nip[4:6], room.officer_nip[6:8]))), \
            int(room.officer_nip[8:12])
        assert 1955 < born.year < appointed < 2024 and room.officer_nip[14] in "12", room.name
    assert len({r.officer_name for r in rooms}) > 3  # shared among the staff, not one name everywhere
    card = kir.collect(demo_project, "Ruang Server dan Jaringan")
    [officer] = [s for s in card.signers(card.cards[0]) if s.title == "Penanggung Jawab Ruangan"]
    room = card.cards[0].room
    assert (officer.name, officer.nip) == (room.officer_name, room.officer_nip) == (
        "Fajar Nugroho, S.Kom.", "198811032015031001")


def test_the_demo_stays_within_its_ceiling(demo_project):
    lines = [b for b in lines_of_year(demo_project, 2024) if b.status != "rejected"]
    total = sum((b.amount for b in lines), Decimal(0))
    from mpp_planner.model import BudgetCeiling

    assert Decimal("1000000000") < total <= demo_project.get(BudgetCeiling, 2024).amount
