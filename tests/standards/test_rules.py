"""Every shipped rule: passes on a compliant MPP, fails on one broken the way the rule is about."""

from decimal import Decimal

import pytest

from mpp_planner.standards import RuleSet, load_rules, parse_rules, run_checks, run_rules
from mpp_planner.standards.context import CheckContext
from tests.helpers import rect
from tests.standards.builders import Mpp, add_counter, add_item, add_room

SHIPPED = load_rules()
RULE_IDS = [r.id for r in SHIPPED.rules]


def check(project, rule_id=None):
    rules = SHIPPED if rule_id is None else RuleSet([r for r in SHIPPED.rules if r.id == rule_id])
    assert rules.rules, rule_id
    return run_rules(rules, CheckContext.load(project))


@pytest.fixture
def mpp(empty_project):
    return Mpp(empty_project)


def test_the_shipped_rule_file_has_every_required_rule():
    assert set(RULE_IDS) >= {"required_rooms", "lactation_area", "lactation_equipment", "lactation_near_play_area",
                             "waiting_seats", "ac_public_rooms", "cctv_per_floor", "fire_extinguishers_per_floor",
                             "banners", "counters_without_agency", "accessibility"}


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_passes_on_a_compliant_mpp(mpp, rule_id):
    assert check(mpp.project, rule_id) == []


def test_compliant_mpp_has_no_findings_at_all(mpp):
    assert run_checks(mpp.project) == []


def test_required_rooms_fails_without_a_prayer_room(mpp):
    mpp.delete(mpp.prayer)
    [f] = check(mpp.project, "required_rooms")
    assert "Prayer room" in f.message
    assert f.severity.value == "high" and f.room_id is None


def test_lactation_area_fails_below_12_m2(mpp):
    mpp.set(mpp.lactation, outline=rect(10000, 0, 2500, 3500))
    [f] = check(mpp.project, "lactation_area")
    assert f.room_id == mpp.lactation.id
    assert "8.75 m²" in f.message and "12 m²" in f.message


@pytest.mark.parametrize("key, words, suggest", [
    ("kulkas", "refrigerator", "kulkas"),
    ("wastafel", "sink", "wastafel"),
    ("kasur_bayi", "mattress or sofa", "kasur_bayi"),
    ("kursi_menyusui", "chair with backrest", "kursi_menyusui"),
])
def test_lactation_equipment_fails_for_each_missing_item(mpp, key, words, suggest):
    mpp.delete(mpp.lactation_items[key])
    [f] = check(mpp.project, "lactation_equipment")
    assert words in f.message
    assert f.suggestion.item_key == suggest and f.suggestion.quantity == 1
    assert f.suggestion.room_id == mpp.lactation.id


def test_lactation_equipment_counts_by_tag_and_not_broken_items(mpp):
    # a nursing sofa is both "sofa" and "chair_backrest": it replaces mattress and chair
    mpp.delete(mpp.lactation_items["kasur_bayi"], mpp.lactation_items["kursi_menyusui"])
    add_item(mpp.project, mpp.lactation, "sofa_menyusui")
    assert check(mpp.project, "lactation_equipment") == []
    # a broken (RB) refrigerator does not count
    mpp.set(mpp.lactation_items["kulkas"], condition="RB")
    [f] = check(mpp.project, "lactation_equipment")
    assert "refrigerator" in f.message


def test_lactation_far_from_play_area_fails(mpp):
    mpp.set(mpp.play, outline=rect(13000, 14000, 4000, 4000))  # past the corridor: 16.6 m walking between centres
    [f] = check(mpp.project, "lactation_near_play_area")
    assert f.related_room_ids == (mpp.play.id,)
    assert "16.6 m" in f.message and "Ruang Bermain Anak" in f.message and "10 m" in f.message


def test_lactation_without_play_area_on_the_same_floor_fails(mpp):
    from mpp_planner.model import Floor

    with mpp.project.edit() as s:
        upstairs = Floor(name="Lantai 2", order=2)
        s.add(upstairs)
    mpp.set(mpp.play, floor_id=upstairs.id)
    [f] = check(mpp.project, "lactation_near_play_area")
    assert "same floor" in f.message


def test_walking_distance_goes_around_the_rooms(mpp):
    text = """
[rules.near]
kind = "room_near"
room_kinds = ["lactation_room"]
target_kinds = ["play_area"]
max_distance_m = 12
method = "walking"
grid_mm = 100
"""
    rules = parse_rules(text)
    assert run_rules(rules, CheckContext.load(mpp.project)) == []  # side by side: 3.5 m walking
    # play area at the far end of the corridor: straight 14.4 m, walking further
    mpp.set(mpp.play, outline=rect(14000, 14000, 3000, 3000))
    [f] = run_rules(rules, CheckContext.load(mpp.project))
    metres = float(f.message.split(" is ")[1].split(" m ")[0])
    assert metres > 14.4
    straight = parse_rules(text.replace('"walking"', '"straight"').replace("12", "15"))
    assert run_rules(straight, CheckContext.load(mpp.project)) == []


