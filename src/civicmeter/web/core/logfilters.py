"""Logging filters for the operator's log."""

from __future__ import annotations

import logging


class OneLineClientErrors(logging.Filter):
    """Log a refused request (403, 404, a suspicious request) as one line, not a traceback.

    Django attaches the exception to every 4xx it logs; for a permission refusal that is a page of
    stack that says nothing the status line does not. Server errors (5xx) keep their traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        client_error = status is not None and 400 <= status < 500
        if (client_error or record.name.startswith("django.security")) and record.exc_info:
            exc = record.exc_info[1]
            if exc is not None and str(exc):
                record.msg = f"{record.msg} ({type(exc).__name__}: {exc})"
            record.exc_info = None
            record.exc_text = None
        return True
