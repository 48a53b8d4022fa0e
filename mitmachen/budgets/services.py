"""Every write of the Bürgerhaushalt. Views, the admin, the demo and commands call these.

Exactly once under concurrency:
- one ballot per person and group is the database's (``budget_ballot_one_per_person_and_
  group``): the first request inserts it in a savepoint, a parallel one finds the
  committed row instead; ``BudgetGroup.ballot_count`` grows in the same transaction
  with an ``F()`` update, only for the request that inserted;
- changing a ballot locks its row (``select_for_update``) before replacing its choices,
  so parallel changes apply one after the other and the ballot always holds exactly one
  submitted set;
- a group's result is stored once (``GroupResult.group`` is one-to-one) and computed
  by one background task (``tasks.compute_group_result``), which starts only from
  ``QUEUED`` under a row lock.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from mitmachen.budgets import results
from mitmachen.budgets.correction_services import correction_apply, corrections_of
from mitmachen.budgets.models import (
    EXPLANATION_MAX_LENGTH,
    IDEA_ASSIGNED,
    IDEA_REVIEWED,
    MAX_COST,
    OFFLINE_NAME_MAX_LENGTH,
    OFFLINE_PLACE_MAX_LENGTH,
    SUBMIT_IDEA,
    TEXT_MAX_LENGTH,
    TIME_FRAME_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    VOTE,
    Ballot,
    BallotChoice,
    BallotRule,
    Budget,
    BudgetGroup,
    Feasibility,
    GroupResult,
    Idea,
    IdeaImage,
    PaperBatch,
    ResultRule,
    ResultState,
    counted_ballot,
)
from mitmachen.budgets.permissions import manages
from mitmachen.core.channels import Channel
from mitmachen.core.paper import PAPER_PLACE_MAX_LENGTH
from mitmachen.core.permissions import decide
from mitmachen.core.upload_checks import ImageUpload, prepare_media
from mitmachen.notifications.services import notify
from mitmachen.organisations.models import District
from mitmachen.projects import contributions, modules
from mitmachen.projects.models import Phase, Project
from mitmachen.projects.services import locate_in_project

logger = logging.getLogger(__name__)


def _money(value: Any, field: str, errors: dict[str, str]) -> int | None:
    """A whole number of euros between 1 and ``MAX_COST``, or a German message."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        errors[field] = _("Bitte geben Sie einen Betrag in ganzen Euro an.")
        return None
    if amount < 1:
        errors[field] = _("Der Betrag muss mindestens 1 € sein.")
    elif amount > MAX_COST:
        errors[field] = _("Der Betrag ist unrealistisch hoch (höchstens 10.000.000 €).")
    return amount


@transaction.atomic
def budget_create(
    *,
    project: Project,
    title: str,
    description: str = "",
    result_rule: str = ResultRule.MES,
    user: Any = None,
) -> Budget:
    """A budget in ``project``; ``user`` (staff) is recorded as having chosen the rule."""
    title = " ".join(title.split())
    if not title or len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(
            {"title": _("Bitte geben Sie einen Titel an (höchstens 120 Zeichen).")}
        )
    if result_rule not in ResultRule.values:
        raise ValidationError({"result_rule": _("Bitte wählen Sie eine Auszählungsregel.")})
    return Budget.objects.create(
        project=project,
        title=title,
        description=description.strip()[:TEXT_MAX_LENGTH],
        result_rule=result_rule,
        result_rule_set_by=user,
        result_rule_set_at=timezone.now(),
    )


@transaction.atomic
def group_create(
    *,
    budget: Budget,
    name: str,
    amount: int,
    ballot_rule: str = BallotRule.KNAPSACK,
    max_choices: int | None = None,
    districts: Iterable[District] = (),
    order: int = 0,
) -> BudgetGroup:
    """A group with its own money; ``districts`` restrict it to their residents."""
    errors: dict[str, str] = {}
    name = " ".join(name.split())
    if not name:
        errors["name"] = _("Bitte geben Sie einen Namen an.")
    checked = _money(amount, "amount", errors)
    if ballot_rule not in BallotRule.values:
        errors["ballot_rule"] = _("Bitte wählen Sie eine Art des Stimmzettels.")
    if ballot_rule == BallotRule.APPROVAL and not (max_choices and max_choices >= 1):
        errors["max_choices"] = _("Bitte geben Sie an, wie viele Vorschläge man wählen darf.")
    districts = list(districts)
    if any(d.organisation_id != budget.project.organisation_id for d in districts):
        errors["districts"] = _("Bitte wählen Sie Ortsteile der eigenen Kommune.")
    if errors or checked is None:
        raise ValidationError(errors)
    group = BudgetGroup.objects.create(
        budget=budget,
        name=name,
        amount=checked,
        ballot_rule=ballot_rule,
        max_choices=max_choices if ballot_rule == BallotRule.APPROVAL else None,
        order=order,
    )
    group.districts.set(districts)
    modules.changed(project_id=budget.project_id)
    return group


