"""The page for a form Django's CSRF check refused, saying which check failed.

Django renders a project's own ``403_csrf.html`` with the request only, leaving out the reason it
found; "the form has expired" then covers a blocked cookie and a page opened at another address
alike, and neither the user nor an operator reading a client's output can tell which to fix.
"""

from __future__ import annotations

from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    """``CSRF_FAILURE_VIEW``: our layout and words, plus Django's reason (it names no secret)."""
    context = {
        "reason": reason,
        "no_cookie": reason == REASON_NO_CSRF_COOKIE,
        "wrong_origin": reason.startswith("Origin checking failed"),
    }
    return render(request, "403_csrf.html", context, status=403)
