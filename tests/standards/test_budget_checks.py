"""The checks a finance verifier makes on a budget request: each with a request that passes and one
that fails, the settings edit of the threshold, and ``mpp-planner check --budget``."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from mpp_planner.cli import main
from mpp_planner.commands import budget as cmd
from mpp_planner.model import ItemType, Need, Room
from mpp_planner.seed import load_account_codes, load_catalog
from mpp_planner.standards.budget_checks import check_budget, is_lump_sum
from tests.helpers import add_floor_with_room, rect

YEAR = 2025


@pytest.fixture
def mpp(empty_project):
    """A project with the catalog, the account list and two rooms."""
    with empty_project.edit() as s:
        load_catalog(s)
        load_account_codes(s)
    floor, room = add_floor_with_room(empty_project)
    with empty_project.edit() as s:
        other = Room(name="Ruang Tunggu", kind="waiting_area", outline=rect(10000, 0, 5000, 5000), floor_id=floor.id)
        s.add(other)
    empty_project.rooms = (room, other)
    return empty_project


def item(project, key) -> ItemType:
    return project.session.scalar(select(ItemType).where(ItemType.key == key))


def add(project, *, description="Kursi Tunggu", account="5.2.02.05.02.0001", price="1500000", unit="Unit",
        room=None, need=None, specification="", year=YEAR, quantity="1", code=""):
    """Add one line through the command that the budget tab uses; returns its id."""
    with project.edit():
        line = cmd.new_line(project, year, account_code=account, description=description, unit=unit,
                            specification=specification, factors=[[quantity, unit]], unit_price=Decimal(price),
                            room_id=room.id if room is not None else None,
                            need_id=need.id if need is not None else None, standard_price_code=code)
        command = cmd.AddBudgetLines("add", [line])
        command.redo(project)
    return line.id


def add_need(project, room, key) -> Need:
    with project.edit() as s:
        need = Need(room_id=room.id, item_type=item(project, key), quantity=Decimal(1))
        s.add(need)
    return need


def kinds(findings):
    return [f.kind for f in findings]


# --- 1. duplicates and overlaps ---------------------------------------------------------------

def test_same_description_in_two_rooms_is_no_duplicate(mpp):
    a, b = mpp.rooms
    add(mpp, room=a)
    add(mpp, room=b)
    add(mpp, room=a, year=YEAR + 1)
    assert check_budget(mpp, YEAR) == []


def test_same_description_in_the_same_room_is_a_duplicate(mpp):
    a, _b = mpp.rooms
    first = add(mpp, room=a)
    second = add(mpp, room=a, description="  kursi   tunggu ")
    [finding] = check_budget(mpp, YEAR)
    assert finding.kind == "duplicate" and finding.line_ids == (first, second)
    assert finding.severity.value == "high" and finding.advice


def test_same_catalog_item_through_needs_is_a_duplicate(mpp):
    a, _b = mpp.rooms
    it = item(mpp, "meja_layanan")
    n1, n2 = add_need(mpp, a, "meja_layanan"), add_need(mpp, a, "meja_layanan")
    first = add(mpp, room=a, need=n1, description="Meja layanan A", price=it.ref_price)
    second = add(mpp, room=a, need=n2, description="Meja counter B", price=it.ref_price)
    assert [(f.kind, f.line_ids) for f in check_budget(mpp, YEAR)] == [("duplicate", (first, second))]


def test_lump_sum_beside_its_items_overlaps(mpp):
    a, b = mpp.rooms
    code = "5.1.02.03.03.0001"
    lump = add(mpp, description="Pemeliharaan Gedung", account=code, unit="Paket", price="12000000")
    part = add(mpp, description="Pengecatan dinding", account=code, unit="m2", price="42000", room=a)
    [finding] = check_budget(mpp, YEAR)
    assert finding.kind == "overlap" and finding.line_ids == (lump, part)


def test_lump_sum_in_one_room_does_not_overlap_another_room_or_account(mpp):
    a, b = mpp.rooms
    code = "5.1.02.03.03.0001"
    add(mpp, description="Belanja perbaikan ruang tunggu", account=code, unit="Unit", price="5000000", room=b)
    add(mpp, description="Pengecatan dinding", account=code, unit="m2", price="42000", room=a)
    add(mpp, description="Servis kursi", account="5.1.02.03.02.0118", unit="Unit", price="225000", room=b)
    assert check_budget(mpp, YEAR) == []


@pytest.mark.parametrize("unit, description, lump", [
    ("Paket", "Perbaikan", True), ("Paket/Bulan", "Perbaikan", True), ("LS", "Perbaikan", True),
    ("Unit", "Pengadaan meja", True), ("Unit", "belanja cetak", True), ("Unit", "Perbaikan paket", False)])
def test_lump_sum_recognised(mpp, unit, description, lump):
    line = cmd.new_line(mpp, YEAR, account_code="5.1.02.03.03.0001", description=description, unit=unit,
                        factors=[["1", "Unit"]], unit_price=Decimal(1))
    assert is_lump_sum(line) is lump


# --- 2. capitalisation threshold ---------------------------------------------------------------

def test_capital_account_at_the_threshold_passes(mpp):
    add(mpp, price="1000000")
    # a building work is priced per m²: its whole amount (10 m² x Rp385.000) is compared
    add(mpp, description="Guiding block", account="5.2.03.01.01.0001", unit="m2", price="385000", quantity="10")
    assert check_budget(mpp, YEAR) == []


def test_small_building_work_below_the_threshold_fails(mpp):
    line = add(mpp, description="Guiding block", account="5.2.03.01.01.0001", unit="m2", price="385000",
               quantity="2")
    [finding] = check_budget(mpp, YEAR)
    assert finding.kind == "capital_below_threshold" and finding.line_ids == (line,)
    assert "770" in finding.message


def test_library_books_are_capital_whatever_their_price(mpp):
    add(mpp, description="Buku bacaan pojok baca", account="5.2.05.01.01.0001", price="85000", quantity="40")
    assert check_budget(mpp, YEAR) == []


def test_an_asset_priced_per_square_metre_is_judged_by_the_whole_line(mpp):
    add(mpp, description="Karpet ruang bermain anak", account="5.2.02.05.02.0001", unit="m2", price="265000",
        quantity="24")
    assert check_budget(mpp, YEAR) == []  # 24 m² x Rp265.000 = Rp6.360.000: one carpet, above the threshold
    small = add(mpp, description="Karpet ruang laktasi", account="5.2.02.05.02.0001", unit="m2", price="265000",
                quantity="3")
    [finding] = check_budget(mpp, YEAR)
    assert finding.kind == "capital_below_threshold" and finding.line_ids == (small,) and "795" in finding.message


def test_capital_account_below_the_threshold_fails(mpp):
    cheap = add(mpp, description="Tempat sampah", price="450000")
    [finding] = check_budget(mpp, YEAR)
    assert finding.kind == "capital_below_threshold" and finding.line_ids == (cheap,)
    with mpp.edit():  # the region sets a lower threshold: the line is capital after all
        cmd.budget_settings(mpp, year=YEAR, ppn_rate=mpp.site.ppn_rate, ceiling=None, title=mpp.site.budget_title,
                            threshold=Decimal("300000")).redo(mpp)
    assert mpp.site.capitalisation_threshold == Decimal("300000")
    assert check_budget(mpp, YEAR) == []


def test_goods_account_for_a_capital_item_at_the_threshold_fails(mpp):
    a, _b = mpp.rooms
    it = item(mpp, "meja_layanan")  # booked on 5.2.02.05.02.0001 in the catalog
    line = add(mpp, description=it.name, account="5.1.02.01.01.0024", price=it.ref_price, room=a)
    [finding] = check_budget(mpp, YEAR)
    assert finding.kind == "goods_above_threshold" and finding.line_ids == (line,)
    assert it.account_code in finding.advice


def test_goods_account_below_the_threshold_or_without_item_passes(mpp):
    add(mpp, description="Kursi plastik", account="5.1.02.01.01.0024", price="150000")
    add(mpp, description="Pemeliharaan lift", account="5.1.02.03.03.0001", price="1850000")  # not in the catalog
    assert check_budget(mpp, YEAR) == []


# --- 3. SSH reference price --------------------------------------------------------------------

def test_price_at_the_ssh_reference_passes(mpp):
    a, _b = mpp.rooms
    it = item(mpp, "meja_layanan")
    add(mpp, need=add_need(mpp, a, "meja_layanan"), description="Meja", price=it.ref_price, room=a)
    add(mpp, description=it.name.upper(), price=it.ref_price, room=mpp.rooms[1])
    assert check_budget(mpp, YEAR) == []


@pytest.mark.parametrize("through_need", [True, False])
def test_price_above_the_ssh_reference_fails(mpp, through_need):
    a, _b = mpp.rooms
    it = item(mpp, "meja_layanan")
    need = add_need(mpp, a, "meja_layanan") if through_need else None
    line = add(mpp, need=need, description="Meja khusus" if through_need else it.name,
               price=it.ref_price + 1, room=a)
    [finding] = check_budget(mpp, YEAR)
    assert finding.kind == "above_ssh" and finding.line_ids == (line,)
    assert ("through its need" if through_need else "by its description") in finding.message


def test_price_is_compared_with_the_item_type_of_the_lines_ssh_code_first(mpp):
    folding = item(mpp, "kursi_lipat")
    with mpp.edit():
        folding.standard_price_code = "1.1.7.01.03.02.001.00031"
    # the description names a dearer item; the line's SSH code says it is the folding chair
    waiting = item(mpp, "kursi_tunggu_3")
    line = add(mpp, description=waiting.name, price=folding.ref_price + 1, code="1.1.7.01.03.02.001.00031",
               account="5.1.02.01.01.0030")
    [finding] = check_budget(mpp, YEAR)
    assert finding.kind == "above_ssh" and finding.line_ids == (line,)
    assert folding.name in finding.message and "by its SSH code 1.1.7.01.03.02.001.00031" in finding.message


# --- 3b. the accounts the SSH entry allows ------------------------------------------------------

GOODS_CHAIR, OTHER_GOODS = "5.1.02.01.01.0030", "5.1.02.01.01.0024"


@pytest.fixture
def allowed(mpp):
    """The folding chair's SSH entry (from SIPD's export) allows one goods account."""
    with mpp.edit():
        it = item(mpp, "kursi_lipat")
        it.standard_price_code = "1.1.7.01.03.02.001.00031"
        it.allowed_accounts = [GOODS_CHAIR]
    return it


def test_line_on_an_allowed_account_passes(mpp, allowed):
    a, _b = mpp.rooms
    add(mpp, description=allowed.name, account=GOODS_CHAIR, price=allowed.ref_price, room=a)
    add(mpp, need=add_need(mpp, a, "kursi_lipat"), description="Kursi lipat", account=GOODS_CHAIR,
        price=allowed.ref_price)
    add(mpp, description="Kursi lipat aula", account=GOODS_CHAIR, price=allowed.ref_price,
        code=allowed.standard_price_code, room=mpp.rooms[1])
    # an item type whose SSH accounts are not known is not checked
    plastic = item(mpp, "kursi_tunggu_3")
    assert plastic.allowed_accounts == []
    add(mpp, description=plastic.name, account="5.2.02.05.01.0005", price=plastic.ref_price)
    assert check_budget(mpp, YEAR) == []


@pytest.mark.parametrize("how", ["description", "need", "code"])
def test_line_on_an_account_the_ssh_does_not_allow_fails(mpp, allowed, how):
    a, _b = mpp.rooms
    line = add(mpp, description=allowed.name if how == "description" else "Kursi lipat aula", account=OTHER_GOODS,
               price=allowed.ref_price, need=add_need(mpp, a, "kursi_lipat") if how == "need" else None,
               code=allowed.standard_price_code if how == "code" else "")
    [finding] = check_budget(mpp, YEAR)
    assert finding.kind == "account_not_allowed" and finding.line_ids == (line,)
    assert finding.severity.value == "high"
    assert OTHER_GOODS in finding.message and GOODS_CHAIR in finding.message and allowed.name in finding.message
    assert {"description": "by its description", "need": "through its need",
            "code": "by its SSH code"}[how] in finding.message
    assert finding.advice.startswith(f"Book it on {GOODS_CHAIR}") and "SSH entry to be extended" in finding.advice


def test_the_lines_ssh_code_names_the_item_type_with_allowed_accounts(mpp, allowed):
    # the description names an item type without SSH accounts; the line's code the folding chair's entry
    waiting = item(mpp, "kursi_tunggu_3")
    line = add(mpp, description=waiting.name, account=OTHER_GOODS, price=allowed.ref_price,
               code=allowed.standard_price_code)
    assert [(f.kind, f.line_ids) for f in check_budget(mpp, YEAR)] == [("account_not_allowed", (line,))]


# --- 4. signing date -----------------------------------------------------------------------------

@pytest.mark.parametrize("signed, ok", [(date(2024, 1, 1), True), (date(2024, 12, 31), True),
                                        (date(2023, 12, 31), False), (date(2025, 1, 1), False)])
def test_signing_date_in_the_preparation_year(mpp, signed, ok):
    add(mpp)
    found = check_budget(mpp, YEAR, sign_date=signed)
    assert kinds(found) == ([] if ok else ["sign_date"])
    assert check_budget(mpp, YEAR) == []  # no date given: not checked


def test_rejected_lines_are_not_checked(mpp):
    a, _b = mpp.rooms
    add(mpp, room=a)
    second = add(mpp, room=a)
    with mpp.edit():
        cmd.EditBudgetLines("reject", {second: {"status": "rejected"}}).redo(mpp)
    assert check_budget(mpp, YEAR) == []


# --- the command line ----------------------------------------------------------------------------

def run_cli(project, *args):
    path = project.path
    project.close()
    return main(["check", str(path), "--lang", "en", *args])


def test_cli_passing_request_exit_0(mpp, capsys):
    add(mpp)
    assert run_cli(mpp, "--budget", str(YEAR), "--date", "2024-11-20") == 0
    assert "No budget findings: 1 line(s) of 2025 checked." in capsys.readouterr().out


def test_cli_findings_exit_1(mpp, capsys):
    a, _b = mpp.rooms
    first, second = add(mpp, room=a), add(mpp, room=a)
    assert run_cli(mpp, "--budget", str(YEAR), "--date", "2025-02-01") == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"[High] duplicate · #{first}, #{second}: ")
    assert out[1].startswith("[Medium] sign_date · -: ")
    assert out[-1] == "2 budget finding(s) in 2025."


def test_cli_year_without_lines_exit_0_with_a_note(mpp, capsys):
    assert run_cli(mpp, "--budget", "2031") == 0
    assert "No budget lines in 2031" in capsys.readouterr().out


@pytest.mark.parametrize("args", [["--budget", str(YEAR), "--date", "20-11-2024"], ["--date", "2024-11-20"],
                                  ["--budget", "abc"]])
def test_cli_bad_arguments_exit_2(mpp, args, capsys):
    with pytest.raises(SystemExit) as exc:
        code = run_cli(mpp, *args)
        raise SystemExit(code)
    assert exc.value.code == 2


def test_demo_budget_findings(demo_file, capsys):
    # the demo's request is one a verifier passes (tests/test_demo_budget.py); signed out of its year, it is not
    assert main(["check", str(demo_file), "--lang", "en", "--budget", "2024", "--date", "2023-12-20"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("No budget findings:") and "of 2024 checked" in out
    assert main(["check", str(demo_file), "--lang", "en", "--budget", "2024", "--date", "2024-01-05"]) == 1
    out = capsys.readouterr().out
    assert out.count("sign_date ·") == 1 and "1 budget finding(s) in 2024." in out
