"""The checklist of what the plan cannot show: unticked items are findings, ticked ones are not;
a broken checklist file names its line."""

import pytest
from sqlalchemy import select

from mpp_planner.commands import History
from mpp_planner.commands.checklist import tick
from mpp_planner.model import Room
from mpp_planner.standards import RuleFileError, gettext_for, load_rules, run_checks
from mpp_planner.standards.checklist import (checklist_findings, default_checklist_path, load_checklist,
                                             parse_checklist)

SHIPPED = default_checklist_path().read_text(encoding="utf-8")
REQUIRED_KEYS = {"laktasi.pintu_terkunci", "laktasi.ventilasi", "laktasi.cahaya", "laktasi.wastafel_air_mengalir",
                 "laktasi.lantai", "rambu_marka", "titik_kumpul", "tempat_sampah_terpilah", "tempat_cuci_tangan",
                 "skm.dipublikasikan"}


def line_of(text, needle):
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def error_of(text):
    with pytest.raises(RuleFileError) as info:
        parse_checklist(text, "checklist.toml")
    return info.value


def lactation_room(project):
    return project.session.scalars(select(Room).where(Room.kind == "lactation_room")).first()


def test_shipped_checklist_has_the_required_items():
    items = {i.key: i for i in load_checklist()}
    assert REQUIRED_KEYS <= set(items)
    assert items["laktasi.ventilasi"].applies_to == "lactation_room"
    assert items["titik_kumpul"].applies_to == "site" and items["titik_kumpul"].severity.value == "high"
    assert all(i.name and i.name_en and i.source and i.line for i in items.values())


def untick_all(project) -> None:
    """The demo as if nobody had walked round yet (it ships with the goods administrator's 2024 ticks)."""
    from sqlalchemy import delete

    from mpp_planner.model import ChecklistTick

    with project.edit() as s:
        s.execute(delete(ChecklistTick))


def test_the_demo_walk_round_leaves_some_items_open(demo_project):
    found = [f for f in run_checks(demo_project) if f.rule_id == "checklist"]
    messages = " ".join(f.message for f in found)
    assert found and "assembly point" in messages and "washbasin" in messages
    assert "door locks" not in messages  # ticked on the walk-round


def test_unticked_items_are_findings_in_check_and_ticked_ones_are_not(demo_project):
    untick_all(demo_project)
    room = lactation_room(demo_project)
    found = [f for f in run_checks(demo_project) if f.rule_id == "checklist"]
    keys_site = {f.message for f in found if f.room_id is None}
    in_room = [f for f in found if f.room_id == room.id]
    assert len(in_room) == 6 and len(keys_site) == 6
    door = next(f for f in in_room if "door locks" in f.message)
    assert door.severity.value == "high" and door.place.endswith("Ruang Laktasi")
    assert "Pintu ruang laktasi dapat dikunci" in door.render(gettext_for("id"), "id")
    assert door.rule_title("id") == "Daftar periksa yang belum dicentang"

    history = History(demo_project)
    history.push(tick(demo_project, "laktasi.pintu_terkunci", room.id, True, "Pengurus Barang"))
    history.push(tick(demo_project, "titik_kumpul", None, True, "Pengurus Barang"))
    after = [f for f in run_checks(demo_project) if f.rule_id == "checklist"]
    assert len(after) == len(found) - 2
    assert not any("door locks" in f.message or "assembly point" in f.message for f in after)
    assert len(checklist_findings(demo_project)) == len(after)
    # unticking again brings the finding back
    history.push(tick(demo_project, "titik_kumpul", None, False, "Pengurus Barang"))
    assert len([f for f in run_checks(demo_project) if f.rule_id == "checklist"]) == len(found) - 1


