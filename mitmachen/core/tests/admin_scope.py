"""Two municipalities with an object of every kind, for the admin scoping tests.

``world()`` builds municipality A and municipality B the same way (draft, public and
private projects with phases, invitations, custom statuses, proposals, comments,
debates, polls with questions and options, corrections, reports, blocks, moderation
log entries, accessibility feedback, follows, notifications and staff of every role)
and returns A's staff plus the set of every object that belongs to B.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.tests.factories import CommentFactory
from mitmachen.core.tests.module_contracts import contract_hooks
from mitmachen.debates.tests.factories import DebateFactory
from mitmachen.moderation.models import ActionKind, Block, ModerationAction, Report, ReportReason
from mitmachen.notifications.tests.factories import NotificationFactory
from mitmachen.organisations.models import AccessibilityFeedback, Organisation, Role
from mitmachen.organisations.tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
)
from mitmachen.polls.models import Correction, QuestionKind
from mitmachen.polls.tests.factories import OptionFactory, PollFactory, QuestionFactory
from mitmachen.projects import modules
from mitmachen.projects.models import Follow, ProjectMembership, Visibility
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory, TopicFactory
from mitmachen.proposals.models import CustomStatus
from mitmachen.proposals.services import status_set
from mitmachen.proposals.tests.factories import ProposalFactory

ALL_ACTIONS = [action.key for action in modules.phase_actions()]


@dataclass
class Municipality:
    organisation: Organisation
    admin: Any
    manager: Any
    moderator: Any
    tag: str = ""
    districts: list[Any] = field(default_factory=list)
    resident: Any = None
    objects: list[Model] = field(default_factory=list)
    projects: dict[str, Any] = field(default_factory=dict)


def municipality(tag: str) -> Municipality:
    """Municipality ``tag`` with an object of every kind; ``objects`` lists them all."""
    organisation = OrganisationFactory(name=f"Kommune {tag}", slug=f"kommune-{tag}")
    staff = {
        role: MembershipFactory(
            organisation=organisation,
            role=role,
            user=UserFactory(email=f"{role}-{tag}@example.org", display_name=f"{role} {tag}"),
        )
        for role in (Role.ADMIN, Role.PROJECT_MANAGER, Role.MODERATOR)
    }
    town = Municipality(
        organisation=organisation,
        admin=staff[Role.ADMIN].user,
        manager=staff[Role.PROJECT_MANAGER].user,
        moderator=staff[Role.MODERATOR].user,
    )
    objects = town.objects
    objects += [organisation, *staff.values(), *(m.user for m in staff.values())]
    districts = [
        DistrictFactory(organisation=organisation, name=f"Ortsteil {tag}{i}") for i in (1, 2)
    ]
    objects += districts
    resident = UserFactory(email=f"einwohnerin-{tag}@example.org", home_district=districts[0])
    invited = UserFactory(email=f"eingeladen-{tag}@example.org")
    blocked = UserFactory(email=f"gesperrt-{tag}@example.org")
    objects += [resident, invited, blocked]
    town.tag, town.districts, town.resident = tag, districts, resident
    topic = TopicFactory(name=f"Thema {tag}")  # topics are shared by all municipalities

    for visibility in (Visibility.PUBLIC, Visibility.DRAFT, Visibility.PRIVATE):
        project = ProjectFactory(
            organisation=organisation,
            title=f"Prozess {tag} {visibility}",
            slug=f"prozess-{tag}-{visibility}",
            visibility=visibility,
        )
        project.topics.add(topic)
        project.districts.add(*districts)
        if visibility != Visibility.PRIVATE:
            project.managers.add(town.manager)
        town.projects[str(visibility)] = project
        phase = PhaseFactory(project=project, name=f"Phase {tag} {visibility}", actions=ALL_ACTIONS)
        custom = CustomStatus.objects.create(project=project, name=f"Ortsbeirat {tag}")
        objects += [project, phase, custom]
        objects.append(ProjectMembership.objects.create(project=project, user=invited))
        proposal = ProposalFactory(
            project=project,
            author=resident,
            title=f"Vorschlag {tag} {visibility}",
            topic=topic,
            district=districts[0],
        )
        status_set(
            user=town.admin,
            proposal=proposal,
            custom_status=custom,
            response="Wir prüfen das.",
            notify=False,
        )
        comment = CommentFactory(project=project, proposal=proposal, author=resident)
        objects += [proposal, comment]
        objects.append(DebateFactory(project=project, author=resident, question=f"Debatte {tag}?"))
        # Every module's rows of this project (its tests/contract.py).
        for hook in contract_hooks("admin_scope_objects"):
            objects += hook(town, project)
        poll = PollFactory(project=project, phase=phase, title=f"Umfrage {tag} {visibility}")
        question = QuestionFactory(poll=poll, kind=QuestionKind.SINGLE)
        objects += [
            poll,
            question,
            OptionFactory(question=question),
            OptionFactory(question=question),
        ]
        objects.append(
            Correction.objects.create(
                poll=poll, response_number=1, corrected_by=town.admin, reason="Tippfehler"
            )
        )
        objects.append(
            Report.objects.create(
                organisation=organisation,
                project=project,
                target=proposal,
                reporter=resident,
                reason=ReportReason.SPAM,
            )
        )
        objects.append(
            ModerationAction.objects.create(
                organisation=organisation,
                moderator=town.moderator,
                kind=ActionKind.HIDE,
                target=proposal,
                subject=proposal.title,
            )
        )
        objects.append(Follow.objects.create(project=project, user=resident))
    objects.append(
        Block.objects.create(
            organisation=organisation, user=blocked, reason="Spam", blocked_by=town.moderator
        )
    )
    objects.append(
        AccessibilityFeedback.objects.create(
            organisation=organisation, user=resident, message="Kontrast zu gering"
        )
    )
    objects.append(NotificationFactory(recipient=resident))
    for hook in contract_hooks("admin_scope_town_objects"):
        objects += hook(town)
    return town


def key(obj: Model) -> tuple[str, str]:
    return (obj._meta.label, str(obj.pk))


def b_choice_problems(name: str, field: Any, offered: list[str], b_keys: set[Any]) -> list[str]:
    """What a form field with choices (``field.queryset``) would accept of municipality B,
    and which of the values the page ``offered`` for the field ``name`` (a select's
    options, checkboxes) belong to B. Used by the admin and the site staff-form walks."""
    from html import unescape

    model = field.queryset.model
    to_field = getattr(field, "to_field_name", None) or "pk"
    found = [
        f"{name} accepts {model._meta.label} {getattr(obj, to_field)}"
        for obj in field.queryset
        if key(obj) in b_keys  # the field would accept it, rendered or not
    ]
    if to_field == "pk":
        b_values = {pk for label, pk in b_keys if label == model._meta.label}
    else:
        b_values = {
            str(getattr(obj, to_field))
            for obj in model._default_manager.all()
            if key(obj) in b_keys
        }
    found += [
        f"{name} offers {model._meta.label} {value}"
        for value in offered
        if unescape(value) in b_values
    ]
    return found


def form_data(response: Any) -> dict[str, Any]:
    """The POST data an admin add or change page would send unchanged (main form, inline
    rows and management forms). Enough for forms without split date/time widgets."""
    from datetime import date, datetime

    from django.core.files import File
    from django.db.models.fields.files import FieldFile

    context = response.context
    forms = [context["adminform"].form]
    data: dict[str, Any] = {}
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if value is None or value is False:
                continue
            widget = bound.field.widget
            if hasattr(widget, "widgets_names"):  # split date and time
                parts = value if isinstance(value, list) else widget.decompress(value)
                for suffix, sub, part in zip(widget.widgets_names, widget.widgets, parts):
                    data[bound.html_name + suffix] = sub.format_value(part)
            elif value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, (list, tuple)):
                data[bound.html_name] = [str(v) for v in value]
            elif isinstance(value, (date, datetime)):
                data[bound.html_name] = bound.field.widget.format_value(value)
            elif isinstance(value, (File, FieldFile)):
                continue  # files stay as they are
            else:
                data[bound.html_name] = str(bound.field.prepare_value(value))
    return data
