"""Writes for projects. Views, the admin and commands call these."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from mitmachen.organisations.models import District
from mitmachen.organisations.services import district_for_point
from mitmachen.projects.follow_events import digest_kinds
from mitmachen.projects.models import (
    PHASE_STARTED,
    Follow,
    FollowDigest,
    FollowDigestItem,
    Phase,
    Project,
    ProjectInvitation,
    ProjectMembership,
    Visibility,
    publish_refusal,
)
from mitmachen.projects.permissions import can_follow_project, viewers
from mitmachen.projects.selectors import districts_for


def project_follow(*, user: Any, project: Project) -> Follow:
    """Follow a project; following twice is harmless (one row, enforced by the database)."""
    if not can_follow_project(user, project):
        raise PermissionDenied
    try:
        with transaction.atomic():
            follow, _created = Follow.objects.get_or_create(user=user, project=project)
    except IntegrityError:
        # A parallel request created it between our read and write.
        follow = Follow.objects.get(user=user, project=project)
    return follow


def project_unfollow(*, user: Any, project: Project) -> None:
    Follow.objects.filter(user=user, project=project).delete()


# --- What followers hear about ---------------------------------------------------------------


def project_followers_notify(
    *,
    project: Project,
    kind: str,
    title: str,
    url: str,
    actor: Any = None,
    text: str = "",
    skip: Any = (),
    staff_only: bool = False,
) -> int:
    """Tell the followers of ``project`` about something new in it; returns how many.

    For new phases, surveys and debates, published results and official responses. Every
    follower who may see the project (``permissions.viewers``; with ``staff_only`` only
    those who see contributions hidden by moderation) gets a notification in the
    platform; by their ``follow_mail`` choice also an e-mail at once, or an entry in their
    weekly summary. ``actor`` (who caused the event) and ``skip`` (people the module
    already told, e.g. the author of an answered proposal; users, ids or a queryset) are
    left out. Call it once the event is committed (``transaction.on_commit``).

    A fixed number of queries, whatever the number of followers: one read of the
    followers, one INSERT per kind of delivery and one for the summary entries.
    """
    from django.contrib.auth import get_user_model

    from mitmachen.accounts.models import FollowMail
    from mitmachen.notifications.services import notify_rows

    people = get_user_model().objects.filter(is_active=True, follows__project=project)
    people = viewers(people, project, staff_only=staff_only)
    if actor is not None:
        people = people.exclude(pk=actor.pk)
    if isinstance(skip, QuerySet):
        people = people.exclude(pk__in=skip.values("pk"))
    elif skip:
        people = people.exclude(pk__in=[getattr(p, "pk", p) for p in skip if p is not None])
    by_choice: dict[str, list[Any]] = {choice: [] for choice in FollowMail.values}
    for person in people.only("pk", "email", "is_active", "follow_mail").order_by("pk"):
        by_choice.get(person.follow_mail, by_choice[FollowMail.NONE]).append(person)

    with translation.override(settings.LANGUAGE_CODE):
        subject = str(_("Neu in „%(project)s“: %(title)s")) % {
            "project": project.title,
            "title": title,
        }
        body = render_to_string(
            "projects/email/follow_update.txt",
            {
                "project": project,
                "title": title,
                "text": text,
                "link": f"{settings.SITE_URL}{url}",
                "settings_link": f"{settings.SITE_URL}{reverse('accounts:follows')}",
            },
        )
    created = 0
    with transaction.atomic():
        if by_choice[FollowMail.IMMEDIATE]:
            created += len(
                notify_rows(
                    recipients=by_choice[FollowMail.IMMEDIATE],
                    kind=kind,
                    title=title,
                    url=url,
                    text=text,
                    mail_subject=subject,
                    mail_body=body,
                )
            )
        quiet = by_choice[FollowMail.NONE] + by_choice[FollowMail.WEEKLY]
        if quiet:
            weekly = {person.pk for person in by_choice[FollowMail.WEEKLY]}
            rows = notify_rows(recipients=quiet, kind=kind, title=title, url=url, text=text)
            created += len(rows)
            FollowDigestItem.objects.bulk_create(
                FollowDigestItem(notification=row, user_id=row.recipient_id, project=project)
                for row in rows
                if row.recipient_id in weekly
            )
    return created


def due_phases(now: datetime) -> list[Phase]:
    """Phases that have started and still run, in projects that are not drafts, whose
    followers have not been told yet."""
    return list(
        Phase.objects.filter(followers_notified_at__isnull=True, start__lte=now, end__gt=now)
        .exclude(project__visibility=Visibility.DRAFT)
        .select_related("project")
        .order_by("start", "pk")
    )


def phases_started_notify(*, now: datetime | None = None) -> int:
    """Tell the followers of each project that a new phase has started; returns how many
    phases were announced. Run every few minutes (``manage.py notify_project_followers``).

    Exactly once per phase, also with several workers at the same time: a phase is
    claimed by ``UPDATE … SET followers_notified_at = now WHERE followers_notified_at IS
    NULL``; only the run whose UPDATE changed the row notifies, in the same transaction
    (if notifying fails, the claim rolls back and the next run tries again). Phases that
    had started before this feature existed were marked by the migration.
    """
    now = now or timezone.now()
    announced = 0
    for phase in due_phases(now):
        with transaction.atomic():
            won = Phase.objects.filter(pk=phase.pk, followers_notified_at__isnull=True).update(
                followers_notified_at=now
            )
            if not won:
                continue
            project = phase.project
            with translation.override(settings.LANGUAGE_CODE):
                title = _("Neue Phase in „%(project)s“: %(phase)s") % {
                    "project": project.title,
                    "phase": phase.name,
                }
                end = formats.date_format(localtime(phase.end), "DATE_FORMAT")
                actions = ", ".join(phase.action_labels())
                text = _("Bis %(end)s.") % {"end": end}
                if actions:
                    text = _("Bis %(end)s. Möglich: %(actions)s.") % {
                        "end": end,
                        "actions": actions,
                    }
            project_followers_notify(
                project=project,
                kind=PHASE_STARTED,
                title=title,
                text=text,
                url=project.get_absolute_url(),
            )
            announced += 1
    return announced


def iso_week(moment: datetime) -> str:
    year, week, _weekday = localtime(moment).isocalendar()
    return f"{year}-W{week:02d}"


def _digest_entries(person: Any, digest: FollowDigest) -> list[FollowDigestItem]:
    """The entries of ``digest`` the person still follows and may see: those of projects
    they follow and see, and those of a ``follow_events.DigestKind`` its module keeps (a
    followed measure; one query per such kind). Projects first, by title; then the
    others, each group in time."""
    extra = digest_kinds()
    followed = digest.items.filter(
        project__in=Project.objects.visible_to(person), project__follows__user=person
    )
    rows = list(
        digest.items.filter(Q(pk__in=followed.values("pk")) | Q(notification__kind__in=list(extra)))
        .annotate(of_followed_project=Exists(followed.filter(pk=OuterRef("pk"))))
        .select_related("notification__actor", "project")
        .order_by("notification__created_at", "pk")
    )
    kept = {row.pk for row in rows if row.of_followed_project}
    for kind, entry in extra.items():
        asked = [row for row in rows if row.pk not in kept and row.notification.kind == kind]
        if asked:
            urls = entry.keep(person, {row.notification.url for row in asked})
            kept |= {row.pk for row in asked if row.notification.url in urls}
    entries: list[FollowDigestItem] = [row for row in rows if row.pk in kept]
    # Stable: each group stays in time.
    entries.sort(key=lambda row: (row.project is None, row.project.title if row.project else ""))
    return entries


def follow_digests_send(*, now: datetime | None = None) -> int:
    """Send the weekly summaries of followed projects; returns how many mails were queued.

    Run once a week (``manage.py send_follow_digests``). Each person who chose the weekly
    summary and has pending entries gets one mail for this ISO week, grouped by project,
    each entry with its link. A second run in the same week (or a parallel one) sends
    nothing more to that person: ``FollowDigest`` is unique per person and week, and the
    entries are claimed with ``UPDATE … WHERE digest IS NULL``. Entries of projects the
    person no longer follows or may no longer see are left out, as are those of a
    followed measure (``follow_events.DigestKind``) its module no longer keeps; pending
    entries of people who have since chosen another setting are dropped (they had the
    notification).
    """
    from django.contrib.auth import get_user_model

    from mitmachen.accounts.models import FollowMail
    from mitmachen.core.mail import send_email

    now = now or timezone.now()
    period = iso_week(now)
    pending = FollowDigestItem.objects.filter(digest__isnull=True)
    pending.exclude(user__follow_mail=FollowMail.WEEKLY).delete()
    user_ids = list(pending.values_list("user_id", flat=True).distinct().order_by("user_id"))
    sent = 0
    for person in get_user_model().objects.filter(pk__in=user_ids, is_active=True):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    digest = FollowDigest.objects.create(user=person, period=period, sent_at=now)
            except IntegrityError:
                continue  # this week's summary went out already
            if not FollowDigestItem.objects.filter(user=person, digest__isnull=True).update(
                digest=digest
            ):
                digest.delete()  # a parallel run took them
                continue
            items = _digest_entries(person, digest)
            if not items or not person.email:
                continue
            groups: dict[Any, dict[str, Any]] = {}
            for item in items:
                title: Any
                if item.project is not None:
                    key: Any = item.project_id
                    title = item.project.title
                    link = item.project.get_absolute_url()
                else:
                    key = item.notification.kind
                    title = digest_kinds()[key].heading  # lazy: in the mail's language
                    link = reverse("accounts:follows")
                group = groups.setdefault(
                    key, {"title": title, "link": f"{settings.SITE_URL}{link}", "entries": []}
                )
                group["entries"].append(
                    {
                        "kind": item.notification.get_kind_display(),
                        "title": item.notification.display_title,
                        "link": f"{settings.SITE_URL}{item.notification.safe_url}",
                    }
                )
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("Ihre Wochenzusammenfassung: Neues aus „%(project)s“") % {
                    "project": next(iter(groups.values()))["title"]
                }
                if len(groups) > 1:
                    subject = _(
                        "Ihre Wochenzusammenfassung: Neues aus %(count)s Beteiligungsprozessen"
                    ) % {"count": len(groups)}
                body = render_to_string(
                    "projects/email/follow_digest.txt",
                    {
                        "groups": list(groups.values()),
                        "settings_link": f"{settings.SITE_URL}{reverse('accounts:follows')}",
                    },
                )
            transaction.on_commit(
                partial(send_email.enqueue, subject=subject, body=body, to=[person.email]),
                robust=True,
            )
            sent += 1
    return sent


# --- Setting a project up (the staff pages in ``dashboard``) ----------------------------------
#
# Every write of the set-up flow: the dashboard's views call these, and each checks the
# permission (``projects.add_project`` / ``projects.change_project``) and the rules a
# project's data must keep (alt text with an image, Ortsteile of the own municipality,
# phases that do not overlap) itself, raising ``ValidationError`` with German messages, so
# nothing half-checked is ever stored.

# The project's fields the set-up's basics step writes (besides topics and Ortsteile).
BASIC_FIELDS = (
    "title",
    "slug",
    "summary",
    "description",
    "image",
    "image_alt",
    "contact_name",
    "contact_phone",
    "contact_email",
)
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")


def locate_in_project(
    *, project: Project, lon: float | None, lat: float | None, district: District | None
) -> District | None:
    """The Ortsteil of a contribution to ``project`` (a proposal, a budget idea): the map
    point decides when there is one; either must lie in the project's Ortsteile."""
    allowed = list(districts_for(project))
    if lon is not None and lat is not None:
        found = None
        for organisation in project.all_organisations():
            found = district_for_point(lon=lon, lat=lat, organisation=organisation)
            if found:
                break
        if found is None or (allowed and found not in allowed):
            raise ValidationError(
                {
                    "lon": _(
                        "Der Punkt auf der Karte liegt außerhalb des Gebiets dieser Beteiligung."
                    )
                }
            )
        return found
    if district is not None and allowed and district not in allowed:
        raise ValidationError(
            {"district": _("Dieser Ortsteil gehört nicht zu diesem Beteiligungsprozess.")}
        )
    return district


