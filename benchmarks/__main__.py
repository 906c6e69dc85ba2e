"""Run every ``benchmarks/bench_*.py`` module's ``main()`` in turn (``python -m benchmarks [NAME...]``).

A ``main()`` that returns a non-zero number (a benchmark that missed its goal) makes the whole run
exit non-zero, after every benchmark has run.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    names = sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if info.name.startswith("bench_")
    )
    wanted = [n for n in names if not argv or any(a in n for a in argv)]
    failed = []
    for name in wanted:
        print(f"\n== {name} ==", flush=True)
        if importlib.import_module(f"benchmarks.{name}").main():
            failed.append(name)
    if failed:
        print(f"\nFAIL: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