@transaction.atomic
def budget_set_result_rule(*, user: Any, budget: Budget, result_rule: str) -> Budget:
    """Staff choose the binding rule; refused once the ballot has begun (recorded)."""
    budget = Budget.objects.select_for_update().select_related("project").get(pk=budget.pk)
    decide(user, "budgets.set_result_rule", budget).raise_if_refused()
    if result_rule not in ResultRule.values:
        raise ValidationError({"result_rule": _("Bitte wählen Sie eine Auszählungsregel.")})
    budget.result_rule = result_rule
    budget.result_rule_set_by = user
    budget.result_rule_set_at = timezone.now()
    budget.save(update_fields=["result_rule", "result_rule_set_by", "result_rule_set_at"])
    return budget


@dataclass(frozen=True)
class OfflineOrigin:
    """Where and when an idea was handed in offline (entered by staff). ``name`` only
    with the person's consent to be named in public; without it, nothing is stored."""

    channel: str
    submitted_on: date
    place: str
    name: str = ""
    event_id: int | None = None  # the event it was collected at (``projects.contributions``)


@transaction.atomic
def idea_submit(
    *,
    author: Any,
    budget: Budget,
    group: BudgetGroup,
    title: str,
    description: str,
    estimated_cost: Any,
    district: District | None = None,
    lon: float | None = None,
    lat: float | None = None,
    images: Sequence[ImageUpload] = (),
    offline: OfflineOrigin | None = None,
    entered_by: Any = None,
    check_permission: bool = True,
) -> Idea:
    """A resident's idea. Offline (``offline`` given): staff of the project
    (``entered_by``, rule ``budgets.enter_offline_idea``) enter an idea handed in at a
    market stand, a workshop, by letter …; ``author`` is then ``None``.
    A point on the map (``lon``/``lat``) decides the Ortsteil, as for proposals
    (``projects.services.locate_in_project``); up to three ``images`` with their
    descriptions go through the same checks (``core.upload_checks.prepare_media``: EXIF stripped,
    size limits), all or nothing. ``check_permission=False`` only for the demo's invented ideas."""
    if offline is not None:
        if author is not None:
            raise ValueError("An offline idea has no author account.")
        if check_permission:
            decide(entered_by, "budgets.enter_offline_idea", budget).raise_if_refused()
    elif check_permission:
        decide(author, "budgets.submit_idea", budget).raise_if_refused()
    errors: dict[str, str] = {}
    title = " ".join(title.split())
    description = description.strip()
    if not title:
        errors["title"] = _("Bitte geben Sie Ihrer Idee einen Titel.")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("Der Titel ist zu lang (höchstens 120 Zeichen).")
    if not description:
        errors["description"] = _("Bitte beschreiben Sie Ihre Idee.")
    elif len(description) > TEXT_MAX_LENGTH:
        errors["description"] = _("Die Beschreibung ist zu lang (höchstens 5.000 Zeichen).")
    cost = _money(estimated_cost, "estimated_cost", errors)
    if group.budget_id != budget.pk:
        errors["group"] = _("Bitte wählen Sie eine Gruppe dieses Bürgerhaushalts.")
    elif cost is not None and "estimated_cost" not in errors and cost > group.amount:
        errors["estimated_cost"] = _(
            "Die Idee kostet mehr, als die Gruppe „%(group)s“ insgesamt hat (%(amount)s €)."
        ) % {"group": group.name, "amount": f"{group.amount:,}".replace(",", ".")}
    if district is not None and district.organisation_id != budget.project.organisation_id:
        errors["district"] = _("Bitte wählen Sie einen Ortsteil der Kommune.")
    if (lon is None) != (lat is None):
        errors["lon"] = _("Der Punkt auf der Karte ist unvollständig.")
    elif lon is not None:
        try:
            district = locate_in_project(project=budget.project, lon=lon, lat=lat, district=None)
        except ValidationError as invalid:
            errors["lon"] = " ".join(invalid.messages)
    try:
        media = prepare_media(images=images, attachments=())
    except ValidationError as invalid:
        errors.update({key: " ".join(value) for key, value in invalid.message_dict.items()})
    offline_fields: dict[str, Any] = {}
    if offline is not None:
        place = " ".join(offline.place.split())
        name = " ".join(offline.name.split())
        if offline.channel not in Channel.values or offline.channel == Channel.ONLINE:
            errors["channel"] = _("Bitte wählen Sie, wo die Idee einging.")
        if not isinstance(offline.submitted_on, date):
            errors["submitted_on"] = _("Bitte geben Sie an, wann die Idee einging.")
        elif offline.submitted_on > timezone.localdate():
            errors["submitted_on"] = _("Das Datum liegt in der Zukunft.")
        if not place:
            errors["offline_place"] = _("Bitte geben Sie an, wo die Idee abgegeben wurde.")
        elif len(place) > OFFLINE_PLACE_MAX_LENGTH:
            errors["offline_place"] = _("Der Ort ist zu lang (höchstens 200 Zeichen).")
        if len(name) > OFFLINE_NAME_MAX_LENGTH:
            errors["offline_name"] = _("Der Name ist zu lang (höchstens 120 Zeichen).")
        offline_fields = {
            "channel": offline.channel,
            "submitted_on": offline.submitted_on,
            "offline_place": place,
            "offline_name": name,
            "entered_by": entered_by,
        }
    if errors or cost is None:
        raise ValidationError(errors)
    idea = Idea.objects.create(
        budget=budget,
        project_id=budget.project_id,
        group=group,
        author=author,
        title=title,
        description=description,
        estimated_cost=cost,
        district=district,
        # After staff fixed the group's selection by supports, a late idea is not on it.
        selected=False if group.selected_at is not None else None,
        lon=lon,
        lat=lat,
        **offline_fields,
    )
    if offline is not None:
        # Before the images are stored: a refused event undoes the idea and leaves no file.
        contributions.record(row=idea, event_id=offline.event_id, user=entered_by)
    for position, (content, alt_text, decorative) in enumerate(media.images):
        image = IdeaImage(idea=idea, alt_text=alt_text, decorative=decorative, position=position)
        image.image.save(content.name or "bild", content, save=False)
        image.save()
    return idea


