"""Panel 50 of the city team page: the agenda at a glance (counts by status, what is overdue)."""

from __future__ import annotations

from django.utils import timezone

from civicmeter.web.accounts.permissions import Action, user_has_permission

from . import selectors
from .models import OPEN_STATUSES


def agenda_context(request, programme, city) -> dict:
    actions = list(selectors.city_actions(programme, city))
    today = timezone.localdate()
    return {
        "columns": selectors.board(programme, city),
        "total": len(actions),
        "overdue": [a for a in actions if a.due_on and a.due_on < today and a.status in OPEN_STATUSES],
        "can_edit": user_has_permission(request.user, Action.EDIT_AGENDA, programme=programme, city=city),
    }
