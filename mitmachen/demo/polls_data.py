"""Demo surveys and polls (invented): a closed survey, a running one and a naming vote.

- "Vitale Innenstadt" (project "Meine Stadt der Zukunft"): closed, open to guests,
  anonymous, results after the end; online answers plus two paper batches (market
  stand, checked by a second person; workshop, with one logged correction); reviewed
  free texts.
- "Lokale Mobilität" (INSEK): running, for everyone with an account, answers can be
  changed, live results; answered by demo supporters through the regular service.
- "Wie soll das soziokulturelle Zentrum heißen?": a finished vote with option images.

The answers are drawn from a seeded random generator, so every seed gives the same
data. Answers to polls whose phase has already ended cannot go through
``response_submit`` (it refuses closed polls, as it must); they are stored with the
same checks and writers the service uses, backdated into the phase. ``seed_polls`` is
idempotent: a poll whose title already exists in its project is left alone.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from mitmachen.core.channels import Channel
from mitmachen.organisations.models import District
from mitmachen.polls import services
from mitmachen.polls.answers import clean_answers
from mitmachen.polls.models import (
    Answer,
    Eligibility,
    Participation,
    Poll,
    PollKind,
    Question,
    QuestionKind,
    Response,
    ResultsVisibility,
    TextReview,
)
from mitmachen.polls.permissions import poll_districts
from mitmachen.projects.models import Project

SEED = 20261122
BAD_BELZIG_CORE = "bad-belzig"

# Each question: kind, text, options with weights (or scale weights), extra fields.
INNENSTADT: dict[str, Any] = {
    "project": "meine-stadt-der-zukunft",
    "phase": "Auftakt und Umfrage",
    "title": "Vitale Innenstadt",
    "kind": PollKind.SURVEY,
    "eligibility": Eligibility.GUESTS,
    "anonymous": True,
    "allow_changes": False,
    "results_visibility": ResultsVisibility.AFTER_CLOSE,
    "intro": (
        "Wie nutzen Sie die Belziger Innenstadt heute, und was würde Sie öfter hierher "
        "bringen? Die Umfrage dauert etwa fünf Minuten. Ihre Antworten werden **anonym** "
        "ausgewertet; die Ergebnisse gehen an die Stadtverordnetenversammlung."
    ),
    "closing_text": (
        "Vielen Dank! Die Ergebnisse veröffentlichen wir hier nach dem Ende der Umfrage. "
        "Im Anschluss können Sie eigene Vorschläge für die Innenstadt einreichen."
    ),
    "online": 214,
    "batches": [
        {
            "channel": Channel.MARKET_STAND,
            "place": "Marktstand auf dem Wochenmarkt, Marktplatz",
            "days_ago": 40,
            "count": 41,
            "checked": True,
        },
        {
            "channel": Channel.WORKSHOP,
            "place": "Innenstadt-Werkstatt im Rathaus",
            "days_ago": 30,
            "count": 23,
            "checked": False,
        },
    ],
    "questions": [
        {
            "kind": QuestionKind.SINGLE,
            "text": "Wie oft sind Sie in der Innenstadt (Marktplatz, Altstadt, "
            "Brandenburger Straße)?",
            "options": [
                ("täglich", 18),
                ("mehrmals pro Woche", 34),
                ("etwa einmal pro Woche", 24),
                ("seltener", 19),
                ("nie", 5),
            ],
        },
        {
            "kind": QuestionKind.MULTIPLE,
            "text": "Was führt Sie in die Innenstadt?",
            "help_text": "Wählen Sie eine bis drei Antworten.",
            "min_choices": 1,
            "max_choices": 3,
            "options": [
                ("Einkaufen", 60),
                ("Arzt, Apotheke", 38),
                ("Rathaus und Behörden", 22),
                ("Café, Restaurant", 35),
                ("Kultur und Veranstaltungen", 20),
                ("Ich wohne oder arbeite dort", 18),
            ],
        },
        {
            "kind": QuestionKind.SCALE,
            "text": "Wie gern halten Sie sich heute auf dem Marktplatz auf?",
            "scale_min_label": "gar nicht gern",
            "scale_max_label": "sehr gern",
            "scale_weights": [14, 26, 31, 20, 9],
        },
        {
            "kind": QuestionKind.RANKING,
            "text": "Was soll die Stadt zuerst angehen? Bringen Sie die Vorhaben in eine "
            "Reihenfolge.",
            "help_text": "Platz 1 ist Ihnen am wichtigsten.",
            "options": [
                ("Schattige Sitzplätze und Bäume", 34),
                ("Leere Läden zwischennutzen", 27),
                ("Abendmarkt im Sommer", 14),
                ("Barrierefreie Wege und Übergänge", 21),
                ("Öffentliche Toilette am Marktplatz", 11),
            ],
        },
        {
            "kind": QuestionKind.YES_NO,
            "text": "Soll die Brandenburger Straße an Samstagen testweise autofrei werden?",
            "weights": [52, 36, 12],
        },
        {
            "kind": QuestionKind.LONG_TEXT,
            "text": "Was würde Sie öfter in die Innenstadt bringen?",
            "required": False,
            "max_length": 1000,
        },
        {
            "kind": QuestionKind.DISTRICT,
            "text": "In welchem Ortsteil wohnen Sie?",
            "required": False,
        },
        {
            "kind": QuestionKind.AGE_GROUP,
            "text": "Wie alt sind Sie?",
            "required": False,
            "weights": [4, 11, 22, 31, 24, 8],
        },
    ],
    # (text, review) – the free texts respondents wrote, each written once.
    "texts": [
        ("Mehr Bänke im Schatten, gerade für Ältere. Im Sommer ist der Marktplatz zu heiß.", "a"),
        ("Ein kleines Café mit Tischen draußen, das auch sonntags geöffnet hat.", "a"),
        ("Wenn die leeren Läden wieder genutzt würden, z. B. von Kunsthandwerk.", "a"),
        ("Bessere Busverbindung aus den Ortsteilen am Nachmittag.", "a"),
        ("Fahrradbügel vor den Geschäften, dann komme ich mit dem Rad.", "a"),
        ("Ein Wochenmarkt am Abend, wenn man nach der Arbeit noch Zeit hat.", "a"),
        ("Öffentliche Toiletten. Mit Kindern ist das sonst schwierig.", "a"),
        ("Ein Spielplatz oder Wasserspiel in der Nähe des Marktplatzes.", "a"),
        ("Weniger Autos, die durch die Altstadt fahren und Parkplätze suchen.", "a"),
        ("Mehr Veranstaltungen wie das Altstadtfest, auch im Winter.", "a"),
        ("Ebenes Pflaster. Mit dem Rollator ist das Kopfsteinpflaster eine Qual.", "a"),
        ("Ein Bäcker mit Sitzplätzen direkt am Markt.", "a"),
        ("Kostenloses WLAN auf dem Marktplatz.", "a"),
        ("Längere Öffnungszeiten der Geschäfte am Samstag.", "a"),
        ("Mehr Grün: Blumenkübel, Bäume, vielleicht ein kleiner Stadtgarten.", "a"),
        ("Ein Treffpunkt für Jugendliche, wo man nicht gleich weggeschickt wird.", "a"),
        ("Ein Unverpackt-Laden oder ein Hofladen mit Produkten aus dem Fläming.", "a"),
        ("Bessere Beschilderung vom Bahnhof in die Altstadt für Gäste.", "a"),
        ("Parkplätze am Rand der Altstadt und ein kurzer Fußweg, das reicht mir.", "a"),
        ("Konzerte im Sommer auf dem Marktplatz oder an der Burg.", "a"),
        ("Eine Bücherzelle oder ein offener Bücherschrank.", "a"),
        ("Dass es abends besser beleuchtet ist, dann fühle ich mich sicherer.", "a"),
        ("Ein Kino oder wenigstens Open-Air-Kino im Sommer.", "a"),
        ("Ein Ort zum Sitzen, an dem man nichts kaufen muss.", "a"),
        ("Der Bürgermeister soll endlich zurücktreten, dann wird alles besser!!!", "r"),
        ("Rufen Sie mich an: 0151 23456789, ich habe viele Ideen.", "r"),
        ("Weiß nicht.", "r"),
        ("Regelmäßige Stadtführungen auch für Einheimische.", "p"),
        ("Mehr Mülleimer, besonders am Wochenende.", "p"),
        ("Einen Markt für regionale Produkte am Freitagnachmittag.", "p"),
    ],
    "correction": "Ortsteil beim Erfassen vertauscht (Bogen sagt Lübnitz).",
}

MOBILITAET: dict[str, Any] = {
    "project": "insek-bad-belzig-2035",
    "phase": "Ideen für die Handlungsfelder",
    "title": "Lokale Mobilität",
    "kind": PollKind.SURVEY,
    "eligibility": Eligibility.REGISTERED,
    "anonymous": False,
    "allow_changes": True,
    "results_visibility": ResultsVisibility.LIVE,
    "intro": (
        "Wie kommen Sie zum Bahnhof, in die Altstadt und in die Ortsteile – und was fehlt "
        "Ihnen dabei? Die Antworten fließen in das Handlungsfeld Mobilität des INSEK ein. "
        "Sie können Ihre Antworten bis zum Ende der Umfrage ändern."
    ),
    "closing_text": (
        "Danke! Die Zwischenergebnisse sehen Sie sofort. Ihre Antworten können Sie bis zum "
        "Ende der Phase ändern."
    ),
    "online": 64,
    "days_span": 30,
    "questions": [
        {
            "kind": QuestionKind.SINGLE,
            "text": "Wie kommen Sie meistens zum Bahnhof Bad Belzig?",
            "options": [
                ("zu Fuß", 18),
                ("mit dem Fahrrad", 22),
                ("mit dem Bus", 14),
                ("mit dem eigenen Auto", 30),
                ("ich werde gebracht", 6),
                ("ich fahre nicht mit der Bahn", 10),
            ],
        },
        {
            "kind": QuestionKind.MULTIPLE,
            "text": "Welche Verkehrsmittel nutzen Sie mindestens einmal pro Woche?",
            "min_choices": 1,
            "options": [
                ("Auto", 55),
                ("Fahrrad oder Pedelec", 42),
                ("Bus", 25),
                ("Regionalbahn", 30),
                ("Mitfahrgelegenheit", 8),
            ],
        },
        {
            "kind": QuestionKind.SCALE,
            "text": "Wie zufrieden sind Sie mit den Busverbindungen in Ihren Ortsteil?",
            "scale_min_label": "sehr unzufrieden",
            "scale_max_label": "sehr zufrieden",
            "scale_weights": [28, 31, 22, 14, 5],
        },
        {
            "kind": QuestionKind.YES_NO,
            "text": "Würden Sie einen Rufbus nutzen, den man per App oder Telefon bestellt?",
            "weights": [58, 27, 15],
        },
        {
            "kind": QuestionKind.RANKING,
            "text": "Welche Vorhaben sind Ihnen am wichtigsten?",
            "help_text": "Platz 1 ist Ihnen am wichtigsten.",
            "options": [
                ("Sichere Radwege in die Ortsteile", 36),
                ("Busse auch abends und am Wochenende", 30),
                ("Überdachte Fahrradbügel am Bahnhof", 15),
                ("Mitfahrbänke in den Dörfern", 10),
                ("Carsharing am Bahnhof", 9),
            ],
        },
        {
            "kind": QuestionKind.SHORT_TEXT,
            "text": "Wo fehlt Ihnen am dringendsten ein Radweg oder eine sichere Querung?",
            "required": False,
            "max_length": 200,
        },
        {
            "kind": QuestionKind.DISTRICT,
            "text": "In welchem Ortsteil wohnen Sie?",
            "required": False,
        },
        {
            "kind": QuestionKind.AGE_GROUP,
            "text": "Wie alt sind Sie?",
            "required": False,
            "weights": [3, 12, 25, 32, 22, 6],
        },
    ],
    "texts": [
        ("Radweg von Lübnitz nach Bad Belzig, die Landstraße ist gefährlich.", "a"),
        ("Querung an der Wiesenburger Straße beim Netto.", "a"),
        ("Zwischen Fredersdorf und Bahnhof fehlt ein Radweg.", "a"),
        ("Ampel oder Zebrastreifen an der Straße der Einheit, Höhe Schule.", "a"),
        ("Radweg nach Hagelberg, am Wochenende viele Ausflügler.", "a"),
        ("Bahnhofstraße: Radfahrer und Autos viel zu eng.", "p"),
        ("Von Borne nach Bad Belzig, morgens für die Schulkinder.", "p"),
    ],
}

NAMING: dict[str, Any] = {
    "project": "name-soziokulturelles-zentrum",
    "phase": "Abstimmung über den Namen",
    "title": "Wie soll das soziokulturelle Zentrum heißen?",
    "kind": PollKind.VOTE,
    "eligibility": Eligibility.GUESTS,
    "anonymous": True,
    "allow_changes": False,
    "results_visibility": ResultsVisibility.AFTER_CLOSE,
    "intro": (
        "Die Jury aus Verein, Jugendbeirat und Seniorenbeirat hat vier Namen ausgewählt. "
        "Wählen Sie Ihren Favoriten – einmal pro Person."
    ),
    "closing_text": "Danke für Ihre Stimme! Das Ergebnis erscheint hier nach dem Ende.",
    "online": 356,
    "batches": [
        {
            "channel": Channel.MITMACHMOBIL,
            "place": "Mitmachmobil in Lütte, Fredersdorf und Bergholz",
            "days_ago": 95,
            "count": 31,
            "checked": True,
        }
    ],
    "questions": [
        {
            "kind": QuestionKind.SINGLE,
            "text": "Welcher Name gefällt Ihnen am besten?",
            "options": [
                ("Lagerhaus", 29, "#2e6f40"),
                ("Kulturbahnhof Belzig", 38, "#1a3da5"),
                ("Miteinander-Haus", 21, "#9b3b2e"),
                ("Burgblick", 12, "#6b4fa0"),
            ],
        },
        {
            "kind": QuestionKind.AGE_GROUP,
            "text": "Wie alt sind Sie?",
            "required": False,
            "weights": [9, 14, 22, 28, 20, 7],
        },
    ],
    "texts": [],
}

# Answering and skipping: how often an optional question stays empty.
SKIP_OPTIONAL = 0.2


def seed_polls(*, staff: Any, checker: Any, residents: Sequence[Any]) -> list[Poll]:
    """Create the demo polls unless they exist; returns the polls created now.

    ``staff`` enters the paper questionnaires and reviews free texts (it must manage
    all three projects), ``checker`` checks the paper batches, ``residents`` (users with
    accounts) answer the running survey.
    """
    created = []
    for spec in (INNENSTADT, MOBILITAET, NAMING):
        project = Project.objects.get(slug=spec["project"])
        if Poll.objects.filter(project=project, title=spec["title"]).exists():
            continue
        poll, questions = _build(spec, project)
        rng = random.Random(f"{SEED}-{spec['title']}")  # noqa: S311 - demo data
        answer_sets = _answer_sets(rng, spec, questions, poll, spec["online"])
        if poll.is_open():
            _answer_online(poll, answer_sets, residents[: spec["online"]], spec["days_span"])
        else:
            _store_closed(poll, questions, answer_sets)
        for batch_spec in spec.get("batches", []):
            _paper_batch(poll, questions, batch_spec, rng, spec, staff, checker)
        _review_texts(poll, spec, staff)
        created.append(poll)
    return created


def _build(spec: dict[str, Any], project: Project) -> tuple[Poll, list[Question]]:
    poll = Poll(
        project=project,
        phase=project.phases.get(name=spec["phase"]),
        kind=spec["kind"],
        title=spec["title"],
        intro=spec["intro"],
        closing_text=spec["closing_text"],
        eligibility=spec["eligibility"],
        anonymous=spec["anonymous"],
        allow_changes=spec["allow_changes"],
        results_visibility=spec["results_visibility"],
        is_published=True,
    )
    poll.full_clean()
    poll.save()
    # The Ortsteil question offers all Ortsteile of the town, not only the core town.
    poll.districts.set(District.objects.filter(organisation=project.organisation))
    for position, q in enumerate(spec["questions"]):
        question = Question(
            poll=poll,
            position=position,
            kind=q["kind"],
            text=q["text"],
            help_text=q.get("help_text", ""),
            required=q.get("required", True),
            min_choices=q.get("min_choices"),
            max_choices=q.get("max_choices"),
            scale_min_label=q.get("scale_min_label", ""),
            scale_max_label=q.get("scale_max_label", ""),
            max_length=q.get("max_length"),
        )
        question.full_clean()
        question.save()
        for index, option in enumerate(q.get("options", [])):
            label = option[0]
            made = question.options.create(position=index, label=label)
            if len(option) > 2:
                made.image = _option_image(label, option[2])
                made.image_alt = (
                    f"Entwurf eines Schriftzugs für den Namen „{label}“ auf farbigem Grund"
                )
                made.save()
        services.ensure_preset_options(question)
    return poll, services.questions_of(poll)


def _option_image(label: str, colour: str) -> ContentFile[bytes]:
    """A simple generated sign with the name on it (no external assets)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 240), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle([16, 16, 463, 223], outline="#ffffff", width=6)
    text = label.upper()
    box = draw.textbbox((0, 0), text)
    # Pillow's built-in bitmap font is small; scale it up as an image.
    small = Image.new("RGB", (int(box[2]) + 4, int(box[3]) + 4), colour)
    ImageDraw.Draw(small).text((2, 2), text, fill="#ffffff")
    scale = min(400 // small.width, 120 // small.height, 5) or 1
    big = small.resize((small.width * scale, small.height * scale), Image.Resampling.NEAREST)
    image.paste(big, ((480 - big.width) // 2, (240 - big.height) // 2))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    slug = "".join(c if c.isalnum() else "-" for c in label.lower())
    return ContentFile(buffer.getvalue(), name=f"name-{slug}.png")


def _answer_sets(
    rng: random.Random,
    spec: dict[str, Any],
    questions: list[Question],
    poll: Poll,
    count: int,
) -> list[dict[int, Any]]:
    """``count`` plausible, valid answer sets; free texts are handed out once each."""
    districts = sorted(poll_districts(poll))
    core = District.objects.filter(slug=BAD_BELZIG_CORE).values_list("pk", flat=True).first()
    texts = list(spec["texts"])
    writers = set(rng.sample(range(count), min(len(texts), count)))
    sets = []
    for number in range(count):
        data: dict[int, Any] = {}
        for q, question in zip(spec["questions"], questions, strict=True):
            if question.is_text or (not question.required and rng.random() < SKIP_OPTIONAL):
                continue
            data[question.pk] = _pick(rng, q, question, districts, core)
        text_question = next((qq for qq in questions if qq.is_text), None)
        if text_question is not None:
            data[text_question.pk] = texts.pop()[0] if number in writers and texts else ""
        sets.append(data)
    return sets


def _pick(
    rng: random.Random, q: dict[str, Any], question: Question, districts: list[int], core: Any
) -> Any:
    options = list(question.options.all())
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.YES_NO, QuestionKind.AGE_GROUP):
        weights = q.get("weights") or [o[1] for o in q["options"]]
        return rng.choices(options, weights=weights)[0].pk
    if kind == QuestionKind.MULTIPLE:
        weights = [o[1] for o in q["options"]]
        high = question.max_choices or len(options)
        wanted = rng.randint(question.min_choices or 1, min(high, len(options)))
        chosen: list[int] = []
        while len(chosen) < wanted:
            pick = rng.choices(options, weights=weights)[0].pk
            if pick not in chosen:
                chosen.append(pick)
        return sorted(chosen, key=[o.pk for o in options].index)
    if kind == QuestionKind.SCALE:
        return rng.choices(question.scale_values(), weights=q["scale_weights"])[0]
    if kind == QuestionKind.RANKING:
        # Weighted order without replacement: favourites tend to come first.
        pool = [(o.pk, w) for o, (_label, w, *_rest) in zip(options, q["options"], strict=True)]
        order = []
        while pool:
            ranked = rng.choices(pool, weights=[w for _pk, w in pool])[0]
            order.append(ranked[0])
            pool.remove(ranked)
        return order
    if kind == QuestionKind.DISTRICT:
        # Most answers come from the core town, the rest from the villages.
        return core if core in districts and rng.random() < 0.55 else rng.choice(districts)
    raise ValueError(kind)


def _store_closed(poll: Poll, questions: list[Question], answer_sets: list[dict]) -> None:
    """Online answers to a poll whose phase has ended, backdated into the phase.

    The checks and the writer are the service's; only the "is the poll open now" rule
    is skipped, because the answers were (in the story of the demo) given while it was.
    """
    district_ids = poll_districts(poll)
    start, end = poll.phase.start, poll.phase.end
    span = (end - start).total_seconds()
    for number, data in enumerate(answer_sets):
        errors = clean_answers(questions, data, district_ids=district_ids)
        if errors:
            raise ValueError(f"Invalid demo answers: {errors}")
        participation = Participation.objects.create(
            poll=poll, guest_key=services.guest_key(poll, services.guest_token(poll))
        )
        response = Response.objects.create(
            poll=poll,
            participation=None if poll.anonymous else participation,
            channel=Channel.ONLINE,
        )
        services._write_answers(response, questions, data)  # the service's own writer
        when = start + timedelta(seconds=span * (number + 0.5) / len(answer_sets))
        Participation.objects.filter(pk=participation.pk).update(created_at=when)
        Response.objects.filter(pk=response.pk).update(created_at=when, updated_at=when)


def _answer_online(
    poll: Poll, answer_sets: list[dict], residents: Sequence[Any], days_span: int
) -> None:
    """A running poll: residents answer through the regular service."""
    now = timezone.now()
    for number, (user, data) in enumerate(zip(residents, answer_sets, strict=False)):
        response, _created = services.response_submit(user=user, poll=poll, data=data)
        when = now - timedelta(days=days_span * (1 - number / len(answer_sets)))
        Response.objects.filter(pk=response.pk).update(created_at=when, updated_at=when)


def _paper_batch(
    poll: Poll,
    questions: list[Question],
    batch_spec: dict[str, Any],
    rng: random.Random,
    spec: dict[str, Any],
    staff: Any,
    checker: Any,
) -> None:
    collected = min(
        timezone.localdate() - timedelta(days=batch_spec["days_ago"]),
        timezone.localdate(poll.phase.end),
    )
    batch = services.batch_create(
        user=staff,
        poll=poll,
        data=services.BatchData(
            channel=batch_spec["channel"], collected_on=collected, place=batch_spec["place"]
        ),
    )
    # Paper questionnaires have no free texts in the demo; people skip more on paper.
    text_free = {**spec, "texts": []}
    sheets = _answer_sets(rng, text_free, questions, poll, batch_spec["count"])
    responses = []
    for data in sheets:
        data = {k: v for k, v in data.items() if v != ""}
        responses.append(services.paper_response_create(user=staff, batch=batch, data=data))
    if batch_spec["checked"]:
        services.batch_check(user=checker, batch=batch)
    elif spec.get("correction"):
        _correct_one(responses[0], questions, staff, spec["correction"])


def _correct_one(response: Response, questions: list[Question], staff: Any, reason: str) -> None:
    """Log a typical correction: the Ortsteil was entered wrongly."""
    district_question = next(q for q in questions if q.kind == QuestionKind.DISTRICT)
    luebnitz = District.objects.get(slug="luebnitz")
    data = services.answers_of(Response.objects.get(pk=response.pk), questions)
    data = {k: v for k, v in data.items() if v not in (None, "", [])}
    data[district_question.pk] = luebnitz.pk
    services.paper_response_update(user=staff, response=response, data=data, reason=reason)


def _review_texts(poll: Poll, spec: dict[str, Any], staff: Any) -> None:
    """Staff approve most free texts, keep back a few, and leave some for later."""
    review_of = {"a": TextReview.APPROVED, "r": TextReview.REJECTED}
    decisions = {text: review_of.get(code) for text, code in spec["texts"]}
    answers = Answer.objects.filter(response__poll=poll, text__in=list(decisions))
    for answer in answers.select_related("question__poll"):
        review = decisions[answer.text]
        if review is not None:
            services.text_review(user=staff, answer=answer, review=review)
