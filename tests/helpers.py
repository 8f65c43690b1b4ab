"""Helpers for tests (importable as tests.helpers)."""

from __future__ import annotations

from mpp_planner.model import Floor, Room


def rect(x, y, w, h):
    return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]


def add_floor_with_room(project, name="Lantai 1", kind="counter_hall", outline=None):
    with project.edit() as s:
        floor = Floor(name=name, order=1)
        room = Room(name="Aula", kind=kind, outline=outline or rect(0, 0, 10000, 8000))
        floor.rooms.append(room)
        s.add(floor)
    return floor, room
