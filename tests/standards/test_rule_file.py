"""The rule file: broken files give one clear message naming the line, and no check runs."""

import pytest

from mpp_planner.standards import RuleFileError, default_rules_path, load_rules, parse_rules, run_checks
from mpp_planner.standards import kinds as kinds_module

SHIPPED = default_rules_path().read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def error_of(text: str) -> RuleFileError:
    with pytest.raises(RuleFileError) as info:
        parse_rules(text, "standards.toml")
    return info.value


def test_shipped_rules_load_with_their_parameters():
    rules = {r.id: r for r in load_rules().rules}
    assert rules["lactation_area"]["min_area_m2"] == 12
    assert rules["lactation_near_play_area"]["method"] == "walking"
    assert rules["lactation_near_play_area"]["max_distance_m"] == 10
    assert rules["waiting_seats"]["seats_per_counter"] == 6
    assert rules["ac_public_rooms"]["room_kinds"] == ["public"]
    assert all(r.line for r in rules.values())


def test_syntax_error_names_the_line():
    broken = SHIPPED.replace("min_area_m2 = 12", "min_area_m2 = 12 m2")
    err = error_of(broken)
    assert err.line == line_of(broken, "min_area_m2 = 12 m2")
    assert str(err).startswith(f"standards.toml, line {err.line}: not a valid TOML file")


def test_unknown_rule_kind_names_the_line_of_its_kind():
    broken = SHIPPED.replace('kind = "room_min_area"', 'kind = "room_max_area"')
    err = error_of(broken)
    assert err.line == line_of(broken, 'kind = "room_max_area"')
    assert "unknown rule kind 'room_max_area'" in str(err) and "room_min_area" in str(err)


def test_rule_without_kind_names_its_table_header():
    broken = SHIPPED.replace('kind = "counters_have_agency"\n', "")
    err = error_of(broken)
    assert err.line == line_of(broken, "[rules.counters_without_agency]")
    assert "has no 'kind'" in str(err)


def test_unknown_parameter_names_its_line():
    broken = SHIPPED.replace("min_area_m2 = 12", "min_area = 12")
    err = error_of(broken)
    assert err.line == line_of(broken, "min_area = 12")
    assert "unknown parameter 'min_area'" in str(err) and "min_area_m2" in str(err)


def test_unknown_key_inside_an_item_table_names_its_line():
    broken = SHIPPED.replace('{ tags = ["sink"], suggest = "wastafel" }',
                             '{ tags = ["sink"], suggest = "wastafel", qty = 2 }')
    err = error_of(broken)
    assert err.line == line_of(broken, "qty = 2")
    assert "'qty'" in str(err)


@pytest.mark.parametrize("old, new, words", [
    ("min_area_m2 = 12", 'min_area_m2 = "twelve"', "must be a number"),
    ("min_area_m2 = 12", "min_area_m2 = -3", "must be a number of 0 or more"),
    ("seats_per_counter = 6", "seats_per_counter = 0", "above 0"),
    ('room_kinds = ["lactation_room"]\nmin', 'room_kinds = ["lactation"]\nmin', "unknown value 'lactation'"),
    ('method = "walking"', 'method = "flying"', "unknown value 'flying'"),
    ('severity = "low"\ntags = ["banner"]', 'severity = "urgent"\ntags = ["banner"]', "'urgent'"),
    ("min_per_floor = 2\narea_per_unit_m2 = 250\nsuggest = \"apar\"",
     "min_per_floor = 2.5\narea_per_unit_m2 = 250\nsuggest = \"apar\"", "whole number"),
])
def test_bad_parameter_values_name_the_line(old, new, words):
    assert old in SHIPPED
    broken = SHIPPED.replace(old, new, 1)
    err = error_of(broken)
    first_new_line = new.splitlines()[0]
    assert err.line == line_of(broken, first_new_line)
    assert words in str(err)


def test_missing_parameter_is_reported():
    broken = SHIPPED.replace("min_area_m2 = 12\n", "")
    err = error_of(broken)
    assert "needs the parameter 'min_area_m2'" in str(err)
    assert err.line is not None


def test_unknown_section_names_its_line():
    err = error_of(SHIPPED + "\n[settings]\nlanguage = 'id'\n")
    assert "unknown section 'settings'" in str(err)
    assert err.line == len(SHIPPED.splitlines()) + 2


def test_missing_or_undecodable_file(tmp_path):
    with pytest.raises(RuleFileError, match="does not exist"):
        load_rules(tmp_path / "nope.toml")
    bad = tmp_path / "latin.toml"
    bad.write_bytes(b"# r\xe9gles\n")
    with pytest.raises(RuleFileError, match="UTF-8"):
        load_rules(bad)


def test_a_broken_rule_late_in_the_file_stops_every_check(tmp_path, demo_project, monkeypatch):
    ran = []
    original = kinds_module.RoomMinArea.check
    monkeypatch.setattr(kinds_module.RoomMinArea, "check", lambda self, rule, ctx: ran.append(rule.id) or
                        original(self, rule, ctx))
    broken = tmp_path / "rules.toml"
    broken.write_text(SHIPPED + '\n[rules.late]\nkind = "room_min_area"\nroom_kinds = ["toilet"]\nsize = 3\n',
                      encoding="utf-8")
    with pytest.raises(RuleFileError, match="line"):
        run_checks(demo_project, broken)
    assert ran == []  # the good rules before it did not run either


def test_a_failing_rule_gives_no_partial_result(demo_project, monkeypatch):
    def boom(self, rule, ctx):
        raise RuntimeError("rule crashed")

    monkeypatch.setattr(kinds_module.CountersHaveAgency, "check", boom)
    with pytest.raises(RuntimeError):
        run_checks(demo_project)
