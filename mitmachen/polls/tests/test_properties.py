"""Property tests: the results page counts what was stored, whatever was stored.

Hypothesis draws a poll (one question of every kind, with random option counts,
multiple-choice limits, scale range and required flags) and a stack of filled-in
questionnaires, online and from paper. They are stored through the services; then
a plain recount in this file – counts, percentages, the scale mean, Borda points,
mean place and first places of rankings, breakdowns by Ortsteil and by channel – is
compared with ``selectors.results``. Every example gets a fresh poll.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.channels import Channel
from mitmachen.polls import selectors, services
from mitmachen.polls.models import Answer, QuestionKind, TextReview
from mitmachen.polls.tests.factories import PollFactory, options, question

PAPER = [c for c in Channel if c != Channel.ONLINE]
CHOICE_KINDS = ["single", "multiple", "yes_no", "age_group"]
TEXT_KINDS = ["short_text", "long_text"]


@dataclass(frozen=True)
class Shape:
    """The poll: how many options, which limits, which questions are required."""

    single: int
    multiple: int
    min_choices: int | None
    max_choices: int | None
    scale_min: int
    scale_max: int
    ranking: int
    required: frozenset[str]


@dataclass(frozen=True)
class Sheet:
    """One questionnaire, with answers as option indexes (ids exist only later)."""

    channel: str
    answers: dict[str, Any]
    approve_texts: bool


@st.composite
def shapes(draw) -> Shape:
    multiple = draw(st.integers(2, 5))
    min_choices = draw(st.none() | st.integers(1, multiple))
    max_choices = draw(st.none() | st.integers(min_choices or 1, multiple))
    scale_min = draw(st.integers(0, 3))
    return Shape(
        single=draw(st.integers(2, 4)),
        multiple=multiple,
        min_choices=min_choices,
        max_choices=max_choices,
        scale_min=scale_min,
        scale_max=draw(st.integers(scale_min + 1, min(scale_min + 6, 10))),
        ranking=draw(st.integers(2, 4)),
        required=frozenset(
            draw(st.sets(st.sampled_from(["single", "multiple", "yes_no", "scale", "ranking"])))
        ),
    )


TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=20)


def sheets(shape: Shape):
    @st.composite
    def sheet(draw) -> Sheet:
        channel = draw(st.sampled_from([Channel.ONLINE, Channel.ONLINE, *PAPER]))
        online = channel == Channel.ONLINE

        def maybe(kind, value_strategy, blank):
            # Online, required questions must be answered; paper is entered as it is.
            if online and kind in shape.required:
                return draw(value_strategy)
            return draw(st.just(blank) | value_strategy)

        low = max(shape.min_choices or 1, 1)
        high = shape.max_choices or shape.multiple
        answers = {
            "single": maybe("single", st.integers(0, shape.single - 1), None),
            "multiple": maybe(
                "multiple",
                st.lists(
                    st.integers(0, shape.multiple - 1), min_size=low, max_size=high, unique=True
                ),
                [],
            ),
            "yes_no": maybe("yes_no", st.integers(0, 2), None),
            "scale": maybe("scale", st.integers(shape.scale_min, shape.scale_max), None),
            "ranking": maybe("ranking", st.permutations(list(range(shape.ranking))), []),
            "short_text": maybe("short_text", TEXT, ""),
            "long_text": maybe("long_text", TEXT, ""),
            "district": maybe("district", st.sampled_from(["west", "east"]), None),
            "age_group": maybe("age_group", st.integers(0, 5), None),
        }
        if not any(v not in (None, "", []) for v in answers.values()):
            answers["yes_no"] = 0  # an empty questionnaire is refused
        return Sheet(channel=channel, answers=answers, approve_texts=draw(st.booleans()))

    return st.lists(sheet(), max_size=8)


# --- an independent recount ----------------------------------------------------------------


def pct(part: int, whole: int) -> Decimal:
    """Percent, one decimal, halves rounded up – with fractions, not Decimal division."""
    if not whole:
        return Decimal("0.0")
    tenths = math.floor(Fraction(part * 1000, whole) + Fraction(1, 2))
    return Decimal(tenths) / 10


def hundredths(value: Fraction) -> Decimal:
    return Decimal(math.floor(value * 100 + Fraction(1, 2))) / 100


def blank(value: Any) -> bool:
    return value in (None, "", [])


def build(project, shape: Shape):
    poll = PollFactory(project=project)
    required = shape.required
    made = {
        "single": question(
            poll, QuestionKind.SINGLE, options=shape.single, required="single" in required
        ),
        "multiple": question(
            poll,
            QuestionKind.MULTIPLE,
            options=shape.multiple,
            min_choices=shape.min_choices,
            max_choices=shape.max_choices,
            required="multiple" in required,
        ),
        "yes_no": question(poll, QuestionKind.YES_NO, required="yes_no" in required),
        "scale": question(
            poll,
            QuestionKind.SCALE,
            scale_min=shape.scale_min,
            scale_max=shape.scale_max,
            required="scale" in required,
        ),
        "ranking": question(
            poll, QuestionKind.RANKING, options=shape.ranking, required="ranking" in required
        ),
        "short_text": question(poll, QuestionKind.SHORT_TEXT, required=False),
        "long_text": question(poll, QuestionKind.LONG_TEXT, required=False),
        "district": question(poll, QuestionKind.DISTRICT, required=False),
        "age_group": question(poll, QuestionKind.AGE_GROUP, required=False),
    }
    return poll, made


def to_ids(made, region, answers: dict[str, Any]) -> dict[int, Any]:
    """The answers as the services take them."""
    data: dict[int, Any] = {}
    for kind, value in answers.items():
        q = made[kind]
        ids = options(q)
        if kind in ("single", "yes_no", "age_group"):
            data[q.pk] = None if value is None else ids[value]
        elif kind in ("multiple", "ranking"):
            data[q.pk] = [ids[i] for i in value]
        elif kind == "district":
            data[q.pk] = None if value is None else region[value].pk
        else:
            data[q.pk] = value
    return data


def expected_rows(kind: str, q, values: list[Any], region) -> list[tuple]:
    """(label, count, percent, mean place, points, firsts) per row, in the page's order."""
    given_ = [v for v in values if not blank(v)]
    n = len(given_)
    if kind in CHOICE_KINDS:
        labels = [o.label for o in q.options.all().order_by("position", "pk")]
        counts = Counter(i for v in given_ for i in (v if kind == "multiple" else [v]))
        return [
            (label, counts[i], pct(counts[i], n), None, None, None)
            for i, label in enumerate(labels)
        ]
    if kind == "scale":
        counts = Counter(given_)
        return [
            (str(v), counts[v], pct(counts[v], n), None, None, None)
            for v in range(q.scale_min, q.scale_max + 1)
        ]
    if kind == "district":
        counts = Counter(given_)
        names = {"west": region["west"].name, "east": region["east"].name}
        present = sorted(counts, key=lambda k: names[k])
        return [(names[k], counts[k], pct(counts[k], n), None, None, None) for k in present]
    if kind == "ranking":
        labels = [o.label for o in q.options.all().order_by("position", "pk")]
        size = len(labels)
        rows = []
        for i, label in enumerate(labels):
            places = [order.index(i) + 1 for order in given_]
            firsts = places.count(1)
            rows.append(
                (
                    label,
                    firsts,
                    pct(firsts, n),
                    hundredths(Fraction(sum(places), len(places))) if places else None,
                    sum(size - p + 1 for p in places),
                    firsts,
                )
            )
        # Best first: points, then first places, then the order of the options.
        return sorted(rows, key=lambda r: (-r[4], -r[5]))
    return []