@transaction.atomic
def idea_review(
    *,
    user: Any,
    idea: Idea,
    feasible: bool,
    explanation: str,
    official_cost: Any = None,
    time_frame: str = "",
    check_permission: bool = True,
) -> Idea:
    """Staff decide machbar (with the administration's cost and, if known, a time frame)
    or nicht machbar, with a public explanation; the author is told. Refused once the
    ballot has begun."""
    idea = (
        Idea.objects.select_for_update().select_related("budget__project", "group").get(pk=idea.pk)
    )
    if check_permission:
        decide(user, "budgets.review_idea", idea).raise_if_refused()
    errors: dict[str, str] = {}
    explanation = explanation.strip()
    if not explanation:
        errors["explanation"] = _("Bitte begründen Sie die Entscheidung öffentlich.")
    elif len(explanation) > EXPLANATION_MAX_LENGTH:
        errors["explanation"] = _("Die Begründung ist zu lang (höchstens 3.000 Zeichen).")
    time_frame = " ".join(time_frame.split())
    if len(time_frame) > TIME_FRAME_MAX_LENGTH:
        errors["time_frame"] = _("Der Zeitrahmen ist zu lang (höchstens 200 Zeichen).")
    cost = None
    if feasible:
        if official_cost in (None, ""):
            errors["official_cost"] = _("Bitte geben Sie die Kosten laut Verwaltung an.")
        else:
            cost = _money(official_cost, "official_cost", errors)
            if cost is not None and "official_cost" not in errors and cost > idea.group.amount:
                errors["official_cost"] = _(
                    "Die Kosten übersteigen das Geld der Gruppe (%(amount)s €); dann ist die "
                    "Idee nicht machbar."
                ) % {"amount": f"{idea.group.amount:,}".replace(",", ".")}
    if errors:
        raise ValidationError(errors)
    idea.feasibility = Feasibility.FEASIBLE if feasible else Feasibility.UNFEASIBLE
    idea.explanation = explanation
    idea.official_cost = cost
    idea.time_frame = time_frame if feasible else ""
    idea.reviewed_by = user
    idea.reviewed_at = timezone.now()
    idea.save(
        update_fields=[
            "feasibility",
            "explanation",
            "official_cost",
            "time_frame",
            "reviewed_by",
            "reviewed_at",
            "updated_at",
        ]
    )
    notify(
        recipients=[idea.author],
        kind=IDEA_REVIEWED,
        title=(
            _("Ihre Idee „%(title)s“ ist machbar und kommt zur Abstimmung.")
            if feasible
            else _("Ihre Idee „%(title)s“ wurde als nicht machbar eingestuft.")
        )
        % {"title": idea.title[:120]},
        url=idea.get_absolute_url(),
        text=explanation[:1000],
        exclude=user,
    )
    return idea


