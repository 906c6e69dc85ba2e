"""Page speed of the production server under 20 concurrent clients, beside a static file.

Loads the demo (152 cities) into a PostgreSQL database of its own (``civicmeter_bench``, created and
dropped here), starts the production server on 127.0.0.1 in its own process group, waits until its
background worker has finished the rescoring the demo queued, signs in as the admin and as a
respondent through the real form, and loads each page with ``hey`` (20 concurrent connections for a
bounded time, after a warm-up that fills every server process's caches). ``hey`` is a compiled HTTP
load generator running in a process of its own, so the client takes little of the CPU the server
needs (a Python client sharing the machine's two cores doubled the figures). Each page's p50, p95
and requests per second are printed beside the static file's, measured in the same run from the
same server. A page over its p95 goal, or any answer other than 200, is marked FAIL and the
benchmark exits non-zero.

PostgreSQL comes from ``CIVICMETER_BENCH_PG`` (default ``postgres://postgres@127.0.0.1:5432``), the
database name from ``CIVICMETER_BENCH_DB`` and the port from ``CIVICMETER_BENCH_PORT`` (so two people
can run it on one machine). The benchmark is skipped, saying so, when PostgreSQL is not reachable or
``hey`` is not installed (Debian package ``hey``; ``scripts/system-packages.sh`` installs it).
``CIVICMETER_BENCH_QUICK=1`` shortens each page's run.
"""

from __future__ import annotations

import csv
import http.client
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

