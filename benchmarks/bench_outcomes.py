"""Microdata reduction: ``summarise_microdata`` beside DuckDB and pandas on one respondent file.

A seeded synthetic survey (``CIVICMETER_BENCH_ROWS`` respondents, default 10 million; 1,000 cities,
one wave, survey weights, a 1-5 item with 9 = don't know, blanks and a few out-of-range zeros) is
written to a temporary CSV. Each contender runs in its own fresh process, started by a small launcher
that reads the child's peak RSS (``resource.getrusage(RUSAGE_CHILDREN)``), so the memory column is
each contender's own; ours and DuckDB's run alternately three times (medians), and wall and CPU
time (all threads) are both shown, since a shared machine moves wall time most:

* ours: ``summarise_microdata(..., statistic="top2", weight_column=...)`` - estimates, linearised
  standard errors, Wilson intervals and the per-city cleaning report;
* DuckDB: the bare read-and-aggregate (weighted top-2 share per city over valid answers);
* pandas: the same bare aggregate with ``read_csv(usecols=...)`` and ``groupby``.

Targets: the whole reduction at or below DuckDB's bare aggregate time (ours sums the cells with
DuckDB too, then applies every cleaning rule and the intervals to the small cell table); peak memory
bounded by the number of cells, not rows (at most twice the input file).

Then the whole command a user types, ``civicmeter outcomes microdata FILE ... --out est.csv``, on a
``CIVICMETER_BENCH_COMMAND_ROWS``-respondent file (default 5 million), against a Python script that
imports DuckDB and runs the bare aggregate: both timed from outside as fresh processes, so the
command's start-up (interpreter, Typer, NumPy; the command imports no pandas), reading, cleaning,
estimates, report and CSV all count. The command's output is captured, not a terminal, so it draws no
progress bar. Goal: at most 1.5x the script (medians of alternating runs, so a loaded machine slows
both). The load average is printed before and after.
``main()`` returns 1 when a goal is missed, so ``make bench`` fails.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROWS = int(os.environ.get("CIVICMETER_BENCH_ROWS", "10000000"))
COMMAND_ROWS = int(os.environ.get("CIVICMETER_BENCH_COMMAND_ROWS", "5000000"))
COMMAND_GOAL = 1.5
COMMAND_RUNS = 3
#: Alternating runs of ours and DuckDB's bare aggregate (pandas, slow and only for reference, runs
#: once): one run each swung the ratio from 0.99x to 1.41x on a loaded machine.
REDUCTION_RUNS = 3
CITIES = 1000
CHUNK = 1_000_000
SEED = 20240601

#: name -> (imports, untimed; the timed work, which sets OUT to the number of groups). Each
#: contender's engine is imported untimed: ours imports DuckDB on first use (so small files and
#: frames never load it), and timing that import would charge ours for what the bare DuckDB
#: contender imports untimed. The command below counts every import of both.
CONTENDERS = {
    "civicmeter": (
        "import duckdb\nfrom civicmeter.outcomes import summarise_microdata",
        """
result = summarise_microdata(PATH, city_column="city", period_column="wave", item="q1",
                             scale=(1, 5),
                             missing_codes=(9,), weight_column="weight", statistic="top2",
                             indicator="bench")
OUT = len(result.table)
""",
    ),
    "duckdb": (
        "import duckdb",
        """