def actual_rows(qr) -> list[tuple]:
    return [(r.label, r.count, r.percent, r.mean_place, r.points, r.firsts) for r in qr.rows]


def group_of(sheet: Sheet, breakdown: str, region, made=None) -> str:
    if breakdown == "kanal":
        return sheet.channel
    if breakdown == "alter":
        age = sheet.answers["age_group"]
        return selectors.NO_GROUP if age is None else str(options(made["age_group"])[age])
    district = sheet.answers["district"]
    return selectors.NO_GROUP if district is None else str(region[district].pk)


def counted_in_row(kind: str, value: Any, row_index_key: Any) -> bool:
    if blank(value):
        return False
    if kind == "multiple":
        return row_index_key in value
    if kind == "ranking":
        return value[0] == row_index_key  # first places
    return value == row_index_key


def check_breakdown(result, made, stored: list[Sheet], breakdown: str, region) -> None:
    totals = Counter(group_of(s, breakdown, region, made) for s in stored)
    if breakdown == "alter":
        # Age groups in their own order, youngest first.
        order = [str(pk) for pk in options(made["age_group"])]
        expected_groups = sorted(
            totals.items(),
            key=lambda item: (
                item[0] == selectors.NO_GROUP,
                order.index(item[0]) if item[0] in order else 0,
            ),
        )
    else:
        expected_groups = sorted(
            totals.items(), key=lambda item: (item[0] == selectors.NO_GROUP, -item[1], item[0])
        )
    assert [(g.key, g.respondents) for g in result.groups] == expected_groups
    for g in result.groups:
        if g.key == selectors.NO_GROUP:
            assert g.label == "ohne Angabe"
        elif breakdown == "kanal":
            assert g.label == str(Channel(g.key).label)
        elif breakdown == "alter":
            labels = {str(o.pk): o.label for o in made["age_group"].options.all()}
            assert g.label == labels[g.key]
        else:
            assert g.label in (region["west"].name, region["east"].name)
    for kind, qr in zip(made, result.questions, strict=True):
        if kind in TEXT_KINDS:
            assert qr.groups == []
            continue
        answered = Counter(
            group_of(s, breakdown, region, made) for s in stored if not blank(s.answers[kind])
        )
        assert [(g.key, g.respondents) for g in qr.groups] == [
            (key, answered[key]) for key, _n in expected_groups
        ]
        for row in qr.rows:
            index_key = _index_key(kind, made[kind], row.key, region)
            cells = []
            for key, _n in expected_groups:
                count = sum(
                    1
                    for s in stored
                    if group_of(s, breakdown, region, made) == key
                    and counted_in_row(kind, s.answers[kind], index_key)
                )
                cells.append((count, pct(count, answered[key])))
            assert row.groups == cells, (kind, row.label)


