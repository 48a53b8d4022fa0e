"""Every write on debates. Views, the admin and the demo call these.

Comments in a debate are written by ``comments.services.comment_create`` (with a
``stance``); it keeps the debate's counters through the debate's comment target
(``debates.comment_target``). Here: opening, editing, closing with a conclusion and
reopening. Reporting, hiding and restoring a debate (with the log and
the author's notification) are ``moderation.services``, as for every contribution.

Exactly once under concurrency, without application locks:
- closing is a conditional ``UPDATE … WHERE closed_at IS NULL AND hidden_at IS NULL``:
  one request closes and notifies; a parallel one only changes the conclusion
  (nobody is told twice for one close); a hidden debate is not closed;
- ``comment_create`` locks the debate's row and reads ``closed_at`` again, so no
  comment is stored after a close has committed;
- the author's edit is a conditional ``UPDATE`` too (no comment ever, open, visible),
  so a comment in between wins.

Every write here changes only the debate's row: the lock order of the comment
services (comments before proposals before debates) holds.
"""

from __future__ import annotations

import copy
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mitmachen.comments.models import Comment
from mitmachen.core.permissions import decide
from mitmachen.debates.models import DEBATE_CLOSED, QUESTION_MAX_LENGTH, TEXT_MAX_LENGTH, Debate
from mitmachen.debates.permissions import HIDDEN_NOT_CLOSED, NOT_EDITABLE, manages
from mitmachen.notifications.services import notify
from mitmachen.projects import modules
from mitmachen.projects.models import PARTICIPATION_OPENED, Project
from mitmachen.projects.services import project_followers_notify


def _clean_text(*, question: str | None = None, description: str | None = None) -> dict[str, str]:
    """Trimmed values, or a ValidationError with German messages per field."""
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    if question is not None:
        values["question"] = " ".join(question.split())
        if not values["question"]:
            errors["question"] = _("Bitte formulieren Sie eine Frage.")
        elif len(values["question"]) > QUESTION_MAX_LENGTH:
            errors["question"] = _("Die Frage ist zu lang (höchstens 200 Zeichen).")
    if description is not None:
        values["description"] = description.strip()
        if len(values["description"]) > TEXT_MAX_LENGTH:
            errors["description"] = _("Die Erläuterung ist zu lang (höchstens 5.000 Zeichen).")
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def debate_create(*, author: Any, project: Project, question: str, description: str = "") -> Debate:
    """``author`` opens a debate in ``project`` (the rule ``debates.open_debate``).

    ``opened_by_staff`` records whether the author may change the project, i.e.
    opened it for the administration.
    """
    decide(author, "debates.open_debate", project).raise_if_refused()
    values = _clean_text(question=question, description=description)
    debate = Debate(
        project=project,
        author=author,
        opened_by_staff=manages(author, project),
        **values,
    )
    debate.full_clean()
    debate.save()
    transaction.on_commit(lambda: _notify_opened(debate))
    return debate


