"""Every write on polls shows at once: on the cached project page, and in the results,
which are computed once per version of the project (``selectors.cached_results``).

Answering and paper entry save or delete a ``Response`` (declared in ``module.py``) and
make no page-cache call of their own; the admin saves a poll or question. These tests
fail when such a declaration goes missing. Bulk writes and conditional updates (changed
answers, corrections, review, moving questions, closing) call ``modules.changed``.
"""

import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.channels import Channel
from mitmachen.core.page_cache import STATE_HEADER
from mitmachen.core.tests.admin_scope import form_data
from mitmachen.polls import services
from mitmachen.polls.models import Answer, ResultsVisibility, TextReview
from mitmachen.polls.tests.factories import full_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def live(poll, questions):
    poll.results_visibility = ResultsVisibility.LIVE
    poll.allow_changes = True
    poll.save()
    return poll


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


def text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def results_url(poll, breakdown=""):
    url = reverse("polls:results", args=[poll.pk])
    return f"{url}?nach={breakdown}" if breakdown else url


@pytest.fixture
def fresh_results(django_capture_on_commit_callbacks):
    """``fresh_results(client, url, write)``: the results are computed and cached, ``write``
    commits, and the next request computes them again; returns the page's text."""

    def check(client, url, write):
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert not any("polls_answer" in q["sql"] for q in queries.captured_queries)
        with django_capture_on_commit_callbacks(execute=True):
            write()
        return text(client.get(url))

    return check


def submit(poll, questions, district, user=None):
    user = user or UserFactory()
    return services.response_submit(user=user, poll=poll, data=full_answers(questions, district))[0]


def test_a_new_response(fresh_results, staff_client, live, questions, region):
    submit(live, questions, region["west"])
    person = UserFactory()  # not in the write: a new account makes every page stale
    page = fresh_results(
        staff_client, results_url(live), lambda: submit(live, questions, region["east"], person)
    )
    assert "2 Antwortbögen" in page


def test_a_changed_response(fresh_results, staff_client, live, questions, region):
    person = UserFactory()
    submit(live, questions, region["west"], person)
    page = fresh_results(
        staff_client,
        results_url(live, "ortsteil"),
        lambda: submit(live, questions, region["east"], person),
    )
    assert "Ost (n = 1)" in page and "West (n = 1)" not in page


def test_a_reviewed_free_text(fresh_results, client, live, questions, region, staff):
    submit(live, questions, region["west"])
    answer = Answer.objects.get(question=questions["short_text"])
    assert "Mehr Bänke" not in text(client.get(results_url(live)))
    page = fresh_results(
        client,
        results_url(live),
        lambda: services.text_review(user=staff, answer=answer, review=TextReview.APPROVED),
    )
    assert "Mehr Bänke" in page


def test_paper_entry_correction_and_deletion(
    fresh_results, staff_client, live, questions, region, staff
):
    submit(live, questions, region["west"])
    batch = services.batch_create(
        user=staff,
        poll=live,
        data=services.BatchData(channel=Channel.WORKSHOP, collected_on=date.today()),
    )
    sheets = []

    def enter():
        sheets.append(
            services.paper_response_create(
                user=staff, batch=batch, data=full_answers(questions, region["west"])
            )
        )

    page = fresh_results(staff_client, results_url(live, "ortsteil"), enter)
    assert "West (n = 2)" in page
    page = fresh_results(
        staff_client,
        results_url(live, "ortsteil"),
        lambda: services.paper_response_update(
            user=staff,
            response=sheets[0],
            data=full_answers(questions, region["east"]),
            reason="Ortsteil vertauscht",
        ),
    )
    assert "West (n = 1)" in page and "Ost (n = 1)" in page
    page = fresh_results(
        staff_client,
        results_url(live),
        lambda: services.paper_response_delete(user=staff, response=sheets[0], reason="doppelt"),
    )
    assert "1 Antwortbogen" in page


def test_moving_a_question(fresh_results, staff_client, live, questions, region, staff):
    submit(live, questions, region["west"])
    yes_no, scale = questions["yes_no"].text, questions["scale"].text
    page = fresh_results(
        staff_client,
        results_url(live),
        lambda: services.question_move(user=staff, question=questions["scale"], up=True),
    )
    assert page.index(scale) < page.index(yes_no)


def project_page(client, project, write, django_capture_on_commit_callbacks):
    url = reverse("projects:detail", args=[project.slug])
    client.get(url)
    assert client.get(url)[STATE_HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        write()
    page = client.get(url)
    assert page[STATE_HEADER] == "miss"
    return text(page)


def test_closing_a_poll(client, poll, staff, django_capture_on_commit_callbacks):
    assert "beendet" not in text(client.get(reverse("projects:detail", args=[poll.project.slug])))
    page = project_page(
        client,
        poll.project,
        lambda: services.poll_close(user=staff, poll=poll),
        django_capture_on_commit_callbacks,
    )
    assert "beendet" in page


def test_changes_in_the_admin(
    fresh_results, client, staff_client, live, questions, region, django_capture_on_commit_callbacks
):
    """The admin saves the poll (and its questions) in one transaction with the preset
    options it adds in bulk: the saved rows' signals make the pages stale."""
    url = reverse("admin:polls_poll_change", args=[live.pk])

    def rename_poll():
        data = form_data(staff_client.get(url))
        data["title"] = "Schatten für den Marktplatz"
        assert staff_client.post(url, data).status_code == 302

    page = project_page(client, live.project, rename_poll, django_capture_on_commit_callbacks)
    assert "Schatten für den Marktplatz" in page

    submit(live, questions, region["west"])
    question = questions["scale"]  # the fourth
    url = reverse("admin:polls_question_change", args=[question.pk])

    def reword_question():
        data = form_data(staff_client.get(url))
        data["text"] = "Wie wichtig ist Ihnen Schatten?"
        assert staff_client.post(url, data).status_code == 302

    # The results hold the questions (the admin's message repeats the new text).
    page = fresh_results(staff_client, results_url(live), reword_question)
    assert "4. Wie wichtig ist Ihnen Schatten?" in page
    assert f"4. {question.text}" not in page
