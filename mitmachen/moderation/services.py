"""Every moderation write: reports, hiding and restoring, dismissing, blocking.

One write path for every kind of contribution ("target"): proposals, comments and
debates. Views, the admin and the demo call these; no other app writes the hidden
state or the log. Each decision is written to the audit log (``ModerationAction``,
pointing at its target) in the same transaction as the change it records; the
author is told, and the cached pages of the target's project are invalidated
(``projects.modules.changed``: the hidden state changes by conditional updates, which
send no signal).

Counting stays exact under concurrency:
- a person reports a contribution at most once (unique constraints), and the
  contribution's ``report_count`` changes only with ``F()`` updates in the same
  transaction; the automatic hide is a conditional ``UPDATE … WHERE hidden_at IS
  NULL`` that exactly one transaction wins;
- hiding a comment lowers its proposal's or debate's ``comment_count`` (and the
  debate's stance counter) only for the transaction whose conditional update also
  finds the comment not deleted (deleting does the mirror image), so a comment that
  is hidden and deleted at once is uncounted once
  (``comments.services.shift_comment_counters``);
- every write locks comments (in id order) before proposals before debates, the
  order of ``comments.services`` (blocking too), so parallel writers never deadlock;
  hiding, restoring and reporting a debate change only the debate's row.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mitmachen.comments.models import Comment
from mitmachen.comments.services import counted_row, shift_comment_counters
from mitmachen.core.models import HideCause
from mitmachen.core.permissions import decide
from mitmachen.debates.models import Debate
from mitmachen.moderation.models import (
    CONTENT_HIDDEN,
    CONTENT_RESTORED,
    REPORT_RESOLVED,
    ActionKind,
    Block,
    ModerationAction,
    Report,
    ReportReason,
    Resolution,
)
from mitmachen.moderation.permissions import moderates
from mitmachen.moderation.selectors import contributions_of, debates_of
from mitmachen.notifications import kinds
from mitmachen.notifications.services import notify
from mitmachen.organisations.models import Membership, Organisation
from mitmachen.projects import modules
from mitmachen.projects.models import Project
from mitmachen.proposals.models import Proposal

Target = Proposal | Comment | Debate
MAX_REASON = 500
# The model of each target kind, by the name of its key on ``Report``/``ModerationAction``.
TARGET_MODELS: dict[str, type[Proposal] | type[Comment] | type[Debate]] = {
    "proposal": Proposal,
    "comment": Comment,
    "debate": Debate,
}


def auto_hide_threshold() -> int:
    """Open reports by different people after which a contribution is hidden (0: never)."""
    return int(getattr(settings, "MODERATION_AUTO_HIDE_REPORTS", 3))


def _project(target: Target) -> Project:
    return target.project


def target_field(target: Target) -> str:
    """The name of ``target``'s key on ``Report`` and ``ModerationAction``."""
    for field, model in TARGET_MODELS.items():
        if isinstance(target, model):
            return field
    raise TypeError(f"Not a moderation target: {target!r}")


def _model(target: Target) -> type[Proposal] | type[Comment] | type[Debate]:
    return TARGET_MODELS[target_field(target)]


def subject_of(target: Target) -> str:
    """A short description for the log, readable without the contribution."""
    if isinstance(target, Proposal):
        return _("Vorschlag „%(title)s“") % {"title": target.title[:150]}
    if isinstance(target, Debate):
        return _("Debatte „%(question)s“") % {"question": target.question[:150]}
    excerpt = (target.text or "").replace("\n", " ")
    if len(excerpt) > 120:
        excerpt = excerpt[:119] + "…"
    return _("Kommentar „%(text)s“") % {"text": excerpt}


def _log(
    *,
    organisation_id: int,
    moderator: Any,
    kind: str,
    target: Target | None = None,
    target_user: Any = None,
    subject: str,
    reason: str = "",
) -> ModerationAction:
    fields: dict[str, Any] = {}
    if target is not None:
        fields[target_field(target)] = target
        if target_user is None:
            target_user = target.author
    return ModerationAction.objects.create(
        organisation_id=organisation_id,
        moderator=moderator if moderator is not None and moderator.is_authenticated else None,
        kind=kind,
        target_user=target_user,
        subject=subject[:200],
        reason=reason[:1000],
        **fields,
    )


def _clean_reason(reason: str, *, required: bool = True) -> str:
    reason = " ".join(reason.split())
    if required and not reason:
        raise ValidationError({"reason": _("Bitte begründen Sie die Entscheidung.")})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("Die Begründung ist zu lang (höchstens 500 Zeichen).")})
    return reason


