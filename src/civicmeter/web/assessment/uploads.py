"""Checks on an uploaded evidence file: its type read from its content (the ``filetype`` library's
magic-byte matchers, never the name the user gave), its size, and a safe display name.

A file whose name says one thing and whose bytes say another (a ``.pdf`` that is a PNG or a
program) is refused, as is any type outside :data:`ALLOWED`; CSV and plain text have no magic bytes,
so they must decode as UTF-8 text with no NUL byte.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import PureWindowsPath

import filetype
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from civicmeter.web.core.upload_limits import EVIDENCE, too_large

#: Accepted evidence: {extension detected from content: MIME type}.
ALLOWED = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "csv": "text/csv",
    "txt": "text/plain",
}
#: Names that mean the same detected type.
SAME_TYPE = {"jpeg": "jpg", "text": "txt"}


class UploadRefused(ValueError):
    """The file cannot be kept; the message names the file and what to do."""


@dataclass(frozen=True)
class CheckedUpload:
    filename: str  # safe for display and Content-Disposition
    extension: str  # ".pdf", from the content
    content_type: str
    size: int


def safe_name(name: str) -> str:
    """The last part of ``name`` (either slash, so ``..\\..\\x`` and ``../../x`` lose their path),
    normalised and reduced to letters, digits, ``-``, ``_`` and ``.``, at most 120 characters."""
    base = PureWindowsPath(name.replace("/", "\\")).name
    base = unicodedata.normalize("NFKC", base).strip().lstrip(".")
    try:
        cleaned = get_valid_filename(base)
    except Exception:  # noqa: BLE001 - Django raises SuspiciousFileOperation for names like ".."
        cleaned = ""
    return (cleaned or "evidence")[-120:]


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:  # a multi-byte character cut at the end of the sample is fine
        return exc.start >= len(head) - 3
    return True


def check_upload(name: str, size: int, head: bytes) -> CheckedUpload:
    """Accept or refuse a file from its name, size and first bytes (8 KB is plenty)."""
    shown = safe_name(name)
    if size == 0:
        raise UploadRefused(_("%(file)s is empty; choose the file again.") % {"file": shown})
    problem = too_large(shown, size, EVIDENCE)
    if problem:
        raise UploadRefused(problem)
    claimed = shown.rsplit(".", 1)[-1].lower() if "." in shown else ""
    claimed = SAME_TYPE.get(claimed, claimed)
    kind = filetype.guess(head)
    detected = kind.extension if kind else ("csv" if claimed == "csv" else "txt") if _is_text(head) else None
    detected = SAME_TYPE.get(detected, detected)
    if detected not in ALLOWED:
        what = kind.mime if kind else _("an unknown binary format")
        raise UploadRefused(
            _(
                "%(file)s is %(what)s, which is not accepted as evidence; use PDF, an office "
                "document, an image or CSV."
            )
            % {"file": shown, "what": what}
        )
    if claimed != detected and not (claimed in ("csv", "txt") and detected in ("csv", "txt")):
        raise UploadRefused(
            _(
                "%(file)s is named .%(claimed)s but its content is %(detected)s; check you chose "
                "the right file."
            )
            % {"file": shown, "claimed": claimed or "?", "detected": detected.upper()}
        )
    return CheckedUpload(shown, "." + detected, ALLOWED[detected], size)