def _index_key(kind: str, q, key: Any, region) -> Any:
    """A row's key (option id, scale value, Ortsteil id) in the plan's terms."""
    if kind == "scale":
        return key
    if kind == "district":
        return next(name for name in ("west", "east") if region[name].pk == key)
    return options(q).index(key)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_results_equal_a_recount(data, project, region, staff):
    shape = data.draw(shapes(), label="shape")
    stack = data.draw(sheets(shape), label="sheets")
    poll, made = build(project, shape)
    batches = {}
    for sheet in stack:
        answers = to_ids(made, region, sheet.answers)
        if sheet.channel == Channel.ONLINE:
            response, _created = services.response_submit(
                user=UserFactory(), poll=poll, data=answers
            )
        else:
            if sheet.channel not in batches:
                batches[sheet.channel] = services.batch_create(
                    user=staff,
                    poll=poll,
                    data=services.BatchData(
                        channel=sheet.channel, collected_on=timezone.localdate()
                    ),
                )
            response = services.paper_response_create(
                user=staff, batch=batches[sheet.channel], data=answers
            )
        if sheet.approve_texts:
            for answer in Answer.objects.filter(response=response, question__kind__in=TEXT_KINDS):
                services.text_review(user=staff, answer=answer, review=TextReview.APPROVED)

    questions = services.questions_of(poll)
    assert [q.pk for q in questions] == [q.pk for q in made.values()]
    staff_view = selectors.results(poll, questions, public=False)
    public_view = selectors.results(poll, questions, public=True)

    for result in (staff_view, public_view):
        assert result.total == len(stack)
        channels = Counter(str(Channel(s.channel).label) for s in stack)
        assert dict(result.by_channel) == channels
        assert [n for _label, n in result.by_channel] == sorted(channels.values(), reverse=True)
        for kind, qr in zip(made, result.questions, strict=True):
            values = [s.answers[kind] for s in stack]
            assert qr.question.pk == made[kind].pk
            assert qr.respondents == sum(1 for v in values if not blank(v)), kind
            assert actual_rows(qr) == expected_rows(kind, made[kind], values, region), kind
            if kind == "scale":
                scale = [v for v in values if v is not None]
                expected_mean = hundredths(Fraction(sum(scale), len(scale))) if scale else None
                assert qr.mean == expected_mean
            else:
                assert qr.mean is None

    for kind in TEXT_KINDS:
        everything = [s.answers[kind] for s in stack if s.answers[kind]]
        approved = [s.answers[kind] for s in stack if s.answers[kind] and s.approve_texts]
        index = list(made).index(kind)
        staff_texts = staff_view.questions[index]
        assert sorted(a.text for a in staff_texts.texts) == sorted(everything)
        assert staff_texts.hidden_texts == 0
        public_texts = public_view.questions[index]
        assert sorted(a.text for a in public_texts.texts) == sorted(approved)
        assert public_texts.hidden_texts == len(everything) - len(approved)

    for breakdown in ("ortsteil", "alter", "kanal"):
        result = selectors.results(poll, questions, public=False, breakdown=breakdown)
        assert result.breakdown == breakdown
        assert [actual_rows(qr) for qr in result.questions] == [
            actual_rows(qr) for qr in staff_view.questions
        ]
        check_breakdown(result, made, stack, breakdown, region)


@given(part=st.integers(0, 10_000), whole=st.integers(1, 10_000))
def test_percent_rounds_half_up_to_one_decimal(part, whole):
    assert selectors.percent(part, whole) == pct(part, whole)


def test_the_recount_itself():
    """The helpers above, on numbers worked out by hand."""
    assert pct(1, 8) == Decimal("12.5")
    assert pct(1, 16) == Decimal("6.3")  # 6.25 rounds up
    assert pct(2, 3) == Decimal("66.7")
    assert pct(0, 0) == Decimal("0.0")
    assert hundredths(Fraction(5, 3)) == Decimal("1.67")
    assert hundredths(Fraction(1, 8)) == Decimal("0.13")  # 0.125 rounds up
