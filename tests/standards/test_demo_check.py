"""The check on the demo project reports what the provincial inspection of 15 Dec 2023 found."""

from mpp_planner.standards import run_checks


def by_rule(findings, rule_id, room=None):
    return [f for f in findings if f.rule_id == rule_id and (room is None or f.room_name == room)]


def test_demo_check_reports_the_inspection_findings(demo_project):
    findings = run_checks(demo_project)
    lact = "Ruang Laktasi"
    [small] = by_rule(findings, "lactation_area", lact)
    assert "8.75 m²" in small.message and small.severity.value == "high"
    missing = " ".join(f.message for f in by_rule(findings, "lactation_equipment", lact))
    for words in ("refrigerator", "sink", "mattress or sofa", "chair with backrest"):
        assert words in missing
    [far] = by_rule(findings, "lactation_near_play_area", lact)
    distance = float(far.message.split(" is ")[1].split(" m ")[0])
    assert distance > 25 and "Ruang Bermain Anak" in far.message
    assert by_rule(findings, "ac_public_rooms", lact)
    assert by_rule(findings, "ac_public_rooms", "Ruang Tunggu Lt. 2")
    seats = by_rule(findings, "waiting_seats")
    assert {f.floor_name for f in seats} == {"Lantai 1", "Lantai 2"}
    assert all("short" in f.message for f in seats)
    banners = by_rule(findings, "banners")
    assert {f.room_name for f in banners} == {"Ruang Pelayanan Lt. 1", "Ruang Pelayanan Lt. 2"}
    assert "Gudang Lt. 1" not in {f.room_name for f in banners}  # stored banners are not on show
    unassigned = " ".join(f.message for f in by_rule(findings, "counters_without_agency"))
    for label in ("L1-18", "L2-14", "L2-15", "L2-16"):
        assert label in unassigned
    # the demo has every required room and the accessibility items
    assert not by_rule(findings, "required_rooms") and not by_rule(findings, "accessibility")
