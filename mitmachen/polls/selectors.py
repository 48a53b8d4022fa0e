"""Reading poll results: counts, percentages, means, rankings and breakdowns.

Everything is computed from the stored answers in a fixed number of queries,
whatever the number of responses: one aggregate over all answers (grouped by
question, option, value and – for a breakdown – Ortsteil or channel), one count of
respondents per question, and the free texts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mitmachen.core import page_cache
from mitmachen.core.channels import Channel
from mitmachen.organisations.models import District
from mitmachen.polls.models import Answer, Poll, Question, QuestionKind, Response, TextReview
from mitmachen.projects.statistics import MIN_GROUP, is_small

BREAKDOWNS = {
    "ortsteil": "response__district",
    "alter": "response__age_group",
    "kanal": "response__channel",
}
NO_GROUP = "__none__"
# In public results, an Ortsteil or age group with fewer respondents to a question is
# not shown separately: in a small village one column could be one person's answers.
# The rule of every statistic (``projects.statistics``): one number for all of them.
MIN_PUBLIC_GROUP = MIN_GROUP
PERSONAL_BREAKDOWNS = frozenset({"ortsteil", "alter"})


def percent(part: int, whole: int) -> Decimal:
    """A percentage rounded half up to one decimal (what a council report expects)."""
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Row:
    """One line of a question's result: an option, a scale value or an Ortsteil."""

    label: str
    count: int
    percent: Decimal
    key: Any = None  # option id, scale value or Ortsteil id
    option: Any = None
    mean_place: Decimal | None = None  # rankings: average place (1 = best)
    points: int | None = None  # rankings: Borda points (n for a first place, 1 for the last)
    firsts: int | None = None  # rankings: how often ranked first
    # Breakdown cells: (count, percent), or (None, None) where a group is withheld.
    groups: list[tuple[int, Decimal] | tuple[None, None]] = field(default_factory=list)


@dataclass
class Group:
    key: str
    label: str
    respondents: int
    # Too few people to publish their answers separately (see MIN_PUBLIC_GROUP).
    withheld: bool = False


@dataclass
class QuestionResult:
    question: Question
    respondents: int
    rows: list[Row] = field(default_factory=list)
    mean: Decimal | None = None  # scales
    texts: list[Answer] = field(default_factory=list)
    text_total: int = 0  # free texts that may be shown (``texts`` may be fewer)
    hidden_texts: int = 0  # free texts not (yet) approved for the public
    groups: list[Group] = field(default_factory=list)

    @property
    def withheld_groups(self) -> bool:
        return any(g.withheld for g in self.groups)

    @property
    def max_percent(self) -> Decimal:
        return max((r.percent for r in self.rows), default=Decimal(0))


@dataclass
class PollResults:
    poll: Poll
    total: int
    by_channel: list[tuple[str, int]]
    questions: list[QuestionResult]
    breakdown: str | None
    groups: list[Group] = field(default_factory=list)


def _group_label(breakdown: str, key: Any, names: dict[int, str]) -> str:
    """``names``: Ortsteile by id, or for "alter" the age groups (options) by id."""
    if key is None or key == NO_GROUP:
        return _("ohne Angabe")
    if breakdown == "kanal":
        return str(Channel(key).label) if key in Channel.values else str(key)
    return names.get(key, _("ohne Angabe"))


def results(
    poll: Poll,
    questions: list[Question],
    *,
    public: bool,
    breakdown: str | None = None,
    text_limit: int | None = None,
) -> PollResults:
    """The results of ``poll``. ``public`` limits free texts to approved ones.

    ``questions`` come with their options prefetched (``services.questions_of``).
    ``breakdown`` is ``"ortsteil"``, ``"alter"`` or ``"kanal"`` (or None).
    ``text_limit`` keeps only the first texts of each free-text question (the page
    links to the rest).
    """
    group_field = BREAKDOWNS.get(breakdown or "")
    breakdown = breakdown if group_field else None
    responses = Response.objects.filter(poll=poll)
    by_channel = _by_channel(responses)
    answers = Answer.objects.filter(question__poll=poll).order_by()
    data = _Counted(
        counts=_answer_counts(answers, group_field),
        respondents=_respondents(answers, group_field),
        texts=_texts(questions, public=public, text_limit=text_limit),
        district_names=_district_names(poll, questions, breakdown),
    )
    groups = _groups(responses, questions, breakdown, group_field, data.district_names)
    return PollResults(
        poll=poll,
        total=sum(n for _label, n in by_channel),
        by_channel=by_channel,
        questions=[
            _question_result(q, data, groups, group_field, withhold=_withholds(public, breakdown))
            for q in questions
        ],
        breakdown=breakdown,
        groups=groups,
    )


