"""Find the files under ``resources/`` from a source checkout or an installed wheel."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def resources_dir() -> Path:
    """The resources folder: installed as ``mpp_planner.resources``, or the checkout's."""
    try:
        import importlib.resources as ir

        path = Path(str(ir.files("mpp_planner.resources")))
        if (path / "catalog.csv").exists():
            return path
    except (ModuleNotFoundError, TypeError):
        pass
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if (checkout / "catalog.csv").exists():
        return checkout
    raise FileNotFoundError("MPP Planner resources not found (catalog.csv)")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def locale_dir() -> Path:
    return resources_dir() / "locale"
