"""Backup copies: on demand, automatic on open with rotation, consistent while the project is open."""

import os
import time

from mpp_planner.model import Counter
from mpp_planner.project import Project
from mpp_planner.store import backup as backups

from tests.safety.dump import dump_file


def test_backup_now_goes_to_cadangan_beside_the_project_and_is_a_full_project(demo_project):
    path = backups.backup_now(demo_project.file)
    assert path.parent == demo_project.path.parent / "Cadangan"
    assert path.name.startswith("demo.") and path.suffix == ".mpplan"
    assert dump_file(path) == dump_file(demo_project.path)
    copy = Project.open(path)
    copy.close()


def test_backup_of_an_open_project_holds_its_latest_committed_edit(demo_project):
    counter = demo_project.all(Counter)[0]
    with demo_project.edit():
        counter.label = "DISIMPAN"
    path = backups.backup_now(demo_project.file)
    copy = Project.open(path, readonly=True)
    assert copy.get(Counter, counter.id).label == "DISIMPAN"
    copy.close()


def test_automatic_backups_rotate_and_skip_unchanged_states(demo_project):
    folder = demo_project.path.parent / "Cadangan"
    made = []
    for i in range(5):
        with demo_project.edit():
            demo_project.site.city = f"Kota {i}"
        made.append(backups.auto_backup(demo_project.file, keep=3))
    kept = backups.auto_backups(folder, demo_project.path)
    assert len(kept) == 3 and kept == made[-3:]
    assert [Project.open(p, readonly=True).site.city for p in kept] == ["Kota 2", "Kota 3", "Kota 4"]
    # opening again without a change keeps the previous copy instead of a duplicate
    again = backups.auto_backup(demo_project.file, keep=3)
    assert again == kept[-1] and backups.auto_backups(folder, demo_project.path) == kept


def test_manual_backups_are_never_rotated_away(demo_project):
    manual = backups.backup_now(demo_project.file)
    for i in range(3):
        with demo_project.edit():
            demo_project.site.city = f"Kota {i}"
        backups.auto_backup(demo_project.file, keep=1)
    assert manual.exists()
    assert len(backups.auto_backups(manual.parent, demo_project.path)) == 1


def test_keep_zero_means_no_automatic_backup(demo_project):
    assert backups.auto_backup(demo_project.file, keep=0) is None
    assert not (demo_project.path.parent / "Cadangan").exists()


def test_same_second_backups_get_distinct_names(demo_project):
    a = backups.backup_now(demo_project.file)
    b = backups.backup_now(demo_project.file)
    assert a != b and a.exists() and b.exists()


def test_fallback_folder_when_the_project_folder_cannot_take_backups(demo_project, tmp_path, monkeypatch):
    monkeypatch.setattr(backups, "_writable_folder", lambda folder: False)
    fallback = tmp_path / "data" / "Cadangan"
    path = backups.backup_now(demo_project.file, fallback=fallback)
    assert path.parent == fallback


def test_read_only_project_can_be_backed_up(demo_file):
    p = Project.open(demo_file, readonly=True)
    try:
        path = backups.backup_now(p.file)
        assert dump_file(path) == dump_file(demo_file)
    finally:
        p.close()
    os.utime(path, (time.time(), time.time()))
