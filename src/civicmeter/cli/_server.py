"""The processes behind ``civicmeter serve``: gunicorn and the background-task worker, owned and stopped.

The serve command is the parent of every process it starts. Ctrl-C and SIGTERM stop them all (the web
server gracefully, then the worker after its current task); on Linux the children are also asked by
the kernel to stop if the parent dies without cleaning up (SIGKILL), so no worker is left orphaned.
"""

from __future__ import annotations

import ctypes
import errno
import ipaddress
import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass

#: How long a child gets to finish after SIGTERM before it is killed.
STOP_TIMEOUT_SECONDS = 20


def cpu_count() -> int:
    """CPUs this process may run on (the affinity mask, which containers narrow), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ServerSize:
    """Gunicorn's worker processes and threads per process.

    Defaults follow gunicorn's advice of (2 x CPUs) + 1 processes, capped at 8 because each process
    holds its own copy of the instrument and scoring caches; two threads each keep a slow export
    from blocking its process. ``CIVICMETER_WORKERS`` / ``CIVICMETER_THREADS`` or the flags override.
    """

    workers: int
    threads: int

    @classmethod
    def choose(cls, workers: int | None, threads: int | None) -> ServerSize:
        workers = workers or _env_int("CIVICMETER_WORKERS") or min(2 * cpu_count() + 1, 8)
        threads = threads or _env_int("CIVICMETER_THREADS") or 2
        return cls(workers=workers, threads=threads)


def _env_int(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} must be a whole number of at least 1; got {value!r}")
    return int(value)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def port_in_use(host: str, port: int) -> bool:
    """Whether something already listens on ``host:port``.

    Checked before anything starts: gunicorn would retry for five seconds and give up after our
    "Serving on" line was printed, while a client of that address reached the other server.
    """
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
    return False


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: SIGTERM this child when the serve process dies, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def gunicorn_argv(host: str, port: int, size: ServerSize) -> list[str]:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [
        sys.executable, "-m", "gunicorn", "civicmeter.web.wsgi:application",
        "--bind", bind,
        "--workers", str(size.workers),
        "--threads", str(size.threads),
        "--worker-class", "gthread",
        "--timeout", "120",  # an analysis report or an export may take a while
        "--graceful-timeout", str(STOP_TIMEOUT_SECONDS // 2),
        "--access-logfile", "-",
        "--no-control-socket",  # its default path is shared by every gunicorn of the same user
        "--config", "python:civicmeter.cli._gunicorn_conf",  # instruments parsed before requests
    ]  # fmt: skip


def django_argv(*args: str) -> list[str]:
    """A Django management command run by this interpreter (settings come from the environment)."""
    return [sys.executable, "-m", "django", *args]


def worker_argv() -> list[str]:
    return django_argv("db_worker", "--interval", "1")


class _Stop(Exception):
    """Raised by the signal handler so the main loop unwinds into the clean-up."""


def _raise_stop(signum, frame) -> None:
    raise _Stop(signum)


class Supervisor:
    """Starts child processes and guarantees they are stopped when the parent leaves ``run``."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.children: list[subprocess.Popen] = []

    def start(self, argv: list[str]) -> subprocess.Popen:
        child = subprocess.Popen(argv, env=self.env, preexec_fn=_die_with_parent)  # noqa: S603, PLW1509
        self.children.append(child)
        return child

    def run(self, main: subprocess.Popen) -> int:
        """Wait for ``main`` to exit, or for Ctrl-C / SIGTERM; then stop every child. Returns main's code."""
        previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            return main.wait()
        except (_Stop, KeyboardInterrupt):
            return 0
        finally:
            for sig in previous:
                signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the clean-up
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def stop(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in self.children:
            try:
                child.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