OUT = len(duckdb.sql(f\"\"\"
    SELECT city, wave, sum(weight * (q1 >= 4)::INT) / sum(weight) AS share, count(*) AS n
    FROM read_csv('{PATH}') WHERE q1 BETWEEN 1 AND 5 GROUP BY city, wave\"\"\").fetchall())
""",
    ),
    "pandas": (
        "import pandas as pd",
        """
frame = pd.read_csv(PATH, usecols=["city", "wave", "weight", "q1"])
frame = frame[frame["q1"].between(1, 5)]
frame["hit"] = frame["weight"] * (frame["q1"] >= 4)
sums = frame.groupby(["city", "wave"])[["hit", "weight"]].sum()
OUT = len(sums["hit"] / sums["weight"])
""",
    ),
}

RUNNER = """
import json, sys, time
PATH = sys.argv[1]
exec(compile(sys.argv[2], "setup", "exec"))
started, cpu = time.perf_counter(), time.process_time()
exec(compile(sys.argv[3], "contender", "exec"))
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({"seconds": seconds, "cpu": cpu, "groups": OUT}))
"""

#: A small launcher process runs each contender as its own child and reads the child's peak RSS
#: with ``resource.getrusage(RUSAGE_CHILDREN)``. Linux carries ``ru_maxrss`` over a fork and exec
#: (a child starts from its parent's high-water mark), so measuring inside a process forked from
#: this one, which holds the generated file's pandas frames, reported the parent's peak for every
#: contender. The launcher itself stays at a few MiB, so the child's figure is its own.
LAUNCHER = """
import json, resource, subprocess, sys
done = subprocess.run([sys.executable, "-c", *sys.argv[1:]], capture_output=True, text=True)
if done.returncode:
    sys.stderr.write(done.stderr)
    sys.exit(done.returncode)
result = json.loads(done.stdout.strip().splitlines()[-1])
result["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps(result))
"""

#: The same child with only the imports: the contender's memory above the interpreter and imports.
IMPORTS_ONLY = "OUT = 0"


def write_respondents(path: Path, rows: int) -> None:
    """A seeded respondent file written in chunks (so generating it does not need the memory)."""
    rng = np.random.default_rng(SEED)
    names = np.array([f"City {i:04d}" for i in range(CITIES)], dtype=object)
    for start in range(0, rows, CHUNK):
        size = min(CHUNK, rows - start)
        answers = rng.choice(
            np.array(["1", "2", "3", "4", "5", "9", "", "0"], dtype=object),
            size,
            p=[0.08, 0.12, 0.25, 0.3, 0.19, 0.05, 0.009, 0.001],
        )
        chunk = pd.DataFrame(
            {
                "respondent_id": np.arange(start, start + size),
                "city": names[rng.integers(0, CITIES, size)],
                "wave": "2024",
                "weight": rng.gamma(4.0, 0.25, size).round(4),
                "q1": answers,
            }
        )
        chunk.to_csv(path, mode="a", header=start == 0, index=False)


def _launch(path: Path, setup: str, work: str) -> dict:
    completed = subprocess.run(
        [sys.executable, "-c", LAUNCHER, RUNNER, str(path), setup, work],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def run(name: str, path: Path) -> dict:
    """One contender in its own process: time, CPU time, peak RSS, and the peak of its imports."""
    setup, work = CONTENDERS[name]
    result = _launch(path, setup, work)
    result["imports_mb"] = _launch(path, setup, IMPORTS_ONLY)["peak_mb"]
    return result


def run_alternating(path: Path) -> dict:
    """Ours and DuckDB's alternately :data:`REDUCTION_RUNS` times (medians of time and CPU, the
    highest peak), pandas once."""
    runs: dict[str, list[dict]] = {"civicmeter": [], "duckdb": []}
    for _ in range(REDUCTION_RUNS):
        for name, done in runs.items():
            done.append(run(name, path) if not done else _launch(path, *CONTENDERS[name]))
    results = {}
    for name, done in runs.items():
        results[name] = {
            **done[0],
            "seconds": statistics.median(r["seconds"] for r in done),
            "cpu": statistics.median(r["cpu"] for r in done),
            "peak_mb": max(r["peak_mb"] for r in done),
        }
    results["pandas"] = run("pandas", path)
    return results


def generate(path: Path, rows: int) -> float:
    """Write the file in a child (so this process stays small and passes no peak on); its MiB."""
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"from benchmarks.bench_outcomes import write_respondents as w; "
            f"from pathlib import Path; w(Path({str(path)!r}), {rows})",
        ],
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    size_mb = path.stat().st_size / 2**20
    print(
        f"input: {rows:,} respondents, {CITIES} cities, {size_mb:.0f} MiB CSV "
        f"(generated in {time.perf_counter() - started:.1f} s)"
    )
    return size_mb


#: The bare aggregate as a user would script it: start Python, import DuckDB, query, print.
SCRIPT = """
import sys
import duckdb
rows = duckdb.sql(f\"\"\"
    SELECT city, wave, sum(weight * (q1 >= 4)::INT) / sum(weight) AS share, count(*) AS n
    FROM read_csv('{sys.argv[1]}') WHERE q1 BETWEEN 1 AND 5 GROUP BY city, wave\"\"\").fetchall()
print(len(rows))
"""

COMMAND_FLAGS = (
    "--item q1 --scale 1-5 --city-column city --period-column wave --weight-column weight "
    "--statistic top2 --missing-codes 9 --indicator bench"
).split()


#: The contenders' environment: bytecode written and reused, as for an installed package (a
#: session with PYTHONDONTWRITEBYTECODE would recompile every civicmeter module on each start and
#: charge the command for it, not the script, whose DuckDB is installed compiled).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _wall(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, all threads) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, env=ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def command_against_script(directory: Path) -> bool:
    """The whole ``outcomes microdata`` command against the bare DuckDB script; True if on goal."""
    civicmeter = shutil.which("civicmeter", path=str(Path(sys.executable).parent))
    if civicmeter is None:
        print("SKIP command: the civicmeter command is not installed in this environment.")
        return True
    path = directory / "command.csv"
    generate(path, COMMAND_ROWS)
    out = ["--out", str(directory / "estimates.csv")]
    command = [civicmeter, "outcomes", "microdata", str(path), *COMMAND_FLAGS, *out]
    script = [sys.executable, "-c", SCRIPT, str(path)]
    _wall(script)  # one warm-up each: the file into the page cache, both programs' files too
    _wall(command)
    times: dict[str, list[tuple[float, float]]] = {"command": [], "script": []}
    for _ in range(COMMAND_RUNS):
        times["script"].append(_wall(script))
        times["command"].append(_wall(command))
    (ours, ours_cpu), (bare, bare_cpu) = (
        (statistics.median(w for w, _ in times[k]), statistics.median(c for _, c in times[k]))
        for k in ("command", "script")
    )
    print(f"{'':28}{'command':>12}{'script':>12}   (medians of {COMMAND_RUNS} alternating fresh processes)")
    print(f"{'wall time, start-up incl. (s)':28}{ours:12.2f}{bare:12.2f}")
    print(f"{'CPU time, all threads (s)':28}{ours_cpu:12.2f}{bare_cpu:12.2f}")
    ratio = ours / bare
    print(f"command vs DuckDB script: {ratio:.2f}x (goal <= {COMMAND_GOAL}x; CPU {ours_cpu / bare_cpu:.2f}x)")
    return ratio <= COMMAND_GOAL


def report_reduction(results: dict, size_mb: float) -> bool:
    """Print the three contenders side by side; True if the reduction is at or below DuckDB's."""
    ours, duck, plain = results["civicmeter"], results["duckdb"], results["pandas"]
    assert ours["groups"] == duck["groups"] == plain["groups"] == CITIES
    print(f"{'':28}{'civicmeter':>12}{'duckdb':>12}{'pandas':>12}")
    print(f"{'time (s)':28}{ours['seconds']:12.2f}{duck['seconds']:12.2f}{plain['seconds']:12.2f}")
    print(f"{'CPU time, all threads (s)':28}{ours['cpu']:12.2f}{duck['cpu']:12.2f}{plain['cpu']:12.2f}")
    print(
        f"{'peak memory (MiB, max RSS)':28}"
        f"{ours['peak_mb']:12.0f}{duck['peak_mb']:12.0f}{plain['peak_mb']:12.0f}"
    )
    print(
        f"time vs duckdb: {ours['seconds'] / duck['seconds']:.2f}x (target <= 1x; CPU "
        f"{ours['cpu'] / duck['cpu']:.2f}x); "
        f"vs pandas bare aggregate: {ours['seconds'] / plain['seconds']:.2f}x"
    )
    work = {name: r["peak_mb"] - r["imports_mb"] for name, r in results.items()}
    print(f"{'  above the imports':28}{work['civicmeter']:12.0f}{work['duckdb']:12.0f}{work['pandas']:12.0f}")
    print(
        f"peak memory vs input file: {ours['peak_mb'] / size_mb:.2f}x including the interpreter "
        f"and imports, {work['civicmeter'] / size_mb:.2f}x above them (target <= 2x)"
    )
    return ours["seconds"] <= duck["seconds"]


def _load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    print(_load() + " (a shared machine slows both sides; compare the ratios)")
    with tempfile.TemporaryDirectory(prefix="civicmeter-bench-") as directory:
        path = Path(directory) / "respondents.csv"
        size_mb = generate(path, ROWS)
        results = run_alternating(path)
        path.unlink()
        reduction_ok = report_reduction(results, size_mb)
        print()
        command_ok = command_against_script(Path(directory))
    print(_load())
    missed = [
        goal
        for goal, met in (
            ("reduction <= DuckDB's bare aggregate", reduction_ok),
            (f"command <= {COMMAND_GOAL}x the DuckDB script", command_ok),
        )
        if not met
    ]
    for goal in missed:
        print(f"FAIL: {goal}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
