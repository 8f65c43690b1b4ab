"""Team mode: live refresh between two open projects on one server database (LISTEN/NOTIFY).

The server project is built from a small plan (``tests.helpers.add_plan``, an agency with a service and a
counter) copied to the test server: the demo cannot be copied until schema 0009 widens the money columns.
"""

from __future__ import annotations

import threading
import time

import pytest

from mpp_planner.model import Agency, Counter, Floor, Room, Service
from mpp_planner.project import Changes, Meaning, Project, Topic
from mpp_planner.store import notify
from mpp_planner.store.copy import copy_project
from tests.helpers import add_plan, rect

DEADLINE_S = 10.0  # a generous bound for a busy test machine; the benchmark measures the real latency


def build_small(path):
    project = Project.create(path, site_name="MPP Uji")
    try:
        add_plan(project)
        with project.edit() as s:
            agency = Agency(name="Kantor Pertanahan", short_name="BPN", tier="pusat")
            agency.services.append(Service(name="Sertifikat"))
            s.add(agency)
            floor = project.all(Floor)[0]
            s.add(Counter(floor_id=floor.id, label="L-01", x=12000, y=2000))
    finally:
        project.close()
    return path


@pytest.fixture
def plan_url(server_url, tmp_path):
    copy_project(build_small(tmp_path / "small.mpplan"), server_url)
    return server_url


@pytest.fixture
def pair(plan_url):
    """Two projects open on the one database, the second listening (as a second user's window)."""
    a, b = Project.open(plan_url), Project.open(plan_url)
    assert b.listen_remote()
    assert b._remote.connected.wait(DEADLINE_S)
    yield a, b
    a.close()
    b.close()


