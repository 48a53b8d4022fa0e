"""Every write on proposals and supports. Views, the admin, commands and the demo call these.

Counting is exact under concurrency without application locks:
- ``Support`` rows are unique per (proposal, person) in the database;
- ``support_count`` changes only with ``F()`` updates in the same transaction as the row;
- the quorum is recorded by a conditional ``UPDATE … WHERE quorum_reached_at IS NULL``,
  which exactly one transaction can win.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django_tasks import task

from mitmachen.core.channels import Channel
from mitmachen.core.mail import send_email
from mitmachen.core.permissions import decide
from mitmachen.core.upload_checks import (
    MAX_ATTACHMENTS,
    MAX_IMAGES,
    AttachmentUpload,
    ImageUpload,
    PreparedMedia,
    prepare_media,
)
from mitmachen.notifications.services import notify
from mitmachen.organisations.models import District, Membership, Role
from mitmachen.projects import contributions, modules
from mitmachen.projects.models import Project, Topic
from mitmachen.projects.services import locate_in_project, project_followers_notify
from mitmachen.proposals.models import (
    QUORUM_REACHED,
    STATUS_CHANGED,
    CustomStatus,
    Proposal,
    ProposalAttachment,
    ProposalFollow,
    ProposalImage,
    ProposalStatus,
    ProposalStatusChange,
    Support,
)
from mitmachen.proposals.permissions import can, can_propose


@dataclass(frozen=True)
class OfflineOrigin:
    """Where and when an offline proposal was handed in (entered by staff)."""

    channel: str
    submitted_on: date
    place: str
    name: str = ""
    consent: bool = False
    event_id: int | None = None  # the event it was collected at (``projects.contributions``)


def _store_media(proposal: Proposal, media: PreparedMedia) -> None:
    offset = proposal.images.count()
    for position, (content, alt_text, decorative) in enumerate(media.images, start=offset):
        image = ProposalImage(
            proposal=proposal, alt_text=alt_text, decorative=decorative, position=position
        )
        image.image.save(content.name or "bild", content, save=False)
        image.save()
    offset = proposal.attachments.count()
    for position, (content, title, size, pages) in enumerate(media.attachments, start=offset):
        attachment = ProposalAttachment(
            proposal=proposal, title=title, size=size, pages=pages, position=position
        )
        attachment.file.save(content.name or "dokument.pdf", content, save=False)
        attachment.save()


def _check_topic(project: Project, topic: Topic | None) -> None:
    if topic is not None and topic not in project.topics.all():
        raise ValidationError(
            {"topic": _("Dieses Thema gehört nicht zu diesem Beteiligungsprozess.")}
        )


@transaction.atomic
def proposal_create(
    *,
    author: Any,
    project: Project,
    title: str,
    text: str,
    topic: Topic | None = None,
    district: District | None = None,
    lon: float | None = None,
    lat: float | None = None,
    place_description: str = "",
    offline: OfflineOrigin | None = None,
    entered_by: Any = None,
    images: Sequence[ImageUpload] = (),
    attachments: Sequence[AttachmentUpload] = (),
) -> Proposal:
    """Create a proposal. Online: ``author`` must be allowed to propose in the current phase.

    Offline (``offline`` given): a member of staff (``entered_by``) who may change the
    project enters it on behalf of a resident; ``author`` may then be ``None``.
    """
    if offline is None:
        if not can_propose(author, project):
            raise PermissionDenied(_("In dieser Phase können keine Vorschläge eingereicht werden."))
    elif entered_by is None or not entered_by.has_perm("projects.change_project", project):
        raise PermissionDenied(_("Nur Mitarbeitende des Projekts können Vorschläge erfassen."))
    if (lon is None) != (lat is None):
        raise ValidationError({"lon": _("Der Punkt auf der Karte ist unvollständig.")})
    _check_topic(project, topic)
    media = prepare_media(images=images, attachments=attachments)
    proposal = Proposal(
        project=project,
        author=author,
        title=title.strip(),
        text=text.strip(),
        topic=topic,
        district=locate_in_project(project=project, lon=lon, lat=lat, district=district),
        lon=lon,
        lat=lat,
        place_description=place_description.strip(),
    )
    if offline is not None:
        proposal.channel = offline.channel
        proposal.submitted_on = offline.submitted_on
        proposal.offline_place = offline.place.strip()
        proposal.offline_name = offline.name.strip()
        proposal.offline_consent = offline.consent
        proposal.entered_by = entered_by
        if offline.channel == Channel.ONLINE:
            raise ValidationError({"channel": _("Bitte wählen Sie, wo der Vorschlag einging.")})
    proposal.full_clean()
    proposal.save()
    if offline is not None:
        contributions.record(row=proposal, event_id=offline.event_id, user=entered_by)
    _store_media(proposal, media)
    if author is not None:
        # Authors hear about responses and comments from the start; they may unfollow.
        ProposalFollow.objects.create(proposal=proposal, user=author)
    return proposal


@transaction.atomic
def proposal_update(
    *,
    user: Any,
    proposal: Proposal,
    title: str,
    text: str,
    topic: Topic | None = None,
    district: District | None = None,
    lon: float | None = None,
    lat: float | None = None,
    place_description: str = "",
    images: Sequence[ImageUpload] = (),
    attachments: Sequence[AttachmentUpload] = (),
    remove_images: Sequence[int] = (),
    remove_attachments: Sequence[int] = (),
) -> Proposal:
    """Authors may edit until the first support or comment, including images and PDFs."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not can(user, "change", proposal):
        raise PermissionDenied(
            _("Dieser Vorschlag kann nicht mehr bearbeitet werden, weil er schon Reaktionen hat.")
        )
    _check_topic(proposal.project, topic)
    proposal.title, proposal.text = title.strip(), text.strip()
    proposal.topic, proposal.lon, proposal.lat = topic, lon, lat
    proposal.place_description = place_description.strip()
    proposal.district = locate_in_project(
        project=proposal.project, lon=lon, lat=lat, district=district
    )
    kept_images = proposal.images.exclude(pk__in=remove_images)
    kept_attachments = proposal.attachments.exclude(pk__in=remove_attachments)
    media = prepare_media(
        images=images,
        attachments=attachments,
        existing_images=kept_images.count(),
        existing_attachments=kept_attachments.count(),
    )
    proposal.full_clean()
    # The fields an author edits (the project stays: no lookup of a move to another).
    proposal.save(
        update_fields=[
            "title",
            "text",
            "topic",
            "lon",
            "lat",
            "place_description",
            "district",
            "updated_at",
        ]
    )
    removed_rows: list[ProposalImage | ProposalAttachment] = [
        *proposal.images.filter(pk__in=remove_images),
        *proposal.attachments.filter(pk__in=remove_attachments),
    ]
    for removed in removed_rows:
        stored = removed.image if isinstance(removed, ProposalImage) else removed.file
        name = stored.name
        removed.delete()
        if name:  # a row without a file has nothing to delete from storage
            transaction.on_commit(partial(stored.storage.delete, name))
    _store_media(proposal, media)
    return proposal


