"""Inventory, need, catalog and visit commands: model rules hold, undo/redo round trips reach the file."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from mpp_planner.commands import History
from mpp_planner.commands.inventory import (add_inventory_item, add_item_type, add_need, add_visit, add_visit_finding,
                                            delete_inventory_items, delete_item_types, delete_visit,
                                            edit_inventory_item, edit_item_type, edit_need, edit_visit_finding,
                                            needs_from_findings)
from mpp_planner.model import InventoryItem, ItemType, Need, Room, ValidationError, Visit, VisitFinding
from mpp_planner.standards import run_checks
from tests.conftest import reopen


def key_id(project, key):
    return project.session.scalar(select(ItemType.id).where(ItemType.key == key))


def room_id(project, name):
    return project.session.scalar(select(Room.id).where(Room.name == name))


def count(project, cls):
    return project.session.scalar(select(func.count()).select_from(cls))


def test_add_edit_delete_item_with_undo_and_reopen(demo_project):
    p = demo_project
    h = History(p)
    before = count(p, InventoryItem)
    h.push(add_inventory_item(p, {"item_type_id": key_id(p, "kulkas"), "room_id": room_id(p, "Ruang Laktasi"),
                                  "quantity": "1", "condition": "B", "brand_model": "Sharp SJ-195", "year": "2024",
                                  "purchase_price": Decimal("3950000")}))
    new_id = h.done[-1].created_ids[0]
    h.push(edit_inventory_item(new_id, {"condition": "KB", "notes": "Pintu agak longgar"}))
    p = reopen(p)
    h.project = p
    item = p.get(InventoryItem, new_id)
    assert (item.condition, item.notes, item.year, item.purchase_price) == ("KB", "Pintu agak longgar", 2024,
                                                                            Decimal("3950000.00"))
    h.undo()
    assert p.get(InventoryItem, new_id).condition == "B"
    h.push(delete_inventory_items([new_id]))
    assert count(p, InventoryItem) == before
    h.undo()
    assert p.get(InventoryItem, new_id).brand_model == "Sharp SJ-195"
    h.undo()
    h.undo()
    assert count(p, InventoryItem) == before
    p.close()


@pytest.mark.parametrize("key, qty, ok", [("kulkas", "1.5", False), ("kulkas", "-1", False), ("kulkas", "abc", False),
                                          ("kulkas", "2", True), ("karpet_sajadah", "12,5", True)])
def test_quantity_must_suit_the_unit(demo_project, key, qty, ok):
    p = demo_project
    fields = {"item_type_id": key_id(p, key), "room_id": room_id(p, "Mushola"), "quantity": qty}
    if ok:
        History(p).push(add_inventory_item(p, fields))
    else:
        before = count(p, InventoryItem)
        with pytest.raises(ValidationError):
            History(p).push(add_inventory_item(p, fields))
        assert count(p, InventoryItem) == before


def test_changing_the_item_type_rechecks_the_quantity_and_nothing_changes(demo_project):
    p = demo_project
    h = History(p)
    h.push(add_inventory_item(p, {"item_type_id": key_id(p, "karpet_sajadah"), "room_id": room_id(p, "Mushola"),
                                  "quantity": "12.5"}))
    item_id = h.done[-1].created_ids[0]
    with pytest.raises(ValidationError, match="whole number"):
        h.push(edit_inventory_item(item_id, {"item_type_id": key_id(p, "rak_mukena"), "notes": "x"}))
    p = reopen(p)
    item = p.get(InventoryItem, item_id)
    assert (item.item_type.key, item.quantity, item.notes) == ("karpet_sajadah", Decimal("12.50"), "")
    p.close()


def test_room_of_an_item_on_the_plan_follows_its_position(demo_project):
    p = demo_project
    drawn = p.session.scalar(select(InventoryItem).where(InventoryItem.x.is_not(None)))
    with pytest.raises(ValidationError, match="plan"):
        History(p).push(edit_inventory_item(drawn.id, {"room_id": room_id(p, "Mushola")}))


def test_need_add_edit_and_its_rules(demo_project):
    p = demo_project
    h = History(p)
    with pytest.raises(ValidationError):
        add_need(p, {"item_type_id": key_id(p, "kulkas"), "room_id": room_id(p, "Mushola"), "quantity": "0"})
    with pytest.raises(ValidationError):
        add_need(p, {"item_type_id": key_id(p, "kulkas"), "room_id": None, "quantity": "1"})
    h.push(add_need(p, {"item_type_id": key_id(p, "kulkas"), "room_id": room_id(p, "Mushola"), "quantity": "2",
                        "reason": "Penyimpanan air zamzam"}))
    nid = h.done[-1].created_ids[0]
    h.push(edit_need(nid, {"quantity": "3", "source": "visitation"}))
    with pytest.raises(ValidationError):
        h.push(edit_need(nid, {"quantity": "2.5"}))
    p = reopen(p)
    need = p.get(Need, nid)
    assert (need.quantity, need.source, need.room.name) == (Decimal("3.00"), "visitation", "Mushola")
    p.close()


def test_catalog_item_in_use_cannot_be_deleted_and_unused_one_can(demo_project):
    p = demo_project
    h = History(p)
    with pytest.raises(ValidationError, match="used by"):
        delete_item_types(p, [key_id(p, "kulkas")])
    h.push(add_item_type(p, {"key": "kursi_lipat_anak", "name": "Kursi Lipat Anak", "category": "Ibu & Anak",
                             "unit": "unit", "ref_price": Decimal("250000"), "account_code": "5.2.02.05.02.0001"}))
    tid = key_id(p, "kursi_lipat_anak")
    with pytest.raises(ValidationError, match="already used"):
        add_item_type(p, {"key": "kursi_lipat_anak", "name": "x", "category": "x", "unit": "unit",
                          "account_code": "5.2.02.05.02.0001"})
    with pytest.raises(ValidationError, match="already used"):
        h.push(edit_item_type(key_id(p, "kulkas"), {"key": "kursi_lipat_anak"}))
    h.push(delete_item_types(p, [tid]))
    assert key_id(p, "kursi_lipat_anak") is None
    h.undo()
    assert key_id(p, "kursi_lipat_anak") == tid


def test_unit_cannot_become_whole_while_fractions_exist(demo_project):
    p = demo_project
    h = History(p)
    h.push(add_inventory_item(p, {"item_type_id": key_id(p, "karpet_sajadah"), "room_id": room_id(p, "Mushola"),
                                  "quantity": "2.5"}))
    with pytest.raises(ValidationError, match="whole numbers"):
        h.push(edit_item_type(key_id(p, "karpet_sajadah"), {"unit": "buah"}))
    assert p.get(ItemType, key_id(p, "karpet_sajadah")).unit == "m2"
    h.push(edit_item_type(key_id(p, "karpet_sajadah"), {"ref_price": "275000"}))
    assert p.get(ItemType, key_id(p, "karpet_sajadah")).ref_price == Decimal("275000.00")


def test_needs_from_findings_add_the_shortfall_once_as_one_step(demo_project):
    p = demo_project
    findings = run_checks(p)
    before = count(p, Need)
    result = needs_from_findings(p, findings)
    assert result.covered >= 8  # the demo's visitation needs already cover the lactation room and more
    created = {(n.room.name, n.item_type.key): n for n in result.created}
    cctv = created[("Koridor Lt. 2", "cctv")]
    assert cctv.quantity == 3 and cctv.source == "standard" and cctv.rule_id == "cctv_per_floor"  # 1 there + 2
    assert "CCTV" in cctv.reason
    h = History(p)
    h.push(result.command)
    assert count(p, Need) == before + len(result.created)
    again = needs_from_findings(p, run_checks(p))
    assert again.command is None  # everything is planned now
    h.undo()
    assert count(p, Need) == before
    h.redo()
    p = reopen(p)
    assert count(p, Need) == before + len(result.created)
    p.close()


def test_visit_and_findings_with_linked_needs(demo_project):
    p = demo_project
    h = History(p)
    with pytest.raises(ValidationError):
        add_visit({"date": date(2024, 6, 3), "office": "  "})
    h.push(add_visit({"date": date(2024, 6, 3), "office": "Ombudsman RI Perwakilan Jawa Timur",
                      "visitor": "Tim Penilaian Kepatuhan"}))
    vid = h.done[-1].created_ids[0]
    needs = list(p.session.scalars(select(Need.id).where(Need.room_id == room_id(p, "Ruang Laktasi")).limit(2)))
    h.push(add_visit_finding(p, vid, {"text": "Ruang laktasi belum memenuhi standar.",
                                      "room_id": room_id(p, "Ruang Laktasi"), "planned_year": 2025}, needs))
    fid = p.session.scalar(select(VisitFinding.id).where(VisitFinding.visit_id == vid))
    assert set(p.session.scalars(select(Need.id).where(Need.visit_finding_id == fid))) == set(needs)
    h.push(edit_visit_finding(p, fid, {"status": "budgeted"}, needs[:1]))
    assert set(p.session.scalars(select(Need.id).where(Need.visit_finding_id == fid))) == {needs[0]}
    with pytest.raises(ValidationError):
        h.push(edit_visit_finding(p, fid, {"status": "forgotten"}))
    h.push(delete_visit(vid))
    assert p.get(Visit, vid) is None
    assert p.session.scalar(select(Need.visit_finding_id).where(Need.id == needs[0])) is None
    h.undo()  # visit, finding and the link come back
    p = reopen(p)
    finding = p.get(VisitFinding, fid)
    assert (finding.status, finding.planned_year, finding.room.name) == ("budgeted", 2025, "Ruang Laktasi")
    assert p.session.scalar(select(Need.visit_finding_id).where(Need.id == needs[0])) == fid
    p.close()
