"""Writes of setting a project up (the staff pages in ``dashboard``, process templates).

Every write of the set-up flow: the dashboard's views call these, and each checks the
permission (``projects.add_project`` / ``projects.change_project``) and the rules a
project's data must keep (alt text with an image, Ortsteile of the own municipality,
phases that do not overlap) itself, raising ``ValidationError`` with German messages, so
nothing half-checked is ever stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mitmachen.projects.models import (
    Phase,
    Project,
    Visibility,
    publish_refusal,
)

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


def require_change(user: Any, project: Project) -> None:
    import rules

    if not rules.has_perm("projects.change_project", user, project):
        raise PermissionDenied


def _check_basics(project: Project, districts: Any) -> None:

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
    require_change(user, project)
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

    require_change(user, project)
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
    require_change(user, project)
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
    from django.db.models import ProtectedError, RestrictedError

    require_change(user, phase.project)
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

    project = phase.project
    require_change(user, project)
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
