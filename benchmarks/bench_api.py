"""Speed of the API's results list for a published wave of 10,000 cities, beside a static file.

Builds a PostgreSQL database of its own (``civicmeter_bench_api``, created and dropped here) with one
published survey wave of 10,000 synthetic cities, each with a validated response and a score in the
wave's score run (written in bulk by a child process, then scored and published through the same
services as the web), starts the production server (``civicmeter serve``: gunicorn, as
docs/operations.md deploys it) on 127.0.0.1 in its own process group, and loads, with ``hey`` (a
compiled load generator in a process of its own) from 20 concurrent connections after a warm-up:

* ``/static/civicmeter/civicmeter.css``, the baseline from the same server;
* ``/api/v1/results/?wave=2018&continent=Europe``, page 1 of the European cities' results, signed out;
* the same with ``&page=20``, a later page (the whole filtered list is ordered and counted each time).

Each line gives p50, p95, requests per second and p95 over the static file's. Goal: the results
list answers with p95 under 250 ms and without an error (not even a 429: the anonymous limit is
raised for the run with ``API_ANON_RATE``); otherwise the benchmark prints FAIL and exits non-zero.

``CIVICMETER_BENCH_PG`` (default ``postgres://postgres@127.0.0.1:5432``), ``CIVICMETER_BENCH_API_DB``
and ``CIVICMETER_BENCH_API_PORT`` choose the server, database and port; ``CIVICMETER_BENCH_QUICK=1``
shortens each run. Skipped, saying so, without PostgreSQL or ``hey``.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.bench_pages import stop

HOST = "127.0.0.1"
PORT = int(os.environ.get("CIVICMETER_BENCH_API_PORT", "8114"))
DB_NAME = os.environ.get("CIVICMETER_BENCH_API_DB", "civicmeter_bench_api")
SERVER_URL = os.environ.get("CIVICMETER_BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
CITIES = 10_000
CLIENTS = 20
WORKERS = 5
QUICK = os.environ.get("CIVICMETER_BENCH_QUICK") == "1"
SECONDS = 3.0 if QUICK else 8.0
WARM_UP_SECONDS = 3.0  # one warm-up run; runs repeat until every process has built the public view
GOAL_P95_MS = 250.0
RESULTS = "/api/v1/results/?wave=2018&continent=Europe"
TARGETS = {
    "static file": ("/static/civicmeter/civicmeter.css", None),
    "results p1": (RESULTS, GOAL_P95_MS),
    "results p20": (f"{RESULTS}&page=20", GOAL_P95_MS),
}
#: Countries the synthetic cities are spread over (about half in Europe).
COUNTRIES = ("ES", "FR", "DE", "IT", "PT", "GB", "PL", "NL", "US", "CA", "MX", "BR", "CO", "JP", "KR", "AU",
             "NZ", "ZA", "KE", "IN")  # fmt: skip
BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def _psql(dbname: str):
    import psycopg

    return psycopg.connect(f"{SERVER_URL}/{dbname}", autocommit=True, connect_timeout=3)


def _environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CIVICMETER_TESTING"}}
    env.update(
        CIVICMETER_HOME=str(home),
        DATABASE_URL=f"{SERVER_URL}/{DB_NAME}",
        CONN_MAX_AGE="60",
        ALLOWED_HOSTS=HOST,
        CIVICMETER_LOCAL_HTTP="1",
        CIVICMETER_DEMO="1",  # a generated SECRET_KEY in the bench's home
        API_ANON_RATE="1000000/minute",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DJANGO_SETTINGS_MODULE="civicmeter.web.settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    return env


def build() -> None:
    """(Child process, Django set up.) The published wave of ``CITIES`` cities, scored."""
    import random

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from civicmeter.testing import PSI_FULL_ANSWERS, PSI_MIXED_ANSWERS, SURVEY_FILE, complete_answers
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.collection.models import Answer, Response
    from civicmeter.web.programmes import services
    from civicmeter.web.programmes.instrument_cache import instrument_for
    from civicmeter.web.programmes.models import City, Programme, Wave
    from civicmeter.web.results.services import scores_compute

    rng = random.Random(20_000)
    programme = Programme.objects.create(name="Benchmark programme", slug="bench")
    instrument = services.instrument_register(
        actor=SYSTEM, filename=SURVEY_FILE.name, content=SURVEY_FILE.read_bytes()
    )
    wave = Wave.objects.create(programme=programme, code="2018", instrument=instrument, status="closed")
    parsed = instrument_for(instrument)
    variants = [
        complete_answers(parsed, {**base, "s1_strategy": strategy})
        for base in (PSI_FULL_ANSWERS, PSI_MIXED_ANSWERS)
        for strategy in ("yes", "no")
    ]
    cities = City.objects.bulk_create(
        City(
            slug=f"city-{i:05d}-{country.lower()}",
            name=f"City {i:05d}",
            country=country,
            population=rng.randint(50_000, 3_000_000),
            synthetic=True,
        )
        for i, country in ((i, COUNTRIES[i % len(COUNTRIES)]) for i in range(CITIES))
    )
    responses = Response.objects.bulk_create(
        Response(wave=wave, city=city, status=Response.Status.VALIDATED, synthetic=True) for city in cities
    )
    Answer.objects.bulk_create(
        (
            Answer(response=response, question=question, value=value)
            for response in responses
            for question, value in rng.choice(variants).items()
        ),
        batch_size=5000,
    )
    scores_compute(actor=SYSTEM, wave=wave)
    services.wave_publish(actor=SYSTEM, wave=wave)


def _hey(path: str, seconds: float) -> str:
    hey = shutil.which("hey") or "hey"
    command = [hey, "-z", f"{seconds:g}s", "-c", str(CLIENTS), "-t", "60", "-o", "csv",
               f"http://{HOST}:{PORT}{path}"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"hey failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def warm(path: str, limit: float = 600.0) -> float:
    """Seconds until every server process has built the wave's public view: short runs of ``path``
    until one has no answer slower than a second (the first request in each process builds the
    view of 10,000 cities from their answers; that cold start is reported, not measured)."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        rows = list(csv.DictReader(io.StringIO(_hey(path, WARM_UP_SECONDS))))
        if rows and all(r["status-code"] == "200" and float(r["response-time"]) < 1.0 for r in rows):
            return time.monotonic() - began
    raise RuntimeError(f"the server was still building after {limit:.0f} s of warm-up")


