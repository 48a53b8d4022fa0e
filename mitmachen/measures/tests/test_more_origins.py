"""Survey results (a whole survey or one question), comments and draft paragraphs as
origins (``projects.origins``), declared by polls, comments and drafts: each becomes a
measure in one step, shows "Daraus wurde …" on its own page (a question: in the box
under its survey's results), and follows its module's visibility – a resident neither
sees nor follows a link to an origin they may not see, staff of another municipality
cannot use it. The measures module imports none of them (``make lint``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mitmachen.comments.stances import Stance
from mitmachen.comments.tests.factories import CommentFactory
from mitmachen.debates.tests.factories import DebateFactory
from mitmachen.drafts.models import Chapter, Draft, Paragraph
from mitmachen.measures import services
from mitmachen.measures.models import Measure, MeasureOrigin
from mitmachen.measures.origins import origins_of
from mitmachen.measures.tests.factories import MeasureFactory
from mitmachen.notifications.models import Notification
from mitmachen.polls.models import ResultsVisibility
from mitmachen.polls.tests.factories import PollFactory, QuestionFactory
from mitmachen.projects import origins
from mitmachen.projects.models import Visibility
from mitmachen.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

KEYS = ("umfrage", "frage", "kommentar", "absatz")


def make_poll(project: Any, **fields: Any) -> Any:
    """A published survey whose results are public (it has ended)."""
    fields.setdefault("closed_at", timezone.now())
    return PollFactory(project=project, title="Umfrage Vitale Innenstadt", **fields)


def make_question(project: Any, **fields: Any) -> Any:
    """A question of a survey (by default: ended, so its results are public)."""
    return QuestionFactory(
        poll=make_poll(project, **fields), text="Wie oft kommen Sie in die Stadt?"
    )


def make_comment(project: Any, **fields: Any) -> Any:
    fields.setdefault("text", "Bitte mehr Bänke am Markt.")
    return CommentFactory(project=project, **fields)


def make_paragraph(project: Any, *, public: bool = True, number: int = 1) -> Any:
    draft = Draft.objects.filter(project=project, is_public=public).first()
    if draft is None:
        draft = Draft.objects.create(
            project=project,
            title="Klimaagenda",
            slug=f"klimaagenda-{'oeffentlich' if public else 'entwurf'}",
            is_public=public,
        )
    chapter, _ = Chapter.objects.get_or_create(
        draft=draft, version=1, position=1, defaults={"title": "Leitbild"}
    )
    return Paragraph.objects.create(
        draft=draft, chapter=chapter, number=number, text="Klimaschutz soll sich lohnen."
    )


MAKERS: dict[str, Callable[..., Any]] = {
    "umfrage": make_poll,
    "frage": make_question,
    "kommentar": make_comment,
    "absatz": make_paragraph,
}


def made(key: str, project: Any, **fields: Any) -> Any:
    row = MAKERS[key](project, **fields)
    return origins.kind(key).rows().get(pk=row.pk)


def link(measure: Measure, row: Any) -> MeasureOrigin:
    kind = origins.kind_of(row)
    return MeasureOrigin.objects.create(
        measure=measure,
        content_type=ContentType.objects.get_for_model(kind.model_class),
        object_id=row.pk,
    )


def page_of(row: Any) -> str:
    return origins.kind_of(row).url(row)


# Rows of each kind that a resident may not see, with the reason.
def _hidden_comment(project: Any) -> Any:
    return make_comment(project, hidden_at=timezone.now())


def _deleted_comment(project: Any) -> Any:
    return make_comment(project, deleted_at=timezone.now(), text="")


def _comment_of_hidden_debate(project: Any) -> Any:
    debate = DebateFactory(project=project, hidden_at=timezone.now())
    return make_comment(project, debate=debate, stance=Stance.FOR)


def _comment_of_unpublished_draft(project: Any) -> Any:
    return make_comment(project, paragraph=make_paragraph(project, public=False))


def _private(maker: Callable[..., Any]) -> Callable[[Any], Any]:
    def make(project: Any) -> Any:
        private = ProjectFactory(organisation=project.organisation, visibility=Visibility.PRIVATE)
        return maker(private)

    return make


UNSEEN: dict[str, Callable[[Any], Any]] = {
    "unveröffentlichte Umfrage": lambda project: make_poll(project, is_published=False),
    "Umfrage eines privaten Projekts": _private(make_poll),
    "Frage einer unveröffentlichten Umfrage": lambda project: make_question(
        project, is_published=False
    ),
    "Frage einer laufenden Umfrage (Ergebnisse erst nach dem Ende)": lambda project: make_question(
        project, closed_at=None, results_visibility=ResultsVisibility.AFTER_CLOSE
    ),
    "Frage eines privaten Projekts": _private(make_question),
    "ausgeblendeter Kommentar": _hidden_comment,
    "gelöschter Kommentar": _deleted_comment,
    "Kommentar einer ausgeblendeten Debatte": _comment_of_hidden_debate,
    "Kommentar eines unveröffentlichten Entwurfs": _comment_of_unpublished_draft,
    "Kommentar eines privaten Projekts": _private(make_comment),
    "Absatz eines unveröffentlichten Entwurfs": lambda project: make_paragraph(
        project, public=False
    ),
    "Absatz eines privaten Projekts": _private(make_paragraph),
}


def test_polls_comments_and_drafts_declare_origins():
    footers = {key: origins.kind(key).footer for key in KEYS}
    assert footers == {
        "umfrage": "poll.footer",
        "frage": "poll_question.footer",
        "kommentar": "comment.footer",
        "absatz": "draft_paragraph.footer",
    }


@pytest.mark.parametrize("key", KEYS)
def test_each_origin_becomes_a_measure_in_one_step(key, project, goal, manager):
    row = made(key, project)
    kind = origins.kind(key)
    measure = services.measure_from_origin(user=manager, origin=row, goal=goal)
    assert measure.title == kind.title(row)
    assert measure.project_id == project.pk
    assert [o.row for o in origins_of(manager, measure)] == [row]


def test_the_comment_author_is_told(project, goal, manager, django_capture_on_commit_callbacks):
    comment = made("kommentar", project)
    with django_capture_on_commit_callbacks(execute=True):
        measure = services.measure_from_origin(user=manager, origin=comment, goal=goal)
    note = Notification.objects.get(recipient=comment.author, kind="measure_from_origin")
    assert note.url == measure.get_absolute_url()


@pytest.mark.parametrize("key", KEYS)
def test_staff_turn_it_into_a_measure_on_its_page(key, client, project, goal, manager):
    row = made(key, project)
    url = reverse("measures:from_origin", args=[key, row.pk])
    client.force_login(manager)
    assert url in client.get(page_of(row)).content.decode()
    response = client.post(url, {"goal": goal.pk, "title": "Mehr Bänke", "published": "on"})
    measure = Measure.objects.get()
    assert response.url == measure.get_absolute_url()
    page = client.get(measure.get_absolute_url()).content.decode()
    assert f'href="{page_of(row)}"' in page
    assert "Daraus wurde die Maßnahme" in client.get(page_of(row)).content.decode()


@pytest.mark.parametrize("key", KEYS)
def test_its_page_says_what_became_of_it(key, client, project, goal):
    row = made(key, project)
    measure = MeasureFactory(goal=goal, title="Mehr Bänke", progress=40)
    link(measure, row)
    page = client.get(page_of(row)).content.decode()
    assert "Daraus wurde die Maßnahme" in page
    assert measure.get_absolute_url() in page
    assert "40 %" in page
    assert reverse("measures:from_origin", args=[key, row.pk]) not in page


def test_a_reply_or_a_running_survey_does_not_become_a_measure(project, goal, manager):
    parent = make_comment(project)
    reply = made("kommentar", project, parent=parent)
    running = made("umfrage", project, closed_at=None)
    for row in (reply, running):
        with pytest.raises(PermissionDenied, match="noch keine Maßnahme"):
            services.measure_from_origin(user=manager, origin=row, goal=goal)
    assert not Measure.objects.exists()


@pytest.mark.parametrize("case", sorted(UNSEEN))
def test_a_resident_neither_sees_nor_is_led_to_an_origin_they_may_not_see(
    case, client, project, goal, resident
):
    row = UNSEEN[case](project)
    kind = origins.kind_of(row)
    measure = MeasureFactory(goal=goal)
    link(measure, row)
    assert origins_of(resident, measure) == []
    client.force_login(resident)
    page = client.get(measure.get_absolute_url()).content.decode()
    assert f'href="{kind.url(row)}"' not in page
    assert kind.title(row) not in page or not kind.title(row)
    url = reverse("measures:from_origin", args=[kind.key, row.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"goal": goal.pk, "title": "X"}).status_code == 404
    assert MeasureOrigin.objects.count() == 1


@pytest.mark.parametrize(
    "case",
    [
        "unveröffentlichte Umfrage",
        "Frage einer unveröffentlichten Umfrage",
        "Frage einer laufenden Umfrage (Ergebnisse erst nach dem Ende)",
        "ausgeblendeter Kommentar",
        "gelöschter Kommentar",
        "Absatz eines unveröffentlichten Entwurfs",
    ],
)
def test_staff_make_no_measure_of_what_is_hidden_or_unpublished(case, project, goal, manager):
    row = UNSEEN[case](project)
    with pytest.raises(PermissionDenied):
        services.measure_from_origin(user=manager, origin=row, goal=goal)
    with pytest.raises(PermissionDenied):
        services.origin_add(user=manager, measure=MeasureFactory(goal=goal), origin=row)
    assert not MeasureOrigin.objects.exists()


@pytest.mark.parametrize("key", KEYS)
def test_staff_of_another_municipality_cannot_use_it(key, client, project, goal, stranger_staff):
    row = made(key, project)
    with pytest.raises(PermissionDenied):
        services.measure_from_origin(user=stranger_staff, origin=row, goal=goal)
    client.force_login(stranger_staff)
    url = reverse("measures:from_origin", args=[key, row.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"goal": goal.pk, "title": "X"}).status_code == 404
    assert url not in client.get(page_of(row)).content.decode()
    assert not Measure.objects.exists()


@pytest.mark.parametrize("key", KEYS)
def test_a_draft_measure_shows_under_the_origin_only_to_staff(key, client, project, goal, manager):
    row = made(key, project)
    link(MeasureFactory(goal=goal, title="Entwurfsmaßnahme", published=False), row)
    assert "Entwurfsmaßnahme" not in client.get(page_of(row)).content.decode()
    client.force_login(manager)
    assert "Entwurfsmaßnahme" in client.get(page_of(row)).content.decode()


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("key", KEYS)
def test_the_origin_box_reads_a_fixed_number_of_queries(key, client, project, goal, manager):
    row = made(key, project)
    link(MeasureFactory(goal=goal), row)
    client.force_login(manager)
    _count(client, page_of(row))  # warm the per-process caches (content types, sections)
    one = _count(client, page_of(row))
    for _ in range(19):
        link(MeasureFactory(goal=goal), row)
    assert _count(client, page_of(row)) == one


def test_the_measure_page_reads_mixed_origins_in_fixed_queries(client, project, goal, manager):
    measure = MeasureFactory(goal=goal)
    client.force_login(manager)

    def add(n: int) -> None:
        for key in KEYS:
            for _ in range(n):
                number = Paragraph.objects.count() + 1
                extra = {"number": number} if key == "absatz" else {}
                link(measure, made(key, project, **extra))

    add(1)
    _count(client, measure.get_absolute_url())
    three = _count(client, measure.get_absolute_url())
    add(9)
    assert len(origins_of(manager, measure)) == 10 * len(KEYS)
    assert _count(client, measure.get_absolute_url()) == three


def test_each_question_shows_what_became_of_it_under_the_results(client, project, goal, manager):
    poll = make_poll(project)
    first, second, third = (QuestionFactory(poll=poll, text=f"Frage {n}?") for n in (1, 2, 3))
    link(MeasureFactory(goal=goal, title="Rufbus", progress=40), second)
    link(MeasureFactory(goal=goal, title="Entwurf", published=False), third)
    results = reverse("polls:results", args=[poll.pk])
    page = client.get(results).content.decode()
    box = page.split('id="massnahme-herkunft-frage"', 1)[1].split("</section>", 1)[0]
    assert f'href="{results}#ergebnis-{second.pk}"' in box
    assert "Daraus wurde die Maßnahme" in box and "Rufbus" in box and "40 %" in box
    # A question of which nothing (visible) became is not listed; nothing to convert.
    assert f"#ergebnis-{first.pk}" not in box and "Entwurf" not in box
    assert "/massnahmen/aus/" not in box
    client.force_login(manager)
    box = client.get(results).content.decode().split('id="massnahme-herkunft-frage"', 1)[1]
    for question in (first, second, third):
        assert reverse("measures:from_origin", args=["frage", question.pk]) in box
    assert "Entwurf" in box


def test_the_question_box_reads_a_fixed_number_of_queries_for_many_questions(
    client, project, goal, manager
):
    poll = make_poll(project)
    results = reverse("polls:results", args=[poll.pk])
    client.force_login(manager)

    def add(n: int) -> None:
        for _ in range(n):
            question = QuestionFactory(poll=poll)
            for _ in range(2):
                measure: Any = MeasureFactory(goal=goal)
                link(measure, question)

    add(1)
    _count(client, results)
    one = _count(client, results)
    add(9)
    assert _count(client, results) == one