@transaction.atomic
def idea_assign_reviewer(*, user: Any, idea: Idea, reviewer: Any) -> Idea:
    """Staff name who in the administration reviews ``idea`` (``None``: nobody yet); the
    person named is told in-app. Only staff of the project may be named; refused once
    the ballot has begun (the review is fixed then)."""
    idea = (
        Idea.objects.select_for_update().select_related("budget__project", "group").get(pk=idea.pk)
    )
    decide(user, "budgets.review_idea", idea).raise_if_refused()
    if reviewer is not None and not manages(reviewer, idea.budget.project):
        raise ValidationError(
            {"reviewer": _("Bitte wählen Sie eine Person aus der Verwaltung des Projekts.")}
        )
    idea.reviewer = reviewer
    idea.save(update_fields=["reviewer", "updated_at"])
    if reviewer is not None:
        notify(
            recipients=[reviewer],
            kind=IDEA_ASSIGNED,
            title=_("Sie prüfen die Idee „%(title)s“ im Bürgerhaushalt.")
            % {"title": idea.title[:120]},
            url=idea.get_absolute_url(),
            exclude=user,
        )
    return idea


def check_choices(group: BudgetGroup, idea_ids: Iterable[Any]) -> list[Idea]:
    """The chosen ideas if the ballot is valid for ``group``; ValidationError otherwise
    (an idea of another group, one not on the ballot, too many, too expensive)."""
    try:
        wanted = {int(i) for i in idea_ids}
    except (TypeError, ValueError):
        raise ValidationError(_("Der Stimmzettel enthält eine ungültige Angabe.")) from None
    on_ballot = Idea.objects.on_ballot().filter(group=group, pk__in=wanted).in_bulk()
    return _checked(group, on_ballot, wanted)


def _checked(group: BudgetGroup, on_ballot: dict[int, Idea], wanted: set[int]) -> list[Idea]:
    """The ballot's rules (of ``group``) for the chosen ``wanted`` among ``on_ballot``."""
    if not wanted <= on_ballot.keys():
        raise ValidationError(
            _("Der Stimmzettel enthält einen Vorschlag, der in dieser Gruppe nicht zur Wahl steht.")
        )
    ideas = [on_ballot[pk] for pk in sorted(wanted)]
    if group.ballot_rule == BallotRule.APPROVAL:
        assert group.max_choices is not None
        if len(ideas) > group.max_choices:
            raise ValidationError(
                _("Sie können höchstens %(n)d Vorschläge wählen; gewählt sind %(chosen)d.")
                % {"n": group.max_choices, "chosen": len(ideas)}
            )
    else:
        total = sum(i.cost for i in ideas)
        if total > group.amount:
            raise ValidationError(
                _(
                    "Ihre Auswahl kostet %(total)s € und übersteigt das Budget von %(amount)s €. "
                    "Bitte wählen Sie weniger oder günstigere Vorschläge."
                )
                % {
                    "total": f"{total:,}".replace(",", "."),
                    "amount": f"{group.amount:,}".replace(",", "."),
                }
            )
    return ideas


