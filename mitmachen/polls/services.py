"""Every write to polls: answering online, paper entry, corrections, review, closing.

"One response per person" rests on ``Participation``'s unique constraints, written in
the same transaction as the response: two parallel submissions of one person (or one
guest token) cannot both insert it. With ``allow_changes`` the second one waits for
the first to commit, locks the participation and replaces the answers instead.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from mitmachen.core.channels import Channel
from mitmachen.notifications import kinds
from mitmachen.notifications.services import notify
from mitmachen.polls.answers import AnswerData, clean_answers, is_blank
from mitmachen.polls.models import (
    PRESET_OPTIONS,
    Answer,
    Correction,
    Option,
    PaperBatch,
    Participation,
    Poll,
    PollKind,
    Question,
    QuestionKind,
    Response,
    TextReview,
)
from mitmachen.polls.permissions import answer_refusal, can_manage, poll_districts
from mitmachen.projects import contributions, modules
from mitmachen.projects.models import PARTICIPATION_OPENED, RESULTS_PUBLISHED, Visibility
from mitmachen.projects.services import project_followers_notify

GUEST_SALT = "mitmachen.polls.guest"
GUEST_TOKEN_MAX_AGE = 24 * 60 * 60  # a questionnaire may stay open in a tab for a day
PAPER_CHANNELS = [c for c in Channel if c != Channel.ONLINE]


class AnswerError(ValidationError):
    """Answers that cannot be stored; ``by_question`` maps question ids to German text."""

    def __init__(self, messages: dict[int, str]):
        super().__init__(list(messages.values()))
        self.by_question = messages


# --- building polls -------------------------------------------------------------------


def ensure_preset_options(question: Question) -> None:
    """Yes/no and age-group questions always offer their fixed answers.

    Written in bulk (no signal): call it in the transaction that saves the question, whose
    signal makes the project's pages stale (as the admin does)."""
    labels = PRESET_OPTIONS.get(question.kind)
    if not labels or question.options.exists():
        return
    Option.objects.bulk_create(
        Option(question=question, position=i, label=label) for i, label in enumerate(labels)
    )


def questions_of(poll: Poll) -> list[Question]:
    """The poll's questions in order, with their options (two queries)."""
    return list(poll.questions.prefetch_related("options").order_by("position", "pk"))


def question_move(*, user: Any, question: Question, up: bool) -> None:
    """Swap a question with its neighbour; positions are renumbered 0, 1, 2, …"""
    if not can_manage(user, question.poll):
        raise PermissionDenied(_("Sie dürfen diese Umfrage nicht bearbeiten."))
    with transaction.atomic():
        ordered = list(
            Question.objects.select_for_update()
            .filter(poll_id=question.poll_id)
            .order_by("position", "pk")
        )
        index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(ordered):
            ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered):
            if item.position != position:
                Question.objects.filter(pk=item.pk).update(position=position)
        modules.changed(project_id=question.poll.project_id)  # updates: no signal


# --- setting polls up in the site (the project set-up's survey pages) ------------------
#
# The set-up pages (``polls.setup_views``) write only through these. Whoever may change the
# project builds its polls (``can_manage``). What would miscount stored answers is refused
# with a German ``ValidationError``: the model's own checks (``Poll.clean``: "anonym" once
# someone took part; ``Question.clean``: kind and scale once answered) and, here, removing
# or renaming answer options, adding options to a ranking, and deleting a question once it
# has answers.

POLL_FIELDS = (
    "phase",
    "kind",
    "title",
    "intro",
    "closing_text",
    "eligibility",
    "anonymous",
    "allow_changes",
    "results_visibility",
    "is_published",
)
QUESTION_FIELDS = (
    "kind",
    "text",
    "help_text",
    "required",
    "min_choices",
    "max_choices",
    "scale_min",
    "scale_max",
    "scale_min_label",
    "scale_max_label",
    "max_length",
)
# Kinds whose options staff type in (the others have none, or fixed ones).
TYPED_OPTION_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING})
MAX_OPTIONS = 50


