"""Cached anonymous pages follow every change (see core.page_cache).

- Projects, phases, topics, Ortsteile, municipalities and custom statuses change
  rarely and mostly in the admin; any such change makes every cached page stale.
- Proposals, comments, supports and ratings saved or deleted anywhere (services, the
  admin, imports) make their project's pages stale. The services also announce their
  ``UPDATE … SET count = count + 1`` writes, which send no signals.

Both happen once the transaction commits, so no page is cached from data that is
about to change.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from mitmachen.core.page_cache import forget_slug, touch_everything, touch_project_on_commit
from mitmachen.organisations.models import District, Organisation
from mitmachen.projects.models import Phase, Project, Topic


def _changed(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    if isinstance(instance, Project):
        forget_slug(instance.slug)
    transaction.on_commit(touch_everything)


def _contribution_changed(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    holder = instance
    for step in ("comment", "proposal"):  # rating → comment, support → proposal
        if not hasattr(holder, "project_id") and hasattr(holder, f"{step}_id"):
            holder = getattr(holder, step, None)
    project_id = getattr(holder, "project_id", None)
    if project_id is not None:
        touch_project_on_commit(project_id)


def connect() -> None:
    from mitmachen.comments.models import Comment, CommentRating
    from mitmachen.proposals.models import CustomStatus, Proposal, ProposalImage, Support

    model: type[Model]
    for model in (Proposal, ProposalImage, Support, Comment, CommentRating):
        for signal in (post_save, post_delete):
            signal.connect(
                _contribution_changed,
                sender=model,
                dispatch_uid=f"page-cache-{signal is post_save}-{model.__name__}",
            )

    for model in (Organisation, District, Project, Phase, Topic, CustomStatus):
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
    transaction.on_commit(touch_everything)


@receiver(post_save, sender="accounts.User", dispatch_uid="page-cache-user")
def _user_changed(
    sender: Any, instance: Any = None, update_fields: Any = None, **kwargs: Any
) -> None:
    # Display names appear on public pages; logins (last_login) do not.
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    transaction.on_commit(touch_everything)
