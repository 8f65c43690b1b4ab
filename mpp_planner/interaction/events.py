"""What a tool receives: mouse and key events in plan millimetres, with no toolkit types.

The Qt side converts its events into these (``mpp_planner.qt.plan.tools``); tests build
them by hand. Positions are where the pointer is on the plan, unsnapped.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Flag, StrEnum, auto

Point = tuple[float, float]


class Mod(Flag):
    """Keyboard modifiers held during an event."""

    NONE = 0
    SHIFT = auto()
    CTRL = auto()
    ALT = auto()
    META = auto()


class Button(Flag):
    """Mouse buttons: the one pressed or released, or the set held during a move."""

    NONE = 0
    LEFT = auto()
    MIDDLE = auto()
    RIGHT = auto()


class Keys(StrEnum):
    """The keys tools react to (other keys are not delivered)."""

    ESCAPE = "Escape"
    ENTER = "Enter"  # Return and the keypad's Enter
    BACKSPACE = "Backspace"
    LEFT = "Left"
    RIGHT = "Right"
    UP = "Up"
    DOWN = "Down"


@dataclass(frozen=True)
class Press:
    """A button went down at (x, y) mm; ``click_count`` 2 is the second press of a double-click."""

    x: float
    y: float
    button: Button = Button.LEFT
    modifiers: Mod = Mod.NONE
    click_count: int = 1


@dataclass(frozen=True)
class Move:
    x: float
    y: float
    buttons: Button = Button.NONE
    modifiers: Mod = Mod.NONE


@dataclass(frozen=True)
class Release:
    x: float
    y: float
    button: Button = Button.LEFT
    modifiers: Mod = Mod.NONE


@dataclass(frozen=True)
class Key:
    name: Keys | str
    modifiers: Mod = Mod.NONE


Event = Press | Move | Release | Key