def _require_poll_builder(user: Any, project: Any) -> None:
    from mitmachen.projects.permissions import can_change

    if not can_change(user, project):
        raise PermissionDenied(
            _("Sie dürfen die Umfragen dieses Beteiligungsprozesses nicht bearbeiten.")
        )


def poll_save(
    *,
    user: Any,
    project: Any,
    poll: Poll | None = None,
    districts: Any = (),
    **fields: Any,
) -> Poll:
    """Create a poll in ``project`` or change ``poll`` (``POLL_FIELDS``; ``districts``: for
    "residents" polls, Ortsteile of the project's municipalities only)."""
    unknown = set(fields) - set(POLL_FIELDS)
    if unknown:
        raise TypeError(f"poll_save() cannot set {sorted(unknown)}")
    _require_poll_builder(user, project)
    if poll is not None and poll.project_id != project.pk:
        raise PermissionDenied
    phase = fields.get("phase")
    if phase is not None and phase.project_id != project.pk:
        raise ValidationError({"phase": _("Die Phase gehört nicht zu diesem Beteiligungsprozess.")})
    own = {o.pk for o in project.all_organisations()}
    foreign = [d.name for d in districts if d.organisation_id not in own]
    if foreign:
        raise ValidationError(
            {
                "districts": _("Diese Ortsteile gehören nicht zur Kommune des Prozesses: %(names)s")
                % {"names": ", ".join(foreign)}
            }
        )
    with transaction.atomic():
        target = poll if poll is not None else Poll(project=project)
        if poll is not None:
            # Lock the row: the check of stored answers and the change are one step.
            Poll.objects.select_for_update().filter(pk=poll.pk).first()
        for name, value in fields.items():
            setattr(target, name, value)
        target.full_clean(exclude=["project", "districts"])
        target.save()
        target.districts.set(districts)
    return target


def _option_changes(question: Question, labels: list[str]) -> tuple[list[Option], list[str]]:
    """Which stored options go, which labels are new (options are kept by their label)."""
    stored = list(question.options.all()) if question.pk else []
    wanted = set(labels)
    gone = [o for o in stored if o.label not in wanted]
    have = {o.label for o in stored}
    return gone, [label for label in labels if label not in have]


def answered_options_refusal(question: Question, gone: list[Option], added: bool) -> str:
    """Why the options of ``question`` may not change so (German), or ``""``: once it has
    answers, options are neither removed nor renamed (``gone``: stored options that would
    go or get another label), and a ranking gets no new ones (``added``). Asked by
    ``question_save`` and by the admin's option rows."""
    if not (gone or (added and question.kind == QuestionKind.RANKING)):
        return ""
    if not question.has_answers():
        return ""
    if gone:
        return str(
            _(
                "Diese Frage hat schon Antworten: Antwortmöglichkeiten lassen sich "
                "nicht mehr entfernen oder umbenennen (%(labels)s). Sonst gingen "
                "gespeicherte Antworten verloren oder bekämen eine andere Bedeutung."
            )
            % {"labels": ", ".join(f"„{o.label}“" for o in gone)}
        )
    return str(
        _(
            "Diese Rangfolge hat schon Antworten: Neue Antwortmöglichkeiten würden "
            "die bisherigen Rangfolgen verfälschen."
        )
    )


def question_delete_refusal(question: Question) -> str:
    """Why ``question`` may not be deleted (German), or ``""``: its answers would go with
    it. Asked by ``question_delete`` and by the admin."""
    if not question.has_answers():
        return ""
    return str(
        _(
            "Die Frage „%(text)s“ hat schon Antworten und kann nicht gelöscht werden: "
            "die Antworten gingen verloren."
        )
        % {"text": question.text}
    )