def test_waiting_seats_fail_below_six_per_counter(mpp):
    add_counter(mpp.project, mpp.floor, "L-03", 8000, 10000, mpp.agency)  # 3 counters need 18 seats
    [f] = check(mpp.project, "waiting_seats")
    assert "12 waiting seats for 3 counters" in f.message and "6 short" in f.message
    assert f.suggestion.item_key == "kursi_tunggu_4" and f.suggestion.quantity == 2  # 6 seats / 4 per bench
    assert f.room_id == mpp.waiting.id


def test_waiting_seats_do_not_count_broken_benches(mpp):
    mpp.set(mpp.seats[0], condition="RB")
    [f] = check(mpp.project, "waiting_seats")
    assert "8 waiting seats for 2 counters" in f.message


@pytest.mark.parametrize("condition", [None, "RB"])
def test_ac_missing_or_broken_in_a_public_room_fails(mpp, condition):
    ac = mpp.acs[mpp.prayer.id]
    if condition is None:
        mpp.delete(ac)
    else:
        mpp.set(ac, condition=condition)
    [f] = check(mpp.project, "ac_public_rooms")
    assert f.room_id == mpp.prayer.id and "air conditioning" in f.message
    assert f.suggestion.item_key == "ac_split_2pk"


def test_ac_is_not_required_in_a_toilet(mpp):
    assert mpp.toilet.id not in mpp.acs
    assert check(mpp.project, "ac_public_rooms") == []


def test_ac_suggestion_grows_with_the_room(mpp):
    mpp.delete(mpp.acs[mpp.waiting.id])  # 60 m² at one unit per 30 m²
    [f] = check(mpp.project, "ac_public_rooms")
    assert f.suggestion.quantity == 2


@pytest.mark.parametrize("rule_id, attr, key", [("cctv_per_floor", "cctv", "cctv"),
                                                ("fire_extinguishers_per_floor", "apar", "apar")])
def test_per_floor_items_fail_below_the_minimum(mpp, rule_id, attr, key):
    mpp.set(getattr(mpp, attr), quantity=Decimal(1))
    [f] = check(mpp.project, rule_id)
    assert f.floor_id == mpp.floor.id and f.room_id is None
    assert f.suggestion.item_key == key and f.suggestion.quantity == 1


def test_per_floor_items_scale_with_floor_area(mpp):
    # a 600 m² hall makes the floor 757 m²: one per 250 m² means 4
    add_room(mpp.project, mpp.floor, "Aula", "meeting_room", rect(0, 14000, 30000, 20000))
    [f] = check(mpp.project, "cctv_per_floor")
    assert "4 are required" in f.message and f.suggestion.quantity == 2


def test_banners_in_public_rooms_fail_and_stored_ones_do_not(mpp):
    store = add_room(mpp.project, mpp.floor, "Gudang", "storage", rect(17000, 0, 3000, 3000))
    add_item(mpp.project, store, "banner_stand", 6)
    assert check(mpp.project, "banners") == []
    add_item(mpp.project, mpp.hall, "banner_stand", 3)
    [f] = check(mpp.project, "banners")
    assert f.room_id == mpp.hall.id
    assert "LED screen or acrylic frame" in f.message
    assert f.suggestion.item_key == "pigora_akrilik" and f.suggestion.quantity == 3


def test_counter_without_agency_fails(mpp):
    lone = add_counter(mpp.project, mpp.floor, "L-09", 8000, 10000)
    [f] = check(mpp.project, "counters_without_agency")
    assert f.counter_ids == (lone.id,) and f.room_id == mpp.hall.id
    assert "L-09" in f.message and f.suggestion is None


@pytest.mark.parametrize("key, words", [("ramp", "ramp"), ("kursi_roda", "wheelchair"),
                                        ("guiding_block", "guiding block")])
def test_accessibility_items_missing(mpp, key, words):
    mpp.delete(mpp.access[key])
    [f] = check(mpp.project, "accessibility")
    assert words in f.message
    assert f.suggestion.item_key == key and f.suggestion.room_id == mpp.corridor.id


def test_findings_are_sorted_by_severity_and_rendered_in_indonesian_numbers(mpp):
    mpp.set(mpp.lactation, outline=rect(10000, 0, 2500, 3500))
    add_counter(mpp.project, mpp.floor, "L-09", 8000, 10000)
    findings = check(mpp.project)
    ranks = [f.severity.rank for f in findings]
    assert ranks == sorted(ranks)
    area = next(f for f in findings if f.rule_id == "lactation_area")
    assert "8,75 m²" in area.render(lambda s: s, "id")
