"""Pytest plugin for Civicmeter's suite (loaded with ``-p civicmeter.pytest_plugin``).

It must run before pytest-django imports the settings, which a conftest.py cannot guarantee: Django
runs in testing mode (no HTTPS redirect, generated key) in a throw-away home, e-mail stays in memory,
and sockets may only reach this machine (the database, the live server for browser tests).
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile

os.environ.setdefault("CIVICMETER_TESTING", "1")
os.environ.setdefault("CIVICMETER_HOME", tempfile.mkdtemp(prefix="civicmeter-test-"))
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.pop("DEBUG", None)

_LOCAL_HOSTS = ("127.0.0.1", "::1", "localhost", "")
_real_connect = socket.socket.connect


def _local_only_connect(self: socket.socket, address):  # type: ignore[no-untyped-def]
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and host not in _LOCAL_HOSTS and not host.startswith("/"):
        raise RuntimeError(f"tests may not open network connections (tried {address!r})")
    return _real_connect(self, address)


socket.socket.connect = _local_only_connect  # type: ignore[method-assign]


def _hypothesis_profile() -> None:
    """No per-example deadline: CI machines are shared and noisy, and a slow example is not a bug.
    Speed is checked by ``make bench``, never by timed tests."""
    from hypothesis import HealthCheck, settings

    settings.register_profile("civicmeter", deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile("civicmeter")


_hypothesis_profile()


def pytest_runtest_teardown(item) -> None:
    """Put the default language back after every test. A request with a language cookie (or a test
    that activates one) leaves that language active in the thread, and a later test calling a
    service directly would then get its messages in Spanish: a failure that depends on test order."""
    if "django.utils.translation" in sys.modules:
        from django.utils import translation

        translation.deactivate()