def question_save(
    *,
    user: Any,
    poll: Poll,
    question: Question | None = None,
    options: list[str] | None = None,
    **fields: Any,
) -> Question:
    """Add a question to ``poll`` (at the end) or change ``question`` (``QUESTION_FIELDS``).

    ``options``: the answer options of a choice or ranking question, in order, one label
    each; options are kept by their label, so a stored answer keeps its meaning. Yes/no and
    age-group questions get their fixed options. Once the question has answers, options
    are neither removed nor renamed, and a ranking gets no new ones (old rankings would
    miscount); kind and scale stay as they are (``Question.clean``)."""
    unknown = set(fields) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"question_save() cannot set {sorted(unknown)}")
    _require_poll_builder(user, poll.project)
    if question is not None and question.poll_id != poll.pk:
        raise PermissionDenied
    labels = [label.strip() for label in options or [] if label.strip()]
    with transaction.atomic():
        Poll.objects.select_for_update().filter(pk=poll.pk).first()
        target = question if question is not None else Question(poll=poll)
        if target.pk is None:
            last = poll.questions.order_by("-position").values_list("position", flat=True).first()
            target.position = 0 if last is None else last + 1
        for name, value in fields.items():
            setattr(target, name, value)
        target.full_clean(exclude=["poll"])
        typed = target.kind in TYPED_OPTION_KINDS
        errors: list[str] = []
        if typed:
            if len(labels) < 2:
                errors.append(_("Bitte geben Sie mindestens zwei Antwortmöglichkeiten an."))
            if len(set(labels)) != len(labels):
                errors.append(_("Jede Antwortmöglichkeit darf nur einmal vorkommen."))
            if len(labels) > MAX_OPTIONS:
                errors.append(_("Höchstens 50 Antwortmöglichkeiten."))
            if any(len(label) > 200 for label in labels):
                errors.append(_("Eine Antwortmöglichkeit hat höchstens 200 Zeichen."))
        if errors:
            raise ValidationError({"options": errors})
        gone, new = _option_changes(target, labels) if typed else ([], [])
        refusal = answered_options_refusal(target, gone, bool(new))
        if refusal:
            raise ValidationError({"options": refusal})
        if not typed and target.pk and target.kind not in PRESET_OPTIONS:
            gone = list(target.options.all())  # e.g. a choice question turned into a scale
        target.save()
        if gone:
            Option.objects.filter(pk__in=[o.pk for o in gone]).delete()
        if typed:
            by_label = {o.label: o for o in target.options.all()}
            for position, label in enumerate(labels):
                option = by_label.get(label)
                if option is None:
                    Option.objects.create(question=target, position=position, label=label)
                elif option.position != position:
                    option.position = position
                    option.save(update_fields=["position"])
        else:
            ensure_preset_options(target)
    return target


def question_delete(*, user: Any, question: Question) -> None:
    """Remove a question that has no answers yet; positions close the gap."""
    poll = question.poll
    _require_poll_builder(user, poll.project)
    with transaction.atomic():
        Poll.objects.select_for_update().filter(pk=poll.pk).first()
        refusal = question_delete_refusal(question)
        if refusal:
            raise ValidationError(refusal)
        question.delete()
        for position, pk in enumerate(
            poll.questions.order_by("position", "pk").values_list("pk", flat=True)
        ):
            Question.objects.filter(pk=pk).exclude(position=position).update(position=position)
        modules.changed(project_id=poll.project_id)  # position updates: no signal


# --- guest tokens ---------------------------------------------------------------------


def guest_token(poll: Poll) -> str:
    """A signed, one-time token for one browser's answer to a guest poll."""
    return signing.dumps({"p": poll.pk, "k": secrets.token_hex(16)}, salt=GUEST_SALT)