def organisations_for_new_projects(user: Any) -> QuerySet[Any]:
    """The municipalities in which ``user`` may create a project: all for superusers, else
    those where the person is administrator or project manager (``projects.add_project``)."""
    from mitmachen.organisations.models import Organisation, Role
    from mitmachen.projects.permissions import staff_roles

    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    ids = [
        org
        for org, roles in staff_roles(user).items()
        if roles & {Role.ADMIN, Role.PROJECT_MANAGER}
    ]
    return Organisation.objects.filter(pk__in=ids)


def _require_change(user: Any, project: Project) -> None:
    import rules

    if not rules.has_perm("projects.change_project", user, project):
        raise PermissionDenied


def _check_basics(project: Project, districts: Any) -> None:
    from django.core.exceptions import ValidationError

    errors: dict[str, Any] = {}
    if project.image and not (project.image_alt or "").strip():
        errors["image_alt"] = _("Bitte beschreiben Sie das Bild (Alternativtext).")
    from django.db.models import Field

    for name in CONTACT_FIELDS:
        field = Project._meta.get_field(name)
        assert isinstance(field, Field)  # a concrete column, not a relation
        try:
            field.clean(getattr(project, name), project)
        except ValidationError as error:
            errors[name] = error.messages
    foreign = [d.name for d in districts if d.organisation_id != project.organisation_id]
    if foreign:
        errors["districts"] = _(
            "Diese Ortsteile gehören nicht zur Kommune des Prozesses: %(names)s"
        ) % {"names": ", ".join(foreign)}
    if errors:
        raise ValidationError(errors)


