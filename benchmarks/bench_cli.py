"""CLI start-up: ``civicmeter --help`` against ``python -c pass``, each in its own fresh process.

Why: ``--help`` used to import every domain package (pandas, statsmodels, pyxform, the engine) and took
1.6 s; commands now import what they need when they run. The goal is absolute (under 0.3 s, the
median of several runs), and the ratio to a bare interpreter start is printed beside it so a loaded
machine can be told from a slow CLI: on a busy machine both figures grow, the ratio much less.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
GOAL_SECONDS = 0.3
RUNS = 9


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


#: Bytecode written and reused, as for an installed package: with PYTHONDONTWRITEBYTECODE set (as
#: in some sessions) every civicmeter module would be compiled again on each start.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _median_seconds(command: list[str]) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of ``RUNS`` fresh processes running
    ``command``, after one warm-up run (which also writes the bytecode). CPU time is printed too
    because it barely moves when other work shares the machine, while wall time grows with the load."""
    subprocess.run(command, check=True, capture_output=True, env=ENV)
    walls, cpus = [], []
    for _ in range(RUNS):
        cpu, start = _children_cpu(), time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=ENV)
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    civicmeter = shutil.which("civicmeter", path=str(BIN))
    if civicmeter is None:
        print("SKIP bench_cli: the civicmeter command is not installed in this environment.")
        return 0
    baseline, baseline_cpu = _median_seconds([sys.executable, "-c", "pass"])
    help_time, help_cpu = _median_seconds([civicmeter, "--help"])
    print(f"{'':18} {'wall':>8} {'cpu':>8}   (medians of {RUNS} fresh processes)")
    print(f"python -c pass     {baseline * 1000:6.0f} ms {baseline_cpu * 1000:5.0f} ms")
    print(f"civicmeter --help  {help_time * 1000:6.0f} ms {help_cpu * 1000:5.0f} ms")
    print(
        f"ratio              {help_time / baseline:6.1f} x  {help_cpu / max(baseline_cpu, 1e-3):5.1f} x"
        f"   goal: wall under {GOAL_SECONDS * 1000:.0f} ms"
    )
    if help_time > GOAL_SECONDS:
        print("FAIL: civicmeter --help is over its goal")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
