"""Cached anonymous pages follow every change (see core.page_cache and projects.modules).

- Projects, phases, topics, Ortsteile and municipalities (``modules.EVERYWHERE_BELOW``)
  change rarely and mostly in the admin; any such change makes every cached page stale.
- The modules' rows (proposals, comments, polls, …) are declared in each module's
  ``ParticipationModule.page_cache`` and connected by ``projects.modules``.

Both happen once the transaction commits (``modules.changed``), so no page is cached
from data that is about to change.
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import email_confirmed
from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from mitmachen.core import person_cache
from mitmachen.projects import modules
from mitmachen.projects.models import Project
from mitmachen.projects.selectors import forget_slug


def _changed(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    if isinstance(instance, Project):
        forget_slug(instance.slug)
    modules.changed(everywhere=True)


def connect() -> None:
    for label in modules.EVERYWHERE_BELOW:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"page-cache-save-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"page-cache-delete-{model.__name__}"
        )
    for relation in (Project.districts, Project.topics, Project.partner_organisations):
        m2m_changed.connect(
            _changed, sender=relation.through, dispatch_uid=f"page-cache-m2m-{relation.field.name}"
        )


@receiver(post_delete, sender="accounts.User", dispatch_uid="page-cache-user-deleted")
def _user_deleted(sender: Any, **kwargs: Any) -> None:
    # Contributions stay, now shown as "gelöschtes Konto".
    modules.changed(everywhere=True)


@receiver(post_save, sender="accounts.User", dispatch_uid="page-cache-user")
def _user_changed(
    sender: Any, instance: Any = None, update_fields: Any = None, **kwargs: Any
) -> None:
    # Display names appear on public pages; logins (last_login) do not.
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    modules.changed(everywhere=True)


@receiver(post_save, sender="organisations.Membership", dispatch_uid="forget-roles-saved")
@receiver(post_delete, sender="organisations.Membership", dispatch_uid="forget-roles-deleted")
def _roles_changed(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    """A role given or taken within a request (a municipal admin inviting a colleague,
    a test's set-up) is seen by the next permission check of that person: their cached
    facts (``permissions._facts``) go with the change, on the user object the membership
    holds. Their cached entry (``core.person_cache``) is renewed once the change commits."""
    from mitmachen.projects.permissions import forget_roles

    user = instance._state.fields_cache.get("user")
    if user is not None:
        forget_roles(user)
    person_cache.touch_on_commit([instance.user_id])


@receiver(m2m_changed, sender=Project.managers.through, dispatch_uid="person-cache-managers")
def _managers_changed(
    sender: Any,
    instance: Any = None,
    action: str = "",
    reverse: bool = False,
    pk_set: Any = None,
    **kwargs: Any,
) -> None:
    """Who manages which project is part of the people's cached facts
    (``permissions._managed_projects``): renew those of the people added or removed."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:  # user.managed_projects.add(…): the person is ``instance``
        people = [instance.pk]
    elif action == "pre_clear":
        people = list(instance.managers.values_list("pk", flat=True))
    else:
        people = list(pk_set or ())
    person_cache.touch_on_commit(people)


@receiver(email_confirmed, dispatch_uid="projects-invitations-accept")
def _email_confirmed(
    sender: Any, request: Any = None, email_address: Any = None, **kwargs: Any
) -> None:
    """A confirmed address turns its open invitations into memberships."""
    from mitmachen.projects.invitation_services import invitations_accept

    if email_address is not None and email_address.user_id:
        invitations_accept(user=email_address.user, email=email_address.email)
