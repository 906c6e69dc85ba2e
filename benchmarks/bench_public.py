"""Speed of the public pages (city snapshot, comparison, list of cities, map) under 20 concurrent
clients, beside a static file from the same server in the same run.

The same set-up as ``bench_pages`` (whose helpers it uses): the demo loaded into a PostgreSQL
database of its own (``civicmeter_bench_public``, created and dropped here; the demo publishes its
2018 wave), ``civicmeter serve`` (gunicorn, the way docs/operations.md deploys) on 127.0.0.1, the
task worker's queued rescoring waited for, then ``hey`` with 20 connections per page after a warm-up.
Pages are read signed out, as the public reads them. Goal for each page (issue 11): p95 under 50 ms
and within 5x the static file's p95; a page over either, or any answer but 200, is marked FAIL.

``CIVICMETER_BENCH_PUBLIC_DB`` and ``CIVICMETER_BENCH_PUBLIC_PORT`` choose the database name and
port; PostgreSQL and ``hey`` as in ``bench_pages`` (skipped, saying so, when either is missing).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks import bench_pages as base

DB_NAME = os.environ.get("CIVICMETER_BENCH_PUBLIC_DB", "civicmeter_bench_public")
PORT = int(os.environ.get("CIVICMETER_BENCH_PUBLIC_PORT", "8114"))
GOAL_MS, GOAL_RATIO = 50.0, 5.0
PAGES = {
    "static file": "/static/civicmeter/civicmeter.css",
    "snapshot": "/cities/baltimore-us/",
    "snapshot, continent": "/cities/lisbon-pt/?peers=continent",
    "compare": "/compare/?cities=lisbon-pt,athens-gr,bilbao-es",
    "cities": "/cities/",
    "map": "/map/",
}


def _configure() -> None:
    """Point ``bench_pages``' helpers at this benchmark's own database and port."""
    base.DB_NAME, base.PORT = DB_NAME, PORT


def report(results: dict[str, base.Sample]) -> bool:
    static_p95 = results["static file"].percentile(95)
    print(
        f"{base.CLIENTS} concurrent connections (hey), {base.WORKERS} server processes, PostgreSQL, "
        f"{base.SECONDS:.0f} s a page after {base.WARM_UP_SECONDS:.0f} s of warm-up, signed out"
    )
    print(f"{'page':22}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'p95/static':>12}  verdict")
    all_met = True
    for name, sample in results.items():
        if not sample.latencies:
            print(f"{name:22} no successful request; answers: {sorted(set(sample.errors))}  FAIL")
            all_met = False
            continue
        p50, p95 = sample.percentile(50), sample.percentile(95)
        ratio = p95 / static_p95
        if name == "static file":
            verdict = "baseline"
        else:
            met = p95 < GOAL_MS and ratio <= GOAL_RATIO and not sample.errors
            all_met &= met
            verdict = "ok" if met else f"FAIL (goal p95 < {GOAL_MS:.0f} ms and <= {GOAL_RATIO:.0f}x static)"
        if sample.errors:
            verdict += f" ({len(sample.errors)} errors: {sorted(set(sample.errors))[:3]})"
        rate = len(sample.latencies) / sample.seconds
        print(f"{name:22}{p50:9.1f}{p95:9.1f}{rate:9.0f}{ratio:11.1f}x  {verdict}")
    return all_met


def run(home: Path) -> bool:
    env = base._environment(home)
    print(f"loading the demo into PostgreSQL database {DB_NAME} ...", flush=True)
    loaded = subprocess.run(  # noqa: S603
        [str(base.BIN / "civicmeter"), "demo", "--no-serve"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if loaded.returncode != 0:
        raise RuntimeError(f"civicmeter demo failed:\n{loaded.stderr[-3000:]}")
    command = base._serve_command(env)
    log_path = home / "server.log"
    log = log_path.open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True)  # noqa: S603
    try:
        return _measure(server, log_path)
    except (OSError, RuntimeError):
        print(f"the server's log ends with:\n{base._tail(log_path, 60)}")
        raise
    finally:
        base.stop(server)
        log.close()


def _measure(server: subprocess.Popen, log_path: Path) -> bool:
    """Each page loaded after a first request (which builds its data); the table of results."""
    base._wait_until_up(server, log_path)
    waited = base._wait_for_background_work()
    print(f"  the task worker finished the demo's queued rescoring ({waited:.0f} s)", flush=True)
    results = {}
    for name, path in PAGES.items():
        status, _body, _headers = base._request("GET", path, {})
        if status == 404 and name == "map":
            print(f"  {name}: GET {path} answers 404 (not built yet), left out")
            continue
        print(f"  {name}: GET {path}", flush=True)
        results[name] = base.load(path, {})
        if results[name].errors:
            _show_errors(log_path)
    return report(results)


def _show_errors(log_path: Path) -> None:
    """The server's last error lines, so a failed answer can be traced without rerunning."""
    lines = [line for line in log_path.read_text(errors="replace").splitlines() if "Error" in line]
    print("    server errors:\n    " + "\n    ".join(lines[-8:]))


def main() -> int:
    _configure()
    if shutil.which("civicmeter", path=str(base.BIN)) is None:
        print("SKIP bench_public: the civicmeter command is not installed in this environment.")
        return 0
    if shutil.which("hey") is None:
        print("SKIP bench_public: the load generator `hey` is not installed (apt-get install hey).")
        return 0
    if not base._recreate_database():
        return 0
    try:
        with tempfile.TemporaryDirectory(prefix="civicmeter-bench-public-") as directory:
            met = run(Path(directory))
    finally:
        base._drop_database()
    print("all public pages within their goals" if met else "FAIL: a public page is over its goal")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