def ballot_submit(
    *, voter: Any, group: BudgetGroup, idea_ids: Iterable[Any], check_permission: bool = True
) -> Ballot:
    """Store or change ``voter``'s ballot in ``group``; exactly one per person and group.

    An empty choice is allowed (a ballot that chooses nothing still says "I voted").
    ``check_permission=False`` only for the demo's invented ballots of a past vote; the
    ballot's own rules (ideas of this group, the money, N) are checked all the same.
    """
    if check_permission:
        decide(voter, "budgets.vote", group).raise_if_refused()
    ideas = check_choices(group, idea_ids)
    with transaction.atomic():
        created = False
        ballot = Ballot.objects.filter(group=group, voter=voter).first()
        if ballot is None:
            try:
                with transaction.atomic():  # a savepoint: the parallel insert may win
                    ballot = Ballot.objects.create(group=group, voter=voter)
                    created = True
            except IntegrityError:
                ballot = Ballot.objects.get(group=group, voter=voter)
        # One change at a time: the choices below are always one submitted set.
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        BallotChoice.objects.filter(ballot=ballot).delete()
        BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, idea=i) for i in ideas)
        if created:
            BudgetGroup.objects.filter(pk=group.pk).update(ballot_count=F("ballot_count") + 1)
        else:
            ballot.save(update_fields=["updated_at"])
        modules.changed(project_id=group.budget.project_id)
    return ballot


def election_of(group: BudgetGroup) -> results.Election:
    """The group's feasible ideas and the ballots that count (online ones, and paper
    ones of confirmed batches), read in three queries."""
    costs = {
        pk: official or estimated
        for pk, official, estimated in Idea.objects.on_ballot()
        .filter(group=group)
        .values_list("pk", "official_cost", "estimated_cost")
    }
    counted = counted_ballot("ballot__")
    by_ballot: dict[int, set[int]] = {}
    for ballot_id in Ballot.objects.counted().filter(group=group).values_list("pk", flat=True):
        by_ballot[ballot_id] = set()
    # Votes for an idea the moderation hid count for nothing (it left the ballot).
    for ballot_id, idea_id in (
        BallotChoice.objects.filter(counted, ballot__group=group, idea_id__in=list(costs))
        .values_list("ballot_id", "idea_id")
        .iterator(chunk_size=20_000)
    ):
        by_ballot.setdefault(ballot_id, set()).add(idea_id)
    return results.Election(
        costs=costs, budget=group.amount, ballots=[frozenset(s) for s in by_ballot.values()]
    )


def paper_count(group: BudgetGroup) -> int:
    """How many of the group's counted ballots came on paper."""
    return Ballot.objects.counted().filter(group=group, batch__isnull=False).count()


def paper_votes(group: BudgetGroup) -> dict[str, int]:
    """Votes per idea from counted paper ballots (JSON keys: the idea's id as text)."""
    counts = (
        BallotChoice.objects.filter(
            ballot__group=group,
            ballot__batch__confirmed_at__isnull=False,
            ballot__batch__superseded_at__isnull=True,
        )
        .values_list("idea_id")
        .annotate(n=Count("pk"))
    )
    return {str(idea): n for idea, n in counts}


def paper_places(group: BudgetGroup) -> list[dict[str, Any]]:
    """Where the counted paper ballots came from: per place of the stacks ("Urne im
    Rathaus", "" without one), the number of ballots; most first."""
    counts = (
        PaperBatch.objects.filter(
            group=group, confirmed_at__isnull=False, superseded_at__isnull=True
        )
        .values_list("place")
        .annotate(ballot_total=Count("ballots"))
        .filter(ballot_total__gt=0)
        .order_by("-ballot_total", "place")
    )
    return [{"place": place, "ballots": n} for place, n in counts]


# --- Paper ballots ------------------------------------------------------------------
# One ballot per line; idea numbers (``Idea.pk``) separated by commas, semicolons or
# spaces; "-" for a ballot on which nothing is ticked.
PAPER_LINES_MAX = 500
EMPTY_PAPER_BALLOT = "-"


@transaction.atomic
def paper_batch_create(
    *,
    user: Any,
    group: BudgetGroup,
    collected_on: Any,
    place: str = "",
    event: int | None = None,
) -> PaperBatch:
    """A stack of paper ballots of ``group``, entered by ``user`` (staff); ``event``: the
    id of the event where it was collected (``projects.contributions``), refused with a
    German message on "event" – and nothing stored – when it does not fit."""
    decide(user, "budgets.create_paper_batch", group).raise_if_refused()
    errors: dict[str, str] = {}
    if not isinstance(collected_on, date):
        errors["collected_on"] = _("Bitte geben Sie an, wann die Stimmzettel gesammelt wurden.")
    elif collected_on > timezone.localdate():
        errors["collected_on"] = _("Das Datum liegt in der Zukunft.")
    place = " ".join(place.split())
    if len(place) > PAPER_PLACE_MAX_LENGTH:
        errors["place"] = _("Der Ort ist zu lang (höchstens 160 Zeichen).")
    if errors:
        raise ValidationError(errors)
    batch = PaperBatch.objects.create(
        group=group, collected_on=collected_on, place=place, entered_by=user
    )
    contributions.record(row=batch, event_id=event, user=user)
    return batch