def guest_key(poll: Poll, token: str) -> str:
    """The key inside a valid token for ``poll``; raises PermissionDenied otherwise."""
    try:
        data = signing.loads(token, salt=GUEST_SALT, max_age=GUEST_TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise PermissionDenied(
            _(
                "Das Formular ist abgelaufen. "
                "Bitte laden Sie die Seite neu und antworten Sie erneut."
            )
        ) from error
    except signing.BadSignature as error:
        raise PermissionDenied(
            _("Das Formular ist ungültig. Bitte laden Sie die Seite neu und antworten Sie erneut.")
        ) from error
    if not isinstance(data, dict) or data.get("p") != poll.pk or not isinstance(data.get("k"), str):
        raise PermissionDenied(
            _("Das Formular gehört zu einer anderen Umfrage. Bitte laden Sie die Seite neu.")
        )
    return data["k"]


# --- answering ------------------------------------------------------------------------


def _check(poll: Poll, questions: list[Question], data: AnswerData, *, paper: bool) -> None:
    errors = clean_answers(
        questions, data, district_ids=poll_districts(poll), enforce_required=not paper
    )
    if not paper and all(is_blank(q, data.get(q.pk)) for q in questions) and not errors:
        errors[0] = _("Bitte beantworten Sie mindestens eine Frage.")
    if errors:
        raise AnswerError(errors)


def _write_answers(response: Response, questions: list[Question], data: AnswerData) -> None:
    rows: list[Answer] = []
    district_id = age_group_id = None
    for question in questions:
        value: Any = data.get(question.pk)  # its type depends on the question's kind
        if is_blank(question, value):
            continue
        kind = question.kind
        if kind == QuestionKind.MULTIPLE:
            rows += [Answer(response=response, question=question, option_id=v) for v in value]
        elif kind == QuestionKind.RANKING:
            rows += [
                Answer(response=response, question=question, option_id=v, number=place)
                for place, v in enumerate(value, start=1)
            ]
        elif kind == QuestionKind.SCALE:
            rows.append(Answer(response=response, question=question, number=value))
        elif question.is_text:
            rows.append(
                Answer(response=response, question=question, text=value, review=TextReview.PENDING)
            )
        elif kind == QuestionKind.DISTRICT:
            rows.append(Answer(response=response, question=question, district_id=value))
            district_id = district_id or value
        else:
            rows.append(Answer(response=response, question=question, option_id=value))
            if kind == QuestionKind.AGE_GROUP:
                age_group_id = age_group_id or value
    Answer.objects.bulk_create(rows)
    if (response.district_id, response.age_group_id) != (district_id, age_group_id):
        response.district_id, response.age_group_id = district_id, age_group_id
        Response.objects.filter(pk=response.pk).update(
            district_id=district_id, age_group_id=age_group_id
        )


def response_submit(
    *,
    user: Any,
    poll: Poll,
    data: AnswerData,
    guest_token_value: str | None = None,
) -> tuple[Response, bool]:
    """Store one person's online answers. Returns the response and whether it is new.

    Preconditions are checked here, not only in the view: the poll is open, the person
    is eligible, the answers fit the questions. A second submission raises
    ``PermissionDenied`` – or, when the poll allows changes, replaces the answers.
    Guests (no account) need a valid guest token; each token answers once.
    """
    refusal = answer_refusal(user, poll, answered=False)
    if refusal:
        raise PermissionDenied(refusal)
    if user.is_authenticated:
        lookup: dict[str, Any] = {"user": user}
    else:
        lookup = {"guest_key": guest_key(poll, guest_token_value or "")}
    questions = questions_of(poll)
    _check(poll, questions, data, paper=False)
    with transaction.atomic():
        try:
            with transaction.atomic():
                participation = Participation.objects.create(poll=poll, **lookup)
        except IntegrityError:
            if not poll.allow_changes or not user.is_authenticated:
                raise PermissionDenied(
                    _("Sie haben an dieser Umfrage bereits teilgenommen.")
                ) from None
            participation = Participation.objects.select_for_update().get(poll=poll, **lookup)
            response = (
                Response.objects.select_for_update().filter(participation=participation).first()
            )
            if response is None:
                # Answered while the poll was anonymous: the answers are not linked.
                raise PermissionDenied(
                    _("Sie haben an dieser Umfrage bereits teilgenommen.")
                ) from None
            response.answers.all().delete()
            Response.objects.filter(pk=response.pk).update(updated_at=timezone.now())
            _write_answers(response, questions, data)
            modules.changed(project_id=poll.project_id)  # bulk writes: no signal
            return response, False
        response = Response.objects.create(
            poll=poll,
            participation=None if poll.anonymous else participation,
            channel=Channel.ONLINE,
        )
        _write_answers(response, questions, data)  # the new response's signal counts it
    return response, True


def own_answers(user: Any, poll: Poll) -> AnswerData | None:
    """The person's stored answers (for changing them), or None (none, or anonymous)."""
    if not user.is_authenticated or poll.anonymous:
        return None
    response = (
        Response.objects.filter(poll=poll, participation__user=user)
        .prefetch_related("answers")
        .first()
    )
    return answers_of(response, questions_of(poll)) if response else None


def answers_of(response: Response, questions: list[Question]) -> AnswerData:
    """A stored response in the shape ``clean_answers`` takes (answers prefetched)."""
    data: AnswerData = {}
    by_question: dict[int, list[Answer]] = {}
    for answer in response.answers.all():
        by_question.setdefault(answer.question_id, []).append(answer)
    for question in questions:
        rows = by_question.get(question.pk, [])
        kind = question.kind
        if kind == QuestionKind.MULTIPLE:
            option_order = {o.pk: i for i, o in enumerate(question.options.all())}
            data[question.pk] = sorted(
                (a.option_id for a in rows), key=lambda oid: option_order.get(oid, 0)
            )
        elif kind == QuestionKind.RANKING:
            data[question.pk] = [a.option_id for a in sorted(rows, key=lambda a: a.number or 0)]
        elif question.is_text:
            data[question.pk] = rows[0].text if rows else ""
        elif not rows:
            data[question.pk] = None
        elif kind == QuestionKind.SCALE:
            data[question.pk] = rows[0].number
        elif kind == QuestionKind.DISTRICT:
            data[question.pk] = rows[0].district_id
        else:
            data[question.pk] = rows[0].option_id
    return data


# --- closing ----------------------------------------------------------------------------


def poll_close(*, user: Any, poll: Poll) -> bool:
    """End a poll early. Participants with an account hear that results are coming."""
    if not can_manage(user, poll):
        raise PermissionDenied(_("Sie dürfen diese Umfrage nicht beenden."))
    with transaction.atomic():
        updated = Poll.objects.filter(pk=poll.pk, closed_at__isnull=True).update(
            closed_at=timezone.now(), closed_by=user
        )
        if not updated:
            return False
        modules.changed(project_id=poll.project_id)  # a conditional update: no signal
        recipients = [p.user for p in poll.participations.select_related("user") if p.user_id]
        transaction.on_commit(
            lambda: notify(
                recipients=recipients,
                kind=kinds.OTHER,
                title=_("Die Umfrage „%(title)s“ ist beendet.") % {"title": poll.title},
                url=poll.get_absolute_url(),
                text=_(
                    "Vielen Dank für Ihre Teilnahme. "
                    "Die Ergebnisse finden Sie auf der Seite der Umfrage."
                ),
                exclude=user,
            )
        )
        closed_at = timezone.now()
        transaction.on_commit(lambda: poll_results_notify(poll=poll, now=closed_at, actor=user))
    return True


# --- what the project's followers hear --------------------------------------------------


def poll_opened_notify(*, poll: Poll, now: datetime) -> bool:
    """Tell the project's followers, once, that a published poll takes answers now.

    Claimed with ``UPDATE … WHERE opened_notified_at IS NULL``: only the call that set
    the marker notifies. False if the poll is not open or was announced already.
    """
    if not poll.is_open(now):
        return False
    with transaction.atomic():
        if not Poll.objects.filter(pk=poll.pk, opened_notified_at__isnull=True).update(
            opened_notified_at=now
        ):
            return False
        with translation.override(settings.LANGUAGE_CODE):
            template = (
                _("Neue Abstimmung in „%(project)s“: %(poll)s")
                if poll.kind == PollKind.VOTE
                else _("Neue Umfrage in „%(project)s“: %(poll)s")
            )
            title = template % {"project": poll.project.title, "poll": poll.title}
            text = _("Sie können bis %(end)s teilnehmen.") % {
                "end": formats.date_format(localtime(poll.closes_at()), "DATE_FORMAT")
            }
        project_followers_notify(
            project=poll.project,
            kind=PARTICIPATION_OPENED,
            title=title,
            text=text,
            url=poll.get_absolute_url(),
        )
    return True


def poll_results_notify(*, poll: Poll, now: datetime, actor: Any = None) -> bool:
    """Tell the project's followers, once, that a published poll has ended and its results
    are public. Claimed like ``poll_opened_notify``; ``actor`` (who closed it) is left out.
    """
    poll = Poll.objects.for_display().get(pk=poll.pk)
    if (
        not poll.is_published
        or poll.project.visibility == Visibility.DRAFT
        or not poll.is_closed(now)
        or not poll.results_are_public(now)
    ):
        return False
    with transaction.atomic():
        if not Poll.objects.filter(pk=poll.pk, results_notified_at__isnull=True).update(
            results_notified_at=now
        ):
            return False
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Ergebnisse von „%(poll)s“ in „%(project)s“") % {
                "poll": poll.title,
                "project": poll.project.title,
            }
        project_followers_notify(
            project=poll.project,
            kind=RESULTS_PUBLISHED,
            title=title,
            url=poll.get_absolute_url(),
            actor=actor,
        )
    return True