def _require_moderator(user: Any, project: Project) -> None:
    if not moderates(user, project.organisation_id):
        raise PermissionDenied(_("Nur die Moderation dieser Kommune kann das entscheiden."))


# Reports ----------------------------------------------------------------------------------


def report_create(*, reporter: Any, target: Target, reason: str, text: str = "") -> Report:
    """``reporter`` flags ``target``. Once per person; after enough reports it is hidden."""
    decide(reporter, "moderation.report", target).raise_if_refused()
    if reason not in ReportReason.values:
        raise ValidationError({"reason": _("Bitte wählen Sie einen Grund.")})
    text = text.strip()
    if reason == ReportReason.OTHER and not text:
        raise ValidationError({"text": _("Bitte beschreiben Sie kurz, was nicht stimmt.")})
    project = _project(target)
    report = Report(
        organisation_id=project.organisation_id,
        project=project,
        reporter=reporter,
        reason=reason,
        text=text,
        **{target_field(target): target},
    )
    report.full_clean(validate_constraints=False)
    model = _model(target)
    with transaction.atomic():
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            raise ValidationError(_("Sie haben diesen Beitrag bereits gemeldet.")) from None
        rows = model.objects.filter(pk=target.pk)
        rows.update(report_count=F("report_count") + 1)
        # This transaction holds the row lock now: the count read is the current one.
        count = rows.values_list("report_count", flat=True).get()
        threshold = auto_hide_threshold()
        if threshold and count >= threshold:
            reason_text = _(
                "Mehrere Personen haben diesen Beitrag gemeldet. Die Moderation prüft ihn."
            )
            if _set_hidden(target, cause=HideCause.REPORTS, reason=reason_text):
                _log(
                    organisation_id=project.organisation_id,
                    moderator=None,
                    kind=ActionKind.AUTO_HIDE,
                    target=target,
                    subject=subject_of(target),
                    reason=_("%(count)d Meldungen") % {"count": count},
                )
                transaction.on_commit(lambda: _notify_auto_hidden(target))
    target.report_count = count
    return report


def _resolve_reports(target: Target, *, moderator: Any, resolution: str) -> list[int]:
    """Close the open reports of ``target``; returns the reporters' ids.

    The contribution's row is locked first: a report arriving at the same moment
    (``report_create`` updates that row too) waits, and is then counted afresh.
    """
    list(_model(target).objects.select_for_update().filter(pk=target.pk).values_list("pk"))
    reports = Report.objects.filter(**{target_field(target): target}, resolved_at__isnull=True)
    reporters = [pk for pk in reports.values_list("reporter_id", flat=True) if pk]
    reports.update(resolved_at=timezone.now(), resolved_by=moderator, resolution=resolution)
    _model(target).objects.filter(pk=target.pk).update(report_count=0)
    target.report_count = 0
    return reporters


# Hide and restore ---------------------------------------------------------------------------


def _set_hidden(target: Target, *, cause: str, reason: str) -> bool:
    """Hide ``target`` unless it is hidden already; keeps ``comment_count`` exact."""
    now = timezone.now()
    values: dict[str, Any] = {
        "hidden_at": now,
        "hidden_cause": cause,
        "hidden_reason": reason[:MAX_REASON],
    }
    model = _model(target)
    if isinstance(target, Comment):
        won = Comment.objects.filter(
            pk=target.pk, hidden_at__isnull=True, deleted_at__isnull=True
        ).update(**values)
        if won:
            shift_comment_counters([counted_row(target)], -1)
        won = won or Comment.objects.filter(pk=target.pk, hidden_at__isnull=True).update(**values)
    else:
        won = model.objects.filter(pk=target.pk, hidden_at__isnull=True).update(**values)
    if won:
        modules.changed(project_id=target.project_id)  # conditional updates: no signal
        target.hidden_at, target.hidden_cause, target.hidden_reason = (
            now,
            cause,
            values["hidden_reason"],
        )
    return bool(won)


