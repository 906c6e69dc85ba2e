"""Where evidence files are kept: private, never under a URL the web server serves.

The ``evidence`` entry of Django's ``STORAGES`` setting when one is configured (e.g. an
S3-compatible store through django-storages), else a folder ``evidence/`` under ``CIVICMETER_HOME``
(read when a file is stored, so a changed home is followed). Files are read back only through the
authorised download view.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class EvidenceFolder(FileSystemStorage):
    """``CIVICMETER_HOME/evidence`` with no public URL."""

    @property
    def base_location(self):
        return str(settings.HOME / "evidence")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def evidence_storage():
    if "evidence" in settings.STORAGES:
        return storages["evidence"]
    return EvidenceFolder()