@dataclass
class _Texts:
    """The free-text answers shown per question, and how many there are."""

    shown: dict[int, list[Answer]] = field(default_factory=lambda: defaultdict(list))
    total: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    hidden: dict[int, int] = field(default_factory=lambda: defaultdict(int))


@dataclass
class _Counted:
    """What the queries of ``results`` read, before it is put together per question."""

    counts: dict[int, list[dict[str, Any]]]  # aggregate rows per question
    respondents: dict[int, dict[str, int]]  # per question: respondents per group
    texts: _Texts
    district_names: dict[int, str]


def _withholds(public: bool, breakdown: str | None) -> bool:
    """Whether small groups are kept back (public results by Ortsteil or age group)."""
    return public and breakdown in PERSONAL_BREAKDOWNS


def _by_channel(responses: Any) -> list[tuple[str, int]]:
    """Responses per channel, the largest first (one query)."""
    rows = responses.values_list("channel").annotate(n=Count("id")).order_by()
    return sorted(
        ((str(Channel(c).label) if c in Channel.values else c, n) for c, n in rows),
        key=lambda item: -item[1],
    )


def _answer_counts(answers: Any, group_field: str | None) -> dict[int, list[dict[str, Any]]]:
    """Answers counted by question, option, number and Ortsteil – and group (one query)."""
    keys = ["question_id", "option_id", "number", "district_id"]
    if group_field:
        keys.append(group_field)
    counts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in answers.values(*keys).annotate(n=Count("id")):
        counts[row["question_id"]].append(row)
    return counts


def _respondents(answers: Any, group_field: str | None) -> dict[int, dict[str, int]]:
    """How many responses answered each question, per group (one query)."""
    keys = ["question_id", *([group_field] if group_field else [])]
    respondents: dict[int, dict[str, int]] = defaultdict(dict)
    for row in answers.values(*keys).annotate(n=Count("response_id", distinct=True)):
        group = _group_key(row[group_field]) if group_field else NO_GROUP
        respondents[row["question_id"]][group] = row["n"]
    return respondents


def _texts(questions: list[Question], *, public: bool, text_limit: int | None) -> _Texts:
    """Free texts: the counts (one query) and the texts shown (one query)."""
    texts = _Texts()
    text_questions = [q.pk for q in questions if q.is_text]
    if not text_questions:
        return texts
    text_answers = Answer.objects.filter(question_id__in=text_questions)
    approved = Q(review=TextReview.APPROVED)
    for row in (
        text_answers.values("question_id")
        .annotate(n=Count("id"), approved=Count("id", filter=approved))
        .order_by()
    ):
        texts.total[row["question_id"]] = row["approved"] if public else row["n"]
        texts.hidden[row["question_id"]] = row["n"] - texts.total[row["question_id"]]
    shown = text_answers.filter(approved) if public else text_answers
    if text_limit is not None:
        shown = shown.annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("question_id")],
                order_by=[F("response__created_at").asc(), F("pk").asc()],
            )
        ).filter(place__lte=text_limit)
    for answer in shown.select_related("response__district").order_by(
        "question_id", "response__created_at", "pk"
    ):
        texts.shown[answer.question_id].append(answer)
    return texts


def _district_names(poll: Poll, questions: list[Question], breakdown: str | None) -> dict[int, str]:
    """Ortsteil names by id, when an Ortsteil question or breakdown needs them."""
    if breakdown != "ortsteil" and not any(q.kind == QuestionKind.DISTRICT for q in questions):
        return {}
    return dict(
        District.objects.filter(organisation__in=poll.project.all_organisations()).values_list(
            "pk", "name"
        )
    )