def _set_visible(target: Target, *, only_cause: str | None = None) -> bool:
    """Show ``target`` again; keeps ``comment_count`` exact."""
    values = {"hidden_at": None, "hidden_cause": "", "hidden_reason": ""}
    model = _model(target)
    # Proposals or comments: the deleted_at filter below applies to comments only.
    rows: QuerySet[Any] = model.objects.filter(pk=target.pk, hidden_at__isnull=False)
    if only_cause:
        rows = rows.filter(hidden_cause=only_cause)
    if isinstance(target, Comment):
        won = rows.filter(deleted_at__isnull=True).update(**values)
        if won:
            shift_comment_counters([counted_row(target)], +1)
        won = won or rows.update(**values)
    else:
        won = rows.update(**values)
    if won:
        modules.changed(project_id=target.project_id)  # conditional updates: no signal
        target.hidden_at, target.hidden_cause, target.hidden_reason = None, "", ""
    return bool(won)


@transaction.atomic
def hide(*, moderator: Any, target: Target, reason: str) -> bool:
    """Hide a contribution with a reason the author is told. False if it was hidden already.

    Open reports are closed as "ausgeblendet"; the reporters are told.
    """
    project = _project(target)
    _require_moderator(moderator, project)
    reason = _clean_reason(reason)
    if not _set_hidden(target, cause=HideCause.MODERATOR, reason=reason):
        # Already hidden (automatically or by a block): the moderator confirms it.
        if target.hidden_cause == HideCause.MODERATOR or not _model(target).objects.filter(
            pk=target.pk
        ).update(hidden_cause=HideCause.MODERATOR, hidden_reason=reason):
            return False
        target.hidden_cause, target.hidden_reason = HideCause.MODERATOR, reason
    reporters = _resolve_reports(target, moderator=moderator, resolution=Resolution.HIDDEN)
    _log(
        organisation_id=project.organisation_id,
        moderator=moderator,
        kind=ActionKind.HIDE,
        target=target,
        subject=subject_of(target),
        reason=reason,
    )
    transaction.on_commit(lambda: _notify_decision(target, hidden=True, reporters=reporters))
    return True


@transaction.atomic
def restore(*, moderator: Any, target: Target, reason: str) -> bool:
    """Make a hidden contribution visible again. False if it was not hidden."""
    project = _project(target)
    _require_moderator(moderator, project)
    reason = _clean_reason(reason)
    if is_author_blocked(target):
        raise ValidationError(
            _("Das Konto ist gesperrt. Heben Sie die Sperrung auf, um die Beiträge zu zeigen.")
        )
    if not _set_visible(target):
        return False
    reporters = _resolve_reports(target, moderator=moderator, resolution=Resolution.DISMISSED)
    _log(
        organisation_id=project.organisation_id,
        moderator=moderator,
        kind=ActionKind.RESTORE,
        target=target,
        subject=subject_of(target),
        reason=reason,
    )
    transaction.on_commit(lambda: _notify_decision(target, hidden=False, reporters=reporters))
    return True


@transaction.atomic
def dismiss_reports(*, moderator: Any, target: Target, reason: str = "") -> int:
    """The contribution stays visible; its open reports are closed. Returns how many."""
    project = _project(target)
    _require_moderator(moderator, project)
    reason = _clean_reason(reason, required=False)
    open_reports = Report.objects.filter(**{target_field(target): target}, resolved_at__isnull=True)
    count = open_reports.count()
    if not count:
        return 0
    reporters = _resolve_reports(target, moderator=moderator, resolution=Resolution.DISMISSED)
    _log(
        organisation_id=project.organisation_id,
        moderator=moderator,
        kind=ActionKind.DISMISS,
        target=target,
        subject=subject_of(target),
        reason=reason or _("%(count)d Meldungen geprüft") % {"count": count},
    )
    transaction.on_commit(lambda: _notify_reporters(target, reporters, hidden=False))
    return count


def is_author_blocked(target: Target) -> bool:
    if target.author_id is None:
        return False
    return Block.objects.filter(
        user_id=target.author_id, organisation_id=_project(target).organisation_id
    ).exists()


# Blocking -----------------------------------------------------------------------------------


def _shift_comment_counts(rows: list[tuple[int, int | None, int | None, str]], delta: int) -> None:
    """``rows``: (pk, proposal_id, debate_id, stance) of the comments that changed state."""
    shift_comment_counters(
        [(proposal, debate, stance) for _pk, proposal, debate, stance in rows], delta
    )


