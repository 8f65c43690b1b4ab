"""User preferences that matter before Qt starts (language), kept in a small JSON file."""

from __future__ import annotations

import json
import os
from pathlib import Path


def config_dir() -> Path:
    base = os.environ.get("MPP_PLANNER_CONFIG_DIR")
    if base:
        return Path(base)
    if os.name == "nt":
        return Path(os.environ.get("APPDATA", Path.home())) / "MPP Planner"
    return Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "mpp-planner"


def _file() -> Path:
    return config_dir() / "settings.json"


def load() -> dict:
    try:
        return json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save(values: dict) -> None:
    data = load()
    data.update(values)
    path = _file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def preferred_language() -> str:
    """MPP_PLANNER_LANG, else the saved choice; Indonesian on first run (the users' language)."""
    forced = os.environ.get("MPP_PLANNER_LANG")
    if forced in ("id", "en"):
        return forced
    saved = load().get("language")
    return saved if saved in ("id", "en") else "id"


def data_dir() -> Path:
    """Where the app keeps its own files (the demo project made on first run)."""
    base = os.environ.get("MPP_PLANNER_DATA_DIR")
    if base:
        return Path(base)
    if os.name == "nt":
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "MPP Planner"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "mpp-planner"


MAX_RECENT = 8


def recent_files() -> list[str]:
    return [p for p in load().get("recent", []) if isinstance(p, str)]


def add_recent(path: str | os.PathLike) -> None:
    """``path`` first in the recent files; a server project's address (``postgresql://…``, without its
    password) is kept as it is."""
    p = str(path) if "://" in str(path) else str(Path(path).resolve())
    recent = [r for r in recent_files() if r != p]
    save({"recent": [p] + recent[: MAX_RECENT - 1], "last_project": p})


def last_project() -> str | None:
    return load().get("last_project")


DEFAULT_BACKUP_KEEP = 5
MAX_BACKUP_KEEP = 100


def backup_keep() -> int:
    """How many automatic backups of a project to keep (0 = no automatic backups)."""
    value = load().get("backup_keep", DEFAULT_BACKUP_KEEP)
    if isinstance(value, bool) or not isinstance(value, int):
        return DEFAULT_BACKUP_KEEP
    return max(0, min(MAX_BACKUP_KEEP, value))


def set_backup_keep(n: int) -> None:
    save({"backup_keep": max(0, min(MAX_BACKUP_KEEP, int(n)))})


# --- the plan editor ------------------------------------------------------------------------

LENGTH_UNITS = ("m", "cm", "mm")
DEFAULT_LENGTH_UNIT = "m"


def length_unit() -> str:
    """The unit of lengths and positions in the plan's Properties panel: "m" (default), "cm" or "mm"."""
    value = load().get("length_unit")
    return value if value in LENGTH_UNITS else DEFAULT_LENGTH_UNIT


def set_length_unit(unit: str) -> None:
    if unit not in LENGTH_UNITS:
        raise ValueError(unit)
    save({"length_unit": unit})


WHEEL_ZOOMS = "zoom"  # the wheel zooms the plan (as Sweet Home 3D does)
WHEEL_SCROLLS = "scroll"  # the wheel scrolls; Ctrl+wheel zooms (the default)
WHEEL_MODES = (WHEEL_SCROLLS, WHEEL_ZOOMS)


def wheel_mode() -> str:
    """What the mouse wheel does over the plan without Ctrl."""
    value = load().get("wheel")
    return value if value in WHEEL_MODES else WHEEL_SCROLLS


def set_wheel_mode(mode: str) -> None:
    if mode not in WHEEL_MODES:
        raise ValueError(mode)
    save({"wheel": mode})
