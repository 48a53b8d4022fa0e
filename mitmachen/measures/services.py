"""Every write on measures. Views, the admin and the demo call these.

Exactly once under concurrency:
- a measure's stored ``progress`` is recomputed with the measure's row locked
  (``select_for_update``) and its milestones read afterwards, so two milestone changes
  at the same time cannot leave a progress that matches neither;
- following is one row per person and measure (a unique constraint);
- turning a proposal into a measure locks the proposal's row and refuses when a
  measure came from it already: a double submit makes one measure and tells people once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
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
from mitmachen.measures.imports import MAX_BYTES, ImportFileError, Parsed, parse
from mitmachen.measures.media import DocumentUpload, ImageUpload
from mitmachen.measures.models import (
    DEFAULT_STATUSES,
    MEASURE_FROM_PROPOSAL,
    MEASURE_UPDATED,
    TEXT_MAX_LENGTH,
    FieldOfAction,
    Goal,
    ImportState,
    Measure,
    MeasureFollow,
    MeasureImport,
    MeasureStatus,
    MeasureUpdate,
    MeasureUpdateDocument,
    MeasureUpdateImage,
    Milestone,
    ProgressMode,
    StatusKind,
)
from mitmachen.measures.permissions import manages_in
from mitmachen.measures.progress import milestone_progress
from mitmachen.notifications.services import notify
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
) -> Measure:
    """Create or change a measure (with its Ortsteile and origins when given).

    The organisation follows the goal's field. Bad input raises ``ValidationError``
    with German messages and stores nothing.
    """
    if measure.goal_id:
        measure.organisation_id = measure.goal.field.organisation_id
    _require_manager(user, measure.organisation_id)
    if measure.status_id is None:
        measure.status = default_status()
    measure.full_clean(exclude=["districts", "proposals"])
    if districts is not None:
        districts = list(districts)
        if any(d.organisation_id != measure.organisation_id for d in districts):
            raise ValidationError({"districts": _("Ortsteile einer anderen Kommune.")})
    if proposals is not None:
        proposals = list(proposals)
        if any(p.project.organisation_id != measure.organisation_id for p in proposals):
            raise ValidationError({"proposals": _("Vorschläge einer anderen Kommune.")})
    measure.save()
    if districts is not None:
        measure.districts.set(districts)
    if proposals is not None:
        measure.proposals.set(proposals)
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
def update_delete(*, user: Any, update: MeasureUpdate) -> None:
    """Delete an update from the timeline with its images and documents (their files
    leave storage once this commits, ``signals``). A status it set stays the measure's
    status: the update only reported it."""
    _require_manager(user, update.measure.organisation_id)
    update.delete()


def notify_update(*, update_id: int) -> None:
    """Tell the measure's followers: in the platform always; by e-mail at once those who
    chose e-mails at once for what they follow (``User.follow_mail``). The weekly
    summary is of followed projects only, so people who chose it hear of measures in the
    platform. Two queries to read the followers and two INSERTs, however many they are."""
    from mitmachen.accounts.models import FollowMail

    update = MeasureUpdate.objects.select_related("measure", "status", "author").get(pk=update_id)
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
        notify(recipients=quiet, **common)


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


# --- Import -----------------------------------------------------------------------------------

# Files larger than this are checked and imported by background tasks (about 350 rows
# of CSV or 1,200 of XLSX; checking 10,000 rows takes seconds, see docs/measures.md).
BACKGROUND_BYTES = 100 * 1024
PREVIEW_KEPT = timedelta(days=1)
BATCH = 500
UPDATE_BATCH = 50


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@transaction.atomic
def catalogue_import(*, user: Any, organisation: Any, parsed: Parsed) -> tuple[int, int]:
    """Store a checked list (``imports.parse`` without errors): new fields of action and
    goals, new measures, changed ones (matched by ID), their Ortsteile. All or nothing;
    returns (created, changed). Few queries per 500 rows (bulk writes); the progress of
    a measure computed from its milestones is computed from them here too."""
    if not parsed.ok:
        raise ValidationError(_("Die Datei enthält Fehler; es wurde nichts gespeichert."))
    _require_manager(user, organisation.pk)
    rows = parsed.rows
    changed_ids = [r.measure.pk for r in rows if not r.is_new]
    still_there = set(
        Measure.objects.select_for_update()
        .filter(organisation=organisation, pk__in=changed_ids)
        .values_list("pk", flat=True)
    )
    gone = sorted(set(changed_ids) - still_there)
    if gone:
        raise ValidationError(
            _("Diese Maßnahmen wurden inzwischen gelöscht: %(ids)s. Es wurde nichts gespeichert.")
            % {"ids": ", ".join(map(str, gone))}
        )
    fields = {_key(f.title): f for f in FieldOfAction.objects.filter(organisation=organisation)}
    goals = {
        (_key(g.field.title), _key(g.title)): g
        for g in Goal.objects.filter(field__organisation=organisation).select_related("field")
    }
    next_order = max((f.order for f in fields.values()), default=0)
    for row in rows:
        key = (_key(row.field_title), _key(row.goal_title))
        goal = goals.get(key)
        if goal is None:
            field = fields.get(key[0])
            if field is None:
                next_order = min(next_order + 1, 32767)
                field = fields[key[0]] = FieldOfAction.objects.create(
                    organisation=organisation, title=row.field_title, order=next_order
                )
            goal = goals[key] = Goal.objects.create(
                field=field, title=row.goal_title, weight=row.goal_weight or 1
            )
        elif row.goal_weight and goal.weight != row.goal_weight:
            goal.weight = row.goal_weight
            goal.save(update_fields=["weight", "updated_at"])
        row.measure.goal = goal
        row.measure.organisation = organisation
    milestones: dict[int, list[tuple[int, bool]]] = {}
    for measure_id, weight, done in Milestone.objects.filter(
        measure_id__in=changed_ids
    ).values_list("measure_id", "weight", "done"):
        milestones.setdefault(measure_id, []).append((weight, done))
    now = timezone.now()
    new: list[Measure] = []
    changed: list[Measure] = []
    columns: set[str] = set()
    for row in rows:
        m = row.measure
        m.progress = (
            milestone_progress(milestones.get(m.pk, []))
            if m.progress_mode == ProgressMode.MILESTONES
            else m.progress_manual
        )
        m.updated_at = now
        if row.is_new:
            new.append(m)
            continue
        names = set(row.changes) | ({"progress"} if m.progress != row.old_progress else set())
        if names:
            changed.append(m)
            columns |= names
    Measure.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        # Small batches: an UPDATE with a CASE per column grows with the square of its
        # rows (10,000 changed measures: 155 s in batches of 500).
        Measure.objects.bulk_update(
            changed,
            [*sorted(name.removesuffix("_id") for name in columns), "updated_at"],
            batch_size=UPDATE_BATCH,
        )
    through = Measure.districts.through
    with_districts = [
        r for r in rows if r.districts is not None and (r.is_new or r.districts_changed)
    ]
    through.objects.filter(
        measure_id__in=[r.measure.pk for r in with_districts if not r.is_new]
    ).delete()
    through.objects.bulk_create(
        (
            through(measure_id=r.measure.pk, district_id=d.pk)
            for r in with_districts
            for d in r.districts or []
        ),
        batch_size=2000,
    )
    # Bulk writes send no signal: the pages that show measures go stale here.
    from mitmachen.projects import modules

    modules.changed(everywhere=True)
    written = {m.pk for m in changed}
    return len(new), sum(
        1 for r in rows if not r.is_new and (r.measure.pk in written or r.districts_changed)
    )


def import_preview(
    *, user: Any, organisation: Any, file_name: str, data: bytes
) -> tuple[MeasureImport | None, Parsed | None]:
    """Check an uploaded list; keep it for confirmation only if every row is valid.
    Raises ``ImportFileError`` (German) when the file as a whole cannot be read.

    A big file (over ``BACKGROUND_BYTES``) is kept and checked by a background task
    instead: returns (its row, ``None``); its status page shows the progress and then
    the preview."""
    decide(user, "measures.import_catalogue", organisation).raise_if_refused()
    MeasureImport.objects.filter(
        state__in=[ImportState.PREVIEWED, ImportState.FAILED, ImportState.DONE],
        created_at__lt=timezone.now() - PREVIEW_KEPT,
    ).delete()
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("Die Datei ist zu groß (höchstens %(mb)d MB). Bitte teilen Sie sie auf.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if len(data) > BACKGROUND_BYTES:
        pending = MeasureImport.objects.create(
            organisation=organisation,
            uploaded_by=user,
            file_name=file_name[:200],
            data=data,
            state=ImportState.CHECKING,
        )
        from mitmachen.measures.tasks import check_measures

        transaction.on_commit(lambda: check_measures.enqueue(import_id=pending.pk))
        return pending, None
    parsed = parse(organisation=organisation, data=data)
    if not parsed.ok:
        return None, parsed
    pending = MeasureImport.objects.create(
        organisation=organisation,
        uploaded_by=user,
        file_name=file_name[:200],
        data=data,
        rows_total=len(parsed.rows),
    )
    return pending, parsed


def _progress(import_id: int) -> Any:
    def progress(done: int, total: int) -> None:
        MeasureImport.objects.filter(pk=import_id).update(rows_done=done, rows_total=total)

    return progress


def _claim(import_id: int, state: str, then: str) -> MeasureImport | None:
    """Move the import from ``state`` to ``then`` (committed at once, so its status page
    shows it); ``None`` if it is not in ``state`` (discarded, or run already)."""
    with transaction.atomic():
        pending = (
            MeasureImport.objects.select_for_update()
            .select_related("organisation", "uploaded_by")
            .filter(pk=import_id, state=state)
            .first()
        )
        if pending is not None:
            pending.state, pending.rows_done = then, 0
            pending.save(update_fields=["state", "rows_done"])
        return pending


def import_check(*, import_id: int) -> None:
    """The background check of a big upload: every row, with ``rows_done`` for the
    status page; then its preview (``summary``) waits for the confirmation, or its
    errors are shown and the file is dropped."""
    pending = _claim(import_id, ImportState.CHECKING, ImportState.CHECKING)
    if pending is None:
        return
    try:
        parsed = parse(
            organisation=pending.organisation,
            data=bytes(pending.data),
            progress=_progress(import_id),
        )
    except ImportFileError as error:
        pending.state, pending.message, pending.data = ImportState.FAILED, str(error), b""
        pending.summary = {}
    else:
        pending.summary = parsed.summary()
        pending.rows_total = len(parsed.rows) + len({e.line for e in parsed.errors})
        if parsed.ok:
            pending.state = ImportState.PREVIEWED
        else:
            pending.state, pending.data = ImportState.FAILED, b""
            pending.message = _("Die Datei enthält Fehler; es wurde nichts gespeichert.")
    pending.save(update_fields=["state", "message", "data", "summary", "rows_total"])


def result_message(created: int, changed: int) -> str:
    return _("Maßnahmen angelegt: %(created)d, geändert: %(changed)d.") % {
        "created": created,
        "changed": changed,
    }


@transaction.atomic
def import_confirm(*, user: Any, pending: MeasureImport) -> Parsed | None:
    """Import a previewed list (all or nothing) and forget the file. A big list is
    handed to a background task instead (returns ``None``; its status page shows the
    progress). The file is checked again: the catalogue may have changed meanwhile."""
    decide(user, "measures.import_catalogue", pending.organisation).raise_if_refused()
    # The row locked: a double click imports once (the second finds it gone or queued).
    locked = MeasureImport.objects.select_for_update().filter(pk=pending.pk).first()
    if locked is None:
        raise ValidationError(
            _("Diese Vorschau gibt es nicht mehr. Bitte laden Sie die Datei erneut hoch.")
        )
    pending = locked
    if pending.uploaded_by_id != user.pk:
        raise ValidationError(_("Diesen Import hat jemand anderes vorbereitet."))
    if pending.state != ImportState.PREVIEWED:
        raise ValidationError(_("Dieser Import läuft schon oder ist abgeschlossen."))
    if len(pending.data) > BACKGROUND_BYTES:
        pending.state = ImportState.QUEUED
        pending.save(update_fields=["state"])
        from mitmachen.measures.tasks import import_measures

        transaction.on_commit(lambda: import_measures.enqueue(import_id=pending.pk))
        return None
    parsed = parse(organisation=pending.organisation, data=bytes(pending.data))
    if parsed.ok:
        catalogue_import(user=user, organisation=pending.organisation, parsed=parsed)
        pending.delete()
    return parsed


def import_run(*, import_id: int) -> None:
    """The background import of a queued list: checked again (``rows_done`` counts the
    rows checked, for the status page), then stored all or nothing. The row keeps the
    state and a German result; the file itself is dropped."""
    pending = _claim(import_id, ImportState.QUEUED, ImportState.RUNNING)
    if pending is None:  # discarded, or run already
        return
    try:
        parsed = parse(
            organisation=pending.organisation,
            data=bytes(pending.data),
            progress=_progress(import_id),
        )
        if parsed.ok:
            MeasureImport.objects.filter(pk=import_id).update(
                message=_("Die Zeilen sind geprüft und werden gespeichert …")
            )
            created, changed = catalogue_import(
                user=pending.uploaded_by, organisation=pending.organisation, parsed=parsed
            )
    except (ImportFileError, ValidationError, PermissionDenied) as error:
        pending.state = ImportState.FAILED
        pending.message = " ".join(getattr(error, "messages", [str(error)]))
    except Exception:  # the row must not stay "running" for ever
        pending.state = ImportState.FAILED
        pending.message = _("Der Import ist fehlgeschlagen; es wurde nichts gespeichert.")
        pending.data = b""
        pending.finished_at = timezone.now()
        pending.save(update_fields=["state", "message", "data", "finished_at"])
        raise
    else:
        if parsed.ok:
            pending.state = ImportState.DONE
            pending.message = result_message(created, changed)
        else:
            pending.state = ImportState.FAILED
            pending.message = " ".join(str(e) for e in parsed.errors[:10])
    pending.data = b""
    pending.finished_at = timezone.now()
    pending.save(update_fields=["state", "message", "data", "finished_at"])