HOST = "127.0.0.1"
PORT = int(os.environ.get("CIVICMETER_BENCH_PORT", "8113"))
DB_NAME = os.environ.get("CIVICMETER_BENCH_DB", "civicmeter_bench")
SERVER_URL = os.environ.get("CIVICMETER_BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
CLIENTS = 20
WORKERS = 5
QUICK = os.environ.get("CIVICMETER_BENCH_QUICK") == "1"
SECONDS = 3.0 if QUICK else 8.0  # per page, after a short warm-up
WARM_UP_SECONDS = 2.0  # per page, not counted: every server process renders and caches it once
PASSWORD = "demo"
ADMIN = "admin"
RESPONDENT = "bilbao-es"  # has a draft in the open 2020 wave of the demo
PROGRAMME, WAVE = "innovation-capacity", "2020"
#: p95 goals in milliseconds (issue 7); None: reported only.
GOALS = {"static file": None, "login": 30.0, "survey section": 60.0, "dashboard": 150.0, "results": 150.0}
BIN = Path(sys.executable).parent
HEY = shutil.which("hey") or "hey"


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def _psql_connect(dbname: str):
    import psycopg

    return psycopg.connect(f"{SERVER_URL}/{dbname}", autocommit=True, connect_timeout=3)


def _recreate_database() -> bool:
    try:
        with _psql_connect("postgres") as conn:
            conn.execute(_sql("DROP DATABASE IF EXISTS {} WITH (FORCE)"))
            conn.execute(_sql("CREATE DATABASE {}"))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server means skip
        print(f"SKIP bench_pages: PostgreSQL is not reachable at {SERVER_URL} ({exc}).")
        print("  Start PostgreSQL or set CIVICMETER_BENCH_PG=postgres://user@host:port to run it.")
        return False
    return True


def _drop_database() -> None:
    with _psql_connect("postgres") as conn:
        conn.execute(_sql("DROP DATABASE IF EXISTS {} WITH (FORCE)"))


def _sql(statement: str):
    """``statement`` with the benchmark's database name quoted in: unquoted, PostgreSQL folds it to
    lower case, so ``CIVICMETER_BENCH_DB=civicmeter_hB`` created civicmeter_hb and the demo then
    failed to connect to civicmeter_hB ("database does not exist")."""
    from psycopg import sql

    return sql.SQL(statement).format(sql.Identifier(DB_NAME))


def _environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CIVICMETER_TESTING"}}
    env.update(
        CIVICMETER_HOME=str(home),
        DATABASE_URL=f"{SERVER_URL}/{DB_NAME}",
        CONN_MAX_AGE="60",
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        CIVICMETER_LOCAL_HTTP="1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    return env


def _serve_command(env: dict[str, str]) -> list[str]:
    """``civicmeter serve`` when it is the gunicorn server, else gunicorn on the WSGI app directly."""
    civicmeter = str(BIN / "civicmeter")
    usage = subprocess.run(  # noqa: S603
        [civicmeter, "serve", "--help"], env=env, capture_output=True, text=True, check=False
    ).stdout
    if "--workers" in usage:
        return [civicmeter, "serve", "--host", HOST, "--port", str(PORT), "--workers", str(WORKERS)]
    subprocess.run(  # noqa: S603 - the old development-server `serve`: collect static files first
        [str(BIN / "django-admin"), "collectstatic", "--noinput", "-v", "0"],
        env={**env, "DJANGO_SETTINGS_MODULE": "civicmeter.web.settings"},
        check=True,
    )
    return [
        str(BIN / "gunicorn"), "civicmeter.web.wsgi:application", "--bind", f"{HOST}:{PORT}",
        "--workers", str(WORKERS), "--threads", "2", "--log-level", "warning",
    ]  # fmt: skip


def _wait_until_up(server: subprocess.Popen, log: Path, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"the server exited with status {server.returncode} before answering:\n{_tail(log)}"
            )
        try:
            status, _body, _headers = _request("GET", "/accounts/login/", {})
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(
        f"the server did not answer on http://{HOST}:{PORT}/ within {timeout:.0f} s:\n{_tail(log)}"
    )


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _request(method: str, path: str, cookies: dict[str, str], body: str | None = None):
    """One request on a fresh connection; generous timeout, as workers may still be starting."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=120)
    headers = {"Host": HOST}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read(), response.getheaders()
    finally:
        conn.close()


def _set_cookies(cookies: dict[str, str], headers) -> None:
    for name, value in headers:
        if name.lower() == "set-cookie":
            for morsel in SimpleCookie(value).values():
                cookies[morsel.key] = morsel.value


def sign_in(username: str) -> dict[str, str]:
    """Session cookies of ``username`` after the real sign-in form (CSRF token included)."""
    cookies: dict[str, str] = {}
    status, body, headers = _request("GET", "/accounts/login/", cookies)
    _set_cookies(cookies, headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or token is None:
        raise RuntimeError(f"the sign-in page answered {status} without a CSRF token")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1).decode(), "username": username, "password": PASSWORD}
    )
    status, _body, headers = _request("POST", "/accounts/login/", cookies, form)
    _set_cookies(cookies, headers)
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"signing in as {username} failed (status {status})")
    return cookies


def survey_path(cookies: dict[str, str]) -> str:
    """The respondent's survey in the open wave: the first survey link on their "My work" page."""
    status, body, _headers = _request("GET", "/accounts/", cookies)
    link = re.search(rb'href="(/responses/\d+/)[^"]*"', body)
    if status != 200 or link is None:
        raise RuntimeError(f"{RESPONDENT}'s home page answered {status} without a link to a survey")
    return link.group(1).decode()


def _wait_for_background_work(timeout: float = 300.0) -> float:
    """Seconds waited until the task worker has run every queued task (the demo queues rescoring).

    Measuring while the worker scores would charge its CPU to the pages."""
    began = time.monotonic()
    with _psql_connect(DB_NAME) as conn:
        while time.monotonic() - began < timeout:
            (waiting,) = conn.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
            ).fetchone()
            if not waiting:
                return time.monotonic() - began
            time.sleep(1.0)
    raise RuntimeError(f"background tasks were still running after {timeout:.0f} s")


def _hey(path: str, cookies: dict[str, str], seconds: float) -> str:
    """``hey``'s per-request CSV for GET ``path`` from ``CLIENTS`` connections for ``seconds``."""
    command = [
        HEY, "-z", f"{seconds:g}s", "-c", str(CLIENTS), "-t", "30", "-o", "csv", "-disable-redirects",
        "-H", f"Cookie: {'; '.join(f'{k}={v}' for k, v in cookies.items())}",
        f"http://{HOST}:{PORT}{path}",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"hey failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def load(path: str, cookies: dict[str, str]) -> Sample:
    """A warm-up run, then the measured run: each request's time, and every answer but 200 as an error."""
    _hey(path, cookies, WARM_UP_SECONDS)
    sample = Sample(seconds=SECONDS)
    for row in csv.DictReader(io.StringIO(_hey(path, cookies, SECONDS))):
        if row["status-code"] == "200":
            sample.latencies.append(float(row["response-time"]))
        else:
            sample.errors.append(row["status-code"])
    return sample


def report(results: dict[str, Sample], load_before: float) -> bool:
    """Print the table; True when every page meets its goal."""
    static = results["static file"]
    static_p95 = static.percentile(95)
    print(
        f"{CLIENTS} concurrent connections (hey), {WORKERS} server processes, PostgreSQL, "
        f"{SECONDS:.0f} s a page after {WARM_UP_SECONDS:.0f} s of warm-up; load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after (other work on the machine inflates "
        "every figure; the ratio to the static file, measured alongside, much less)"
    )
    print(f"{'page':16}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'p95/static':>12}{'goal p95':>10}  verdict")
    all_met = True
    for name, sample in results.items():
        if not sample.latencies:
            print(f"{name:16} no successful request; errors: {sorted(set(sample.errors))}  FAIL")
            all_met = False
            continue
        p50, p95 = sample.percentile(50), sample.percentile(95)
        rate = len(sample.latencies) / sample.seconds
        goal = GOALS[name]
        met = (goal is None or p95 < goal) and not sample.errors
        all_met &= met
        verdict = "baseline" if goal is None else ("ok" if met else "FAIL")
        if sample.errors:
            verdict += f" ({len(sample.errors)} errors: {sorted(set(sample.errors))[:3]})"
        goal_text = "" if goal is None else f"< {goal:.0f}"
        print(
            f"{name:16}{p50:9.1f}{p95:9.1f}{rate:9.0f}{p95 / static_p95:11.1f}x{goal_text:>10}  {verdict}"
        )
    return all_met


def run(home: Path) -> bool:
    env = _environment(home)
    print(f"loading the demo into PostgreSQL database {DB_NAME} ...", flush=True)
    loaded = subprocess.run(  # noqa: S603
        [str(BIN / "civicmeter"), "demo", "--no-serve"], env=env, capture_output=True, text=True, check=False
    )
    if loaded.returncode != 0:
        raise RuntimeError(f"civicmeter demo failed:\n{loaded.stderr[-3000:]}")
    command = _serve_command(env)
    print(f"server: {' '.join(Path(command[0]).name if i == 0 else a for i, a in enumerate(command))}")
    log_path = home / "server.log"
    log = log_path.open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True)  # noqa: S603
    try:
        _wait_until_up(server, log_path)
        waited = _wait_for_background_work()
        print(f"  the task worker finished the demo's queued rescoring ({waited:.0f} s)", flush=True)
        admin, respondent = sign_in(ADMIN), sign_in(RESPONDENT)
        pages = {
            "static file": ("/static/civicmeter/civicmeter.css", {}),
            "login": ("/accounts/login/", {}),
            "survey section": (survey_path(respondent), respondent),
            "dashboard": (f"/p/{PROGRAMME}/waves/{WAVE}/", admin),
            "results": (f"/p/{PROGRAMME}/waves/{WAVE}/results/", admin),
        }
        results, load_before = {}, os.getloadavg()[0]
        for name, (path, cookies) in pages.items():
            print(f"  {name}: GET {path}", flush=True)
            results[name] = load(path, cookies)
    finally:
        stop(server)
        log.close()
    return report(results, load_before)


def stop(server: subprocess.Popen) -> None:
    """Stop ``civicmeter serve`` and its process group (SIGTERM, SIGKILL after 30 s)."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def main() -> int:
    if shutil.which("civicmeter", path=str(BIN)) is None:
        print("SKIP bench_pages: the civicmeter command is not installed in this environment.")
        return 0
    if shutil.which("hey") is None:
        print("SKIP bench_pages: the load generator `hey` is not installed.")
        print("  Install it with: sudo apt-get install hey  (scripts/system-packages.sh does so as root).")
        return 0
    if not _recreate_database():
        return 0
    try:
        with tempfile.TemporaryDirectory(prefix="civicmeter-bench-pages-") as directory:
            met = run(Path(directory))
    finally:
        _drop_database()
    print("all pages within their goals" if met else "FAIL: at least one page is over its p95 goal")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