def polls_followers_notify(now: datetime) -> int:
    """Announce polls that opened and results that became public since the last run
    (``manage.py notify_project_followers``: a poll opens when it is published and its
    phase starts, and ends when its phase ends). Returns how many were announced."""
    polls = (
        Poll.objects.for_display()
        .filter(is_published=True)
        .exclude(project__visibility=Visibility.DRAFT)
    )
    announced = 0
    for poll in polls.filter(
        opened_notified_at__isnull=True,
        closed_at__isnull=True,
        phase__start__lte=now,
        phase__end__gt=now,
    ):
        announced += poll_opened_notify(poll=poll, now=now)
    for poll in polls.filter(results_notified_at__isnull=True).filter(
        Q(closed_at__isnull=False) | Q(phase__end__lte=now)
    ):
        announced += poll_results_notify(poll=poll, now=now)
    return announced


# --- free-text review -----------------------------------------------------------------


def text_review(*, user: Any, answer: Answer, review: str) -> None:
    """Approve a free-text answer for the public results, or keep it back."""
    poll = answer.question.poll
    if not can_manage(user, poll):
        raise PermissionDenied(_("Sie dürfen die Antworten dieser Umfrage nicht prüfen."))
    if review not in (TextReview.APPROVED, TextReview.REJECTED, TextReview.PENDING):
        raise ValidationError(_("Unbekannte Entscheidung."))
    if not answer.question.is_text:
        raise ValidationError(_("Nur Freitext-Antworten werden geprüft."))
    Answer.objects.filter(pk=answer.pk).update(review=review)
    modules.changed(project_id=poll.project_id)  # an update of a part: no signal


