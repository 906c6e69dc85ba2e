"""Test-wide settings: run Django in testing mode in a throw-away home, and block the network."""

import os
import socket
import tempfile

os.environ.setdefault("CIVICMETER_TESTING", "1")
os.environ.setdefault("CIVICMETER_HOME", tempfile.mkdtemp(prefix="civicmeter-test-"))
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

_real_connect = socket.socket.connect


def _local_only_connect(self, address):
    """Tests talk to this machine only (the database, the live server); anything else is a bug."""
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost", "") and not host.startswith("/"):
        raise RuntimeError(f"tests may not open network connections (tried {address!r})")
    return _real_connect(self, address)


socket.socket.connect = _local_only_connect
