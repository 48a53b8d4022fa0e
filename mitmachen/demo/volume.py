"""Large, realistic data for benchmarks (``manage.py seed_volume``), inserted in bulk.

The demo region (``services.seed_demo``) is small and goes through the services; this
module writes hundreds of thousands of rows directly with ``bulk_create`` so that a
town-to-city data set is ready in minutes. It keeps every counter exact: each
``support_count``, ``comment_count`` and ``reply_count`` equals the rows it counts.

Shape of the data (defaults): 2 municipalities with 14 Ortsteile each, 5 topics, 200
projects whose current phase allows proposing, supporting, commenting and answering
surveys, 20,000 proposals, 500,000 supports from 50,000 accounts, and 200,000
comments. The first project ("Großprojekt") is the one the benchmarks load: it holds
1,000 proposals and all comments; one of its proposals ("Vorschlag mit 200
Kommentaren") has exactly 200. It also holds the survey "Großumfrage" with 20,000
responses (one per account, after the first 200 accounts, which the benchmark signs in
with and which have not answered), 10 % of them from paper batches.
All text is invented German so that full-text search has words to find.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from mitmachen.accounts.models import User
from mitmachen.comments.models import Comment
from mitmachen.core.channels import Channel
from mitmachen.organisations.models import District, Organisation
from mitmachen.polls.models import (
    Answer,
    Eligibility,
    Option,
    PaperBatch,
    Participation,
    Poll,
    Question,
    QuestionKind,
    Response,
    ResultsVisibility,
    TextReview,
)
from mitmachen.projects.models import Phase, Project, Topic, Visibility
from mitmachen.proposals.models import Proposal, ProposalFollow, Support

SLUG_PREFIX = "last-"
BIG_PROJECT_SLUG = f"{SLUG_PREFIX}grossprojekt"
DETAIL_TITLE = "Vorschlag mit 200 Kommentaren"
BATCH = 5000
# Not a password: a stored hash starting with "!" is Django's mark for "cannot log in".
PASSWORD = "!benchmark-accounts-cannot-log-in"  # noqa: S105

TOPICS = ["Mobilität", "Innenstadt", "Wohnen", "Klima", "Freizeit"]
SUBJECTS = [
    "Radweg", "Parkbank", "Spielplatz", "Bushaltestelle", "Marktplatz", "Sportplatz",
    "Dorfteich", "Ladesäule", "Straßenlaterne", "Gehweg", "Jugendclub", "Bibliothek",
    "Trinkbrunnen", "Baumreihe", "Mitfahrbank", "Fahrradbügel", "Bürgerhaus", "Schulweg",
]  # fmt: skip
WISHES = [
    "erneuern", "verlängern", "sicherer machen", "barrierefrei ausbauen", "beleuchten",
    "begrünen", "öfter reinigen", "besser ausschildern", "überdachen", "erweitern",
]  # fmt: skip
SENTENCES = [
    "Viele ältere Menschen wünschen sich hier mehr Sitzgelegenheiten.",
    "Gerade morgens ist es für Kinder auf dem Schulweg gefährlich.",
    "Im Sommer fehlt an dieser Stelle jeder Schatten.",
    "Die Verbindung zum Bahnhof ist abends kaum nutzbar.",
    "Mit wenig Geld ließe sich hier viel verbessern.",
    "Ich schlage vor, das gemeinsam mit den Nachbarn zu planen.",
    "Ein ähnliches Projekt hat im Nachbardorf gut funktioniert.",
    "Der Ortsbeirat hat das Thema schon einmal besprochen.",
    "Für Familien mit Kinderwagen ist der Weg zu schmal.",
    "Die Fläche liegt seit Jahren brach und könnte belebt werden.",
]
OPINIONS = [
    "Gute Idee, das unterstütze ich.",
    "Ich sehe das anders: Das Geld fehlt an anderer Stelle.",
    "Bitte auch an die Menschen mit Rollator denken.",
    "Das wäre für unsere Kinder eine echte Verbesserung.",
    "Wie soll das im Winter funktionieren?",
    "Genau das habe ich mir schon lange gewünscht!",
    "Vielleicht erst einmal als Versuch für ein Jahr?",
    "Die Anwohner sollten vorher gefragt werden.",
]
CHANNELS = [c for c in Channel.values]


@dataclass(frozen=True)
class Volume:
    organisations: int = 2
    projects: int = 200
    proposals: int = 20_000
    comments: int = 200_000
    supports: int = 500_000
    users: int = 50_000
    big_project_proposals: int = 1_000
    poll_responses: int = 20_000
    seed: int = 42


@contextmanager
def _given_timestamps(*models: Any) -> Iterator[None]:
    """Let bulk_create keep the ``created_at``/``updated_at`` we set (spread over time,
    as in real data) instead of stamping every row with the same "now"."""
    fields = [
        field
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def already_seeded() -> bool:
    return Project.objects.filter(slug=BIG_PROJECT_SLUG).exists()


def _square(lon: float, lat: float, size: float) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size]]
    return {"type": "Polygon", "coordinates": [[*ring, [lon, lat]]]}


def _batched(rows: Iterator[Any], model: Any, log: Callable[[str], None], label: str) -> int:
    """Insert ``rows`` in batches; returns how many."""
    batch: list[Any] = []
    total = 0
    started = time.monotonic()
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            model.objects.bulk_create(batch)
            total += len(batch)
            batch = []
            if total % (BATCH * 20) == 0:
                log(f"  {label}: {total:,} ({time.monotonic() - started:.0f} s)")
    if batch:
        model.objects.bulk_create(batch)
        total += len(batch)
    log(f"  {label}: {total:,} fertig ({time.monotonic() - started:.1f} s)")
    return total


def seed_volume(volume: Volume, log: Callable[[str], None] = print) -> dict[str, int]:
    """Write the data set; refuses to run twice (see ``already_seeded``)."""
    if already_seeded():
        raise RuntimeError("Die Lastdaten sind schon angelegt.")
    rng = random.Random(volume.seed)  # noqa: S311 - reproducible test data, not secrets
    now = timezone.now()
    counts: dict[str, int] = {}
    with transaction.atomic():
        organisations = []
        districts: list[District] = []
        for n in range(1, volume.organisations + 1):
            organisation = Organisation.objects.create(
                name=f"Lastkommune {n}", slug=f"{SLUG_PREFIX}kommune-{n}"
            )
            organisations.append(organisation)
            for d in range(14):
                lon, lat = 20.0 + n + (d % 7) * 0.02, 50.0 + (d // 7) * 0.02
                district = District(
                    organisation=organisation,
                    name=f"Ortsteil {n}-{d + 1}",
                    slug=f"ortsteil-{d + 1}",
                    geometry=_square(lon, lat, 0.02),
                    is_demo_boundary=True,
                )
                district.save()
                districts.append(district)
        topics = [
            Topic.objects.get_or_create(
                slug=f"{SLUG_PREFIX}{i}", defaults={"name": f"{name} (Last)"}
            )[0]
            for i, name in enumerate(TOPICS)
        ]
        log(f"{len(organisations)} Kommunen, {len(districts)} Ortsteile, {len(topics)} Themen")

        projects = []
        for n in range(volume.projects):
            organisation = organisations[n % len(organisations)]
            slug = BIG_PROJECT_SLUG if n == 0 else f"{SLUG_PREFIX}projekt-{n}"
            projects.append(
                Project(
                    organisation=organisation,
                    title="Großprojekt Stadtentwicklung" if n == 0 else f"Lastprojekt {n}",
                    slug=slug,
                    summary="Ein Beteiligungsprozess mit vielen Vorschlägen.",
                    description="Lastdaten für Benchmarks.",
                    visibility=Visibility.PUBLIC,
                    support_quorum=50,
                )
            )
        Project.objects.bulk_create(projects)
        projects = list(Project.objects.filter(slug__startswith=SLUG_PREFIX).order_by("pk"))
        project_districts = {}
        for project in projects:
            own = [d for d in districts if d.organisation_id == project.organisation_id]
            project_districts[project.pk] = own
            project.districts.set(own)
            project.topics.set(topics)
        Phase.objects.bulk_create(
            Phase(
                project=project,
                name="Ideen sammeln und unterstützen",
                start=now - timedelta(days=30),
                end=now + timedelta(days=365),
                actions=["propose", "support", "comment", "answer"],
            )
            for project in projects
        )
        counts["projects"] = len(projects)
        log(f"{len(projects)} Projekte")

        counts["users"] = _batched(
            (
                User(
                    email=f"last{n}@example.org",
                    display_name=f"Teilnehmende {n}",
                    password=PASSWORD,
                    home_district=districts[n % len(districts)],
                )
                for n in range(volume.users)
            ),
            User,
            log,
            "Konten",
        )
        user_ids = list(
            User.objects.filter(email__startswith="last", email__endswith="@example.org")
            .order_by("pk")
            .values_list("pk", flat=True)
        )

        # Proposals: the big project first, the rest spread over the other projects.
        big = projects[0]
        others = projects[1:] or projects

        def proposal_rows() -> Iterator[Proposal]:
            for n in range(volume.proposals):
                project = big if n < volume.big_project_proposals else others[n % len(others)]
                district = rng.choice(project_districts[project.pk])
                point = rng.random() < 0.7
                channel = Channel.ONLINE if rng.random() < 0.75 else rng.choice(CHANNELS)
                title = (
                    DETAIL_TITLE
                    if n == 0
                    else f"{rng.choice(SUBJECTS)} in {district.name} {rng.choice(WISHES)}"
                )
                created = now - timedelta(minutes=n * 3)
                yield Proposal(
                    project=project,
                    author_id=user_ids[n % len(user_ids)] if channel == Channel.ONLINE else None,
                    title=title[:120],
                    text=" ".join(rng.sample(SENTENCES, 3)),
                    topic=topics[n % len(topics)],
                    district=district,
                    lon=district.min_lon + rng.random() * 0.02
                    if point and district.min_lon is not None
                    else None,
                    lat=district.min_lat + rng.random() * 0.02
                    if point and district.min_lat is not None
                    else None,
                    channel=channel,
                    submitted_on=created.date() if channel != Channel.ONLINE else None,
                    offline_place="Marktstand" if channel != Channel.ONLINE else "",
                    created_at=created,
                    updated_at=created,
                )

        with _given_timestamps(Proposal):
            counts["proposals"] = _batched(proposal_rows(), Proposal, log, "Vorschläge")
        proposals = list(
            Proposal.objects.filter(project__in=projects)
            .order_by("pk")
            .values_list("pk", "project_id", "author_id")
        )
        ProposalFollow.objects.bulk_create(
            ProposalFollow(proposal_id=pk, user_id=author)
            for pk, _project, author in proposals
            if author
        )

        # Supports: each proposal gets a window of consecutive accounts (no duplicates);
        # popular ones many, most a few (a long tail, as in real towns).
        weights = [1.0 / (i + 1) ** 0.8 for i in range(len(proposals))]
        scale = volume.supports / sum(weights)
        wanted = [min(len(user_ids) - 1, int(w * scale)) for w in weights]
        wanted[-1] += volume.supports - sum(wanted)  # exactly the requested number
        wanted[-1] = min(wanted[-1], len(user_ids) - 1)
        order = list(range(len(proposals)))
        rng.shuffle(order)
        support_counts: dict[int, int] = {}

        def support_rows() -> Iterator[Support]:
            for rank, index in enumerate(order):
                pk, _project, author = proposals[index]
                start = rng.randrange(len(user_ids))
                given = k = 0
                while given < wanted[rank]:
                    user_id = user_ids[(start + k) % len(user_ids)]
                    k += 1
                    if user_id == author:  # nobody supports their own proposal
                        continue
                    given += 1
                    yield Support(proposal_id=pk, user_id=user_id)
                support_counts[pk] = given

        counts["supports"] = _batched(support_rows(), Support, log, "Unterstützungen")

        # Comments: all in the big project; the first proposal gets exactly 200.
        big_proposals = [pk for pk, project, _a in proposals if project == big.pk]
        comment_counts: dict[int, int] = {}
        reply_counts: dict[int, int] = {}
        remaining = volume.comments

        def plan() -> Iterator[tuple[int, int]]:
            nonlocal remaining
            first = min(200, remaining)
            yield big_proposals[0], first
            remaining -= first
            rest = big_proposals[1:] or big_proposals
            per = remaining // len(rest)
            extra = remaining - per * len(rest)
            for i, pk in enumerate(rest):
                yield pk, per + (1 if i < extra else 0)

        top_levels: list[tuple[int, int]] = []  # (proposal, number of replies to add)

        def top_rows() -> Iterator[Comment]:
            for pk, n in plan():
                tops = max(1, n // 4) if n else 0
                replies = n - tops
                for t in range(tops):
                    created = now - timedelta(minutes=rng.randrange(40_000))
                    top_levels.append((pk, replies // tops + (1 if t < replies % tops else 0)))
                    yield Comment(
                        project=big,
                        proposal_id=pk,
                        author_id=rng.choice(user_ids),
                        text=rng.choice(OPINIONS),
                        channel=Channel.ONLINE,
                        created_at=created,
                        updated_at=created,
                    )
                comment_counts[pk] = n

        with _given_timestamps(Comment):
            _batched(top_rows(), Comment, log, "Kommentare (erste Ebene)")
        top_ids = list(
            Comment.objects.filter(project=big, parent__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )

        def reply_rows() -> Iterator[Comment]:
            for top_id, (pk, n) in zip(top_ids, top_levels, strict=True):
                reply_counts[top_id] = n
                for _ in range(n):
                    created = now - timedelta(minutes=rng.randrange(40_000))
                    yield Comment(
                        project=big,
                        proposal_id=pk,
                        parent_id=top_id,
                        reply_to_id=top_id,
                        author_id=rng.choice(user_ids),
                        text=rng.choice(OPINIONS),
                        channel=Channel.ONLINE,
                        created_at=created,
                        updated_at=created,
                    )

        with _given_timestamps(Comment):
            _batched(reply_rows(), Comment, log, "Kommentare (Antworten)")
        counts["comments"] = Comment.objects.filter(project=big).count()

        counts["poll_responses"] = _seed_poll(
            volume, big, project_districts[big.pk], user_ids, rng, now, log
        )

        log("Zähler setzen …")
        _set_counters(Proposal, "support_count", support_counts)
        _set_counters(Proposal, "comment_count", comment_counts)
        _set_counters(Comment, "reply_count", reply_counts)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts


POLL_TITLE = "Großumfrage"
SIGNED_IN_ACCOUNTS = 200  # the benchmark's signed-in visitors; they have not answered
POLL_QUESTIONS = [
    (QuestionKind.SINGLE, "Wie oft sind Sie in der Innenstadt?", 5),
    (QuestionKind.MULTIPLE, "Was führt Sie in die Innenstadt?", 6),
    (QuestionKind.YES_NO, "Soll die Hauptstraße samstags autofrei werden?", 0),
    (QuestionKind.SCALE, "Wie gern sind Sie auf dem Marktplatz?", 0),
    (QuestionKind.RANKING, "Was soll zuerst angegangen werden?", 5),
    (QuestionKind.LONG_TEXT, "Was wünschen Sie sich?", 0),
    (QuestionKind.DISTRICT, "In welchem Ortsteil wohnen Sie?", 0),
    (QuestionKind.AGE_GROUP, "Wie alt sind Sie?", 0),
]


def _seed_poll(
    volume: Volume,
    project: Project,
    districts: list[District],
    user_ids: list[int],
    rng: random.Random,
    now: Any,
    log: Callable[[str], None],
) -> int:
    """A survey with every question kind and ``volume.poll_responses`` responses."""
    from mitmachen.polls.services import ensure_preset_options

    poll = Poll.objects.create(
        project=project,
        phase=project.phases.get(),
        title=POLL_TITLE,
        intro="Lastdaten für Benchmarks.",
        eligibility=Eligibility.REGISTERED,
        results_visibility=ResultsVisibility.LIVE,
        is_published=True,
    )
    poll.districts.set(districts)
    questions = []
    for position, (kind, text, n_options) in enumerate(POLL_QUESTIONS):
        question = Question.objects.create(
            poll=poll, position=position, kind=kind, text=text, required=False
        )
        Option.objects.bulk_create(
            Option(question=question, position=i, label=f"{rng.choice(SUBJECTS)} {i + 1}")
            for i in range(n_options)
        )
        ensure_preset_options(question)
        questions.append((question, list(question.options.order_by("position", "pk"))))
    batch = PaperBatch.objects.create(
        poll=poll, channel=Channel.WORKSHOP, place="Werkstatt", collected_on=now.date()
    )
    # 90 % online (one account each, if there are enough), the rest on paper.
    reserved = min(SIGNED_IN_ACCOUNTS, len(user_ids) // 2)
    respondents = user_ids[reserved:][: volume.poll_responses * 9 // 10]
    paper = volume.poll_responses - len(respondents)
    with _given_timestamps(Participation, Response):
        participations = Participation.objects.bulk_create(
            (Participation(poll=poll, user_id=u, created_at=now) for u in respondents),
            batch_size=BATCH,
        )
        responses = [
            Response(
                poll=poll,
                participation_id=p.pk,
                channel=Channel.ONLINE,
                created_at=now - timedelta(minutes=rng.randrange(40_000)),
                updated_at=now,
            )
            for p in participations
        ] + [
            Response(
                poll=poll,
                channel=Channel.WORKSHOP,
                batch=batch,
                created_at=now - timedelta(minutes=rng.randrange(40_000)),
                updated_at=now,
            )
            for _ in range(paper)
        ]
        responses = Response.objects.bulk_create(responses, batch_size=BATCH)

    district_of: dict[int, int] = {}
    age_of: dict[int, int] = {}

    def answer_rows() -> Iterator[Answer]:
        for response in responses:
            for question, options in questions:
                kind = question.kind
                if kind == QuestionKind.MULTIPLE:
                    for option in rng.sample(options, rng.randint(1, 3)):
                        yield Answer(response=response, question=question, option=option)
                elif kind == QuestionKind.RANKING:
                    for place, option in enumerate(rng.sample(options, len(options)), 1):
                        yield Answer(
                            response=response, question=question, option=option, number=place
                        )
                elif kind == QuestionKind.SCALE:
                    yield Answer(response=response, question=question, number=rng.randint(1, 5))
                elif kind == QuestionKind.LONG_TEXT:
                    if rng.random() < 0.1:
                        yield Answer(
                            response=response,
                            question=question,
                            text=rng.choice(SENTENCES),
                            review=TextReview.APPROVED,
                        )
                elif kind == QuestionKind.DISTRICT:
                    district = rng.choice(districts)
                    district_of[response.pk] = district.pk
                    yield Answer(response=response, question=question, district=district)
                else:
                    option = rng.choice(options)
                    if kind == QuestionKind.AGE_GROUP:
                        age_of[response.pk] = option.pk
                    yield Answer(response=response, question=question, option=option)

    answers = _batched(answer_rows(), Answer, log, "Umfrage-Antworten")
    # The Ortsteil and the age group are copied onto the response, as the service does.
    for field, values in (("district_id", district_of), ("age_group_id", age_of)):
        by_value: dict[int, list[int]] = {}
        for response_pk, value in values.items():
            by_value.setdefault(value, []).append(response_pk)
        for value, pks in by_value.items():
            for start in range(0, len(pks), 10_000):
                Response.objects.filter(pk__in=pks[start : start + 10_000]).update(**{field: value})
    log(f"Umfrage: {len(responses):,} Antwortbögen, {answers:,} Antworten")
    return len(responses)


def _set_counters(model: Any, field: str, values: dict[int, int]) -> None:
    """One UPDATE per distinct value (few distinct values, many rows)."""
    by_value: dict[int, list[int]] = {}
    for pk, value in values.items():
        if value:
            by_value.setdefault(value, []).append(pk)
    for value, pks in by_value.items():
        for start in range(0, len(pks), 10_000):
            model.objects.filter(pk__in=pks[start : start + 10_000]).update(**{field: value})
