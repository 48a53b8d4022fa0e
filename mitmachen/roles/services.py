"""Every write of staff roles from the site: invite, accept, give, change, remove, assign.

Each service asks the permission (``roles.permissions``, refusing with its German reason
as ``PermissionDenied``), checks the rules the data must keep (``ValidationError`` with a
German message) and writes the change and its log entry in one transaction. All role
writes of a municipality take a lock on its row first (``_lock``): two administrators
acting at once are served one after the other, so a person ends with one role, an
invitation is accepted once and the last administrator cannot be removed by two others
in parallel. The database constraints (``one_role_per_org``,
``one_open_invitation_per_address``) stand behind the lock.

After a change the person's cached roles are forgotten (``projects.permissions.forget_roles``;
``projects/signals.py`` does the same for every saved or deleted ``Membership``), so the
next permission check in the same request sees the new role. Roles are read from the
database in every request; nothing caches them across requests.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mitmachen.core.mail import send_email
from mitmachen.core.permissions import decide
from mitmachen.organisations.models import Membership, Organisation, Role
from mitmachen.projects.models import Project
from mitmachen.projects.permissions import forget_roles
from mitmachen.roles.models import Action, Invitation, RoleChange
from mitmachen.roles.permissions import RoleGrant

INVITATION_DAYS = 14


def _lock(organisation_id: int) -> None:
    """Serialise the role writes of one municipality (a row lock on PostgreSQL; SQLite
    serialises every write anyway)."""
    Organisation.objects.select_for_update().filter(pk=organisation_id).values_list("pk").get()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _log(
    organisation: Organisation,
    action: str,
    *,
    actor: Any,
    person: Any = None,
    email: str = "",
    before: str = "",
    after: str = "",
    project: Project | None = None,
) -> RoleChange:
    return RoleChange.objects.create(
        organisation=organisation,
        project=project,
        actor=actor if actor is not None and actor.is_authenticated else None,
        person=person,
        email=email,
        action=action,
        role_before=before or "",
        role_after=after or "",
    )


def _forget(*people: Any) -> None:
    for person in people:
        if person is not None:
            forget_roles(person)


def _may(actor: Any, organisation: Organisation, current: str | None, new: str | None) -> None:
    decide(actor, "roles.set_role", RoleGrant(organisation, current, new)).raise_if_refused()


def _keep_an_admin(organisation: Organisation, person: Any) -> None:
    others = Membership.objects.filter(organisation=organisation, role=Role.ADMIN).exclude(
        user=person
    )
    if not others.exists():
        raise ValidationError(
            _(
                "%(organisation)s braucht mindestens eine Administratorin oder einen "
                "Administrator. Geben Sie die Rolle zuerst einer anderen Person."
            )
            % {"organisation": organisation.display_name}
        )


def _leave_projects(actor: Any, organisation: Organisation, person: Any) -> None:
    """A person who is no project manager any more leads none of the municipality's
    projects (each release is logged)."""
    led = list(Project.objects.filter(organisation=organisation, managers=person))
    for project in led:
        project.managers.remove(person)
        _log(organisation, Action.PROJECT_UNASSIGNED, actor=actor, person=person, project=project)


def _set(actor: Any, organisation: Organisation, person: Any, role: str, action: str) -> Membership:
    """Give ``person`` ``role`` (inside a transaction holding the lock; permission checked)."""
    current = Membership.objects.filter(organisation=organisation, user=person).first()
    if current is not None and current.role == role:
        return current
    if current is None:
        membership = Membership(organisation=organisation, user=person, role=role)
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError as error:  # a parallel request gave a role (without the lock)
            raise ValidationError(
                _("Diese Person hat gerade eine Rolle erhalten. Bitte laden Sie die Seite neu.")
            ) from error
        _log(organisation, action, actor=actor, person=person, after=role)
        return membership
    before = current.role
    if before == Role.ADMIN:
        _keep_an_admin(organisation, person)
    current.role = role
    current.save(update_fields=["role", "updated_at"])
    if before == Role.PROJECT_MANAGER:
        _leave_projects(actor, organisation, person)
    _log(
        organisation,
        Action.CHANGED if action == Action.GRANTED else action,
        actor=actor,
        person=person,
        before=before,
        after=role,
    )
    return current


def role_set(*, actor: Any, organisation: Organisation, person: Any, role: str) -> Membership:
    """Give ``person`` a role in ``organisation`` or change the one they have."""
    if role not in Role.values:
        raise ValidationError({"role": _("Bitte wählen Sie eine Rolle.")})
    with transaction.atomic():
        _lock(organisation.pk)
        current = (
            Membership.objects.filter(organisation=organisation, user=person)
            .values_list("role", flat=True)
            .first()
        )
        _may(actor, organisation, current, role)
        membership = _set(actor, organisation, person, role, Action.GRANTED)
    _forget(person, actor)
    return membership


def role_remove(*, actor: Any, organisation: Organisation, person: Any) -> None:
    """Take away ``person``'s role in ``organisation`` (and the projects they led there)."""
    with transaction.atomic():
        _lock(organisation.pk)
        current = Membership.objects.filter(organisation=organisation, user=person).first()
        if current is None:
            raise ValidationError(_("Diese Person hat keine Rolle (mehr) in dieser Kommune."))
        _may(actor, organisation, current.role, None)
        if current.role == Role.ADMIN:
            _keep_an_admin(organisation, person)
        _leave_projects(actor, organisation, person)
        current.delete()
        _log(organisation, Action.REMOVED, actor=actor, person=person, before=current.role)
    _forget(person, actor)


