"""Every moderation write: reports, hiding and restoring, dismissing, blocking.

One write path for every kind of contribution ("target"): whatever the participation
modules declare (``projects.modules.ModerationTarget``; today proposals, comments and
debates). This app imports none of them: it reads and writes a target's rows through
its model and its declared hooks. Views, the admin and the demo call these; no other
app writes the hidden state or the log. Each decision is written to the audit log
(``ModerationAction``, naming its target by kind and id) in the same transaction as
the change it records; the author is told, and the cached pages of the target's
project are invalidated (``projects.modules.changed``: the hidden state changes by
conditional updates, which send no signal).

Counting stays exact under concurrency:
- a person reports a contribution at most once (a unique constraint on kind, id and
  person), and the contribution's ``report_count`` changes only with ``F()`` updates
  in the same transaction; the automatic hide is a conditional ``UPDATE … WHERE
  hidden_at IS NULL`` that exactly one transaction wins;
- hiding and showing go through the target's ``set_hidden`` hook with exactly the rows
  whose state changes (narrowed by ``hidden_at``); comments declare one that moves
  their proposal's or debate's ``comment_count`` (and the debate's stance counter)
  only for comments that are not deleted, after locking them, so a comment that is
  hidden and deleted at once is uncounted once (``comments.services.
  comments_set_hidden``);
- every write locks comments (in id order) before proposals before debates, the
  order of ``comments.services``: blocking changes the targets in their declared
  ``lock_order`` (comments 10, proposals 20, debates 30), so parallel writers never
  deadlock; hiding, restoring and reporting a proposal or a debate change only its
  own row.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mitmachen.core.models import HideCause
from mitmachen.core.permissions import decide
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
from mitmachen.moderation.selectors import contributions_of
from mitmachen.notifications import kinds
from mitmachen.notifications.services import notify
from mitmachen.organisations.models import Membership, Organisation
from mitmachen.projects import modules
from mitmachen.projects.models import Project
from mitmachen.projects.modules import Gender, ModerationTarget

# A row of a declared moderation target (``projects.modules.ModerationTarget``).
Target = Any
MAX_REASON = 500


def auto_hide_threshold() -> int:
    """Open reports by different people after which a contribution is hidden (0: never)."""
    return int(getattr(settings, "MODERATION_AUTO_HIDE_REPORTS", 3))


def _project(target: Target) -> Project:
    return target.project


def declared(target: Target) -> ModerationTarget:
    """How ``target``'s module declared it (``TypeError`` for any other row)."""
    return modules.moderation_target_of(target)


def target_key(target: Target) -> str:
    """The kind of ``target`` as reports and the log store it (its declared key)."""
    return declared(target).key


def _rows(target: Target) -> QuerySet[Any]:
    """``target``'s own row, as a queryset of its model."""
    return declared(target).rows().filter(pk=target.pk)


def subject_of(target: Target) -> str:
    """A short description for the log, readable without the contribution."""
    return declared(target).subject(target)


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
        fields = {"target_kind": target_key(target), "target_id": target.pk}
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
        target_kind=target_key(target),
        target_id=target.pk,
    )
    report.full_clean(validate_constraints=False)
    with transaction.atomic():
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            raise ValidationError(_("Sie haben diesen Beitrag bereits gemeldet.")) from None
        rows = _rows(target)
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
    list(_rows(target).select_for_update().values_list("pk"))
    reports = Report.objects.about(target).filter(resolved_at__isnull=True)
    reporters = [pk for pk in reports.values_list("reporter_id", flat=True) if pk]
    reports.update(resolved_at=timezone.now(), resolved_by=moderator, resolution=resolution)
    _rows(target).update(report_count=0)
    target.report_count = 0
    return reporters


# Hide and restore ---------------------------------------------------------------------------


def _set_hidden(target: Target, *, cause: str, reason: str) -> bool:
    """Hide ``target`` unless it is hidden already (through its ``set_hidden`` hook, which
    keeps what depends on it exact, e.g. a proposal's ``comment_count``)."""
    values: dict[str, Any] = {
        "hidden_at": timezone.now(),
        "hidden_cause": cause,
        "hidden_reason": reason[:MAX_REASON],
    }
    rows = _rows(target).filter(hidden_at__isnull=True)
    won = declared(target).set_hidden(rows=rows, values=values, hiding=True)
    if won:
        modules.changed(project_id=target.project_id)  # conditional updates: no signal
        target.hidden_at, target.hidden_cause, target.hidden_reason = (
            values["hidden_at"],
            cause,
            values["hidden_reason"],
        )
    return bool(won)


