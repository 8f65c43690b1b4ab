"""Human names of fields and enum values, marked for translation; what a picker shows for a row."""

import csv
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from mpp_planner.i18n import N_

FIELD_LABELS = {
    "name": N_("Name"),
    "short_name": N_("Short name"),
    "label": N_("Label"),
    "city": N_("City"),
    "province": N_("Province"),
    "operator_office": N_("Operator office"),
    "government_name": N_("Government"),
    "address": N_("Address"),
    "letterhead": N_("Letterhead"),
    "upt_name": N_("UPT name"),
    "layers": N_("Layers"),
    "entities": N_("Entities"),
    "tier": N_("Tier"),
    "colour": N_("Colour"),
    "kind": N_("Kind"),
    "outline": N_("Outline"),
    "width": N_("Width"),
    "depth": N_("Depth"),
    "rotation": N_("Rotation"),
    "staff_count": N_("Staff"),
    "quantity": N_("Quantity"),
    "condition": N_("Condition"),
    "year": N_("Year"),
    "fiscal_year": N_("Fiscal year"),
    "capitalisation_threshold": N_("Capitalisation threshold"),
    "unit": N_("Unit"),
    "unit_price": N_("Unit price"),
    "ref_price": N_("Reference price"),
    "purchase_price": N_("Purchase price"),
    "approved_amount": N_("Approved amount"),
    "amount": N_("Amount"),
    "account_code": N_("Account code"),
    "standard_price_code": N_("SSH code"),
    "paper": N_("Paper"),
    "population": N_("Service users"),
    "ticked": N_("Ticked"),
    "checked_by": N_("Checked by"),
    "questionnaire": N_("Questionnaire"),
    "answers": N_("Answers"),
    "age_band": N_("Age"),
    "education": N_("Education"),
    "occupation": N_("Occupation"),
    "gender": N_("Gender"),
    "unsur": N_("Unsur"),
    "action": N_("Action"),
    "owner": N_("Person in charge"),
    "deadline": N_("Deadline"),
    "start_date": N_("Start date"),
    "end_date": N_("End date"),
    "question": N_("Question"),
    "answer": N_("Answer label"),
    "decree_title": N_("Decree"),
    "decree_number": N_("Decree number"),
    "decree_date": N_("Decree date"),
    "allowed_accounts": N_("Allowed accounts"),
    "asset_code": N_("Asset code"),
    "sub_activity_id": N_("Sub kegiatan"),
    "affair": N_("Urusan"),
    "affair_field": N_("Bidang urusan"),
    "program": N_("Program"),
    "activity": N_("Kegiatan"),
    "organisation": N_("Organisation"),
    "funding_source": N_("Funding source"),
    "location": N_("Location"),
    "schedule": N_("Implementation period"),
    "output_indicator": N_("Output indicator"),
    "output_target": N_("Output target"),
    "allocation_prev": N_("Allocation year n-1"),
    "allocation_next": N_("Allocation year n+1"),
    "code": N_("Code"),
    "description": N_("Description"),
    "priority": N_("Priority"),
    "status": N_("Status"),
    "ppn_rate": N_("PPN rate"),
    "factors": N_("Coefficient"),
    "nip": N_("NIP"),
    "title": N_("Title"),
    "role": N_("Role"),
    "weekdays": N_("Weekdays"),
    "source": N_("Source"),
    "category": N_("Category"),
    "key": N_("Key"),
    "date": N_("Date"),
    "mou_date": N_("MoU date"),
    "points": N_("Wall points"),
    "thickness": N_("Wall thickness (mm)"),
    "offset": N_("Position along the wall (mm)"),
    "hinge": N_("Hinge"),
    "side": N_("Opening side"),
    "at": N_("Time"),
    "user": N_("User"),
    "computer": N_("Computer"),
    "table_name": N_("Table"),
    "row_key": N_("Row"),
    "verb": N_("Change"),
    "command": N_("Command"),
    "fields": N_("Fields"),
}

#: what one row of each table is called in messages ("alice changed room Lobby at ...")
TABLE_LABELS = {
    "site": N_("site"), "signatory": N_("signatory"), "account_code": N_("account code"),
    "budget_ceiling": N_("budget ceiling"), "floor": N_("floor"), "floor_background": N_("background image"),
    "floor_underlay": N_("underlay drawing"), "room": N_("room"), "counter": N_("counter"),
    "annotation": N_("annotation"), "wall": N_("wall"), "wall_opening": N_("door or window"), "agency": N_("agency"),
    "service": N_("service"), "counter_assignment": N_("counter assignment"),
    "counter_service": N_("counter service"), "item_type": N_("item type"), "inventory_item": N_("inventory item"),
    "visit": N_("visit"), "visit_finding": N_("visit finding"), "need": N_("need"), "budget_line": N_("budget line"),
    "sub_activity": N_("sub kegiatan"), "survey_period": N_("survey period"), "survey_response": N_("survey form"),
    "survey_action": N_("survey action"), "checklist_tick": N_("checklist item"), "change_log": N_("change record"),
}


def table_label(table: str) -> str:
    """The translated name of one row of ``table`` ("room"), or the table's name in words."""
    from mpp_planner.i18n import _

    return _(TABLE_LABELS[table]) if table in TABLE_LABELS else table.replace("_", " ")


def picker_labels(rows: Sequence[tuple[str, str]]) -> list[str]:
    """What a list to pick from shows for ``(name, detail)`` rows (an item type's name and unit): the name alone;
    names that repeat get their detail ("Kursi — set"), and a number where even that repeats ("Kursi — set 2").
    Never an internal key such as ``banner_stand``: users know items by their names."""
    def fold(text: str) -> str:
        return " ".join(text.split()).casefold()

    names = Counter(fold(name) for name, _detail in rows)
    labels = [f"{name} — {detail}" if names[fold(name)] > 1 and detail else name for name, detail in rows]
    repeats = Counter(fold(label) for label in labels)
    seen: Counter[str] = Counter()
    out = []
    for label in labels:
        seen[fold(label)] += 1
        out.append(f"{label} {seen[fold(label)]}" if repeats[fold(label)] > 1 else label)
    return out


@lru_cache(maxsize=1)
def _standard_item_names() -> dict[str, str]:
    from mpp_planner.resources_path import resource

    with resource("catalog.csv").open(newline="", encoding="utf-8-sig") as fh:
        return {row["key"]: row["name"] for row in csv.DictReader(fh)}


def item_name(key: str, names: dict[str, str]) -> str:
    """What to call catalog item ``key``: its name in the project (``names``), else in the standard catalog (the
    project may have deleted it), else the key in words ("banner stand") — never the bare key."""
    return names.get(key) or _standard_item_names().get(key) or key.replace("_", " ")
