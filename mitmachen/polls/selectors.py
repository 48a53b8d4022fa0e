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

BREAKDOWNS = {
    "ortsteil": "response__district",
    "alter": "response__age_group",
    "kanal": "response__channel",
}
NO_GROUP = "__none__"
# In public results, an Ortsteil or age group with fewer respondents to a question is
# not shown separately: in a small village one column could be one person's answers.
MIN_PUBLIC_GROUP = 5
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
    ``breakdown`` is ``"ortsteil"`` or ``"kanal"`` (or None). ``text_limit`` keeps
    only the first texts of each free-text question (the page links to the rest).
    """
    group_field = BREAKDOWNS.get(breakdown or "")
    responses = Response.objects.filter(poll=poll)
    by_channel_rows = responses.values_list("channel").annotate(n=Count("id")).order_by()
    by_channel = sorted(
        ((str(Channel(c).label) if c in Channel.values else c, n) for c, n in by_channel_rows),
        key=lambda item: -item[1],
    )
    total = sum(n for _label, n in by_channel)

    answers = Answer.objects.filter(question__poll=poll).order_by()
    keys = ["question_id", "option_id", "number", "district_id"]
    if group_field:
        keys.append(group_field)
    counts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in answers.values(*keys).annotate(n=Count("id")):
        counts[row["question_id"]].append(row)

    respondent_keys = ["question_id", *([group_field] if group_field else [])]
    respondents: dict[int, dict[str, int]] = defaultdict(dict)
    for row in answers.values(*respondent_keys).annotate(n=Count("response_id", distinct=True)):
        group = _group_key(row[group_field]) if group_field else NO_GROUP
        respondents[row["question_id"]][group] = row["n"]

    text_questions = [q.pk for q in questions if q.is_text]
    texts: dict[int, list[Answer]] = defaultdict(list)
    hidden: dict[int, int] = defaultdict(int)
    text_total: dict[int, int] = defaultdict(int)
    if text_questions:
        text_answers = Answer.objects.filter(question_id__in=text_questions)
        approved = Q(review=TextReview.APPROVED)
        for row in (
            text_answers.values("question_id")
            .annotate(n=Count("id"), approved=Count("id", filter=approved))
            .order_by()
        ):
            text_total[row["question_id"]] = row["approved"] if public else row["n"]
            hidden[row["question_id"]] = row["n"] - text_total[row["question_id"]]
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
            texts[answer.question_id].append(answer)

    district_names: dict[int, str] = {}
    needs_districts = breakdown == "ortsteil" or any(
        q.kind == QuestionKind.DISTRICT for q in questions
    )
    if needs_districts:
        district_names = dict(
            District.objects.filter(organisation__in=poll.project.all_organisations()).values_list(
                "pk", "name"
            )
        )

    # The groups of a breakdown: every group with answers, largest first, "none" last.
    groups: list[Group] = []
    if group_field:
        group_totals: dict[Any, int] = defaultdict(int)
        for row in (
            responses.values(group_field.removeprefix("response__"))
            .annotate(n=Count("id"))
            .order_by()
        ):
            raw = row[group_field.removeprefix("response__")]
            group_totals[raw] += row["n"]
        if breakdown == "alter":
            # Age groups in their own order (youngest first), "none" last.
            age_options = [
                o for q in questions if q.kind == QuestionKind.AGE_GROUP for o in q.options.all()
            ]
            names = {o.pk: o.label for o in age_options}
            order = {o.pk: i for i, o in enumerate(age_options)}
            ordered = sorted(
                group_totals.items(), key=lambda i: (i[0] is None, order.get(i[0], len(order)))
            )
        else:
            names = district_names
            ordered = sorted(group_totals.items(), key=lambda i: (i[0] is None, -i[1], str(i[0])))
        groups = [
            Group(
                key=_group_key(raw), label=_group_label(breakdown or "", raw, names), respondents=n
            )
            for raw, n in ordered
        ]

    result = PollResults(
        poll=poll,
        total=total,
        by_channel=by_channel,
        questions=[],
        breakdown=breakdown if group_field else None,
        groups=groups,
    )
    for question in questions:
        per_group = respondents.get(question.pk, {})
        answered = sum(per_group.values())
        qr = QuestionResult(
            question=question,
            respondents=answered,
            texts=texts.get(question.pk, []),
            text_total=text_total.get(question.pk, 0),
            hidden_texts=hidden.get(question.pk, 0),
        )
        rows = counts.get(question.pk, [])
        qr.rows = _rows(question, rows, answered, district_names)
        if question.kind == QuestionKind.SCALE:
            total_value = sum(r["number"] * r["n"] for r in rows if r["number"] is not None)
            total_n = sum(r["n"] for r in rows if r["number"] is not None)
            if total_n:
                qr.mean = (Decimal(total_value) / Decimal(total_n)).quantize(
                    Decimal("0.01"), rounding=ROUND_HALF_UP
                )
        if group_field and not question.is_text:
            withhold = public and breakdown in PERSONAL_BREAKDOWNS
            qr.groups = [
                Group(
                    g.key,
                    g.label,
                    n := per_group.get(g.key, 0),
                    withheld=withhold and 0 < n < MIN_PUBLIC_GROUP,
                )
                for g in groups
            ]
            _fill_groups(question, qr, rows, group_field)
        result.questions.append(qr)
    return result


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
    per_key: dict[Any, int] = defaultdict(int)
    for row in rows:
        per_key[_row_key(question, row)] += row["n"]
    if question.kind == QuestionKind.SCALE:
        return [
            Row(
                label=str(v),
                key=v,
                count=per_key.get(v, 0),
                percent=percent(per_key.get(v, 0), answered),
            )
            for v in question.scale_values()
        ]
    if question.kind == QuestionKind.DISTRICT:
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
    if question.kind == QuestionKind.RANKING:
        options = list(question.options.all())
        size = len(options)
        places: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for row in rows:
            if row["number"] is not None:  # a ranking always has places; be safe
                places[row["option_id"]].append((row["number"], row["n"]))
        result = []
        for option in options:
            entries = places.get(option.pk, [])
            n = sum(c for _p, c in entries)
            place_sum = sum(p * c for p, c in entries)
            firsts = sum(c for p, c in entries if p == 1)
            result.append(
                Row(
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
            )
        # Best first: most points, then most first places, then the original order.
        return sorted(result, key=lambda r: (-(r.points or 0), -(r.firsts or 0)))
    if question.is_text:
        return []
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
            page_cache.data_version(poll.project_id, request),
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