def proposal_withdraw(*, user: Any, proposal: Proposal, reason: str) -> Proposal:
    """The author takes the proposal back; it stays visible, marked as withdrawn."""
    if not can(user, "withdraw", proposal):
        raise PermissionDenied(_("Sie können diesen Vorschlag nicht zurückziehen."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Bitte nennen Sie kurz den Grund.")})
    updated = Proposal.objects.filter(pk=proposal.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawal_reason=reason[:1000]
    )
    proposal.refresh_from_db()
    if not updated:
        raise ValidationError(_("Der Vorschlag wurde bereits zurückgezogen."))
    modules.changed(project_id=proposal.project_id)  # a conditional update: no signal
    return proposal


@transaction.atomic
def status_set(
    *,
    user: Any,
    proposal: Proposal,
    status: str = "",
    response: str,
    custom_status: CustomStatus | None = None,
    notify: bool = True,
) -> Proposal:
    """Staff set the status with a public response; the history keeps every change.

    Either a standard ``status`` or one of the project's ``custom_status`` (which
    stands for its base status). ``notify=False`` is for imports and the demo: nobody
    is notified.
    """
    if not can(user, "respond", proposal):
        raise PermissionDenied(_("Nur die Projektleitung kann den Status ändern."))
    if custom_status is not None:
        if custom_status.project_id != proposal.project_id:
            raise ValidationError({"status": _("Unbekannter Status.")})
        status = custom_status.base
    if status not in ProposalStatus.values:
        raise ValidationError({"status": _("Unbekannter Status.")})
    response = response.strip()
    if not response:
        raise ValidationError(
            {"response": _("Bitte begründen Sie den Status für die Öffentlichkeit.")}
        )
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    change = ProposalStatusChange(
        proposal=proposal,
        status=status,
        custom_status=custom_status,
        response=response,
        changed_by=user,
    )
    change.full_clean()
    change.save()
    proposal.status = status
    proposal.custom_status = custom_status
    proposal.official_response = response
    proposal.responded_at = change.created_at
    proposal.save(
        update_fields=[
            "status",
            "custom_status",
            "official_response",
            "responded_at",
            "updated_at",
        ]
    )
    if notify:
        transaction.on_commit(lambda: notify_status_changed(change_id=change.pk))
    return proposal


def notify_status_changed(*, change_id: int) -> None:
    """Tell the author and the followers that the administration answered (app and mail)."""
    change = ProposalStatusChange.objects.select_related(
        "proposal__author", "changed_by", "custom_status"
    ).get(pk=change_id)
    proposal = change.proposal
    context = {"change": change, "proposal": proposal, "SITE_URL": settings.SITE_URL}
    notify(
        recipients=[proposal.author, *followers(proposal)],
        kind=STATUS_CHANGED,
        title=_("Rückmeldung der Verwaltung: %(title)s – %(status)s")
        % {"title": proposal.title, "status": change.status_label},
        text=change.response,
        url=proposal.get_absolute_url(),
        mail_subject=_("Rückmeldung zum Vorschlag: %(title)s") % {"title": proposal.title},
        mail_body=render_to_string("proposals/email/status_changed.txt", context),
        exclude=change.changed_by,
    )
    # The project's followers hear it as well, unless they were just told (author and
    # followers of the proposal). A hidden proposal: only those who see hidden ones.
    from django.contrib.auth import get_user_model

    project_followers_notify(
        project=proposal.project,
        kind=STATUS_CHANGED,
        title=_("Rückmeldung der Verwaltung: %(title)s – %(status)s")
        % {"title": proposal.title, "status": change.status_label},
        text=change.response,
        url=proposal.get_absolute_url(),
        actor=change.changed_by,
        skip=get_user_model().objects.filter(
            Q(pk=proposal.author_id) | Q(proposal_follows__proposal=proposal)
        ),
        staff_only=proposal.is_hidden,
    )


def followers(proposal: Proposal) -> QuerySet[Any]:
    """The people following ``proposal`` (one query)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(proposal_follows__proposal=proposal)


def proposal_follow(*, user: Any, proposal: Proposal) -> bool:
    """Follow a proposal. Returns False if the person already followed it."""
    if not can(user, "follow", proposal):
        raise PermissionDenied(_("Diesem Vorschlag kann man nicht folgen."))
    try:
        with transaction.atomic():
            ProposalFollow.objects.create(proposal=proposal, user=user)
    except IntegrityError:
        return False
    return True


def proposal_unfollow(*, user: Any, proposal: Proposal) -> bool:
    """Stop following. Returns False if the person did not follow it."""
    if not user.is_authenticated:
        return False
    deleted, _details = ProposalFollow.objects.filter(proposal=proposal, user=user).delete()
    return bool(deleted)


def support_add(*, user: Any, proposal: Proposal, notify: bool = True) -> bool:
    """Support a proposal once. Returns False when the person had already supported it.

    One insert and one update: the unique constraint decides "already supported", the
    counter changes by ``support_count + 1`` and returns its new value, which ``proposal``
    receives (no reload). Only when that value reaches the quorum does the conditional
    quorum update run. ``notify=False`` is for imports and the demo: no mails about a
    reached quorum.
    """
    decide(user, "proposals.support_proposal", proposal).raise_if_refused()
    with transaction.atomic():
        try:
            with transaction.atomic():
                Support.objects.create(proposal=proposal, user=user)
        except IntegrityError:
            return False
        # The new support's signal makes the project's pages stale (count and quorum too).
        _count_support(proposal, +1)
        quorum = proposal.project.support_quorum
        if quorum and proposal.quorum_reached_at is None and proposal.support_count >= quorum:
            _record_quorum(proposal, notify=notify)
    return True


def support_withdraw(*, user: Any, proposal: Proposal) -> bool:
    """Take a support back while the support phase runs. Returns False if there was none.

    ``proposal`` receives the new count, as with ``support_add``.
    """
    if not user.is_authenticated or not proposal.project.allows("support"):
        raise PermissionDenied(
            _("In dieser Phase können Unterstützungen nicht zurückgenommen werden.")
        )
    support = Support.objects.filter(proposal=proposal, user=user).first()
    if support is None:
        return False
    support.proposal = proposal  # the page-cache signal reads the project from it
    with transaction.atomic():
        # Counts the row actually deleted: a parallel withdrawal deletes nothing here.
        deleted, _details = support.delete()
        if not deleted:
            return False
        _count_support(proposal, -1)
    return True


def _count_support(proposal: Proposal, step: int) -> None:
    """``support_count ± 1`` in the database (never read, add, write back), and the
    committed row's new count and quorum state on ``proposal``: one statement."""
    table = connection.ops.quote_name(Proposal._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET support_count = support_count + %s WHERE id = %s "  # noqa: S608
            "RETURNING support_count, quorum_reached_at",
            [step, proposal.pk],
        )
        count, reached_at = cursor.fetchone()
    proposal.support_count = count
    # SQLite returns the column as text or as a naive datetime, both in UTC.
    if isinstance(reached_at, str):
        reached_at = parse_datetime(reached_at)
    if reached_at is not None and timezone.is_naive(reached_at):
        reached_at = timezone.make_aware(reached_at, UTC)
    proposal.quorum_reached_at = reached_at


def _record_quorum(proposal: Proposal, *, notify: bool = True) -> None:
    """Mark the quorum as reached – exactly once, whoever gives the deciding support."""
    quorum = proposal.project.support_quorum
    if not quorum:
        return
    now = timezone.now()
    won = Proposal.objects.filter(
        pk=proposal.pk, quorum_reached_at__isnull=True, support_count__gte=quorum
    ).update(
        quorum_reached_at=now,
        status=Case(
            When(status=ProposalStatus.SUBMITTED, then=Value(ProposalStatus.QUORUM_REACHED)),
            default=F("status"),
        ),
        # A custom status standing for "eingegangen" gives way to "Quorum erreicht" too.
        custom_status=Case(
            When(status=ProposalStatus.SUBMITTED, then=Value(None)),
            default=F("custom_status"),
        ),
    )
    if won:
        proposal.quorum_reached_at = now
        if proposal.status == ProposalStatus.SUBMITTED:
            proposal.status, proposal.custom_status = ProposalStatus.QUORUM_REACHED, None
    if won and notify:
        # Mails and notifications are queued, not sent in the supporter's request.
        transaction.on_commit(lambda: quorum_reached.enqueue(proposal_id=proposal.pk))


@task()
def quorum_reached(*, proposal_id: int) -> None:
    """The background task behind ``notify_quorum_reached`` (Django Tasks API)."""
    notify_quorum_reached(proposal_id=proposal_id)


def notify_quorum_reached(*, proposal_id: int) -> None:
    """Tell the author and the project's staff that a proposal reached its quorum."""
    proposal = Proposal.objects.select_related("project__organisation", "author").get(
        pk=proposal_id
    )
    project = proposal.project
    staff = set(project.managers.values_list("email", flat=True)) | set(
        Membership.objects.filter(
            organisation=project.organisation, role__in=[Role.ADMIN, Role.PROJECT_MANAGER]
        ).values_list("user__email", flat=True)
    )
    context = {"proposal": proposal, "project": project, "SITE_URL": settings.SITE_URL}
    subject = _("Quorum erreicht: %(title)s") % {"title": proposal.title}
    if staff:
        send_email.enqueue(
            subject=subject,
            body=render_to_string("proposals/email/quorum_staff.txt", context),
            to=sorted(staff),
        )
    if proposal.author is not None:
        send_email.enqueue(
            subject=subject,
            body=render_to_string("proposals/email/quorum_author.txt", context),
            to=[proposal.author.email],
        )
    notify(
        recipients=[proposal.author, *followers(proposal)],
        kind=QUORUM_REACHED,
        title=subject,
        text=_("%(count)d Menschen unterstützen den Vorschlag; die Verwaltung prüft ihn jetzt.")
        % {"count": proposal.support_count},
        url=proposal.get_absolute_url(),
    )


# --- Uploads kept across the "similar proposals" step -------------------------------------
#
# Before publishing, the create form may come back once with look-alike proposals. A file
# input cannot be filled again by the server, so the chosen images and PDFs are kept in the
# default storage under a random name, listed only in the person's (server-side) session:
# no page shows their address, and nobody else can name them. Publishing uses and deletes
# them; anything older than a day is deleted by the next person who keeps uploads (and by
# ``pending_uploads_cleanup``).

PENDING_DIR = "tmp/vorschlag-uploads"
PENDING_MAX_AGE = timedelta(days=1)
UPLOAD_FIELDS = tuple(f"image_{n}" for n in range(1, MAX_IMAGES + 1)) + tuple(
    f"attachment_{n}" for n in range(1, MAX_ATTACHMENTS + 1)
)


def _pending_key(project: Project) -> str:
    return f"vorschlag-uploads-{project.pk}"


def pending_uploads(*, session: Any, project: Project) -> dict[str, dict[str, str]]:
    """The uploads kept for ``project`` in this session: field name → {name, path, type}."""
    kept = session.get(_pending_key(project)) or {}
    return {field: entry for field, entry in kept.items() if field in UPLOAD_FIELDS}


def pending_uploads_keep(
    *, session: Any, project: Project, files: dict[str, UploadedFile]
) -> dict[str, dict[str, str]]:
    """Keep the valid uploads of a create form that comes back before publishing.

    ``files`` maps form fields (``image_1`` …) to their uploads; uploads restored from an
    earlier step are kept as they are. Returns what is now kept.
    """
    pending_uploads_cleanup()
    storage = default_storage
    kept = pending_uploads(session=session, project=project)
    for field, upload in files.items():
        if field not in UPLOAD_FIELDS or getattr(upload, "pending_path", None):
            continue
        old = kept.pop(field, None)
        if old:
            storage.delete(old["path"])
        upload.seek(0)
        path = storage.save(f"{PENDING_DIR}/{secrets.token_urlsafe(24)}", upload)
        kept[field] = {
            "name": Path(upload.name or "").name[:200],
            "path": path,
            "type": upload.content_type or "application/octet-stream",
        }
    session[_pending_key(project)] = kept
    return kept


def pending_uploads_restore(
    *, session: Any, project: Project, files: Any, discard: Sequence[str] = ()
) -> Any:
    """``files`` (a request's FILES) with the kept uploads in the slots left empty.

    Slots named in ``discard`` ("entfernen") are dropped and their files deleted; a newly
    chosen file replaces the kept one of its slot.
    """
    kept = pending_uploads(session=session, project=project)
    if not kept:
        return files
    merged = files.copy()
    for field, entry in list(kept.items()):
        if field in discard or field in files:
            default_storage.delete(entry["path"])
            del kept[field]
            continue
        try:
            with default_storage.open(entry["path"], "rb") as stored:
                upload = SimpleUploadedFile(entry["name"], stored.read(), entry["type"])
        except OSError:  # cleaned up meanwhile: the slot is empty again
            del kept[field]
            continue
        upload.pending_path = entry["path"]  # type: ignore[attr-defined]
        merged[field] = upload
    session[_pending_key(project)] = kept
    return merged


def pending_uploads_clear(*, session: Any, project: Project) -> None:
    """Delete the uploads kept for ``project`` in this session (after publishing)."""
    for entry in pending_uploads(session=session, project=project).values():
        default_storage.delete(entry["path"])
    session.pop(_pending_key(project), None)


def pending_uploads_cleanup(*, max_age: timedelta = PENDING_MAX_AGE) -> int:
    """Delete kept uploads older than ``max_age`` (whoever kept them); returns how many."""
    storage = default_storage
    try:
        _dirs, names = storage.listdir(PENDING_DIR)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    limit = timezone.now() - max_age
    deleted = 0
    for name in names:
        path = f"{PENDING_DIR}/{name}"
        try:
            if storage.get_modified_time(path) < limit:
                storage.delete(path)
                deleted += 1
        except (FileNotFoundError, OSError):
            continue
    return deleted


# --- The proposal settings of a project (the project set-up in the site) ---------------------


def proposal_settings_save(
    *, user: Any, project: Any, support_quorum: int | None, support_eligibility: str
) -> None:
    """Set how supports count in ``project``: the quorum (``None``: none) and who may
    support. Refused in German once a proposal of the project has a support: the supports
    given so far were counted under the old rules, and a lowered quorum would not be
    recorded for proposals already above it (``_record_quorum`` runs on a support)."""
    import rules

    from mitmachen.projects.models import SupportEligibility

    if not rules.has_perm("projects.change_project", user, project):
        raise PermissionDenied
    errors: dict[str, Any] = {}
    if support_quorum is not None and not 1 <= support_quorum <= 1_000_000:
        errors["support_quorum"] = _("Bitte eine Zahl zwischen 1 und 1.000.000, oder leer lassen.")
    if support_eligibility not in SupportEligibility.values:
        errors["support_eligibility"] = _("Bitte wählen Sie, wer unterstützen darf.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        changed = (locked.support_quorum, locked.support_eligibility) != (
            support_quorum,
            support_eligibility,
        )
        if changed and Support.objects.filter(proposal__project=locked).exists():
            raise ValidationError(
                _(
                    "Vorschläge dieses Prozesses haben schon Unterstützungen: Quorum und wer "
                    "unterstützen darf lassen sich nicht mehr ändern, sonst zählten die "
                    "bisherigen Unterstützungen nach anderen Regeln."
                )
            )
        locked.support_quorum, locked.support_eligibility = support_quorum, support_eligibility
        locked.save(update_fields=["support_quorum", "support_eligibility", "updated_at"])
    project.support_quorum, project.support_eligibility = support_quorum, support_eligibility