def wait_remote(project, deadline: float = DEADLINE_S) -> Changes:
    """Poll as the window's timer does, until something arrives."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        changes = project.poll_remote()
        if changes is not None:
            return changes
        time.sleep(0.005)
    raise AssertionError("no change notice arrived")


def live_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "mpp-live" and t.is_alive()]


def test_an_edit_in_one_project_shows_in_the_other_with_fresh_objects(pair):
    a, b = pair
    room_b = b.all(Room, Room.id)[0]
    floor_b = b.get(Floor, room_b.floor_id)
    assert len(floor_b.rooms) == 3 and room_b.name == "Lobi"  # loaded: B's identity map holds them
    heard: list[Changes] = []
    b.subscribe(heard.append, Topic.ROOMS)

    with a.edit():
        a.get(Room, room_b.id).name = "Ruang Tunggu"
    changes = wait_remote(b)
    assert changes.origin == "remote" and changes.ids(Topic.ROOMS, "updated") == {room_b.id}
    assert changes.did(Topic.ROOMS, "changed") and heard == [changes]  # the screens hear it as any edit
    assert b.remote_users == (a.file.user,)
    assert room_b.name == "Ruang Tunggu"  # the same object, read again: no stale identity map

    with a.edit() as s:
        s.add(Room(floor_id=floor_b.id, name="Arsip", kind="back_office", outline=rect(0, 9000, 3000, 3000)))
    changes = wait_remote(b)
    assert changes.did(Topic.ROOMS, "added")
    assert sorted(r.name for r in floor_b.rooms) == ["Arsip", "Meja Info", "Ruang Layanan", "Ruang Tunggu"]

    gone = room_b.id
    a.delete_rows("room", [gone])
    changes = wait_remote(b)
    assert changes.ids(Topic.ROOMS, "removed") == {gone}
    assert b.get(Room, gone) is None and gone not in {r.id for r in floor_b.rooms}


def test_after_the_refresh_an_edit_of_the_same_row_is_not_a_conflict(pair):
    """The refreshed row carries the other user's row version: B's next edit of it is not refused."""
    a, b = pair
    assert a.listen_remote() and a._remote.connected.wait(DEADLINE_S)
    room_a, room_b = a.all(Room, Room.id)[0], b.all(Room, Room.id)[0]
    for editor, other, room, name in ((a, b, room_a, "Ruang Tunggu"), (b, a, room_b, "Ruang Tunggu Utama"),
                                      (a, b, room_a, "Lobi Baru")):
        with editor.edit():
            room.name = name
        wait_remote(other)
    assert room_a.name == room_b.name == "Lobi Baru"


def test_a_many_to_many_link_added_elsewhere_shows(pair):
    a, b = pair
    counter_b = b.all(Counter)[0]
    assert counter_b.services == []
    counter_a = a.get(Counter, counter_b.id)
    with a.edit():
        counter_a.services.append(a.all(Service)[0])
    wait_remote(b)
    assert [s.name for s in counter_b.services] == ["Sertifikat"]


def test_own_edits_are_not_echoed_back(pair):
    a, b = pair
    a.listen_remote()
    assert a._remote.connected.wait(DEADLINE_S)
    heard: list[Changes] = []
    b.subscribe(heard.append)
    with b.edit():
        b.all(Room)[0].name = "Loket"
    assert len(heard) == 1 and heard[0].origin is None  # the local notice, once
    assert wait_remote(a).about(Topic.ROOMS)  # the other one heard it ...
    end = time.monotonic() + DEADLINE_S
    while b._remote.queue.qsize() == 0 and time.monotonic() < end:  # ... and so did B's own listener
        time.sleep(0.005)
    assert b._remote.queue.qsize() == 1
    assert b.poll_remote() is None and len(heard) == 1  # skipped: it was B's own


def test_a_notice_is_sent_only_when_the_edit_commits(pair):
    a, b = pair
    room_id = a.all(Room, Room.id)[0].id
    with pytest.raises(RuntimeError):
        with a.edit():
            a.get(Room, room_id).name = "Never"
            raise RuntimeError("refused")
    with a.edit():
        a.all(Counter)[0].label = "L-09"
    changes = wait_remote(b)
    assert changes.tables == {"counter"}  # the rolled-back rename was never told
    assert b.get(Room, room_id).name == "Lobi"


def test_a_huge_change_arrives_as_a_reset(pair):
    a, b = pair
    floor_id = a.all(Floor)[0].id
    floor_b = b.get(Floor, floor_id)
    assert len(floor_b.rooms) == 3
    with a.edit() as s:
        for i in range(2000):  # 2,000 ids: about 10,000 bytes of JSON
            s.add(Room(floor_id=floor_id, name=f"Bilik {i}", kind="back_office", outline=rect(i * 200, 9000, 200, 200)))
    changes = wait_remote(b)
    assert changes.reset and changes.about(Topic.BUDGET)  # everything is read again
    assert len(floor_b.rooms) == 2003


def test_the_listener_reconnects_after_the_server_drops_it(pair, pg_server):
    import psycopg

    a, b = pair
    pid = b._remote.backend_pid
    with psycopg.connect(host=pg_server.socket_dir, port=pg_server.port, user=pg_server.user, dbname="postgres",
                         autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)
    end = time.monotonic() + DEADLINE_S
    while not (b._remote.reconnects and b._remote.connected.is_set()) and time.monotonic() < end:
        time.sleep(0.01)
    assert b._remote.reconnects == 1 and b._remote.backend_pid not in (None, pid)
    assert wait_remote(b).reset  # what was committed while it was away is read again
    with a.edit():
        a.all(Room)[0].name = "Setelah"
    assert wait_remote(b).about(Topic.ROOMS)


def test_closing_stops_the_listener(plan_url):
    before = len(live_threads())
    project = Project.open(plan_url)
    project.listen_remote()
    project.listen_remote()  # once is enough: still one thread
    assert len(live_threads()) == before + 1
    project.close()
    assert len(live_threads()) == before


def test_a_file_project_does_not_listen(empty_project):
    assert empty_project.listen_remote() is False
    assert empty_project.poll_remote() is None and live_threads() == []
    with empty_project.edit():
        empty_project.site.name = "MPP Baru"  # no NOTIFY on a file
    assert empty_project.site.name == "MPP Baru"


# --- the notice's text -------------------------------------------------------------------------------------

def test_a_notice_round_trips_with_composite_keys_and_declared_meanings():
    changes = Changes()
    changes.added["room"] |= {4, 5}
    changes.removed["counter_service"].add((3, 7))
    changes.updated["account_code"].add("5.2.02")
    changes.declared.add(Meaning(Topic.ROOMS, "moved"))
    notice = notify.decode(notify.encode(changes, "abc", "ani"))
    assert (notice.origin_id, notice.user, notice.reset) == ("abc", "ani", False)
    assert notice.added == {"room": {4, 5}} and notice.removed == {"counter_service": {(3, 7)}}
    assert notice.updated == {"account_code": {"5.2.02"}} and notice.declared == [("rooms", "moved")]


def test_a_notice_over_the_limit_is_a_reset_and_garbage_is_a_reset():
    changes = Changes()
    changes.updated["inventory_item"] |= set(range(5000))
    text = notify.encode(changes, "abc", "ani")
    assert len(text.encode()) < notify.PAYLOAD_LIMIT
    notice = notify.decode(text)
    assert notice.reset and notice.origin_id == "abc" and notice.updated == {}
    assert notify.decode("{not json").reset and notify.decode('{"v": 99}').reset


def test_a_listener_that_cannot_connect_keeps_trying_and_still_stops(monkeypatch):
    monkeypatch.setattr(notify, "BACKOFF_S", (0.01, 0.02, 0.05))
    attempts: list[int] = []

    def refused():
        attempts.append(1)
        raise OSError("connection refused")

    listener = notify.Listener(refused)
    waits: list[float] = []
    real_wait = listener._stop.wait
    listener._stop.wait = lambda timeout=None: waits.append(timeout) or real_wait(timeout)  # type: ignore[method-assign]
    listener.start()
    end = time.monotonic() + DEADLINE_S
    while len(attempts) < 5 and time.monotonic() < end:
        time.sleep(0.01)
    listener.stop()
    assert len(attempts) >= 5 and not listener.thread.is_alive()
    assert waits[:5] == [0.01, 0.02, 0.05, 0.05, 0.05]  # waits grow, then stay at the longest
    assert listener.drain() == [] and not listener.connected.is_set()
