"""Writes for projects that the participation modules call: following a project and what
followers hear (``project_followers_notify``, the announcement of started phases, the weekly
digests), and the Ortsteil of a contribution (``locate_in_project``). The set-up flow's
writes are ``setup_services``', the invitations into private projects
``invitation_services``'. Views, the admin and commands call these."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
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
    Visibility,
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
