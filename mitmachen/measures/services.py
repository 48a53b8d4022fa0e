"""Every write on measures. Views, the admin and the demo call these.

Exactly once under concurrency:
- a measure's stored ``progress`` is recomputed with the measure's row locked
  (``select_for_update``) and its milestones read afterwards, so two milestone changes
  at the same time cannot leave a progress that matches neither;
- following is one row per person and measure (a unique constraint);
- turning a proposal (or another module's contribution, ``measure_from_origin``) into a
  measure locks its row and refuses when a measure came from it already: a double
  submit makes one measure and tells people once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mitmachen.core.permissions import decide
from mitmachen.measures import media
from mitmachen.measures.media import DocumentUpload, ImageUpload
from mitmachen.measures.models import (
    DEFAULT_STATUSES,
    MEASURE_FROM_ORIGIN,
    MEASURE_FROM_PROPOSAL,
    MEASURE_UPDATED,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    FieldOfAction,
    Goal,
    Measure,
    MeasureFollow,
    MeasureOrigin,
    MeasureStatus,
    MeasureUpdate,
    MeasureUpdateDocument,
    MeasureUpdateImage,
    Milestone,
    ProgressMode,
    StatusKind,
)
from mitmachen.measures.origins import content_type as origin_content_type
from mitmachen.measures.permissions import manages_in
from mitmachen.measures.progress import milestone_progress
from mitmachen.notifications.services import notify, notify_rows
from mitmachen.projects.models import FollowDigestItem
from mitmachen.projects.origins import kind as origin_kind
from mitmachen.projects.origins import kind_of
from mitmachen.projects.services import project_followers_notify
from mitmachen.proposals.models import Proposal


def _require_manager(user: Any, organisation_id: int) -> None:
    if not manages_in(user, organisation_id):
        raise PermissionDenied(_("Nur die Verwaltung der Kommune kann Maßnahmen bearbeiten."))


def statuses_for(organisation_id: int) -> QuerySet[MeasureStatus]:
    """The statuses a measure of the municipality may have: the defaults and its own."""
    return MeasureStatus.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=organisation_id)
    )


def default_status(kind: str = StatusKind.PLANNED) -> MeasureStatus:
    """The default status of ``kind`` (from migration 0002; created again if missing)."""
    found = MeasureStatus.objects.filter(organisation__isnull=True, kind=kind).order_by("order")
    status = found.first()
    if status is None:
        name, _kind, requires_reason, order = next(d for d in DEFAULT_STATUSES if d[1] == kind)
        status = MeasureStatus.objects.create(
            name=name, kind=kind, requires_reason=requires_reason, order=order
        )
    return status


# --- The catalogue ---------------------------------------------------------------------------


@transaction.atomic
def field_of_action_save(*, user: Any, field: FieldOfAction) -> FieldOfAction:
    _require_manager(user, field.organisation_id)
    field.full_clean()
    field.save()
    return field


@transaction.atomic
def goal_save(*, user: Any, goal: Goal) -> Goal:
    _require_manager(user, goal.field.organisation_id)
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_delete(*, user: Any, goal: Goal) -> None:
    """Delete a goal with its measures (the admin asks for confirmation)."""
    _require_manager(user, goal.field.organisation_id)
    goal.delete()


@transaction.atomic
def status_save(*, user: Any, status: MeasureStatus) -> MeasureStatus:
    """A municipality's own status (the default set is the migration's)."""
    if status.organisation_id is None:
        if not getattr(user, "is_superuser", False):
            raise PermissionDenied(_("Die Standardstatus ändert nur die Plattformbetreuung."))
    else:
        _require_manager(user, status.organisation_id)
    status.full_clean()
    status.save()
    return status


@transaction.atomic
def measure_save(
    *,
    user: Any,
    measure: Measure,
    districts: Iterable[Any] | None = None,
    proposals: Iterable[Proposal] | None = None,
    climate_targets: Iterable[Any] | None = None,
) -> Measure:
    """Create or change a measure (with its Ortsteile, origins and the climate targets
    it works towards when given).

    The organisation follows the goal's field. Bad input raises ``ValidationError``
    with German messages and stores nothing.
    """
    if measure.goal_id:
        measure.organisation_id = measure.goal.field.organisation_id
    _require_manager(user, measure.organisation_id)
    if measure.status_id is None:
        measure.status = default_status()
    measure.full_clean(exclude=["districts", "proposals", "climate_targets"])
    if districts is not None:
        districts = list(districts)
        if any(d.organisation_id != measure.organisation_id for d in districts):
            raise ValidationError({"districts": _("Ortsteile einer anderen Kommune.")})
    if proposals is not None:
        proposals = list(proposals)
        if any(p.project.organisation_id != measure.organisation_id for p in proposals):
            raise ValidationError({"proposals": _("Vorschläge einer anderen Kommune.")})
    if climate_targets is not None:
        climate_targets = list(climate_targets)
        if any(t.indicator.organisation_id != measure.organisation_id for t in climate_targets):
            raise ValidationError({"climate_targets": _("Klimaziele einer anderen Kommune.")})
    measure.save()
    if districts is not None:
        measure.districts.set(districts)
    if proposals is not None:
        measure.proposals.set(proposals)
    if climate_targets is not None:
        measure.climate_targets.set(climate_targets)
    return measure_refresh_progress(measure=measure)


@transaction.atomic
def measure_delete(*, user: Any, measure: Measure) -> None:
    """Delete a measure with its milestones, updates and follows (administrators and
    project managers of the municipality)."""
    _require_manager(user, measure.organisation_id)
    measure.delete()


@transaction.atomic
def measure_refresh_progress(*, measure: Measure) -> Measure:
    """Store the progress the measure's mode gives (by hand, or its milestones), with
    the row locked. Returns the measure with the stored value."""
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    if locked.progress_mode == ProgressMode.MILESTONES:
        value = milestone_progress(locked.milestones.values_list("weight", "done"))
    else:
        value = locked.progress_manual
    if value != locked.progress:
        Measure.objects.filter(pk=locked.pk).update(progress=value)
        # An UPDATE sends no signal: the pages that show progress go stale here.
        from mitmachen.projects import modules

        modules.changed(everywhere=True)
    measure.progress = value
    return measure


@transaction.atomic
def milestone_save(*, user: Any, milestone: Milestone) -> Milestone:
    _require_manager(user, milestone.measure.organisation_id)
    milestone.full_clean()
    milestone.save()
    measure_refresh_progress(measure=milestone.measure)
    return milestone


@transaction.atomic
def milestone_delete(*, user: Any, milestone: Milestone) -> None:
    measure = milestone.measure
    _require_manager(user, measure.organisation_id)
    milestone.delete()
    measure_refresh_progress(measure=measure)


# --- Updates and following ------------------------------------------------------------------


def followers(measure: Measure) -> QuerySet[Any]:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(measure_follows__measure=measure)


@transaction.atomic
def update_post(
    *,
    user: Any,
    measure: Measure,
    text: str,
    status: MeasureStatus | None = None,
    status_reason: str = "",
    images: Sequence[ImageUpload] = (),
    documents: Sequence[DocumentUpload] = (),
    notify_followers: bool = True,
) -> MeasureUpdate:
    """Staff post an update to the measure's public timeline, optionally changing its
    status (a status that requires a reason takes ``status_reason``), with images (alt
    text required) and documents (PDF, ODT, DOCX). Every file is checked by its content
    before anything is stored (``media.prepare``); one bad file stores nothing. The
    followers are told in the platform once it commits."""
    _require_manager(user, measure.organisation_id)
    text = text.strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Bitte schreiben Sie, was es Neues gibt.")
    elif len(text) > TEXT_MAX_LENGTH:
        errors["text"] = _("Der Text ist zu lang (höchstens 10.000 Zeichen).")
    if status is not None and status.pk == measure.status_id:
        status = None  # no change
    if status is not None:
        if status.organisation_id not in (None, measure.organisation_id):
            errors["status"] = _("Diesen Status gibt es in dieser Kommune nicht.")
        elif status.requires_reason and not status_reason.strip():
            errors["status_reason"] = _(
                "Bitte begründen Sie öffentlich, warum die Maßnahme „%(status)s“ ist."
            ) % {"status": status.label}
    try:
        prepared = media.prepare(images=list(images), documents=list(documents))
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, " ".join(messages))
    if errors:
        raise ValidationError(errors)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if status is not None:
        measure.status = status
        measure.status_reason = status_reason.strip()
        measure.save(update_fields=["status", "status_reason", "updated_at"])
    update = MeasureUpdate.objects.create(measure=measure, author=user, text=text, status=status)
    for position, (content, alt_text) in enumerate(prepared.images):
        image = MeasureUpdateImage(update=update, alt_text=alt_text, position=position)
        image.image.save(content.name or "bild", content, save=False)
        image.save()
    for position, (content, title, kind, size) in enumerate(prepared.documents):
        document = MeasureUpdateDocument(
            update=update, title=title, kind=kind, size=size, position=position
        )
        document.file.save(content.name or f"dokument.{kind}", content, save=False)
        document.save()
    if notify_followers:
        transaction.on_commit(lambda: notify_update(update_id=update.pk))
    return update


@transaction.atomic
def update_edit(*, user: Any, update: MeasureUpdate, text: str) -> MeasureUpdate:
    """Correct the text of an update (its photos, documents and the status it reported
    stay). Nobody is told again: the followers heard of the update when it was posted.
    The timeline shows when it was edited."""
    _require_manager(user, update.measure.organisation_id)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Bitte schreiben Sie, was es Neues gibt.")})
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError({"text": _("Der Text ist zu lang (höchstens 10.000 Zeichen).")})
    update = MeasureUpdate.objects.select_for_update().get(pk=update.pk)
    if text != update.text:
        update.text = text
        update.edited_at = timezone.now()
        update.save(update_fields=["text", "edited_at"])
    return update


@transaction.atomic
def update_delete(*, user: Any, update: MeasureUpdate) -> None:
    """Delete an update from the timeline with its images and documents (their files
    leave storage once this commits, ``signals``). A status it set stays the measure's
    status: the update only reported it."""
    _require_manager(user, update.measure.organisation_id)
    update.delete()


def notify_update(*, update_id: int) -> None:
    """Tell the measure's followers: in the platform always; by e-mail at once those who
    chose e-mails at once for what they follow (``User.follow_mail``), in their weekly
    summary those who chose it. Two queries to read the followers and three INSERTs,
    however many they are.

    A published measure of a project also reaches the project's followers who do not
    follow the measure itself (``projects.services.project_followers_notify``): in the
    platform, and by their choice by e-mail at once or in their weekly summary."""
    from mitmachen.accounts.models import FollowMail

    update = MeasureUpdate.objects.select_related("measure__project", "status", "author").get(
        pk=update_id
    )
    measure = update.measure
    with translation.override(settings.LANGUAGE_CODE):  # the recipients', not the author's
        if update.status is not None:
            title = _("Neuer Stand der Maßnahme „%(title)s“: %(status)s") % {
                "title": measure.title,
                "status": update.status.label,
            }
        else:
            title = _("Neues zur Maßnahme „%(title)s“") % {"title": measure.title}
    people = list(followers(measure).only("pk", "email", "is_active", "follow_mail"))
    by_mail = [p for p in people if p.follow_mail == FollowMail.IMMEDIATE]
    quiet = [p for p in people if p.follow_mail != FollowMail.IMMEDIATE]
    url = measure.get_absolute_url()
    common: dict[str, Any] = {
        "kind": MEASURE_UPDATED,
        "title": title,
        "text": update.text,
        "url": url,
        "exclude": update.author,
    }
    if by_mail:
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "measures/email/measure_update.txt",
                {
                    "measure": measure,
                    "title": title,
                    "text": update.text,
                    "link": f"{settings.SITE_URL}{url}",
                    "settings_link": f"{settings.SITE_URL}{reverse('accounts:follows')}",
                },
            )
        notify(recipients=by_mail, mail_subject=title, mail_body=body, **common)
    if quiet:
        rows = notify_rows(recipients=quiet, **common)
        weekly = {p.pk for p in quiet if p.follow_mail == FollowMail.WEEKLY}
        # Those who chose the weekly summary find it there too (``follows``), whether
        # or not they follow the measure's project.
        FollowDigestItem.objects.bulk_create(
            FollowDigestItem(notification=row, user_id=row.recipient_id, project=measure.project)
            for row in rows
            if row.recipient_id in weekly
        )
    if measure.published and measure.project is not None:
        project_followers_notify(
            project=measure.project,
            kind=MEASURE_UPDATED,
            title=title,
            url=url,
            actor=update.author,
            text=update.text,
            skip=followers(measure),
        )


def measure_follow(*, user: Any, measure: Measure) -> bool:
    """Follow a measure. Returns False if the person already followed it."""
    decide(user, "measures.follow_measure", measure).raise_if_refused()
    try:
        with transaction.atomic():
            MeasureFollow.objects.create(measure=measure, user=user)
    except IntegrityError:
        return False
    return True


def measure_unfollow(*, user: Any, measure: Measure) -> bool:
    if not user.is_authenticated:
        return False
    deleted, _details = MeasureFollow.objects.filter(measure=measure, user=user).delete()
    return bool(deleted)


# --- Where it came from -----------------------------------------------------------------------


@transaction.atomic
def measure_from_proposal(
    *,
    user: Any,
    proposal: Proposal,
    goal: Goal,
    title: str = "",
    description: str = "",
    published: bool = True,
    notify_people: bool = True,
) -> Measure:
    """Turn an accepted proposal into a measure in one step: the measure takes the
    proposal's title, text, project and Ortsteil unless given, links back to it, and the
    proposal's author and followers are told. A proposal becomes a measure once (its
    row is locked; a second attempt is refused and names the measure)."""
    decide(user, "measures.measure_from_proposal", proposal).raise_if_refused()
    proposal = Proposal.objects.select_for_update().select_related("project").get(pk=proposal.pk)
    existing = proposal.measures.first()
    if existing is not None:
        raise ValidationError(
            _("Aus diesem Vorschlag ist schon die Maßnahme „%(title)s“ geworden.")
            % {"title": existing.title}
        )
    if goal.field.organisation_id != proposal.project.organisation_id:
        raise ValidationError({"goal": _("Das Ziel gehört zu einer anderen Kommune.")})
    measure = Measure(
        goal=goal,
        organisation_id=goal.field.organisation_id,
        project=proposal.project,
        title=(title or proposal.title).strip(),
        description=(description or proposal.text).strip(),
        published=published,
    )
    districts = [proposal.district] if proposal.district_id else []
    measure_save(user=user, measure=measure, districts=districts, proposals=[proposal])
    if notify_people:
        transaction.on_commit(
            lambda: notify_from_proposal(measure_id=measure.pk, proposal_id=proposal.pk)
        )
    return measure


def notify_from_proposal(*, measure_id: int, proposal_id: int) -> None:
    from django.contrib.auth import get_user_model

    measure = Measure.objects.get(pk=measure_id)
    if not measure.published:
        return
    proposal = Proposal.objects.select_related("author").get(pk=proposal_id)
    people = get_user_model().objects.filter(
        Q(pk=proposal.author_id) | Q(proposal_follows__proposal=proposal)
    )
    notify(
        recipients=people,
        kind=MEASURE_FROM_PROPOSAL,
        title=_("Aus dem Vorschlag „%(proposal)s“ wird die Maßnahme „%(measure)s“")
        % {"proposal": proposal.title, "measure": measure.title},
        url=measure.get_absolute_url(),
    )


@transaction.atomic
def measure_from_origin(
    *,
    user: Any,
    origin: Any,
    goal: Goal,
    title: str = "",
    description: str = "",
    published: bool = True,
    notify_people: bool = True,
) -> Measure:
    """Turn a contribution of another module into a measure in one step – the one way
    for every declared origin (``projects.origins.OriginKind``: a debate, a winning
    budget project …; other modules call this). The measure takes the contribution's
    title, text and project unless given and links back to it; the people its kind
    names are told once it commits (if published). A contribution becomes a measure
    once: its row is locked and a second attempt is refused, naming the measure.
    Further contributions join an existing measure with ``origin_add``."""
    kind = kind_of(origin)
    decide(user, "measures.measure_from_origin", origin).raise_if_refused()
    origin = kind.rows().select_for_update(of=("self",)).get(pk=origin.pk)
    reference = {"content_type": origin_content_type(kind), "object_id": origin.pk}
    existing = Measure.objects.filter(
        origins__content_type=reference["content_type"], origins__object_id=origin.pk
    ).first()
    if existing is not None:
        raise ValidationError(
            _("Daraus ist schon die Maßnahme „%(title)s“ geworden.") % {"title": existing.title}
        )
    if goal.field.organisation_id != kind.organisation_id(origin):
        raise ValidationError({"goal": _("Das Ziel gehört zu einer anderen Kommune.")})
    measure = Measure(
        goal=goal,
        organisation_id=goal.field.organisation_id,
        project_id=kind.project_id(origin),
        title=(title or kind.title(origin)).strip()[:TITLE_MAX_LENGTH],
        description=(description or kind.text(origin)).strip(),
        published=published,
    )
    measure_save(user=user, measure=measure)
    MeasureOrigin.objects.create(measure=measure, **reference)
    if notify_people and kind.people is not None:
        transaction.on_commit(
            lambda: notify_from_origin(measure_id=measure.pk, key=kind.key, origin_id=origin.pk)
        )
    return measure


def origin_add(*, user: Any, measure: Measure, origin: Any) -> bool:
    """Link a further contribution to ``measure`` (several can feed one). Same rule as
    ``measure_from_origin``; False when it was linked already."""
    kind = kind_of(origin)
    decide(user, "measures.measure_from_origin", origin).raise_if_refused()
    _require_manager(user, measure.organisation_id)
    if kind.organisation_id(origin) != measure.organisation_id:
        raise ValidationError({"measure": _("Die Maßnahme gehört zu einer anderen Kommune.")})
    try:
        with transaction.atomic():
            MeasureOrigin.objects.create(
                measure=measure, content_type=origin_content_type(kind), object_id=origin.pk
            )
    except IntegrityError:
        return False
    return True


def origin_remove(*, user: Any, reference: MeasureOrigin) -> None:
    """Unlink a contribution from its measure (the contribution stays)."""
    _require_manager(user, reference.measure.organisation_id)
    reference.delete()


def notify_from_origin(*, measure_id: int, key: str, origin_id: int) -> None:
    kind = origin_kind(key)
    measure = Measure.objects.get(pk=measure_id)
    origin = kind.rows().filter(pk=origin_id).first()
    if not measure.published or origin is None or kind.people is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Aus „%(origin)s“ wird die Maßnahme „%(measure)s“") % {
            "origin": kind.title(origin),
            "measure": measure.title,
        }
    notify(
        recipients=kind.people(origin),
        kind=MEASURE_FROM_ORIGIN,
        title=title,
        url=measure.get_absolute_url(),
    )