@transaction.atomic
def block(*, moderator: Any, organisation: Organisation, user: Any, reason: str) -> Block:
    """Block ``user`` in ``organisation``'s projects and hide their contributions there
    (proposals, comments and the debates they opened)."""
    if not moderates(moderator, organisation.pk):
        raise PermissionDenied(_("Nur die Moderation dieser Kommune kann Konten sperren."))
    reason = _clean_reason(reason)
    if user.pk == moderator.pk:
        raise ValidationError(_("Sie können Ihr eigenes Konto nicht sperren."))
    if (
        user.is_superuser
        or Membership.objects.filter(user=user, organisation=organisation).exists()
    ):
        raise ValidationError(_("Mitarbeitende der Kommune können nicht gesperrt werden."))
    try:
        with transaction.atomic():
            blocked = Block.objects.create(
                organisation=organisation, user=user, reason=reason, blocked_by=moderator
            )
    except IntegrityError:
        raise ValidationError(_("Dieses Konto ist bereits gesperrt.")) from None
    now = timezone.now()
    values = {"hidden_at": now, "hidden_cause": HideCause.BLOCK, "hidden_reason": reason}
    proposals, comments = contributions_of(organisation, user)
    debates = debates_of(organisation, user)
    # Comments first (in id order), then proposals and debates: the lock order of
    # every comment write (see ``comments.services``), so a parallel reply waits
    # instead of deadlocking.
    counted = list(
        comments.select_for_update(no_key=True)
        .filter(hidden_at__isnull=True, deleted_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "proposal_id", "debate_id", "stance")
    )
    proposals.filter(hidden_at__isnull=True).update(**values)
    # Exactly the rows counted lose their count; others (deleted ones) are hidden too.
    Comment.objects.filter(pk__in=[row[0] for row in counted]).update(**values)
    comments.filter(hidden_at__isnull=True, deleted_at__isnull=False).update(**values)
    _shift_comment_counts(counted, -1)
    debates.filter(hidden_at__isnull=True).update(**values)
    _log(
        organisation_id=organisation.pk,
        moderator=moderator,
        kind=ActionKind.BLOCK,
        target_user=user,
        subject=_("Konto „%(name)s“") % {"name": user.public_name},
        reason=reason,
    )
    # Updates across the municipality's projects: no signal, every page may show them.
    modules.changed(everywhere=True)
    transaction.on_commit(lambda: _notify_block(blocked, lifted=False))
    return blocked


@transaction.atomic
def unblock(*, moderator: Any, organisation: Organisation, user: Any, reason: str) -> bool:
    """Lift the block; contributions hidden because of it become visible again."""
    if not moderates(moderator, organisation.pk):
        raise PermissionDenied(_("Nur die Moderation dieser Kommune kann Sperrungen aufheben."))
    reason = _clean_reason(reason)
    deleted, _details = Block.objects.filter(organisation=organisation, user=user).delete()
    if not deleted:
        return False
    values = {"hidden_at": None, "hidden_cause": "", "hidden_reason": ""}
    proposals, comments = contributions_of(organisation, user)
    debates = debates_of(organisation, user)
    # The same lock order as ``block``: comments (in id order), then proposals, debates.
    counted = list(
        comments.select_for_update(no_key=True)
        .filter(hidden_cause=HideCause.BLOCK, hidden_at__isnull=False, deleted_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "proposal_id", "debate_id", "stance")
    )
    proposals.filter(hidden_cause=HideCause.BLOCK).update(**values)
    Comment.objects.filter(pk__in=[row[0] for row in counted]).update(**values)
    comments.filter(hidden_cause=HideCause.BLOCK, deleted_at__isnull=False).update(**values)
    _shift_comment_counts(counted, +1)
    debates.filter(hidden_cause=HideCause.BLOCK).update(**values)
    _log(
        organisation_id=organisation.pk,
        moderator=moderator,
        kind=ActionKind.UNBLOCK,
        target_user=user,
        subject=_("Konto „%(name)s“") % {"name": user.public_name},
        reason=reason,
    )
    modules.changed(everywhere=True)  # as in ``block``
    transaction.on_commit(
        lambda: _notify_block(
            Block(organisation=organisation, user=user, reason=reason), lifted=True
        )
    )
    return True


# Notifications ------------------------------------------------------------------------------
# Written in the site's language, whatever language the moderator's pages are in: the
# recipient did not choose it.


def _what(target: Target) -> str:
    if isinstance(target, Proposal):
        return _("Ihr Vorschlag „%(title)s“") % {"title": target.title}
    if isinstance(target, Debate):
        return _("Ihre Debatte „%(question)s“") % {"question": target.question}
    return _("Ihr Kommentar")


