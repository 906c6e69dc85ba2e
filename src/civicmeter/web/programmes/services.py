"""Use cases for programmes: the programme itself, instruments, waves, cities, members and invitations.

Keyword-only arguments with ``actor``; permission checks inside; e-mail deferred until commit. The
CLI, the web pages and the demo loader call these same functions (the demo as ``SYSTEM``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, fields
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicmeter import instruments
from civicmeter.instruments.compat import translation_only_difference
from civicmeter.web.accounts.models import Role
from civicmeter.web.accounts.permissions import (
    Action,
    SystemActor,
    now_for,
    require_instrument_admin,
    require_permission,
    user_has_permission,
    user_of,
)

from .models import City, CityDisclosure, Instrument, Invitation, Programme, Wave, WaveEvent

SITE_ADMIN_ONLY = gettext_lazy("Only a site administrator may %(what)s.")
PROGRAMME_EXISTS = gettext_lazy(
    "[programme.E001] A programme with the code %(slug)s already exists; choose another code, or "
    "work in that programme."
)
WAVE_EXISTS = gettext_lazy(
    "[programme.E002] Programme %(programme)s already has a wave %(code)s; choose another code."
)
UNKNOWN_MEMBER_CITY = gettext_lazy(
    "[programme.E003] %(username)s: no city with the code %(city)s; import the city first "
    "(civicmeter cities import) or correct its code."
)
MEMBER_CITY_RULE = gettext_lazy(
    "[programme.E004] %(username)s: a respondent needs a city and only a respondent has one."
)
UNKNOWN_ROLE = gettext_lazy(
    "[programme.E005] %(username)s: %(kind)s is not a role; use admin, reviewer or respondent."
)


def _require_site_admin(actor, what: str) -> None:
    """Creating programmes and cities, and site staff, is for the operator, not a programme admin."""
    if isinstance(actor, SystemActor) or getattr(actor, "is_superuser", False):
        return
    raise PermissionDenied(SITE_ADMIN_ONLY % {"what": what})


@transaction.atomic(durable=True)
def programme_create(
    *, actor, slug: str, name: str, description: str = "", name_translations: dict | None = None
) -> Programme:
    """Start a programme (a city network, a foundation, a research team) under its code ``slug``."""
    _require_site_admin(actor, _("create a programme"))
    if Programme.objects.filter(slug=slug).exists():
        raise ValidationError(PROGRAMME_EXISTS % {"slug": slug}, code="programme.E001")
    programme = Programme(
        slug=slug, name=name, description=description, name_translations=name_translations or {}
    )
    programme.full_clean()
    programme.save()
    return programme


@dataclass(frozen=True)
class CityRecord:
    """One city as a cities file or the demo states it; the slug (name + ISO country) is its key."""

    slug: str
    name: str
    country: str
    region: str = ""
    population: int | None = None
    population_year: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    mayor: str = ""
    synthetic: bool = False


@transaction.atomic(durable=True)
def cities_import(*, actor, cities: list[CityRecord]) -> list[City]:
    """Add or update cities by slug, all in one transaction; returns them in the order given.

    Cities are shared by every programme, so this is for the site operator. A city whose facts are
    unchanged is not written.
    """
    _require_site_admin(actor, _("add cities"))
    names = [f.name for f in fields(CityRecord) if f.name != "slug"]
    existing = {c.slug: c for c in City.objects.filter(slug__in=[c.slug for c in cities])}
    new, changed = [], []
    for facts in cities:
        values = {name: getattr(facts, name) for name in names}
        city = existing.get(facts.slug)
        if city is None:
            city = City(slug=facts.slug, **values)
            city.full_clean()
            new.append(city)
            existing[facts.slug] = city
        elif any(getattr(city, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(city, name, value)
            city.updated_at = timezone.now()  # a bulk update does not run auto_now
            city.full_clean()
            changed.append(city)
    City.objects.bulk_create(new)
    City.objects.bulk_update(changed, [*names, "updated_at"])
    stored = {c.slug: c for c in City.objects.filter(slug__in=[c.slug for c in cities])}
    return [stored[c.slug] for c in cities]


@dataclass(frozen=True)
class WaveSpec:
    """What a new wave is: its code, title, status and dates (validated by ``Wave.full_clean``)."""

    code: str
    title: str = ""
    status: str = Wave.Status.DRAFT
    opens_on: date | None = None
    closes_on: date | None = None


@transaction.atomic(durable=True)
def wave_create(*, actor, programme: Programme, instrument: Instrument, spec: WaveSpec) -> Wave:
    """Add a wave of ``instrument`` to ``programme`` (programme admins)."""
    require_permission(actor, Action.MANAGE_WAVE, programme=programme)
    if programme.waves.filter(code=spec.code).exists():
        raise ValidationError(
            WAVE_EXISTS % {"programme": programme.slug, "code": spec.code}, code="programme.E002"
        )
    wave = Wave(
        programme=programme, instrument=instrument, **{f.name: getattr(spec, f.name) for f in fields(spec)}
    )
    wave.full_clean()
    wave.save()
    return wave


@dataclass(frozen=True)
class Member:
    """A person joining a programme: their account and role (a respondent answers for ``city``)."""

    username: str
    email: str
    kind: str
    city: str = ""  # the city's slug, for a respondent
    site_staff: bool = False  # may open the site's admin pages (site administrators grant this)


def _member_problems(members: list[Member], cities: dict[str, City]) -> list[str]:
    problems = []
    for member in members:
        if member.kind not in Role.Kind.values:
            problems.append(UNKNOWN_ROLE % {"username": member.username, "kind": member.kind})
        elif (member.kind == Role.Kind.RESPONDENT) != bool(member.city):
            problems.append(MEMBER_CITY_RULE % {"username": member.username})
        elif member.city and member.city not in cities:
            problems.append(UNKNOWN_MEMBER_CITY % {"username": member.username, "city": member.city})
    return problems


@transaction.atomic(durable=True)
def members_add(
    *, actor, programme: Programme, members: list[Member], password_hash: str | None = None
) -> list[Role]:
    """Give each member their role in ``programme``, creating the accounts that do not exist yet.

    All or nothing: every bad member is reported at once. A new account gets ``password_hash`` (the
    demo's one hashed password) or none usable, so its owner sets one with "Forgot your password?"
    at the e-mail address given. Existing accounts keep their password; roles already held are kept.
    """
    require_permission(actor, Action.MANAGE_WAVE, programme=programme)
    if any(m.site_staff for m in members):
        _require_site_admin(actor, _("give access to the site's admin pages"))
    cities = {c.slug: c for c in City.objects.filter(slug__in={m.city for m in members if m.city})}
    problems = _member_problems(members, cities)
    if problems:
        raise ValidationError(problems)
    User = get_user_model()
    usernames = [m.username for m in members]
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    new_users = []
    for member in members:
        if member.username in existing:
            continue
        user = User(username=member.username, email=member.email, is_staff=member.site_staff)
        if password_hash is None:
            user.set_unusable_password()
        else:
            user.password = password_hash
        new_users.append(user)
        existing.add(member.username)
    User.objects.bulk_create(new_users)
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    roles = [
        Role(user=users[m.username], programme=programme, kind=m.kind, city=cities.get(m.city))
        for m in members
    ]
    Role.objects.bulk_create(roles, ignore_conflicts=True)
    return roles


@transaction.atomic(durable=True)
def instrument_register(
    *, actor, filename: str, content: bytes, kind: str = Instrument.Kind.SURVEY
) -> Instrument:
    """Store a validated XLSForm workbook as a new instrument version.

    Re-registering the same bytes returns the existing row; different bytes under a version that a
    wave already uses are refused, because published results must stay traceable to their file,
    unless the new file only adds translations (``instruments.compat``): then it replaces the old
    one, so running waves show the new languages.
    """
    require_instrument_admin(actor)
    parsed = instruments.load_instrument(content)
    sha256 = hashlib.sha256(content).hexdigest()
    existing = Instrument.objects.filter(form_id=parsed.form_id, version=parsed.version).first()
    if existing is not None:
        if existing.sha256 == sha256:
            return existing
        difference = existing.waves.exists() and translation_only_difference(
            instruments.load_instrument(bytes(existing.content)), parsed
        )
        if difference:
            refused = _(
                "Instrument %(form)s version %(version)s is used by a wave and cannot change. "
                "Give the edited workbook a new version in its settings sheet."
            ) % {"form": parsed.form_id, "version": parsed.version}
            raise ValidationError(f"{refused} ({difference}; only translations may be added.)")
        existing.content, existing.sha256, existing.filename = content, sha256, filename
        existing.title = parsed.text(parsed.title)
        existing.save(update_fields=["content", "sha256", "filename", "title"])
        return existing
    return Instrument.objects.create(
        form_id=parsed.form_id,
        version=parsed.version,
        title=parsed.text(parsed.title),  # the default language's title; the rest are in the workbook
        kind=kind,
        filename=filename,
        content=content,
        sha256=sha256,
    )


NOT_CLOSED = gettext_lazy(
    "[wave.E004] Wave %(wave)s is %(status)s; only a closed wave is published, so no answer can "
    "change while it is public. Close it first (civicmeter wave close --wave %(wave)s)."
)
NOT_PUBLISHED = gettext_lazy("[wave.E005] Wave %(wave)s is not published, so there is nothing to unpublish.")


@transaction.atomic(durable=True)
def wave_set_status(*, actor, wave: Wave, status: str) -> Wave:
    """Move ``wave`` to ``status`` (the dashboard's status form): publishing and unpublishing keep
    the rules of :func:`wave_publish` and :func:`wave_unpublish`; every change is recorded."""
    if status not in Wave.Status.values:
        require_permission(actor, Action.MANAGE_WAVE, programme=wave.programme)
        raise ValidationError(_("Unknown wave status %(status)s.") % {"status": status})
    return _transition(actor=actor, wave=wave, status=status)


def _transition(*, actor, wave: Wave, status: str) -> Wave:
    """Change the status under a row lock and record a :class:`WaveEvent`.

    A wave becomes public only from ``closed`` (answers can no longer change under readers), and
    leaving ``published`` is an unpublish: the public pages read the status, so the next request
    no longer shows the wave (their cache keys hold it).
    """
    require_permission(actor, Action.MANAGE_WAVE, programme=wave.programme)
    locked = Wave.objects.select_for_update().get(pk=wave.pk)
    before = locked.status
    if status == before:
        return locked
    if status == Wave.Status.PUBLISHED and before != Wave.Status.CLOSED:
        raise ValidationError(
            NOT_CLOSED % {"wave": locked.code, "status": locked.get_status_display().lower()},
            code="wave.E004",
        )
    action = {Wave.Status.PUBLISHED: "publish", Wave.Status.CLOSED: "close"}.get(status, "status")
    if before == Wave.Status.PUBLISHED:
        action = "unpublish"
    locked.status = status
    locked.save(update_fields=["status"])
    WaveEvent.objects.create(
        wave=locked,
        action=action,
        from_status=before,
        to_status=status,
        actor=user_of(actor),
        at=now_for(actor),
    )
    wave.status = status
    return locked


@transaction.atomic(durable=True)
def wave_close(*, actor, wave: Wave) -> Wave:
    """Close ``wave`` to answers (drafts and returned responses can no longer change); closing a
    published wave unpublishes it."""
    return _transition(actor=actor, wave=wave, status=Wave.Status.CLOSED)


@transaction.atomic(durable=True)
def wave_publish(*, actor, wave: Wave) -> Wave:
    """Make a closed wave public: its validated responses' aggregate answers, its scores with rank
    intervals and the profile facts each city agreed to publish (``explorer.published``)."""
    return _transition(actor=actor, wave=wave, status=Wave.Status.PUBLISHED)


@transaction.atomic(durable=True)
def wave_unpublish(*, actor, wave: Wave) -> Wave:
    """Take a published wave off the public pages (it goes back to closed)."""
    require_permission(actor, Action.MANAGE_WAVE, programme=wave.programme)
    if Wave.objects.get(pk=wave.pk).status != Wave.Status.PUBLISHED:
        raise ValidationError(NOT_PUBLISHED % {"wave": wave.code}, code="wave.E005")
    return _transition(actor=actor, wave=wave, status=Wave.Status.CLOSED)


UNKNOWN_PROFILE_FIELD = gettext_lazy(
    "[programme.E006] %(field)s is not a profile fact a city can publish; use %(fields)s."
)


@transaction.atomic(durable=True)
def disclosure_set(
    *, actor, programme: Programme, city: City, profile_fields: list[str], private_texts: list[str]
) -> CityDisclosure:
    """Record which profile facts ``city`` publishes and which free-text answers it keeps private.

    The city's own team (its respondents) or the programme's admins decide; the public pages read
    the record through ``explorer.published``.
    """
    if not user_has_permission(actor, Action.MANAGE_WAVE, programme=programme):
        require_permission(actor, Action.EDIT_RESPONSE, programme=programme, city=city)
    for name in profile_fields:
        if name not in CityDisclosure.PROFILE_FIELDS:
            raise ValidationError(
                UNKNOWN_PROFILE_FIELD % {"field": name, "fields": ", ".join(CityDisclosure.PROFILE_FIELDS)},
                code="programme.E006",
            )
    disclosure, _created = CityDisclosure.objects.update_or_create(
        city=city,
        defaults={
            "profile_fields": [f for f in CityDisclosure.PROFILE_FIELDS if f in profile_fields],
            "private_texts": sorted(set(private_texts)),
            "updated_at": now_for(actor),
            "updated_by": user_of(actor),
        },
    )
    return disclosure


NOT_ASSESSMENT_WAVE = gettext_lazy(
    "[wave.E001] Wave %(wave)s uses a questionnaire; only an assessment wave is paired with a survey wave."
)
NOT_SURVEY_WAVE = gettext_lazy(
    "[wave.E002] Wave %(wave)s is not a survey wave of programme %(programme)s; pair the assessment "
    "with a survey wave of its own programme."
)
ALREADY_PAIRED = gettext_lazy(
    "[wave.E003] Survey wave %(wave)s is already paired with assessment wave %(other)s; unpair that "
    "one first."
)


@transaction.atomic(durable=True)
def wave_pair(*, actor, assessment_wave: Wave, survey_wave: Wave | None) -> Wave:
    """Show ``assessment_wave``'s data-use scores in ``survey_wave``'s results table (None unpairs).

    A survey wave has at most one paired assessment wave, of the same programme; the indexes stay
    separate columns and are never compared.
    """
    require_permission(actor, Action.MANAGE_WAVE, programme=assessment_wave.programme)
    if assessment_wave.instrument.kind != Instrument.Kind.ASSESSMENT:
        raise ValidationError(NOT_ASSESSMENT_WAVE % {"wave": assessment_wave.code}, code="wave.E001")
    if survey_wave is not None:
        if (
            survey_wave.programme_id != assessment_wave.programme_id
            or survey_wave.instrument.kind != Instrument.Kind.SURVEY
        ):
            raise ValidationError(
                NOT_SURVEY_WAVE % {"wave": survey_wave.code, "programme": assessment_wave.programme.slug},
                code="wave.E002",
            )
        other = Wave.objects.filter(pairs_with=survey_wave).exclude(pk=assessment_wave.pk).first()
        if other is not None:
            raise ValidationError(
                ALREADY_PAIRED % {"wave": survey_wave.code, "other": other.code}, code="wave.E003"
            )
    assessment_wave.pairs_with = survey_wave
    assessment_wave.save(update_fields=["pairs_with"])
    return assessment_wave


def _invitation_link(token: str) -> str:
    return settings.CIVICMETER_BASE_URL.rstrip("/") + reverse("accounts:invitation", args=[token])


def _queue_invitation_email(invitation: Invitation, *, reminder: bool) -> None:
    """Record the invitation (or reminder) e-mail in the caller's transaction; the worker sends it."""
    from civicmeter.web.mail.models import Delivery
    from civicmeter.web.mail.services import mail_queue

    wave = invitation.wave
    context = {
        "city": invitation.city.name,
        "programme": wave.programme.name,
        "wave": wave.code,
        "link": _invitation_link(invitation.token),
        "closes": wave.closes_on.isoformat() if wave.closes_on else _("the end of the wave"),
    }
    subject = (
        _("Reminder: %(programme)s %(wave)s survey for %(city)s")
        if reminder
        else _("%(programme)s: you are invited to answer the %(wave)s survey for %(city)s")
    )
    body = _(
        "%(programme)s invites %(city)s to answer its %(wave)s survey.\n\n"
        "Open this link to sign in and start (answers are saved as you type, so you can leave and "
        "come back): %(link)s\n\nPlease submit by %(closes)s."
    )
    mail_queue(
        kind=Delivery.Kind.REMINDER if reminder else Delivery.Kind.INVITATION,
        recipients=[invitation.email],
        subject=subject % context,
        body=body % context,
        wave=wave,
        city=invitation.city,
    )


@transaction.atomic(durable=True)
def invitation_send(*, actor, wave: Wave, city: City, email: str, notify: bool = True) -> Invitation:
    """Invite a city to a wave by e-mail; the link lets its respondent sign in and answer.

    ``notify=False`` records an invitation sent outside Civicmeter (a programme moving in its
    history, the demo) without e-mailing anyone.
    """
    require_permission(actor, Action.MANAGE_WAVE, programme=wave.programme)
    invitation, created = Invitation.objects.get_or_create(
        wave=wave,
        city=city,
        email=email.strip().lower(),
        defaults={
            "token": secrets.token_urlsafe(32),
            "sent_at": now_for(actor),
            "invited_by": user_of(actor),
        },
    )
    if created and notify:
        _queue_invitation_email(invitation, reminder=False)
    return invitation


DEMO_DOMAIN = "@demo.invalid"


@transaction.atomic(durable=True)
def invitations_close_demo(*, actor, programme: Programme) -> int:
    """Mark every demo invitation as accepted by its city's demo login, with a fresh random token.

    The demo users sign in with their password; leaving their invitations open would give anyone
    with the link a way in. Older demo databases had guessable ``demo-<wave>-<city>`` tokens, which
    are replaced here too. Only addresses at ``demo.invalid`` are touched. Returns how many
    invitations were closed.
    """
    require_permission(actor, Action.MANAGE_WAVE, programme=programme)
    users = {u.username: u for u in get_user_model().objects.filter(email__endswith=DEMO_DOMAIN)}
    open_ones = Invitation.objects.filter(wave__programme=programme, email__endswith=DEMO_DOMAIN).filter(
        Q(accepted_by__isnull=True) | Q(token__startswith="demo-")  # noqa: S106 - the old guessable form
    )
    closed = 0
    for invitation in open_ones.select_related("city"):
        invitation.token = secrets.token_urlsafe(32)
        invitation.accepted_by = invitation.accepted_by or users.get(invitation.city.slug)
        invitation.accepted_at = invitation.accepted_at or invitation.sent_at
        invitation.save(update_fields=["token", "accepted_by", "accepted_at"])
        closed += 1
    return closed


@transaction.atomic(durable=True)
def invitation_remind(*, actor, wave: Wave, city_ids: list[int] | None = None) -> int:
    """Remind invited cities that have not submitted yet. Returns how many e-mails were queued."""
    require_permission(actor, Action.MANAGE_WAVE, programme=wave.programme)
    from civicmeter.web.collection.models import Response

    done = Response.objects.filter(
        wave=wave, status__in=[Response.Status.SUBMITTED, Response.Status.VALIDATED]
    ).values_list("city_id", flat=True)
    pending = wave.invitations.exclude(city_id__in=list(done))
    if city_ids is not None:
        pending = pending.filter(city_id__in=city_ids)
    now = timezone.now()
    pending = list(pending.select_related("wave__programme", "city"))
    for invitation in pending:
        invitation.reminded_at = now
        invitation.reminder_count += 1
        invitation.save(update_fields=["reminded_at", "reminder_count"])
        _queue_invitation_email(invitation, reminder=True)
    return len(pending)


INVALID_INVITATION = gettext_lazy("This invitation link is not valid. Ask programme staff for a new one.")
USED_INVITATION = gettext_lazy(
    "This invitation link has already been used by another account. Ask programme staff to invite "
    "you with your own e-mail address."
)


WRONG_ACCOUNT = gettext_lazy(
    "This invitation was sent to %(email)s, which is not the address of the account you are signed in "
    "with. Sign in with the account that uses it, or ask programme staff to invite your own address."
)


def _usable_invitation(token: str, user=None) -> Invitation:
    """The invitation behind ``token``, locked; a link works for one account only."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("wave__programme", "city")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise ValidationError(INVALID_INVITATION)
    if invitation.accepted_by_id is not None and (user is None or invitation.accepted_by_id != user.pk):
        raise ValidationError(USED_INVITATION)
    return invitation


def _accept(invitation: Invitation, user) -> Invitation:
    Role.objects.get_or_create(
        user=user, programme=invitation.wave.programme, kind=Role.Kind.RESPONDENT, city=invitation.city
    )
    if invitation.accepted_at is None:
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation


@transaction.atomic(durable=True)
def invitation_accept(*, actor, token: str) -> Invitation:
    """Give the signed-in user the respondent role for the invited city.

    Only the account whose e-mail is the invited address may accept: a link forwarded to, or opened
    by, anyone else grants nothing. (A person without an account creates one from the link with
    ``invitation_signup``, which takes the address from the invitation.)
    """
    if not getattr(actor, "is_authenticated", False) or isinstance(actor, SystemActor):
        raise ValidationError(_("Sign in before accepting an invitation."))
    invitation = _usable_invitation(token, actor)
    if (actor.email or "").strip().lower() != invitation.email.strip().lower():
        raise ValidationError(WRONG_ACCOUNT % {"email": invitation.email})
    return _accept(invitation, actor)


@transaction.atomic(durable=True)
def invitation_signup(*, token: str, username: str, password: str):
    """Create an account from an unused invitation (e-mail taken from it) and accept it.

    The caller has validated the username and password (Django's ``UserCreationForm``); the
    invitation's single use is what authorises creating the account.
    """
    invitation = _usable_invitation(token)
    user = get_user_model().objects.create_user(username=username, email=invitation.email, password=password)
    _accept(invitation, user)
    return user, invitation
