"""Reads of the delivery record."""

from __future__ import annotations

from .models import Delivery


def undelivered(wave):
    """A wave's e-mails that failed for good, newest first, with their city."""
    return Delivery.objects.filter(wave=wave, status=Delivery.Status.FAILED).select_related("city")


def retrying_count(wave) -> int:
    return Delivery.objects.filter(wave=wave, status=Delivery.Status.QUEUED, attempts__gt=0).count()
