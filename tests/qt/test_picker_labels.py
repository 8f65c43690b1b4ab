"""Pickers show what users call things, never internal keys such as "(banner_stand)": the item type pickers of
the inventory row, need and SSH price dialogs, every combo box of every tab, and the suggestions of a catalog
item the project no longer has."""

import re

import pytest
from PySide6.QtWidgets import QComboBox
from sqlalchemy import select

from mpp_planner.model import Agency, ItemType
from mpp_planner.model.labels import item_name, picker_labels
from mpp_planner.qt.inventory.dialogs import InventoryItemDialog, NeedDialog
from mpp_planner.qt.main_window import TAB_KEYS

KEY = re.compile(r"\([a-z_]+\)")


def combo_texts(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def test_picker_labels_are_names_told_apart_by_unit_then_number():
    rows = [("Kursi", "buah"), ("Meja", "unit"), ("kursi ", "set"), ("Meja", "unit"), ("Lemari", "")]
    assert picker_labels(rows) == ["Kursi — buah", "Meja — unit 1", "kursi  — set", "Meja — unit 2", "Lemari"]
    assert picker_labels([("Kursi", "buah")]) == ["Kursi"]
    assert picker_labels([]) == []


def test_an_item_missing_from_the_project_is_named_from_the_standard_catalog():
    assert item_name("banner_stand", {"banner_stand": "Banner kami"}) == "Banner kami"
    assert item_name("banner_stand", {}).startswith("Banner Berdiri")
    assert item_name("rak_sepatu_khusus", {}) == "rak sepatu khusus"


@pytest.mark.parametrize("dialog_class", [InventoryItemDialog, NeedDialog])
def test_item_type_pickers_show_names_not_keys(demo_project, qtbot, dialog_class):
    keys = {key for key, in demo_project.session.execute(select(ItemType.key))}
    dialog = dialog_class(demo_project, None)
    qtbot.addWidget(dialog)
    texts = combo_texts(dialog.item_type)
    assert len(texts) == len(keys) > 60
    assert not [t for t in texts if KEY.search(t)]
    assert not [t for t in texts for k in keys if f"({k})" in t]
    assert "Banner Berdiri (Roll Up Banner) 80 x 200 cm" in texts
    assert len(set(texts)) == len(texts)  # told apart


def test_two_item_types_of_one_name_are_told_apart(demo_project, qtbot):
    from mpp_planner.commands.generic import AddObjects

    banner = demo_project.session.scalar(select(ItemType).where(ItemType.key == "banner_stand"))
    twin = ItemType(key="banner_stand_2", name=banner.name, category=banner.category, unit="set",
                    ref_price=banner.ref_price, account_code=banner.account_code)
    AddObjects("Add", [twin]).redo(demo_project)
    dialog = InventoryItemDialog(demo_project, None)
    qtbot.addWidget(dialog)
    texts = combo_texts(dialog.item_type)
    assert f"{banner.name} — {banner.unit}" in texts and f"{banner.name} — set" in texts
    assert dialog.item_type.itemData(texts.index(f"{banner.name} — set")) == twin.id


def test_no_combo_box_of_any_tab_shows_a_key(demo_window):
    demo_window.build_all_tabs()
    shown = []
    for key in TAB_KEYS:
        for combo in demo_window.tab_widgets[key].findChildren(QComboBox):
            shown += [(key, t) for t in combo_texts(combo) if KEY.search(t)]
    assert shown == []
    assert demo_window.project.session.scalar(select(Agency.id)) is not None  # the demo, with its data