def _groups(
    responses: Any,
    questions: list[Question],
    breakdown: str | None,
    group_field: str | None,
    district_names: dict[int, str],
) -> list[Group]:
    """The groups of a breakdown: every group with answers, in order (one query)."""
    if not group_field or not breakdown:
        return []
    column = group_field.removeprefix("response__")
    totals: dict[Any, int] = defaultdict(int)
    for row in responses.values(column).annotate(n=Count("id")).order_by():
        totals[row[column]] += row["n"]
    if breakdown == "alter":
        names, ordered = _age_groups_in_order(questions, totals)
    else:
        names = district_names
        ordered = sorted(totals.items(), key=lambda i: (i[0] is None, -i[1], str(i[0])))
    return [
        Group(key=_group_key(raw), label=_group_label(breakdown, raw, names), respondents=n)
        for raw, n in ordered
    ]


def _age_groups_in_order(
    questions: list[Question], totals: dict[Any, int]
) -> tuple[dict[int, str], list[tuple[Any, int]]]:
    """Age groups in their own order (youngest first), "none" last, and their names."""
    age_options = [
        o for q in questions if q.kind == QuestionKind.AGE_GROUP for o in q.options.all()
    ]
    order = {o.pk: i for i, o in enumerate(age_options)}
    ordered = sorted(totals.items(), key=lambda i: (i[0] is None, order.get(i[0], len(order))))
    return {o.pk: o.label for o in age_options}, ordered


def _question_result(
    question: Question,
    data: _Counted,
    groups: list[Group],
    group_field: str | None,
    *,
    withhold: bool,
) -> QuestionResult:
    """One question's rows, mean and texts – and its cells per group."""
    per_group = data.respondents.get(question.pk, {})
    answered = sum(per_group.values())
    rows = data.counts.get(question.pk, [])
    qr = QuestionResult(
        question=question,
        respondents=answered,
        rows=_rows(question, rows, answered, data.district_names),
        texts=data.texts.shown.get(question.pk, []),
        text_total=data.texts.total.get(question.pk, 0),
        hidden_texts=data.texts.hidden.get(question.pk, 0),
    )
    if question.kind == QuestionKind.SCALE:
        qr.mean = _scale_mean(rows)
    if group_field and not question.is_text:
        qr.groups = [
            Group(
                g.key,
                g.label,
                n := per_group.get(g.key, 0),
                withheld=withhold and is_small(n),
            )
            for g in groups
        ]
        _fill_groups(question, qr, rows, group_field)
    return qr


