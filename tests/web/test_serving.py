"""`civicmeter serve` as an operator runs it: a real gunicorn in a subprocess, over plain HTTP on loopback.

No DEBUG, no extra settings: sign in with the CSRF token, static files served, and SIGTERM stops the
web server and the background-task worker with all their processes.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from civicmeter.cli import _server

pytestmark = pytest.mark.slow
CLI = str(Path(sys.executable).with_name("civicmeter"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _production_env(home: Path) -> dict[str, str]:
    """The environment of an operator's shell: none of the test-mode variables."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"CIVICMETER_TESTING", "DEBUG", "DATABASE_URL", "EMAIL_BACKEND", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        CIVICMETER_HOME=str(home),
        SECRET_KEY="serve-test-" + "k" * 50,
        DJANGO_SETTINGS_MODULE="civicmeter.web.settings",
    )
    return env


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            children = (task / "children").read_text().split() if (task / "children").exists() else []
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _wait_for(url: str, proc: subprocess.Popen, seconds: float = 300) -> None:
    """Generous: on a loaded shared machine, starting Django in three processes takes a while."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited before answering:\n{proc.stdout.read()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback only
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def served(tmp_path):
    env = _production_env(tmp_path)
    subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup(); from django.core.management import "
         "call_command; call_command('migrate', verbosity=0); from django.contrib.auth.models import User; "
         "User.objects.create_user('operator', 'op@example.org', 'a-long-pass-phrase')"],
        env=env, check=True, timeout=180,
    )  # fmt: skip
    port = _free_port()
    proc = subprocess.Popen(  # noqa: S603
        [CLI, "serve", "--port", str(port), "--workers", "2", "--threads", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/accounts/login/", proc)
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_serve_signs_in_over_plain_http_serves_static_and_sigterm_stops_every_process(served):
    base, proc = served
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    page = opener.open(base + "/accounts/login/", timeout=10)
    assert page.status == 200
    html = page.read().decode()
    assert "Strict-Transport-Security" not in page.headers
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    css = re.search(r'href="(/static/[^"]+\.css)"', html).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "operator", "password": "a-long-pass-phrase"}
    ).encode()
    request = urllib.request.Request(base + "/accounts/login/", data=data, headers={"Referer": base + "/"})
    try:
        opener.open(request, timeout=10)
        raise AssertionError("a successful sign-in redirects")
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 302, redirect.read()[:500]
        assert redirect.headers["Location"] == "/accounts/"
    assert opener.open(base + "/accounts/", timeout=10).status == 200  # signed in: no redirect to login
    stylesheet = opener.open(base + css, timeout=10)
    assert stylesheet.status == 200 and stylesheet.headers["Content-Type"].startswith("text/css")

    children = _descendants(proc.pid)
    assert len(children) >= 4, children  # db_worker, gunicorn arbiter and its two workers
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [pid for pid in children if _alive(pid)] == []


def test_server_size_follows_the_machine_and_can_be_overridden(monkeypatch):
    monkeypatch.delenv("CIVICMETER_WORKERS", raising=False)
    monkeypatch.delenv("CIVICMETER_THREADS", raising=False)
    monkeypatch.setattr(_server, "cpu_count", lambda: 2)
    assert _server.ServerSize.choose(None, None) == _server.ServerSize(workers=5, threads=2)
    monkeypatch.setattr(_server, "cpu_count", lambda: 16)
    assert _server.ServerSize.choose(None, None).workers == 8
    monkeypatch.setenv("CIVICMETER_WORKERS", "3")
    assert _server.ServerSize.choose(None, 4) == _server.ServerSize(workers=3, threads=4)
    assert _server.ServerSize.choose(6, None).workers == 6
    monkeypatch.setenv("CIVICMETER_THREADS", "many")
    with pytest.raises(ValueError, match="CIVICMETER_THREADS must be a whole number"):
        _server.ServerSize.choose(None, None)


def test_settings_allow_plain_http_only_for_a_loopback_server(tmp_path):
    """The same settings module: loopback serve relaxes HTTPS-only; any other deployment keeps it."""
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS)"
    )
    env = _production_env(tmp_path)
    run = lambda extra: subprocess.run(  # noqa: E731, S603
        [sys.executable, "-c", probe], env={**env, **extra}, capture_output=True, text=True, check=True
    ).stdout.strip()
    hardened = run({"ALLOWED_HOSTS": "civicmeter.example.org"})
    assert hardened == "['civicmeter.example.org'] True True True 31536000"
    assert run({"CIVICMETER_LOCAL_HTTP": "1"}) == "['127.0.0.1', 'localhost', '[::1]'] False False False 0"
    behind_proxy = run({"CIVICMETER_LOCAL_HTTP": "1", "BEHIND_TLS_PROXY": "1", "ALLOWED_HOSTS": "c.org"})
    assert behind_proxy == "['c.org'] True True True 31536000"


def test_a_loopback_server_trusts_its_other_loopback_names_on_its_own_port(tmp_path):
    """A form read from http://localhost:PORT may post to http://127.0.0.1:PORT (and back): both are
    this server. Django compares the Origin with the Host, so without this the sign-in was a 403
    whenever a client's two requests named the server differently. No other origin or port is
    trusted, and a server that is not on loopback trusts nothing extra."""
    from django.middleware.csrf import CsrfViewMiddleware
    from django.test import RequestFactory, override_settings

    probe = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps(s.CSRF_TRUSTED_ORIGINS))"
    )
    env = _production_env(tmp_path)
    run = lambda extra: subprocess.run(  # noqa: E731, S603
        [sys.executable, "-c", probe], env={**env, **extra}, capture_output=True, text=True, check=True
    ).stdout.strip()
    local = {"CIVICMETER_LOCAL_HTTP": "1", "CIVICMETER_LOCAL_PORT": "8123"}
    trusted = json.loads(run(local))
    assert trusted == ["http://127.0.0.1:8123", "http://localhost:8123", "http://[::1]:8123"]
    assert run({**local, "BEHIND_TLS_PROXY": "1", "ALLOWED_HOSTS": "c.org"}) == "[]"
    assert run({"CIVICMETER_LOCAL_PORT": "8123", "ALLOWED_HOSTS": "c.org"}) == "[]"

    def verdict(host: str, origin: str):
        request = RequestFactory().post("/accounts/login/", HTTP_HOST=host, HTTP_ORIGIN=origin)
        request.COOKIES["csrftoken"] = "x" * 32
        request.META["HTTP_X_CSRFTOKEN"] = "x" * 32
        with override_settings(CSRF_TRUSTED_ORIGINS=trusted, ALLOWED_HOSTS=["127.0.0.1", "localhost"]):
            return CsrfViewMiddleware(lambda r: None).process_view(request, lambda r: None, (), {})

    assert verdict("127.0.0.1:8123", "http://localhost:8123") is None  # accepted
    assert verdict("localhost:8123", "http://127.0.0.1:8123") is None
    assert verdict("127.0.0.1:8123", "http://localhost:9999").status_code == 403
    assert verdict("127.0.0.1:8123", "http://evil.example").status_code == 403


def test_serve_and_demo_tell_the_settings_their_port(monkeypatch):
    from civicmeter.cli import platform

    monkeypatch.delenv("CIVICMETER_LOCAL_PORT", raising=False)
    monkeypatch.delenv("CIVICMETER_LOCAL_HTTP", raising=False)
    platform._allow_local_http("127.0.0.1", 8123)
    assert os.environ["CIVICMETER_LOCAL_HTTP"] == "1" and os.environ["CIVICMETER_LOCAL_PORT"] == "8123"
    monkeypatch.delenv("CIVICMETER_LOCAL_PORT")
    platform._allow_local_http("0.0.0.0", 8123)  # noqa: S104
    assert "CIVICMETER_LOCAL_PORT" not in os.environ


def test_loopback_detection():
    assert all(map(_server.is_loopback, ["127.0.0.1", "localhost", "::1", "127.0.1.1"]))
    assert not any(map(_server.is_loopback, ["0.0.0.0", "192.168.1.2", "example.org"]))  # noqa: S104


def test_the_demo_runs_without_debug(monkeypatch):
    from civicmeter.cli import platform

    for name in ("DEBUG", "CIVICMETER_DEMO", "CIVICMETER_LOCAL_HTTP"):
        monkeypatch.delenv(name, raising=False)

    class Started(Exception):
        pass

    def setup_django():
        raise Started

    monkeypatch.setattr(platform, "setup_django", setup_django)
    with pytest.raises(Started):
        platform.demo(port=8000, serve=False)
    assert "DEBUG" not in os.environ
    assert os.environ["CIVICMETER_DEMO"] == "1" and os.environ["CIVICMETER_LOCAL_HTTP"] == "1"


def test_serve_refuses_a_busy_port_before_starting_anything(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert _server.port_in_use("127.0.0.1", port)
        for argv in (["serve", "--port", str(port)], ["demo", "--port", str(port)]):
            run = subprocess.run(
                [CLI, *argv], env=_production_env(tmp_path), capture_output=True, text=True, timeout=60
            )
            assert run.returncode == 2, run.stderr
            assert f"127.0.0.1:{port} is already in use" in run.stderr
            assert "Serving on" not in run.stdout
    assert not list(tmp_path.glob("*.sqlite3"))  # nothing migrated or loaded
    assert not _server.port_in_use("127.0.0.1", port)