def _notify_opened(debate: Debate) -> None:
    """The project's followers hear about the new debate (not the person who opened it)."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Neue Debatte in „%(project)s“: %(question)s") % {
            "project": debate.project.title,
            "question": debate.question,
        }
    project_followers_notify(
        project=debate.project,
        kind=PARTICIPATION_OPENED,
        title=title,
        url=debate.get_absolute_url(),
        actor=debate.author,
    )


@transaction.atomic
def debate_update(*, user: Any, debate: Debate, question: str, description: str = "") -> Debate:
    """Change question and description: staff of the project, or the author before anyone
    has commented – ever: comments deleted or hidden since count too (checked again in
    the UPDATE, so a comment, a close or a hide in between wins; the refusal says which)."""
    decide(user, "debates.change_debate", debate).raise_if_refused()
    values = _clean_text(question=question, description=description)
    rows = Debate.objects.filter(pk=debate.pk)
    if not manages(user, debate.project):
        rows = rows.filter(
            ~Exists(Comment.objects.filter(debate_id=OuterRef("pk"))),
            comment_count=0,
            closed_at__isnull=True,
            hidden_at__isnull=True,
        )
    if not rows.update(**values, updated_at=timezone.now()):
        try:
            debate.refresh_from_db()
        except Debate.DoesNotExist:
            raise PermissionDenied(_("Diese Debatte gibt es nicht mehr.")) from None
        # Changed in between (the rule says how); should it allow again by now (reopened,
        # shown again), this UPDATE still found it closed or hidden.
        raise PermissionDenied(
            decide(user, "debates.change_debate", debate).reason or str(NOT_EDITABLE)
        )
    debate.refresh_from_db()
    modules.changed(project_id=debate.project_id)  # an UPDATE: no signal
    return debate


def _clean_conclusion(conclusion: str) -> str:
    conclusion = (conclusion or "").strip()
    if not conclusion:
        raise ValidationError({"conclusion": _("Bitte schreiben Sie ein Fazit.")})
    if len(conclusion) > TEXT_MAX_LENGTH:
        raise ValidationError({"conclusion": _("Das Fazit ist zu lang (höchstens 5.000 Zeichen).")})
    return conclusion


def debate_close(*, user: Any, debate: Debate, conclusion: str) -> bool:
    """Close the debate with a written conclusion; returns True if this call closed it.

    The conclusion is required. On a debate that is already closed (also by a parallel
    request) only the conclusion changes, and nobody is notified. Each close – the
    first, and again after a reopen – notifies the person who opened the debate and
    everyone with a visible comment in it, with this close's conclusion, once.

    A hidden debate is not closed (the rule ``debates.close_debate``; also when
    moderation hid it after the form was loaded): the notification would show its question.
    """
    decide(user, "debates.close_debate", debate).raise_if_refused()
    conclusion = _clean_conclusion(conclusion)
    now = timezone.now()
    with transaction.atomic():
        closed = Debate.objects.filter(
            pk=debate.pk, closed_at__isnull=True, hidden_at__isnull=True
        ).update(closed_at=now, closed_by=user, conclusion=conclusion, updated_at=now)
        if not closed and not (
            Debate.objects.filter(pk=debate.pk, closed_at__isnull=False).update(
                conclusion=conclusion, updated_at=now
            )
        ):
            # Open, and hidden in the meantime (or gone): nothing changed.
            try:
                debate.refresh_from_db()
            except Debate.DoesNotExist:
                raise PermissionDenied(_("Diese Debatte gibt es nicht mehr.")) from None
            raise PermissionDenied(
                decide(user, "debates.close_debate", debate).reason or str(HIDDEN_NOT_CLOSED)
            )
        # Read inside the transaction: the notification must carry what was just
        # written. Without ATOMIC_REQUESTS the callback runs as this block ends.
        debate.refresh_from_db()
        if closed:
            closed_debate = copy.copy(debate)
            transaction.on_commit(lambda: _notify_closed(closed_debate, closed_by=user))
        modules.changed(project_id=debate.project_id)  # an UPDATE: no signal
    return bool(closed)


def debate_reopen(*, user: Any, debate: Debate) -> bool:
    """Open a closed debate again for comments (the conclusion is kept for the next close).

    Returns False if it was open already.
    """
    decide(user, "debates.reopen_debate", debate).raise_if_refused()
    with transaction.atomic():
        reopened = Debate.objects.filter(pk=debate.pk, closed_at__isnull=False).update(
            closed_at=None, closed_by=None, updated_at=timezone.now()
        )
        if reopened:
            modules.changed(project_id=debate.project_id)  # an UPDATE: no signal
    debate.refresh_from_db()
    return bool(reopened)


def _notify_closed(debate: Debate, *, closed_by: Any) -> None:
    """The person who opened the debate and everyone with a visible comment in it (not
    deleted, not hidden by moderation) hear that it is closed, with the conclusion."""
    from django.contrib.auth import get_user_model

    people = (
        get_user_model()
        .objects.filter(
            Q(pk=debate.author_id)
            | Q(
                comments__debate=debate,
                comments__deleted_at__isnull=True,
                comments__hidden_at__isnull=True,
            )
        )
        .distinct()
    )
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Die Debatte „%(question)s“ ist abgeschlossen") % {"question": debate.question}
        text = _("Fazit der Verwaltung: %(conclusion)s") % {"conclusion": debate.conclusion}
    notify(
        recipients=people,
        kind=DEBATE_CLOSED,
        title=title,
        text=text,
        url=debate.get_absolute_url(),
        exclude=closed_by,
    )
    # The project's followers hear it too, once: not those just told, nor who closed it.
    project_followers_notify(
        project=debate.project,
        kind=DEBATE_CLOSED,
        title=title,
        text=text,
        url=debate.get_absolute_url(),
        actor=closed_by,
        skip=people,
    )
