"""Reads of the delivery record."""

from __future__ import annotations

from django.db.models import Q

from .models import Delivery


def undelivered(wave):
    """A wave's e-mails that failed for good, newest first, with their city."""
    return Delivery.objects.filter(wave=wave, status=Delivery.Status.FAILED).select_related("city")


def retrying_count(wave) -> int:
    return Delivery.objects.filter(wave=wave, status=Delivery.Status.QUEUED, attempts__gt=0).count()


def has_undelivered(wave) -> bool:
    """Is there anything for the dashboard's block of undelivered e-mail (a failed e-mail, or one
    waiting for a retry)? One small query, so the block is drawn only when it shows something:
    the dashboard asks on every request."""
    waiting = Q(status=Delivery.Status.QUEUED, attempts__gt=0)
    return Delivery.objects.filter(Q(status=Delivery.Status.FAILED) | waiting, wave=wave).exists()