def _scale_mean(rows: list[dict[str, Any]]) -> Decimal | None:
    """The mean value of a scale, to two decimals (None without answers)."""
    total_value = sum(r["number"] * r["n"] for r in rows if r["number"] is not None)
    total_n = sum(r["n"] for r in rows if r["number"] is not None)
    if not total_n:
        return None
    return (Decimal(total_value) / Decimal(total_n)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def _group_key(raw: Any) -> str:
    return NO_GROUP if raw is None else str(raw)


def _row_key(question: Question, row: dict[str, Any]) -> Any:
    if question.kind == QuestionKind.SCALE:
        return row["number"]
    if question.kind == QuestionKind.DISTRICT:
        return row["district_id"]
    return row["option_id"]


def _rows(
    question: Question, rows: list[dict[str, Any]], answered: int, districts: dict[int, str]
) -> list[Row]:
    """The result rows of one question, by its kind."""
    if question.is_text:
        return []
    if question.kind == QuestionKind.RANKING:
        return _ranking_rows(question, rows, answered)
    per_key: dict[Any, int] = defaultdict(int)
    for row in rows:
        per_key[_row_key(question, row)] += row["n"]
    if question.kind == QuestionKind.SCALE:
        return _scale_rows(question, per_key, answered)
    if question.kind == QuestionKind.DISTRICT:
        return _district_rows(per_key, answered, districts)
    return [
        Row(
            label=o.label,
            key=o.pk,
            option=o,
            count=per_key.get(o.pk, 0),
            percent=percent(per_key.get(o.pk, 0), answered),
        )
        for o in question.options.all()
    ]


def _scale_rows(question: Question, per_key: dict[Any, int], answered: int) -> list[Row]:
    """Every value of the scale, also those nobody chose."""
    return [
        Row(
            label=str(v),
            key=v,
            count=per_key.get(v, 0),
            percent=percent(per_key.get(v, 0), answered),
        )
        for v in question.scale_values()
    ]


def _district_rows(per_key: dict[Any, int], answered: int, districts: dict[int, str]) -> list[Row]:
    """The Ortsteile that were named, in alphabetical order."""
    present = sorted((k for k in per_key if k is not None), key=lambda k: districts.get(k, ""))
    return [
        Row(
            label=districts.get(k, _("ohne Angabe")),
            key=k,
            count=per_key[k],
            percent=percent(per_key[k], answered),
        )
        for k in present
    ]


def _ranking_rows(question: Question, rows: list[dict[str, Any]], answered: int) -> list[Row]:
    """Options with Borda points, mean place and first places; the best first."""
    options = list(question.options.all())
    places: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        if row["number"] is not None:  # a ranking always has places; be safe
            places[row["option_id"]].append((row["number"], row["n"]))
    result = [_ranking_row(o, places.get(o.pk, []), len(options), answered) for o in options]
    # Best first: most points, then most first places, then the original order.
    return sorted(result, key=lambda r: (-(r.points or 0), -(r.firsts or 0)))


def _ranking_row(option: Any, entries: list[tuple[int, int]], size: int, answered: int) -> Row:
    """``entries``: (place, how often) of one option."""
    n = sum(c for _p, c in entries)
    place_sum = sum(p * c for p, c in entries)
    firsts = sum(c for p, c in entries if p == 1)
    return Row(
        label=option.label,
        key=option.pk,
        option=option,
        count=firsts,
        percent=percent(firsts, answered),
        mean_place=(Decimal(place_sum) / Decimal(n)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        if n
        else None,
        points=sum((size - p + 1) * c for p, c in entries),
        firsts=firsts,
    )


def _fill_groups(
    question: Question, qr: QuestionResult, rows: list[dict[str, Any]], group_field: str
) -> None:
    """Counts per group for each row (ranking: first places per group)."""
    cells: dict[tuple[Any, str], int] = defaultdict(int)
    for row in rows:
        if question.kind == QuestionKind.RANKING and row["number"] != 1:
            continue
        cells[(_row_key(question, row), _group_key(row[group_field]))] += row["n"]
    for result_row in qr.rows:
        result_row.groups = [
            (None, None)
            if g.withheld
            else (
                cells.get((result_row.key, g.key), 0),
                percent(cells.get((result_row.key, g.key), 0), g.respondents),
            )
            for g in qr.groups
        ]


def cached_results(
    poll: Poll,
    questions: list[Question],
    *,
    public: bool,
    breakdown: str | None = None,
    text_limit: int | None = None,
    request: Any = None,
) -> PollResults:
    """``results``, computed once per change of the poll's data and shared by everyone.

    Recounting tens of thousands of answers takes a fraction of a second, and a results
    page is read far more often than answers come in. The key holds the project's data
    version, which every write to the poll (answers, paper entry, corrections, review,
    closing, admin changes) bumps once its transaction commits – so a cached result is
    never older than the last committed write. ``PAGE_CACHE_SECONDS=0`` switches this
    off like the page cache.
    """
    if not page_cache.ttl():
        return results(poll, questions, public=public, breakdown=breakdown, text_limit=text_limit)
    key = ":".join(
        [
            "mm:poll-results",
            str(poll.pk),
            page_cache.data_version(poll.project_id, request, ("polls.poll", poll.pk)),
            "public" if public else "staff",
            breakdown or "-",
            str(text_limit),
            get_language() or "-",
        ]
    )
    found = cache.get(key)
    if found is None:
        found = results(poll, questions, public=public, breakdown=breakdown, text_limit=text_limit)
        # Versions only grow, so an entry is never wrong; the timeout just frees memory.
        cache.set(key, found, timeout=24 * 3600)
    return found
