"""Team mode in the window: two main windows on one server database (two users); a room renamed in one
shows in the other's plan and inventory, with a note in its status bar, without anyone reopening."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from mpp_planner.commands import SetFields
from mpp_planner.model import Room
from mpp_planner.store.copy import copy_project
from tests.qt.plan_helpers import open_window
from tests.server.conftest import pg_server, server_url  # noqa: F401 - the test server's fixtures
from tests.server.test_live import build_small

WAIT_MS = 10_000  # a generous bound for a busy test machine: the timer polls every 250 ms


def room_names(tree) -> set[str]:
    return {item.text(0) for item in tree.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive)}


def live_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "mpp-live" and t.is_alive()]


def test_a_room_renamed_by_one_user_shows_in_the_other_window(qtbot, server_url, tmp_path):  # noqa: F811
    copy_project(build_small(tmp_path / "small.mpplan"), server_url)
    before = len(live_threads())
    first, second = open_window(qtbot, server_url), open_window(qtbot, server_url)
    assert len(live_threads()) == before + 2  # each window's project listens
    try:
        room_id = min(r.id for r in second.project.all(Room))
        scene = second.tab_widgets["plan"].view.scene()
        assert scene.items_by_key[("room", room_id)].name == "Lobi"
        inventory = second.tab_widgets["inventory"]
        assert "Lobi" in room_names(inventory.rooms)

        assert first.undo_stack.run(SetFields("Rename room", Room, {room_id: {"name": "Ruang Tunggu"}}), origin="plan")
        qtbot.waitUntil(lambda: scene.items_by_key[("room", room_id)].name == "Ruang Tunggu", timeout=WAIT_MS)
        assert second.statusBar().currentMessage() == f"{first.project.file.user} changed the project"
        second.show_tab("inventory")  # a tab behind another catches up when shown
        qtbot.waitUntil(lambda: "Ruang Tunggu" in room_names(inventory.rooms), timeout=WAIT_MS)
        assert "Lobi" not in room_names(inventory.rooms)
        assert second.project.get(Room, room_id).name == "Ruang Tunggu"

        first.undo_stack.undo()  # an undo is an edit like any other: the other window follows it too
        qtbot.waitUntil(lambda: "Lobi" in room_names(inventory.rooms), timeout=WAIT_MS)
        assert first.project.get(Room, room_id).name == "Lobi"
        assert "changed the project" not in first.statusBar().currentMessage()  # its own edits are not news
    finally:
        first.close()
        second.close()
    assert len(live_threads()) == before  # closing the windows stopped the listeners


def test_a_window_on_a_file_does_not_listen(qtbot, tmp_path):
    before = len(live_threads())
    window = open_window(qtbot, build_small(tmp_path / "small.mpplan"))
    try:
        assert not window._remote_timer.isActive() and len(live_threads()) == before
    finally:
        window.close()