def _set_visible(target: Target, *, only_cause: str | None = None) -> bool:
    """Show ``target`` again (through its ``set_hidden`` hook)."""
    values = {"hidden_at": None, "hidden_cause": "", "hidden_reason": ""}
    rows = _rows(target).filter(hidden_at__isnull=False)
    if only_cause:
        rows = rows.filter(hidden_cause=only_cause)
    won = declared(target).set_hidden(rows=rows, values=values, hiding=False)
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
        if target.hidden_cause == HideCause.MODERATOR or not _rows(target).update(
            hidden_cause=HideCause.MODERATOR, hidden_reason=reason
        ):
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
    open_reports = Report.objects.about(target).filter(resolved_at__isnull=True)
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


@transaction.atomic
def block(*, moderator: Any, organisation: Organisation, user: Any, reason: str) -> Block:
    """Block ``user`` in ``organisation``'s projects and hide their contributions there
    (every declared kind: proposals, comments, the debates they opened …)."""
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
    values = {"hidden_at": timezone.now(), "hidden_cause": HideCause.BLOCK, "hidden_reason": reason}
    # In the declared lock order (comments before proposals before debates), each kind
    # through its hook: a parallel reply waits instead of deadlocking.
    for target, rows in contributions_of(organisation, user):
        target.set_hidden(rows=rows.filter(hidden_at__isnull=True), values=values, hiding=True)
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
    # The same order as ``block``; only what the block hid becomes visible.
    for target, rows in contributions_of(organisation, user):
        target.set_hidden(
            rows=rows.filter(hidden_at__isnull=False, hidden_cause=HideCause.BLOCK),
            values=values,
            hiding=False,
        )
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
    return declared(target).yours(target)


# What the author reads about their contribution, by the grammatical gender of its noun
# ("er" for a proposal, "sie" for a debate, "es" for a neuter noun).
SHOWN_AGAIN = {
    Gender.MASCULINE: gettext_noop(
        "Die Moderation hat %(what)s geprüft; er ist wieder öffentlich."
    ),
    Gender.FEMININE: gettext_noop(
        "Die Moderation hat %(what)s geprüft; sie ist wieder öffentlich."
    ),
    Gender.NEUTER: gettext_noop("Die Moderation hat %(what)s geprüft; es ist wieder öffentlich."),
}
BEING_CHECKED = {
    Gender.MASCULINE: gettext_noop(
        "Die Moderation prüft ihn und entscheidet, ob er wieder sichtbar wird."
    ),
    Gender.FEMININE: gettext_noop(
        "Die Moderation prüft sie und entscheidet, ob sie wieder sichtbar wird."
    ),
    Gender.NEUTER: gettext_noop(
        "Die Moderation prüft es und entscheidet, ob es wieder sichtbar wird."
    ),
}


def _shown_again(target: Target) -> str:
    return _(SHOWN_AGAIN[declared(target).gender]) % {"what": _what(target)}


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

    return reverse("moderation:decide", args=[declared(target).staff_slug, target.pk])


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
        author_text = _(BEING_CHECKED[declared(target).gender])
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


# Deleted targets -----------------------------------------------------------------------------


def target_deleted(*, kind: str, target_id: int) -> None:
    """A contribution was deleted (``moderation.signals``): its reports go, its log
    entries stay without the id (their ``subject`` says what they were about)."""
    Report.objects.filter(target_kind=kind, target_id=target_id).delete()
    ModerationAction.objects.filter(target_kind=kind, target_id=target_id).update(target_id=None)


def project_targets_deleting(*, project: Project) -> None:
    """``project`` is about to be deleted with its contributions: their log entries lose
    the ids, in one update per declared kind (the reports go with the project)."""
    for target in modules.moderation_targets():
        ids = target.rows().filter(project=project).values("pk")
        ModerationAction.objects.filter(target_kind=target.key, target_id__in=ids).update(
            target_id=None
        )