def load(path: str) -> Sample:
    sample = Sample()
    for row in csv.DictReader(io.StringIO(_hey(path, SECONDS))):
        if row["status-code"] == "200":
            sample.latencies.append(float(row["response-time"]))
        else:
            sample.errors.append(row["status-code"])
    return sample


def _wait_until_up(server: subprocess.Popen, log: Path, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{PORT}/api/v1/waves/", timeout=60) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the server did not answer within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def run(home: Path) -> bool:
    env = _environment(home)
    print(f"building a published wave of {CITIES:,} cities in PostgreSQL database {DB_NAME} ...", flush=True)
    began = time.monotonic()
    built = subprocess.run(  # noqa: S603
        [sys.executable, str(Path(__file__).resolve()), "--build"], env=env, capture_output=True, text=True
    )
    if built.returncode != 0:
        raise RuntimeError(f"building the data failed:\n{built.stderr[-3000:]}")
    print(f"  built and scored in {time.monotonic() - began:.0f} s", flush=True)
    civicmeter = str(BIN / "civicmeter")
    command = [civicmeter, "serve", "--host", HOST, "--port", str(PORT), "--workers", str(WORKERS)]
    log_path = home / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True)  # noqa: S603
        try:
            _wait_until_up(server, log_path)
            print(f"  warm-up (each process builds the public view once): {warm(RESULTS):.0f} s", flush=True)
            load_before = os.getloadavg()[0]
            results = {}
            for name, (path, _goal) in TARGETS.items():
                print(f"  {name}: GET {path}", flush=True)
                results[name] = load(path)
        finally:
            stop(server)
    return report(results, load_before)


def report(results: dict[str, Sample], load_before: float) -> bool:
    print(
        f"{CLIENTS} concurrent connections (hey), civicmeter serve with {WORKERS} processes, PostgreSQL, "
        f"{CITIES:,} cities; {SECONDS:.0f} s each after the warm-up; load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    print(f"{'request':14}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'p95/static':>12}{'goal p95':>10}  verdict")
    static_p95 = results["static file"].percentile(95) if results["static file"].latencies else float("nan")
    all_met = True
    for name, sample in results.items():
        goal = TARGETS[name][1]
        if not sample.latencies:
            print(f"{name:14} no successful request; answers: {sorted(set(sample.errors))}  FAIL")
            all_met = False
            continue
        p50, p95 = sample.percentile(50), sample.percentile(95)
        met = (goal is None or p95 < goal) and not sample.errors
        all_met &= met
        verdict = "baseline" if goal is None else ("ok" if met else "FAIL")
        if sample.errors:
            verdict += f" ({len(sample.errors)} errors: {sorted(set(sample.errors))[:3]})"
        goal_text = "" if goal is None else f"< {goal:.0f}"
        rate = len(sample.latencies) / SECONDS
        print(f"{name:14}{p50:9.1f}{p95:9.1f}{rate:9.0f}{p95 / static_p95:11.1f}x{goal_text:>10}  {verdict}")
    return all_met


def main() -> int:
    if shutil.which("hey") is None:
        print("SKIP bench_api: the load generator `hey` is not installed (apt-get install hey).")
        return 0
    try:
        with _psql("postgres") as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {DB_NAME}")
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server means skip
        print(f"SKIP bench_api: PostgreSQL is not reachable at {SERVER_URL} ({exc}).")
        return 0
    try:
        with tempfile.TemporaryDirectory(prefix="civicmeter-bench-api-") as directory:
            met = run(Path(directory))
    finally:
        with _psql("postgres") as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    print(f"results list p95 under {GOAL_P95_MS:.0f} ms" if met else "FAIL: the results list missed its goal")
    return 0 if met else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--build"]:
        build()
    else:
        sys.exit(main())