# --- paper entry ------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchData:
    channel: str
    collected_on: date
    place: str = ""
    event_id: int | None = None  # the event it was collected at (``projects.contributions``)


@transaction.atomic
def batch_create(*, user: Any, poll: Poll, data: BatchData) -> PaperBatch:
    if not can_manage(user, poll):
        raise PermissionDenied(_("Sie dürfen für diese Umfrage keine Papierbögen erfassen."))
    if data.channel not in PAPER_CHANNELS:
        raise ValidationError({"channel": _("Bitte wählen Sie, wo die Bögen ausgefüllt wurden.")})
    if data.collected_on > timezone.localdate():
        raise ValidationError({"collected_on": _("Das Datum liegt in der Zukunft.")})
    batch = PaperBatch.objects.create(
        poll=poll,
        channel=data.channel,
        place=data.place.strip(),
        collected_on=data.collected_on,
        entered_by=user,
    )
    contributions.record(row=batch, event_id=data.event_id, user=user)
    return batch


def _require_editable_batch(user: Any, batch: PaperBatch) -> None:
    if not can_manage(user, batch.poll):
        raise PermissionDenied(_("Sie dürfen für diese Umfrage keine Papierbögen erfassen."))


def paper_response_create(*, user: Any, batch: PaperBatch, data: AnswerData) -> Response:
    """Enter one paper questionnaire into ``batch``, as it was filled in.

    Required questions may stay empty (paper is entered as it is), but every value
    must fit its question; an entirely empty questionnaire is refused. Paper can be
    entered after the poll closed: questionnaires arrive by post.
    """
    _require_editable_batch(user, batch)
    poll = batch.poll
    questions = questions_of(poll)
    _check(poll, questions, data, paper=True)
    if all(is_blank(q, data.get(q.pk)) for q in questions):
        raise AnswerError({0: _("Der Bogen ist leer. Leere Bögen werden nicht erfasst.")})
    with transaction.atomic():
        response = Response.objects.create(
            poll=poll, channel=batch.channel, batch=batch, entered_by=user
        )
        _write_answers(response, questions, data)
        # A new questionnaire in a checked batch has not been checked (read from the
        # database, not from the batch loaded at the start of the request).
        PaperBatch.objects.filter(pk=batch.pk, checked_at__isnull=False).update(
            checked_at=None, checked_by=None
        )
    return response