def test_a_rule_file_without_the_checklist_rule_gives_no_checklist_findings(demo_project, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text('[rules.size]\nkind = "room_min_area"\nroom_kinds = ["lactation_room"]\nmin_area_m2 = 1\n',
                     encoding="utf-8")
    assert run_checks(demo_project, rules) == []


def test_the_rule_may_name_another_checklist_file(demo_project, tmp_path):
    own = tmp_path / "own.toml"
    own.write_text('[[items]]\nkey = "x.one"\nname = "Satu"\napplies_to = "site"\n', encoding="utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text(f'[rules.list]\nkind = "checklist"\nfile = "{own.as_posix()}"\n', encoding="utf-8")
    [finding] = run_checks(demo_project, load_rules(rules))
    assert finding.message == "Not confirmed on the walk-round yet: Satu." and finding.severity.value == "medium"
    rules.write_text(f'[rules.list]\nkind = "checklist"\nfile = "{(tmp_path / "none.toml").as_posix()}"\n',
                     encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rules(rules)
    assert info.value.line == 3 and "does not exist" in str(info.value)


def test_syntax_error_names_the_line():
    broken = SHIPPED.replace('key = "laktasi.cahaya"', 'key = laktasi.cahaya"')
    err = error_of(broken)
    assert err.line == line_of(broken, 'key = laktasi.cahaya"')
    assert str(err).startswith(f"checklist.toml, line {err.line}: not a valid TOML file")


def test_unknown_room_kind_names_the_line():
    broken = SHIPPED.replace('applies_to = "site"', 'applies_to = "parking_lot"', 1)
    err = error_of(broken)
    assert err.line == line_of(broken, "parking_lot")
    assert "unknown value 'parking_lot'" in str(err) and "lactation_room" in str(err)


def test_unknown_field_duplicate_key_and_missing_name_name_their_lines():
    broken = SHIPPED.replace('source = "Permenkes 15/2013"\nseverity = "high"', 'sumber = "x"\nseverity = "high"', 1)
    err = error_of(broken)
    assert err.line == line_of(broken, 'sumber = "x"') and "unknown field 'sumber'" in str(err)
    broken = SHIPPED.replace('key = "laktasi.cahaya"', 'key = "laktasi.ventilasi"')
    err = error_of(broken)
    assert err.line == line_of(broken, 'name = "Penerangan') - 1 and "used twice" in str(err)
    broken = SHIPPED.replace('name = "Lantai keramik, semen atau karpet"\n', "")
    err = error_of(broken)
    assert err.line == line_of(broken, 'key = "laktasi.lantai"') - 1 and "lacks 'name'" in str(err)
    err = error_of(SHIPPED.replace('severity = "low"', 'severity = "urgent"', 1))
    assert "unknown value 'urgent'" in str(err)


def test_new_public_building_rules_are_in_the_shipped_file(demo_project):
    rules = {r.id: r for r in load_rules().rules}
    assert rules["lactation_area"]["min_area_m2"] == 12  # Permenkes 15/2013: 3 x 4 m
    tags = [t for req in rules["lactation_equipment"]["items"] for t in req["tags"]]
    assert "refrigerator" in tags and "sink" in tags
    facilities = [req["tags"] for req in rules["public_building_facilities"]["items"]]
    assert ["wayfinding"] in facilities and ["assembly_point"] in facilities and ["sink"] in facilities
    assert rules["bins_per_floor"]["tags"] == ["bin"]
    findings = run_checks(demo_project)
    bins = [f for f in findings if f.rule_id == "bins_per_floor"]
    assert {f.floor_name for f in bins} == {"Lantai 1", "Lantai 2"}
    assert {f.suggestion.item_key for f in bins} == {"tempat_sampah_pilah"}
    assert any("assembly-point sign" in f.message for f in findings if f.rule_id == "public_building_facilities")


def test_optional_items_are_listed_but_not_findings(demo_project):
    untick_all(demo_project)
    items = {i.key: i for i in load_checklist()}
    assert items["parkir.cctv"].optional and not items["parkir.tersedia"].optional
    messages = " ".join(f.message for f in checklist_findings(demo_project))
    assert "CCTV over the parking" not in messages and "A marked parking area" in messages
    err = error_of(SHIPPED.replace("optional = true", 'optional = "yes"', 1))
    assert err.line == line_of(SHIPPED, "optional = true") and "true or false" in str(err)


def test_every_checklist_key_of_the_self_assessment_is_on_the_checklist():
    import re

    from mpp_planner.resources_path import resource

    wanted = set(re.findall(r'checklist = "([^"]+)"', resource("pekppp.toml").read_text(encoding="utf-8")))
    assert wanted <= {i.key for i in load_checklist()}