def _parse_paper_line(number: int, line: str) -> set[int]:
    text = line.strip()
    if text == EMPTY_PAPER_BALLOT:
        return set()
    parts = [p for p in text.replace(",", " ").replace(";", " ").split() if p]
    if not all(p.isdigit() for p in parts):
        raise ValidationError(
            _(
                "Zeile %(line)d: Bitte nur die Nummern der angekreuzten Ideen angeben, "
                "getrennt durch Kommas, oder „-“ für einen Stimmzettel ohne Kreuz."
            )
            % {"line": number}
        )
    chosen = {int(p) for p in parts}
    if len(chosen) != len(parts):
        raise ValidationError(_("Zeile %(line)d: Eine Nummer steht doppelt.") % {"line": number})
    return chosen


def paper_ballots_add(*, user: Any, batch: PaperBatch, lines: str) -> list[Ballot]:
    """Enter paper ballots into ``batch``, one per line, all or none: every line must be
    a valid ballot of the group (the same rules as online: ideas on this group's ballot,
    within the budget or up to N)."""
    rows = [(n, line) for n, line in enumerate(lines.splitlines(), start=1) if line.strip()]
    if not rows:
        raise ValidationError(_("Bitte geben Sie mindestens einen Stimmzettel ein."))
    if len(rows) > PAPER_LINES_MAX:
        raise ValidationError(
            _("Bitte höchstens %(n)d Stimmzettel auf einmal eingeben.") % {"n": PAPER_LINES_MAX}
        )
    with transaction.atomic():
        batch = (
            PaperBatch.objects.select_for_update()
            .select_related("group__budget__project")
            .get(pk=batch.pk)
        )
        decide(user, "budgets.enter_paper_ballots", batch).raise_if_refused()
        group = batch.group
        on_ballot = Idea.objects.on_ballot().filter(group=group).in_bulk()
        chosen: list[list[Idea]] = []
        problems: list[str] = []
        for number, line in rows:
            try:
                wanted = _parse_paper_line(number, line)
                chosen.append(_checked(group, on_ballot, wanted))
            except ValidationError as invalid:
                text = " ".join(invalid.messages)
                prefix = _("Zeile %(line)d: ") % {"line": number}
                problems.append(text if text.startswith(prefix) else prefix + text)
        if problems:
            raise ValidationError(problems[:20])
        ballots = Ballot.objects.bulk_create(Ballot(group=group, batch=batch) for _ in chosen)
        BallotChoice.objects.bulk_create(
            BallotChoice(ballot=ballot, idea=idea)
            for ballot, ideas in zip(ballots, chosen, strict=True)
            for idea in ideas
        )
    return ballots


@transaction.atomic
def paper_ballot_delete(*, user: Any, ballot: Ballot) -> None:
    """Remove a paper ballot entered by mistake, while its batch is not confirmed."""
    if ballot.batch_id is None:
        raise PermissionDenied(_("Online abgegebene Stimmzettel können nicht gelöscht werden."))
    batch = (
        PaperBatch.objects.select_for_update()
        .select_related("group__budget__project")
        .get(pk=ballot.batch_id)
    )
    decide(user, "budgets.enter_paper_ballots", batch).raise_if_refused()
    Ballot.objects.filter(pk=ballot.pk, batch=batch).delete()


def paper_batch_confirm(*, user: Any, batch: PaperBatch) -> PaperBatch:
    """A second person confirms that the batch matches the paper; from then on its
    ballots count and it no longer changes. Locks the group (as the start of the result
    does), so a batch is either in the result or refused once the result exists."""
    with transaction.atomic():
        BudgetGroup.objects.select_for_update().filter(pk=batch.group_id).first()
        batch = (
            PaperBatch.objects.select_for_update(of=("self",))
            .select_related("group__budget__project")
            .get(pk=batch.pk)
        )
        decide(user, "budgets.confirm_paper_batch", batch).raise_if_refused()
        # A correction may leave no ballot (a stack entered into the wrong group).
        if batch.corrects_id is None and not batch.ballots.exists():
            raise ValidationError(_("Der Stapel enthält noch keine Stimmzettel."))
        batch.confirmed_by = user
        batch.confirmed_at = timezone.now()
        batch.save(update_fields=["confirmed_by", "confirmed_at"])
        correction_apply(batch)
    return batch