def _snapshot(response: Response, questions: list[Question]) -> dict[str, Any]:
    data = answers_of(response, questions)
    return {str(k): v for k, v in data.items() if not _blank_value(v)}


def _blank_value(value: Any) -> bool:
    return value is None or value == "" or value == []


def paper_response_update(
    *, user: Any, response: Response, data: AnswerData, reason: str
) -> Correction:
    """Correct an entered questionnaire; the change is logged with before and after."""
    batch = response.batch
    if batch is None:
        raise PermissionDenied(_("Online abgegebene Antworten können nicht korrigiert werden."))
    _require_editable_batch(user, batch)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Bitte geben Sie einen Grund für die Korrektur an.")})
    poll = response.poll
    questions = questions_of(poll)
    _check(poll, questions, data, paper=True)
    if all(is_blank(q, data.get(q.pk)) for q in questions):
        raise AnswerError({0: _("Der Bogen ist leer. Zum Entfernen nutzen Sie „Bogen löschen“.")})
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        before = _snapshot(locked, questions)
        locked.answers.all().delete()
        _write_answers(locked, questions, data)
        Response.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
        after = _snapshot(Response.objects.get(pk=locked.pk), questions)
        PaperBatch.objects.filter(pk=batch.pk).update(checked_at=None, checked_by=None)
        correction = Correction.objects.create(
            poll=poll,
            response=locked,
            response_number=locked.pk,
            corrected_by=user,
            reason=reason,
            before=before,
            after=after,
        )
        modules.changed(project_id=poll.project_id)  # bulk writes and updates: no signal
    return correction


def paper_response_delete(*, user: Any, response: Response, reason: str) -> Correction:
    """Remove an entered questionnaire (e.g. entered twice); logged like a correction."""
    batch = response.batch
    if batch is None:
        raise PermissionDenied(_("Online abgegebene Antworten können nicht gelöscht werden."))
    _require_editable_batch(user, batch)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Bitte geben Sie einen Grund an.")})
    poll = response.poll
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        correction = Correction.objects.create(
            poll=poll,
            response=None,
            response_number=locked.pk,
            corrected_by=user,
            reason=reason,
            before=_snapshot(locked, questions_of(poll)),
            after={},
        )
        PaperBatch.objects.filter(pk=batch.pk).update(checked_at=None, checked_by=None)
        locked.poll = poll  # the page-cache signal of the deletion reads the project from it
        locked.delete()
    return correction


def batch_check(*, user: Any, batch: PaperBatch) -> None:
    """A second person confirms that the batch matches the paper."""
    _require_editable_batch(user, batch)
    if (
        batch.entered_by_id == user.pk
        or batch.responses.filter(entered_by=user).exists()
        or Correction.objects.filter(response__batch=batch, corrected_by=user).exists()
    ):
        raise PermissionDenied(
            _("Einen Stapel, den Sie selbst erfasst haben, muss eine andere Person prüfen.")
        )
    if not batch.responses.exists():
        raise ValidationError(_("Der Stapel enthält noch keine Bögen."))
    PaperBatch.objects.filter(pk=batch.pk).update(checked_by=user, checked_at=timezone.now())
