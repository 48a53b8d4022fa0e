"""Cached pages and results follow every change to a poll's structure.

Answers, paper entry, review and closing go through the services, which bump the
project's data version themselves. Polls, questions and options are also edited in
the admin (saved, deleted, bulk-deleted): these signals bump the version of the
project concerned – and of the previous one when a poll changed project.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from mitmachen.core.page_cache import touch_project_on_commit
from mitmachen.polls.models import Option, Poll, Question


@receiver(pre_save, sender=Poll)
def _remember_project(sender: Any, instance: Poll, **kwargs: Any) -> None:
    instance._previous_project_id = (  # type: ignore[attr-defined]
        Poll.objects.filter(pk=instance.pk).values_list("project_id", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=Poll)
@receiver(post_delete, sender=Poll)
def _poll_changed(sender: Any, instance: Poll, **kwargs: Any) -> None:
    touch_project_on_commit(instance.project_id)
    previous = getattr(instance, "_previous_project_id", None)
    if previous and previous != instance.project_id:
        touch_project_on_commit(previous)


@receiver(post_save, sender=Question)
@receiver(post_delete, sender=Question)
def _question_changed(sender: Any, instance: Question, **kwargs: Any) -> None:
    project_id = Poll.objects.filter(pk=instance.poll_id).values_list("project_id", flat=True)
    for pk in project_id:
        touch_project_on_commit(pk)


@receiver(post_save, sender=Option)
@receiver(post_delete, sender=Option)
def _option_changed(sender: Any, instance: Option, **kwargs: Any) -> None:
    project_id = Poll.objects.filter(questions__pk=instance.question_id).values_list(
        "project_id", flat=True
    )
    for pk in project_id:
        touch_project_on_commit(pk)
