"""The PEKPPP self-assessment: each indicator's ladder, evidence, next steps, needs and rule-file errors."""


import pytest

from mpp_planner.commands.assessment import create_needs
from mpp_planner.model import Need
from mpp_planner.model.checklist import ChecklistTick
from mpp_planner.standards.assessment import assess, load_instrument, parse_instrument
from mpp_planner.standards.ruleset import RuleFileError
from tests.helpers import rect
from tests.standards.builders import add_item, add_room, catalog

SHIPPED = load_instrument()


@pytest.fixture
def site(empty_project):
    from mpp_planner.model import Floor

    catalog(empty_project)
    with empty_project.edit() as s:
        floor = Floor(name="Lantai 1", order=1)
        s.add(floor)
    waiting = add_room(empty_project, floor, "Ruang Tunggu", "waiting_area", rect(0, 0, 10000, 6000))
    return empty_project, floor, waiting


def tick(project, key):
    with project.edit() as s:
        s.add(ChecklistTick(key=key))


def score(project, key, **kw):
    return assess(project, SHIPPED, **kw).result(key)


VULNERABLE = ["kursi_roda", "ramp", "guiding_block", "papan_braille", "kursi_prioritas"]


def test_vulnerable_groups_ladder_each_step(site):
    project, floor, waiting = site
    assert score(project, "rentan").score == 0
    expected = {1: 1, 3: 1, 4: 2, 6: 2, 7: 3, 9: 3, 10: 4, 12: 4, 13: 5}
    rooms = [("accessible_toilet", "Toilet Difabel"), ("lactation_room", "Ruang Laktasi"),
             ("play_area", "Ruang Bermain")]
    checks = ["parkir.difabel", "rentan.pendamping", "rentan.bahasa_isyarat"]
    steps = ([lambda k=k: add_item(project, waiting, k) for k in VULNERABLE]
             + [lambda k=k, n=n, i=i: add_room(project, floor, n, k, rect(20000 + 4000 * i, 0, 3000, 3000))
                for i, (k, n) in enumerate(rooms)]
             + [lambda k=k: tick(project, k) for k in checks]
             + [lambda: add_item(project, waiting, "kursi_tunggu_3"),  # not a vulnerable-group item: no change
                lambda: add_item(project, waiting, "meja_layanan_prioritas")])  # outside a counter hall: no change
    counted = 0
    for step in steps[:11]:
        step()
        counted += 1
        r = score(project, "rentan")
        assert r.count == counted
        if counted in expected:
            assert r.score == expected[counted], counted
    before = score(project, "rentan").score
    steps[11]()
    steps[12]()
    assert score(project, "rentan").count == 11 and score(project, "rentan").score == before
    hall = add_room(project, floor, "Ruang Pelayanan", "counter_hall", rect(0, 6000, 10000, 6000))
    add_item(project, hall, "meja_layanan_prioritas")
    r = score(project, "rentan")
    assert r.count == 12 and r.score == 4
    assert r.next_step and len(r.suggestions) == 1
    from mpp_planner.model import Room

    sug = r.suggestions[0]
    assert (sug.item_key, project.get(Room, sug.room_id).kind) == ("grab_bar", "accessible_toilet")
    add_item(project, project.get(Room, sug.room_id), sug.item_key)
    r = score(project, "rentan")
    assert r.count >= 13 and r.score == 5 and r.next_step == "" and r.suggestions == []


def test_broken_items_do_not_count_and_evidence_names_rooms(site):
    project, floor, waiting = site
    add_item(project, waiting, "kursi_roda", condition="RB")
    assert score(project, "rentan").count == 0
    add_item(project, waiting, "ramp", condition="KB")
    r = score(project, "rentan")
    assert r.count == 1
    assert any("Ramp" in e and "Ruang Tunggu" in e for e in r.evidence)
    assert not any("Kursi Roda" in e for e in r.evidence)


def test_next_step_names_items_and_suggests_at_preferred_room(site):
    project, floor, waiting = site
    for k in VULNERABLE[:3]:
        add_item(project, waiting, k)
    r = score(project, "rentan")  # 3 -> 1; next: 4
    assert r.score == 1
    assert "Informasi huruf Braille" in r.next_step
    assert [s.item_key for s in r.suggestions] == ["papan_braille"]
    assert r.suggestions[0].room_id == waiting.id


def test_parking_needs_parking_then_facilities(site):
    project, *_ = site
    tick(project, "parkir.difabel")
    r = score(project, "parkir")
    assert r.score == 0 and "Tempat parkir" in r.next_step
    tick(project, "parkir.tersedia")
    assert score(project, "parkir").score == 1
    for key, want in (("parkir.prioritas", 2), ("parkir.peneduh", 3), ("parkir.marka", 4), ("parkir.petugas", 5)):
        tick(project, key)
        assert score(project, "parkir").score == want


def test_waiting_room_mandatory_then_supplementary(site):
    project, floor, waiting = site
    assert score(project, "ruang_tunggu").score == 0
    add_item(project, waiting, "kursi_tunggu_3")
    assert score(project, "ruang_tunggu").score == 0
    add_item(project, waiting, "ac_split_2pk")
    assert score(project, "ruang_tunggu").score == 1
    for key, want in (("tv_43", 2), ("dispenser", 3), ("charging_station", 4), ("access_point", 5)):
        add_item(project, waiting, key)
        assert score(project, "ruang_tunggu").score == want