def _shown_again(target: Target) -> str:
    if isinstance(target, Debate):
        return _("Die Moderation hat %(what)s geprüft; sie ist wieder öffentlich.") % {
            "what": _what(target)
        }
    return _("Die Moderation hat %(what)s geprüft; er ist wieder öffentlich.") % {
        "what": _what(target)
    }


def _notify_decision(target: Target, *, hidden: bool, reporters: list[int]) -> None:
    author = target.author
    if author is not None:
        with translation.override(settings.LANGUAGE_CODE):
            if hidden:
                title = _("%(what)s wurde von der Moderation ausgeblendet") % {
                    "what": _what(target)
                }
                body = _(
                    "%(what)s ist nicht mehr öffentlich sichtbar.\n\nBegründung: %(reason)s\n\n"
                    "Wenn Sie das für falsch halten, antworten Sie auf diese E-Mail oder "
                    "wenden Sie sich an die Kommune."
                ) % {"what": _what(target), "reason": target.hidden_reason}
                kind = CONTENT_HIDDEN
            else:
                title = _("%(what)s ist wieder sichtbar") % {"what": _what(target)}
                body = _shown_again(target)
                kind = CONTENT_RESTORED
        notify(
            recipients=[author],
            kind=kind,
            title=title,
            text=target.hidden_reason if hidden else "",
            url=target.get_absolute_url(),
            mail_subject=title,
            mail_body=f"{body}\n\n{settings.SITE_URL}{target.get_absolute_url()}\n",
        )
    _notify_reporters(target, reporters, hidden=hidden)


def _notify_reporters(target: Target, reporter_ids: list[int], *, hidden: bool) -> None:
    if not reporter_ids:
        return
    from django.contrib.auth import get_user_model

    with translation.override(settings.LANGUAGE_CODE):
        title = _("Ihre Meldung wurde bearbeitet")
        text = (
            _("Der gemeldete Beitrag wurde ausgeblendet. Danke für Ihren Hinweis.")
            if hidden
            else _("Die Moderation hat den Beitrag geprüft; er bleibt sichtbar.")
        )
    notify(
        recipients=get_user_model().objects.filter(pk__in=reporter_ids),
        kind=REPORT_RESOLVED,
        title=title,
        text=text,
        url=target.get_absolute_url(),
    )


def decision_url(target: Target) -> str:
    """The moderation page of ``target`` (its reports, its log, the decisions)."""
    from django.urls import reverse

    return reverse(f"moderation:{target_field(target)}", args=[target.pk])


def _notify_auto_hidden(target: Target) -> None:
    """Moderators check every automatic decision; the author learns why."""
    from mitmachen.organisations.models import Role

    project = _project(target)
    moderators = [
        m.user
        for m in Membership.objects.filter(
            organisation_id=project.organisation_id, role__in=[Role.ADMIN, Role.MODERATOR]
        ).select_related("user")
    ]
    url = decision_url(target)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Automatisch ausgeblendet, bitte prüfen: %(subject)s") % {
            "subject": subject_of(target)
        }
        author_title = _("%(what)s wurde nach Meldungen vorläufig ausgeblendet") % {
            "what": _what(target)
        }
        author_text = (
            _("Die Moderation prüft sie und entscheidet, ob sie wieder sichtbar wird.")
            if isinstance(target, Debate)
            else _("Die Moderation prüft ihn und entscheidet, ob er wieder sichtbar wird.")
        )
    notify(
        recipients=moderators,
        kind=kinds.OTHER,
        title=title[:200],
        url=url,
        mail_subject=title[:200],
        mail_body=f"{title}\n\n{settings.SITE_URL}{url}\n",
    )
    if target.author is not None:
        notify(
            recipients=[target.author],
            kind=CONTENT_HIDDEN,
            title=author_title,
            text=author_text,
            url=target.get_absolute_url(),
        )


def _notify_block(blocked: Block, *, lifted: bool) -> None:
    name = blocked.organisation.name
    if lifted:
        title = _("Die Sperrung Ihres Kontos in %(name)s wurde aufgehoben") % {"name": name}
    else:
        title = _("Ihr Konto wurde für Beteiligungen in %(name)s gesperrt") % {"name": name}
    body = _("%(title)s.\n\nBegründung: %(reason)s\n") % {"title": title, "reason": blocked.reason}
    notify(
        recipients=[blocked.user],
        kind=kinds.OTHER,
        title=title,
        text=blocked.reason,
        url=blocked.organisation.get_absolute_url(),
        mail_subject=title,
        mail_body=body,
    )
