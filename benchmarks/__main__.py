"""``python -m benchmarks``: run every ``*_bench.py`` module of this package in turn."""

import importlib
import pkgutil
import sys

import benchmarks


def main() -> int:
    for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
        if info.name.endswith("_bench"):
            module = importlib.import_module(f"benchmarks.{info.name}")
            print(f"== {info.name}")
            module.main([])
    return 0


if __name__ == "__main__":
    sys.exit(main())