def test_toilets_score_conditions_met(site):
    project, floor, waiting = site
    toilet = add_room(project, floor, "Toilet Umum", "toilet", rect(10000, 0, 3000, 3000))
    assert score(project, "toilet").score == 1
    add_item(project, waiting, "wastafel")  # not in a toilet
    assert score(project, "toilet").score == 1
    add_item(project, toilet, "wastafel")
    assert score(project, "toilet").score == 2
    add_item(project, toilet, "tempat_sampah")
    tick(project, "toilet.bersih")
    assert score(project, "toilet").score == 4
    add_room(project, floor, "Toilet Difabel", "accessible_toilet", rect(13000, 0, 3000, 3000))
    assert score(project, "toilet").score == 5


def test_skm_published(site):
    project, *_ = site
    assert score(project, "skm_dipublikasikan").score == 0
    tick(project, "skm.dipublikasikan")
    assert score(project, "skm_dipublikasikan").score == 3
    tick(project, "skm.dipublikasikan_elektronik")
    assert score(project, "skm_dipublikasikan").score == 5


def test_open_needs_count_as_bought_and_create_needs_adds_them_once(site):
    project, floor, waiting = site
    for k in VULNERABLE[:3]:
        add_item(project, waiting, k)
    before = assess(project, SHIPPED)
    cmd = create_needs(project, before)
    assert cmd.objects
    with project.edit():
        cmd.redo(project)
    needs = project.session.query(Need).all()
    assert {(n.item_type.key, n.source) for n in needs} >= {("papan_braille", "standard")}
    assert score(project, "rentan").score == 1
    assert score(project, "rentan", assume_open_needs_met=True).score == 2
    assert not create_needs(project, before).objects  # already planned
    with project.edit():
        cmd.undo(project)
    assert project.session.query(Need).count() == 0


def test_demo_scores_realistically(demo_project):
    result = assess(demo_project, SHIPPED)
    assert 0 < result.total < result.max_total
    assert any(r.score < 5 and r.suggestions for r in result.indicators)


GOOD = """
[aspects.sarpras]
name = "Sarana Prasarana"
weight = 15

[indicators.x]
aspect = "sarpras"
name = "X"
kind = "count"
ladder = [1, 2]
items = [{ label = "Ramp", tags = ["ramp"] }]
"""


def test_good_file_parses_with_default_scores():
    ins = parse_instrument(GOOD)
    assert ins.indicators[0].scores == [4, 5]


@pytest.mark.parametrize("old,new,line,words", [
    ('kind = "count"', 'kind = "counting"', 9, "unknown indicator kind"),
    ("ladder = [1, 2]", "ladder = [2, 2]", 10, "ladder"),
    ('tags = ["ramp"]', 'items = ["no_such_item"]', 11, "no_such_item"),
    ('tags = ["ramp"]', 'tags = ["no_such_tag"]', 11, "no_such_tag"),
])
def test_rule_file_errors_name_the_line(old, new, line, words):
    with pytest.raises(RuleFileError) as err:
        parse_instrument(GOOD.replace(old, new), "pekppp.toml")
    assert err.value.line == line
    assert words in str(err.value) and f"line {line}" in str(err.value)


def test_supporting_facilities_each_step(site):
    project, floor, waiting = site
    steps = [lambda: add_room(project, floor, "Musala", "prayer_room", rect(20000, 0, 3000, 3000)),
             lambda: tick(project, "penunjang.kantin"),
             lambda: tick(project, "penunjang.atm"),
             lambda: add_room(project, floor, "Ruang Bermain", "play_area", rect(24000, 0, 3000, 3000)),
             lambda: add_item(project, waiting, "charging_station")]
    assert score(project, "penunjang").score == 0
    for n, step in enumerate(steps, start=1):
        step()
        r = score(project, "penunjang")
        assert (r.count, r.score) == (n, n), n
    assert r.next_step == "" and r.suggestions == []


def test_front_office_information_each_step(site):
    project, floor, waiting = site
    keys = ["kios_antrian", "display_antrian", "layar_led_55", "banner_stand", "papan_petunjuk"]
    assert score(project, "informasi").score == 0
    for n, key in enumerate(keys, start=1):
        add_item(project, waiting, key)
        r = score(project, "informasi")
        assert (r.count, r.score) == (n, n), key
    assert score(project, "informasi").next_step == ""


def test_skm_done_needs_a_period_with_the_minimum_sample(site):
    from mpp_planner.commands import History
    from mpp_planner.commands.survey import AddResponses, AddSurveyPeriod, new_period
    from mpp_planner.model import SurveyResponse

    project = site[0]
    assert score(project, "skm_dilaksanakan").score == 0
    h = History(project)
    add = AddSurveyPeriod(new_period(project, "2025 Semester I", population=20))
    h.push(add)
    period_id = add.created_ids[0]
    h.push(AddResponses("forms", [SurveyResponse(period_id=period_id, number=i + 1, answers=[3] * 9)
                                  for i in range(18)]))
    assert score(project, "skm_dilaksanakan").score == 2  # done, but 18 of the 19 forms 20 users need
    h.push(AddResponses("one more", [SurveyResponse(period_id=period_id, number=19, answers=[4] * 9)]))
    assert score(project, "skm_dilaksanakan").score == 5