# How far the background computation has come after each step (per cent).
PROGRESS = {"read": 10, "prepared": 25, "greedy": 30, "mes": 90, "completion": 95}


def group_result(*, group: BudgetGroup) -> GroupResult | None:
    """The group's result once the ballot has closed (None before): the stored one, or a
    new one that a background task computes (``state`` and ``progress`` say how far it
    has come). Exactly one per group (``GroupResult.group`` is one-to-one), so one task."""
    existing = GroupResult.objects.filter(group=group).first()
    if existing is not None:
        return existing
    if not group.budget.ballot_closed():
        return None
    with transaction.atomic():
        # The group's lock orders this against confirming a paper batch.
        BudgetGroup.objects.select_for_update().filter(pk=group.pk).first()
        result, created = GroupResult.objects.get_or_create(group=group)
        if created:
            from mitmachen.budgets.tasks import compute_group_result

            transaction.on_commit(lambda: compute_group_result.enqueue(result_id=result.pk))
    return result


def _progress(result_id: int, project_id: int, step: str) -> None:
    GroupResult.objects.filter(pk=result_id).update(progress=PROGRESS[step])
    modules.changed(project_id=project_id)


def group_result_compute(*, result_id: int) -> None:
    """The background computation of a queued result: both rules by pabutools, stored
    once; a failure is stored with its message (the page says so, staff may restart)."""
    with transaction.atomic():
        result = (
            GroupResult.objects.select_for_update()
            .select_related("group__budget")
            .filter(pk=result_id, state=ResultState.QUEUED)
            .first()
        )
        if result is None:  # computed already, or running elsewhere
            return
        result.state = ResultState.RUNNING
        result.progress = 1
        result.save(update_fields=["state", "progress"])
    group = result.group
    project_id = group.budget.project_id
    try:
        election = election_of(group)
        _progress(result_id, project_id, "read")
        paper = paper_count(group)
        data = results.compute(
            election,
            binding=group.budget.result_rule,
            progress=lambda step: _progress(result_id, project_id, step),
        )
        data["paper_ballots"] = paper
        data["online_ballots"] = data["voters"] - paper
        data["paper_votes"] = paper_votes(group)
        data["paper_places"] = paper_places(group)
        data["corrections"] = corrections_of(group)
    except Exception as error:  # the row must not stay "running" for ever
        logger.exception("Bürgerhaushalt: result %s failed", result_id)
        GroupResult.objects.filter(pk=result_id, started_at=result.started_at).update(
            state=ResultState.FAILED, message=str(error)[:2000]
        )
        modules.changed(project_id=project_id)
        return
    with transaction.atomic():
        # Only this run's row: a corrected paper stack queues the result again
        # (``correction_apply`` sets a new ``started_at``), and this run's data is stale.
        GroupResult.objects.filter(
            pk=result_id, state=ResultState.RUNNING, started_at=result.started_at
        ).update(state=ResultState.DONE, progress=100, data=data, computed_at=timezone.now())
        modules.changed(project_id=project_id)


def group_result_restart(*, user: Any, result: GroupResult) -> GroupResult:
    """Staff start a failed computation again (a worker that died leaves it failed)."""
    with transaction.atomic():
        result = (
            GroupResult.objects.select_for_update()
            .select_related("group__budget__project")
            .get(pk=result.pk)
        )
        decide(user, "budgets.restart_result", result).raise_if_refused()
        result.state = ResultState.QUEUED
        result.progress = 0
        result.message = ""
        result.started_at = timezone.now()
        result.save(update_fields=["state", "progress", "message", "started_at"])
        from mitmachen.budgets.tasks import compute_group_result

        pk = result.pk
        transaction.on_commit(lambda: compute_group_result.enqueue(result_id=pk))
    return result


@transaction.atomic
def phase_allow(*, phase: Phase, action: str) -> Phase:
    """Let a phase of the project also allow one of the budget's actions (setting up a
    budget in an existing project: the demo; staff tick the action in the phase admin)."""
    if action not in (SUBMIT_IDEA, VOTE):
        raise ValueError(f"Not an action of the Bürgerhaushalt: {action!r}")
    if action not in phase.actions:
        phase.actions = [*phase.actions, action]
        phase.save(update_fields=["actions"])
    return phase
