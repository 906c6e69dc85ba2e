"""How large an uploaded file may be: each limit read from settings here, and one refusal for all.

Every upload belongs to one of three kinds, each with its setting (docs/operations.md, Settings):

- ``IMPORTS``, ``CIVICMETER_MAX_UPLOAD_BYTES`` (20 MB): tables read once (responses, outcomes,
  KPI values, the agenda CSV), on the web and the command line;
- ``YAML``, ``CIVICMETER_MAX_YAML_BYTES`` (1 MB): a programme's rules, case file and indicator
  catalogue. Lower because PyYAML parses about 1 MB per second of a server process's CPU (a 4.8 MB
  case file took 6.3 s) while the shipped files are 30 KB;
- ``EVIDENCE``, ``CIVICMETER_EVIDENCE_MAX_BYTES`` (10 MB): an assessment's evidence. Lower because
  each file is kept, and backed up, for as long as the assessment.

A file above its limit is refused from its size, before it is read, with one message naming the
file, its size and the limit, and what to do. Pages used to keep their own limits (5 MB, 1 MB) and
sentences.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    setting: str  # the setting holding the limit, in bytes
    files: Promise  # what the limit is for, in the refusal ("above the 20 MB limit for imports")
    fix: Promise  # what to do instead


IMPORTS = Kind(
    "CIVICMETER_MAX_UPLOAD_BYTES",
    _("imports"),
    _("split the file into smaller ones, or ask the operator to raise CIVICMETER_MAX_UPLOAD_BYTES"),
)
YAML = Kind(
    "CIVICMETER_MAX_YAML_BYTES",
    _("YAML files"),
    _("keep only what the file needs, or ask the operator to raise CIVICMETER_MAX_YAML_BYTES"),
)
EVIDENCE = Kind(
    "CIVICMETER_EVIDENCE_MAX_BYTES",
    _("evidence files"),
    _("send a smaller file or a link, or ask the operator to raise CIVICMETER_EVIDENCE_MAX_BYTES"),
)


def upload_limit(kind: Kind) -> int:
    """The largest file of ``kind`` accepted, in bytes, as the settings say now."""
    return int(getattr(settings, kind.setting))


def too_large(filename: str, size: int, kind: Kind) -> str:
    """The refusal of ``filename`` (``size`` bytes) when it is above its kind's limit, else ""."""
    limit = upload_limit(kind)
    if size <= limit:
        return ""
    return gettext("%(file)s is %(size)s, above the %(limit)s limit for %(files)s; %(fix)s.") % {
        "file": filename,
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
        "files": kind.files,
        "fix": kind.fix,
    }