@dataclass
class Invited:
    """What ``staff_invite`` did: gave the role at once (``membership``), or sent an
    invitation (``invitation``)."""

    membership: Membership | None = None
    invitation: Invitation | None = None


def staff_invite(
    *,
    actor: Any,
    organisation: Organisation,
    email: str,
    role: str,
    link: Callable[[str], str],
) -> Invited:
    """Invite ``email`` into the staff of ``organisation`` with ``role``.

    An account with this address gets the role at once. Otherwise an invitation with a
    link (``link(token)``, the absolute address of the acceptance page) is mailed; it is
    valid for ``INVITATION_DAYS`` days and gives the role once, to the account that signs
    in with this address.
    """
    email = (email or "").strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Bitte wählen Sie eine Rolle.")})
    if not email:
        raise ValidationError({"email": _("Bitte geben Sie eine E-Mail-Adresse an.")})
    _may(actor, organisation, None, role)
    person = get_user_model().objects.filter(email__iexact=email).first()
    if person is not None:
        return Invited(
            membership=role_set(actor=actor, organisation=organisation, person=person, role=role)
        )
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        _lock(organisation.pk)
        open_one = Invitation.objects.open().filter(organisation=organisation, email=email).first()
        if open_one is not None:
            raise ValidationError(
                {
                    "email": _(
                        "An diese Adresse ist schon eine Einladung unterwegs (gültig bis "
                        "%(date)s). Ziehen Sie sie zurück, um neu einzuladen."
                    )
                    % {
                        "date": formats.date_format(
                            timezone.localtime(open_one.expires_at), "j. F Y"
                        )
                    }
                }
            )
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            token_hash=token_hash(token),
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        _log(organisation, Action.INVITED, actor=actor, email=email, after=role)
        context = {
            "organisation": organisation,
            "role": invitation.get_role_display(),
            "link": link(token),
            "expires_at": timezone.localtime(invitation.expires_at),
            "inviter": actor,
        }
        subject = _("Einladung zur Mitarbeit: %(organisation)s") % {
            "organisation": organisation.display_name
        }
        body = render_to_string("roles/email/invitation.txt", context)
        transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=[email]))
    return Invited(invitation=invitation)


def invitation_withdraw(*, actor: Any, invitation: Invitation) -> None:
    organisation = invitation.organisation
    with transaction.atomic():
        _lock(organisation.pk)
        invitation.refresh_from_db()
        _may(actor, organisation, invitation.role, None)
        if invitation.accepted_at is not None or invitation.withdrawn_at is not None:
            raise ValidationError(_("Diese Einladung ist nicht mehr offen."))
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at"])
        _log(
            organisation,
            Action.INVITATION_WITHDRAWN,
            actor=actor,
            email=invitation.email,
            before=invitation.role,
        )


