"""Invitations into private projects (the set-up's invitation page).

Staff invite by e-mail address. An address that an account has confirmed becomes a
membership at once; any other address gets a ``ProjectInvitation``, which becomes a
membership when a person confirms the address for their account (allauth's
``email_confirmed``, connected in ``projects.signals``) – never on sign-up alone, so no
one gains access by typing someone else's address. Both get a mail with a link to the
invitation page (``projects:invitation``), which leads to sign-up or login and then into
the project.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from mitmachen.projects.models import (
    Project,
    ProjectInvitation,
    ProjectMembership,
)
from mitmachen.projects.setup_services import require_change

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
    from django.core.validators import validate_email

    require_change(user, project)
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
    require_change(user, membership.project)
    membership.delete()


def project_invitation_revoke(*, user: Any, invitation: ProjectInvitation) -> None:
    """Withdraw an open invitation; its link no longer leads into the project."""
    require_change(user, invitation.project)
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