def _slug_taken(slug: str, project: Project) -> bool:
    return Project.objects.filter(slug=slug).exclude(pk=project.pk).exists()


def _save_basics(project: Project, topics: Any, districts: Any) -> None:
    from django.core.exceptions import ValidationError

    if _slug_taken(project.slug, project):
        raise ValidationError(
            {"slug": _("Diese Adresse hat schon ein anderer Beteiligungsprozess.")}
        )
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError as error:  # a parallel request took the slug
        raise ValidationError(
            {"slug": _("Diese Adresse hat schon ein anderer Beteiligungsprozess.")}
        ) from error
    project.topics.set(topics)
    # Ortsteile of partner municipalities (set by the operator in the admin) stay.
    kept = [d for d in project.districts.all() if d.organisation_id != project.organisation_id]
    project.districts.set([*kept, *districts])


def project_create(
    *,
    user: Any,
    organisation: Any,
    title: str,
    slug: str,
    summary: str,
    description: str = "",
    image: Any = None,
    image_alt: str = "",
    topics: Any = (),
    districts: Any = (),
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
) -> Project:
    """Create a project as a draft; a project manager who creates it leads it."""
    from mitmachen.organisations.models import Role
    from mitmachen.projects.permissions import staff_roles

    if not organisations_for_new_projects(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    project = Project(
        organisation=organisation,
        title=title,
        slug=slug,
        summary=summary,
        description=description,
        image=image or "",
        image_alt=image_alt,
        visibility=Visibility.DRAFT,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
    )
    _check_basics(project, districts)
    with transaction.atomic():
        _save_basics(project, topics, districts)
        if Role.PROJECT_MANAGER in staff_roles(user).get(organisation.pk, set()):
            project.managers.add(user)
    return project


def project_update(
    *, user: Any, project: Project, topics: Any, districts: Any, **fields: Any
) -> Project:
    """Change the basics (``BASIC_FIELDS``, topics, the own municipality's Ortsteile)."""
    unknown = set(fields) - set(BASIC_FIELDS)
    if unknown:
        raise TypeError(f"project_update() cannot change {sorted(unknown)}")
    _require_change(user, project)
    for name, value in fields.items():
        if name == "image":
            if value is None:
                continue  # no new upload: the image stays
            value = value or ""  # False: the image is removed
        setattr(project, name, value)
    _check_basics(project, districts)
    with transaction.atomic():
        _save_basics(project, topics, districts)
    return project


def project_set_visibility(*, user: Any, project: Project, visibility: str) -> Project:
    """Publish (public or private) or take back to a draft."""
    from django.core.exceptions import ValidationError

    _require_change(user, project)
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Bitte wählen Sie eine Sichtbarkeit.")})
    refusal = publish_refusal(visibility, visibility == Visibility.DRAFT or project.phases.exists())
    if refusal:
        raise ValidationError({"visibility": refusal})
    project.visibility = visibility
    project.save(update_fields=["visibility", "updated_at"])
    return project


def phase_change_warnings(
    *,
    project: Project,
    phase: Phase | None,
    actions: list[str],
    start: datetime | None = None,
    end: datetime | None = None,
    now: datetime | None = None,
) -> list[str]:
    """What a change of a running phase would mean for participants and stored
    contributions, in German: new dates that stop the phase running now, and one sentence
    per action that the current phase allows today, that the change removes, and whose
    module has rows in the project (the module's declared ``page_cache`` models)."""
    from django.apps import apps

    from mitmachen.projects import modules

    now = now or timezone.now()
    if phase is None or not phase.pk or not phase.is_current(now):
        return []
    warnings = []
    if start is not None and end is not None and not start <= now < end and phase.actions:
        warnings.append(
            _(
                "Die Phase „%(phase)s“ läuft gerade. Mit den neuen Daten läuft sie jetzt nicht "
                "mehr: „%(actions)s“ ist dann sofort nicht mehr möglich."
            )
            % {"phase": phase.name, "actions": ", ".join(phase.action_labels())}
        )
    removed = set(phase.actions) - set(actions)
    stored_by_module: dict[str, int] = {}
    for module in modules.registered():
        for action in module.phase_actions:
            if action.key not in removed:
                continue
            if module.label not in stored_by_module:
                stored_by_module[module.label] = sum(
                    apps.get_model(cached.model)
                    ._default_manager.filter(**{cached.project.replace(".", "__"): project.pk})
                    .count()
                    for cached in module.page_cache
                )
            stored = stored_by_module[module.label]
            if stored:
                warnings.append(
                    _(
                        "Die Phase „%(phase)s“ läuft gerade und erlaubt „%(action)s“; dazu "
                        "sind schon %(count)s Einträge gespeichert. Nach der Änderung ist "
                        "das in dieser Phase nicht mehr möglich; gespeicherte Beiträge "
                        "bleiben erhalten."
                    )
                    % {"phase": phase.name, "action": action.label, "count": stored}
                )
    return warnings


def _check_phases(phases: list[Phase]) -> None:
    from django.core.exceptions import ValidationError

    from mitmachen.projects.models import find_overlap

    overlap = find_overlap(phases)
    if overlap:
        raise ValidationError(
            _("Die Phasen „%(a)s“ und „%(b)s“ überschneiden sich.")
            % {"a": overlap[0].name, "b": overlap[1].name}
        )


def phase_save(
    *,
    user: Any,
    project: Project,
    phase: Phase | None = None,
    name: str,
    description: str = "",
    start: datetime,
    end: datetime,
    actions: list[str],
) -> Phase:
    """Add a phase to ``project`` or change ``phase``; phases of a project never overlap,
    the end lies after the start and only declared actions are allowed."""
    _require_change(user, project)
    if phase is not None and phase.project_id != project.pk:
        raise PermissionDenied
    with transaction.atomic():
        # One writer of a project's phases at a time: two parallel additions could each
        # see no overlap with the other.
        Project.objects.select_for_update().filter(pk=project.pk).first()
        target = phase if phase is not None else Phase(project=project)
        target.name, target.description = name, description
        target.start, target.end, target.actions = start, end, list(actions)
        target.full_clean(exclude=["project"])
        others = list(project.phases.exclude(pk=target.pk or 0))
        _check_phases([*others, target])
        target.save()
    return target


def phase_delete(*, user: Any, phase: Phase) -> None:
    """Delete a phase; refused (German ``ValidationError``) while rows of a module, such as
    a survey, belong to it (``on_delete=RESTRICT``)."""
    from django.core.exceptions import ValidationError
    from django.db.models import ProtectedError, RestrictedError

    _require_change(user, phase.project)
    try:
        with transaction.atomic():
            phase.delete()
    except (RestrictedError, ProtectedError) as error:
        rows = (
            error.restricted_objects
            if isinstance(error, RestrictedError)
            else error.protected_objects
        )
        names = sorted({str(row) for row in rows})
        raise ValidationError(
            _(
                "Die Phase „%(phase)s“ kann nicht gelöscht werden, weil noch etwas zu ihr "
                "gehört: %(names)s. Ordnen Sie es zuerst einer anderen Phase zu."
            )
            % {"phase": phase.name, "names": ", ".join(names[:5])}
        ) from error


def phase_move(*, user: Any, phase: Phase, up: bool, now: datetime | None = None) -> None:
    """Swap ``phase`` with its neighbour on the timeline: the two exchange their places and
    keep their lengths and the gap between them, so no other phase is touched. Phases that
    have begun stay where they are: their dates are history."""
    from datetime import timedelta

    from django.core.exceptions import ValidationError

    project = phase.project
    _require_change(user, project)
    now = now or timezone.now()
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        phases = sorted(project.phases.all(), key=lambda p: (p.start, p.pk))
        index = next((i for i, p in enumerate(phases) if p.pk == phase.pk), None)
        if index is None:
            raise PermissionDenied
        other_index = index - 1 if up else index + 1
        if not 0 <= other_index < len(phases):
            raise ValidationError(
                _("Die Phase steht schon am Anfang.") if up else _("Die Phase steht schon am Ende.")
            )
        first, second = sorted((phases[index], phases[other_index]), key=lambda p: p.start)
        if first.start <= now:
            raise ValidationError(
                _("„%(phase)s“ hat schon begonnen; begonnene Phasen bleiben an ihrem Platz.")
                % {"phase": first.name}
            )
        gap: timedelta = second.start - first.end
        first_length, second_length = first.end - first.start, second.end - second.start
        begin = first.start
        second.start, second.end = begin, begin + second_length
        first.start = second.end + gap
        first.end = first.start + first_length
        for row in (first, second):
            row.save(update_fields=["start", "end"])


# --- Invitations into private projects (the set-up's invitation page) --------------------
#
# Staff invite by e-mail address. An address that an account has confirmed becomes a
# membership at once; any other address gets a ``ProjectInvitation``, which becomes a
# membership when a person confirms the address for their account (allauth's
# ``email_confirmed``, connected in ``projects.signals``) – never on sign-up alone, so no
# one gains access by typing someone else's address. Both get a mail with a link to the
# invitation page (``projects:invitation``), which leads to sign-up or login and then into
# the project.

INVITATION_SALT = "mitmachen.projects.invitation"
MAX_INVITATIONS_AT_ONCE = 50


def invitation_token(project: Project, email: str) -> str:
    return signing.dumps({"p": project.pk, "e": email}, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> tuple[int, str] | None:
    """The project id and address in a valid invitation link (``None`` if tampered)."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        return None
    if not isinstance(data.get("e"), str):
        return None
    return data["p"], data["e"]


def _invitation_mail(project: Project, email: str, *, has_account: bool) -> None:
    from mitmachen.core.mail import send_email

    path = reverse("projects:invitation", args=[invitation_token(project, email)])
    link = f"{settings.SITE_URL}{path}"
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Einladung: „%(project)s“") % {"project": project.title}
        body = render_to_string(
            "projects/email/invitation.txt",
            {
                "project": project,
                "organisation": project.organisation.display_name,
                "link": link,
                "has_account": has_account,
                "email": email,
            },
        )
    transaction.on_commit(
        partial(send_email.enqueue, subject=subject, body=body, to=[email]), robust=True
    )


def project_invite(*, user: Any, project: Project, emails: list[str]) -> dict[str, list[str]]:
    """Invite the people behind ``emails`` into ``project``. Returns the addresses by
    outcome: ``members`` (a confirmed account, now a member), ``invited`` (no confirmed
    account yet: an open invitation), ``already`` (member or invited before; no new mail)."""
    from allauth.account.models import EmailAddress
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    _require_change(user, project)
    addresses = list(dict.fromkeys(e.strip().lower() for e in emails if e.strip()))
    if not addresses:
        raise ValidationError({"emails": _("Bitte geben Sie mindestens eine E-Mail-Adresse an.")})
    if len(addresses) > MAX_INVITATIONS_AT_ONCE:
        raise ValidationError(
            {"emails": _("Bitte laden Sie höchstens 50 Personen auf einmal ein.")}
        )
    wrong = []
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            wrong.append(address)
    if wrong:
        raise ValidationError(
            {
                "emails": _("Das sind keine gültigen E-Mail-Adressen: %(addresses)s")
                % {"addresses": ", ".join(wrong)}
            }
        )
    confirmed = {
        row.lowered: row.user
        for row in EmailAddress.objects.filter(verified=True)
        .annotate(lowered=Lower("email"))
        .filter(lowered__in=addresses)
        .select_related("user")
    }
    result: dict[str, list[str]] = {"members": [], "invited": [], "already": []}
    with transaction.atomic():
        for address in addresses:
            person = confirmed.get(address)
            if person is not None:
                created = ProjectMembership.objects.get_or_create(project=project, user=person)[1]
            else:
                created = ProjectInvitation.objects.get_or_create(
                    project=project, email=address, defaults={"invited_by": user}
                )[1]
            if not created:
                result["already"].append(address)
                continue
            result["members" if person is not None else "invited"].append(address)
            _invitation_mail(project, address, has_account=person is not None)
    return result


def project_membership_remove(*, user: Any, membership: ProjectMembership) -> None:
    """End an invited person's access to a private project."""
    _require_change(user, membership.project)
    membership.delete()


def project_invitation_revoke(*, user: Any, invitation: ProjectInvitation) -> None:
    """Withdraw an open invitation; its link no longer leads into the project."""
    _require_change(user, invitation.project)
    invitation.delete()


def invitations_accept(*, user: Any, email: str) -> list[Project]:
    """``user`` has confirmed ``email``: the open invitations to it become memberships
    (idempotent; called on allauth's ``email_confirmed``). Returns the projects."""
    address = email.strip().lower()
    with transaction.atomic():
        invitations = list(
            ProjectInvitation.objects.select_for_update()
            .filter(email=address)
            .select_related("project")
        )
        for invitation in invitations:
            ProjectMembership.objects.get_or_create(project=invitation.project, user=user)
        ProjectInvitation.objects.filter(pk__in=[i.pk for i in invitations]).delete()
    return [i.project for i in invitations]