def invitation_for_token(token: str) -> Invitation:
    """The invitation behind a link, or a German refusal of a link that is none."""
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if invitation is None:
        raise ValidationError(
            _(
                "Dieser Einladungslink ist ungültig. Bitte prüfen Sie, ob Sie ihn vollständig "
                "aus der E-Mail übernommen haben."
            )
        )
    return invitation


def invitation_problem(invitation: Invitation, user: Any = None) -> str:
    """Why this invitation cannot be accepted (by ``user``), in German; empty when it can."""
    if invitation.withdrawn_at is not None:
        return _("Diese Einladung wurde zurückgezogen.")
    if invitation.accepted_at is not None:
        return _("Diese Einladung wurde bereits angenommen. Jeder Einladungslink gilt nur einmal.")
    if invitation.is_expired:
        return _(
            "Diese Einladung ist am %(date)s abgelaufen. Bitte bitten Sie %(organisation)s "
            "um eine neue Einladung."
        ) % {
            "date": formats.date_format(timezone.localtime(invitation.expires_at), "j. F Y"),
            "organisation": invitation.organisation.display_name,
        }
    if user is not None and user.is_authenticated and user.email.lower() != invitation.email:
        return _(
            "Diese Einladung gilt für die Adresse %(email)s. Bitte melden Sie sich mit dem "
            "Konto dieser Adresse an."
        ) % {"email": invitation.email}
    return ""


def invitation_accept(*, user: Any, token: str) -> Membership:
    """Accept an invitation: ``user`` (signed in with the invited address) gets its role,
    once. A role the person already holds that ranks higher stays."""
    from mitmachen.roles.permissions import RANK

    invitation = invitation_for_token(token)
    organisation = invitation.organisation
    with transaction.atomic():
        _lock(organisation.pk)
        invitation.refresh_from_db()
        problem = invitation_problem(invitation, user)
        if problem:
            raise ValidationError(problem)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        current = Membership.objects.filter(organisation=organisation, user=user).first()
        if current is not None and RANK[Role(current.role)] >= RANK[Role(invitation.role)]:
            _log(
                organisation,
                Action.INVITATION_ACCEPTED,
                actor=user,
                person=user,
                before=current.role,
                after=current.role,
            )
            membership = current
        else:
            membership = _set(user, organisation, user, invitation.role, Action.INVITATION_ACCEPTED)
    _forget(user)
    return membership


def project_manager_add(*, actor: Any, project: Project, person: Any) -> None:
    """Let ``person`` (a project manager of the project's municipality) lead ``project``."""
    decide(actor, "roles.assign_project_managers", project).raise_if_refused()
    organisation = project.organisation
    with transaction.atomic():
        _lock(organisation.pk)
        if not Membership.objects.filter(
            organisation=organisation, user=person, role=Role.PROJECT_MANAGER
        ).exists():
            raise ValidationError(
                {
                    "person": _("%(name)s hat in %(organisation)s nicht die Rolle Projektleitung.")
                    % {"name": person.public_name, "organisation": organisation.display_name}
                }
            )
        if project.managers.filter(pk=person.pk).exists():
            raise ValidationError(
                {
                    "person": _("%(name)s leitet diesen Prozess schon.")
                    % {"name": person.public_name}
                }
            )
        project.managers.add(person)
        _log(
            organisation,
            Action.PROJECT_ASSIGNED,
            actor=actor,
            person=person,
            project=project,
            after=Role.PROJECT_MANAGER,
        )
    _forget(person, actor)


def project_manager_remove(*, actor: Any, project: Project, person: Any) -> None:
    decide(actor, "roles.assign_project_managers", project).raise_if_refused()
    organisation = project.organisation
    with transaction.atomic():
        _lock(organisation.pk)
        if not project.managers.filter(pk=person.pk).exists():
            raise ValidationError(_("Diese Person leitet den Prozess nicht (mehr)."))
        project.managers.remove(person)
        _log(
            organisation,
            Action.PROJECT_UNASSIGNED,
            actor=actor,
            person=person,
            project=project,
            before=Role.PROJECT_MANAGER,
        )
    _forget(person, actor)
