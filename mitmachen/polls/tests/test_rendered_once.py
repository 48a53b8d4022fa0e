"""Results and the empty questionnaire are rendered once per data version (issue 16):
anonymous results come from the page cache, the question tables and the empty
questionnaire are kept as fragments for signed-in people. Each person still sees only
their own view, and a write shows on the next request."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.page_cache import STATE_HEADER
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
    poll.save()
    return poll


def text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def submit(poll, questions, district, user=None):
    return services.response_submit(
        user=user or UserFactory(), poll=poll, data=full_answers(questions, district)
    )[0]


def test_anonymous_results_come_from_the_page_cache_until_a_response(
    client, live, questions, region, django_capture_on_commit_callbacks
):
    submit(live, questions, region["west"])
    url = reverse("polls:results", args=[live.pk])
    assert client.get(url)[STATE_HEADER] == "miss"
    hit = client.get(url)
    assert hit[STATE_HEADER] == "hit" and "1 Antwortbogen" in text(hit)
    with django_capture_on_commit_callbacks(execute=True):
        submit(live, questions, region["east"])
    fresh = client.get(url)
    assert fresh[STATE_HEADER] == "miss" and "2 Antwortbögen" in text(fresh)


def test_staff_and_residents_in_turn_each_see_their_own_view(live, questions, region, staff):
    """Staff see free texts still to be reviewed; residents only approved ones – through
    the same cached tables, in either order."""
    submit(live, questions, region["west"])
    pending = Answer.objects.get(question=questions["short_text"])
    assert pending.review == TextReview.PENDING
    url = reverse("polls:results", args=[live.pk])
    staff_client, resident = signed_in(staff), signed_in(UserFactory())
    for _round in range(2):
        for client, sees in ((resident, False), (staff_client, True), (resident, False)):
            assert (pending.text in text(client.get(url))) is sees
            assert (pending.text in text(client.get(url + "?nach=ortsteil"))) is sees


def test_signed_in_results_are_rendered_once(live, questions, region):
    submit(live, questions, region["west"])
    url = reverse("polls:results", args=[live.pk])
    first, second = signed_in(UserFactory()), signed_in(UserFactory())
    expected = text(first.get(url))
    with CaptureQueriesContext(connection) as queries:
        again = second.get(url)
    assert text(again) == expected
    # Neither the answers nor the questions are read again.
    assert not any(
        "polls_answer" in q["sql"] or "polls_question" in q["sql"] for q in queries.captured_queries
    )


def test_the_small_group_rule_holds_in_the_cached_breakdown(client, live, questions, region):
    submit(live, questions, region["west"])
    url = reverse("polls:results", args=[live.pk]) + "?nach=ortsteil"
    for visitor in (client, signed_in(UserFactory()), client):
        assert "nicht einzeln veröffentlicht" in text(visitor.get(url))


def test_the_empty_questionnaire_is_rendered_once_and_stays_empty_for_others(
    live, questions, region, django_capture_on_commit_callbacks
):
    url = reverse("polls:detail", args=[live.pk])
    first, second = UserFactory(), UserFactory()
    blank = signed_in(first).get(url).content.decode()
    assert 'name="csrfmiddlewaretoken"' in blank
    with CaptureQueriesContext(connection) as queries:
        page = signed_in(second).get(url).content.decode()
    assert not any("polls_question" in q["sql"] for q in queries.captured_queries)
    # The same questions, each person with their own CSRF token.
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", page) == token.sub("", blank)
    assert token.findall(page) != token.findall(blank)
    # Someone answers: they see their answers to change (the poll allows it), the
    # others still the empty form.
    live.allow_changes = True
    live.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(live, questions, region["west"], first)
    own = signed_in(first).get(url).content.decode()
    assert "Änderungen speichern" in own and "checked" in own
    other = signed_in(second).get(url).content.decode()
    assert "Antworten absenden" in other and "Änderungen speichern" not in other


def test_a_refused_submission_shows_the_errors_not_the_cached_form(live, questions):
    url = reverse("polls:detail", args=[live.pk])
    client = signed_in(UserFactory())
    client.get(url)
    response = client.post(url, {})
    assert response.status_code == 400
    assert text(response).startswith("Fehler:")  # the error summary, not the empty form
