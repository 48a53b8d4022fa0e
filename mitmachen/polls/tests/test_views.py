from datetime import date

import pytest
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.channels import Channel
from mitmachen.polls import services
from mitmachen.polls.models import (
    Answer,
    Correction,
    Eligibility,
    PaperBatch,
    Participation,
    QuestionKind,
    Response,
    ResultsVisibility,
    TextReview,
)
from mitmachen.polls.tests.factories import (
    PollFactory,
    full_answers,
    options,
    post_data,
    question,
)


def detail(poll):
    return reverse("polls:detail", args=[poll.pk])


def test_questionnaire_renders_every_kind(client, poll, questions, user):
    client.force_login(user)
    page = client.get(detail(poll))
    assert page.status_code == 200
    html = page.content.decode()
    for q in questions.values():
        assert q.text in html
    assert 'type="checkbox"' in html and 'type="radio"' in html
    assert "Platz 3" in html  # ranking selects
    assert "West" in html  # Ortsteil question
    assert "Antworten absenden" in html


def test_answering_through_the_form(client, poll, questions, region, user):
    client.force_login(user)
    answers = full_answers(questions, region["west"])
    response = client.post(detail(poll), post_data(questions, answers))
    assert response.status_code == 302
    assert response.url == reverse("polls:thanks", args=[poll.pk])
    stored = Response.objects.prefetch_related("answers").get()
    assert services.answers_of(stored, services.questions_of(poll)) == answers
    page = client.get(detail(poll))
    assert "bereits teilgenommen" in page.content.decode()


def test_form_errors_in_german_and_nothing_stored(client, poll, questions, region, user):
    client.force_login(user)
    answers = full_answers(questions, region["west"])
    data = post_data(questions, answers)
    data[questions["scale"].field_name()] = "17"
    del data[questions["yes_no"].field_name()]
    ranking = questions["ranking"]
    for oid in options(ranking):
        data[f"{ranking.field_name()}-{oid}"] = "1"
    data[questions["single"].field_name()] = "keine Zahl"
    response = client.post(detail(poll), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte prüfen Sie Ihre Eingaben." in html
    assert "Bitte wählen Sie einen Wert von 1 bis 5." in html
    assert "Bitte beantworten Sie diese Frage." in html
    assert "Jeder Platz darf nur einmal vergeben werden." in html
    assert "Diese Antwort gibt es bei dieser Frage nicht." in html
    assert 'aria-invalid="true"' in html or "kern-fieldset--error" in html
    # What was entered stays.
    assert "Mehr Bänke" in html
    assert not Response.objects.exists() and not Participation.objects.exists()


def test_anonymous_visitor_must_sign_in_for_registered_polls(client, poll, questions):
    page = client.get(detail(poll))
    assert "Bitte melden Sie sich an" in page.content.decode()
    response = client.post(detail(poll), {})
    assert response.status_code == 302
    assert not Response.objects.exists()


def test_guest_flow_with_token_and_cookie(client, poll):
    poll.eligibility = Eligibility.GUESTS
    poll.save()
    q = question(poll, QuestionKind.YES_NO)
    page = client.get(detail(poll))
    assert page["Cache-Control"] == "private, no-store"
    token = page.context["guest_token"]
    assert token
    response = client.post(detail(poll), {q.field_name(): options(q)[0], "gast": token})
    assert response.status_code == 302
    assert Response.objects.count() == 1
    # The browser now knows it answered.
    page = client.get(detail(poll))
    assert "bereits teilgenommen" in page.content.decode()
    # Replaying the same token (e.g. without the cookie) is refused.
    client.cookies.clear()
    again = client.post(detail(poll), {q.field_name(): options(q)[1], "gast": token})
    assert again.status_code == 400
    assert "bereits teilgenommen" in again.content.decode()
    assert Response.objects.count() == 1


def test_tampered_guest_token_gets_a_german_message(client, poll):
    poll.eligibility = Eligibility.GUESTS
    poll.save()
    q = question(poll, QuestionKind.YES_NO)
    response = client.post(detail(poll), {q.field_name(): options(q)[0], "gast": "x.y.z"})
    assert response.status_code == 400
    assert "Das Formular ist ungültig" in response.content.decode()
    assert not Response.objects.exists()


def test_guest_rate_limit(client, poll, settings):
    settings.POLL_GUEST_ANSWERS_PER_HOUR = 2
    poll.eligibility = Eligibility.GUESTS
    poll.save()
    q = question(poll, QuestionKind.YES_NO)
    statuses = []
    for _ in range(3):
        client.cookies.clear()
        token = services.guest_token(poll)
        statuses.append(
            client.post(detail(poll), {q.field_name(): options(q)[0], "gast": token}).status_code
        )
    assert statuses == [302, 302, 429]
    assert Response.objects.count() == 2


def test_change_answers_form_is_prefilled(client, poll, questions, region, user):
    poll.allow_changes = True
    poll.save()
    services.response_submit(user=user, poll=poll, data=full_answers(questions, region["west"]))
    client.force_login(user)
    html = client.get(detail(poll)).content.decode()
    assert "Änderungen speichern" in html
    assert "Mehr Bänke" in html
    data = post_data(questions, full_answers(questions, region["east"]))
    assert client.post(detail(poll), data).status_code == 302
    assert Response.objects.get().district == region["east"]


def test_results_hidden_until_close(client, poll, questions, region, user, staff):
    services.response_submit(user=user, poll=poll, data=full_answers(questions, region["west"]))
    url = reverse("polls:results", args=[poll.pk])
    page = client.get(url)
    assert "nach dem Ende der Umfrage veröffentlicht" in page.content.decode()
    client.force_login(staff)
    assert "Zwischenstand" in client.get(url).content.decode()
    services.poll_close(user=staff, poll=poll)
    client.logout()
    html = client.get(url).content.decode()
    assert "1 Antwortbogen" in html
    assert "<table" in html and "<svg" in html


def test_results_live_and_breakdowns(client, poll, questions, region, staff):
    poll.results_visibility = ResultsVisibility.LIVE
    poll.save()
    for district in (region["west"], region["east"], region["east"]):
        services.response_submit(
            user=UserFactory(), poll=poll, data=full_answers(questions, district)
        )
    url = reverse("polls:results", args=[poll.pk])
    html = client.get(url).content.decode()
    assert "3 Antwortbögen" in html
    assert "Mehr Bänke" not in html  # free text not yet approved
    assert "erst nach Prüfung" in html
    answer = Answer.objects.filter(question=questions["short_text"]).first()
    services.text_review(user=staff, answer=answer, review=TextReview.APPROVED)
    html = client.get(url).content.decode()
    assert html.count("Mehr Bänke") == 1
    by_district = client.get(url + "?nach=ortsteil").content.decode()
    assert "nach Ortsteil" in by_district and "(n = 2)" in by_district
    by_channel = client.get(url + "?nach=kanal").content.decode()
    assert "(n = 3)" in by_channel
    assert client.get(url + "?nach=<script>").status_code == 200


def test_results_page_query_count_is_constant(
    client, poll, questions, region, django_assert_max_num_queries
):
    poll.results_visibility = ResultsVisibility.LIVE
    poll.save()
    url = reverse("polls:results", args=[poll.pk])

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url + "?nach=ortsteil").status_code == 200
        return len(ctx.captured_queries)

    services.response_submit(
        user=UserFactory(), poll=poll, data=full_answers(questions, region["west"])
    )
    count_queries()  # warm the per-process caches (content types)
    few = count_queries()
    for _ in range(20):
        services.response_submit(
            user=UserFactory(), poll=poll, data=full_answers(questions, region["east"])
        )
    assert count_queries() == few
    assert few <= 15  # one of them: the measures made of single questions (measures)


def test_printable_questionnaire_has_a_qr_code(client, poll, questions):
    html = client.get(reverse("polls:print", args=[poll.pk])).content.decode()
    assert "<svg" in html and "QR-Code" in html
    assert f"/umfragen/{poll.pk}/" in html
    assert "☐" in html


def test_unpublished_poll_is_hidden_from_the_public(client, poll, staff):
    poll.is_published = False
    poll.save()
    assert client.get(detail(poll)).status_code == 404
    client.force_login(staff)
    assert client.get(detail(poll)).status_code == 200


def test_staff_pages_need_staff(client, poll, questions, user):
    urls = [
        reverse("polls:manage", args=[poll.pk]),
        reverse("polls:batch_create", args=[poll.pk]),
        reverse("polls:texts", args=[poll.pk]),
        reverse("polls:export_csv", args=[poll.pk]),
        reverse("polls:export_xlsx", args=[poll.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login
    client.force_login(user)
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(reverse("polls:close", args=[poll.pk])).status_code == 403


def test_paper_entry_pages(client, poll, questions, region, staff, second_staff):
    client.force_login(staff)
    assert client.get(reverse("polls:manage", args=[poll.pk])).status_code == 200
    bad = client.post(reverse("polls:batch_create", args=[poll.pk]), {"channel": "online"})
    assert bad.status_code == 400
    assert "Bitte wählen Sie, wo die Bögen ausgefüllt wurden." in bad.content.decode()
    created = client.post(
        reverse("polls:batch_create", args=[poll.pk]),
        {"channel": Channel.WORKSHOP, "place": "Rathaus", "collected_on": "2026-11-20"},
    )
    batch = PaperBatch.objects.get()
    assert created.url == reverse("polls:batch", args=[batch.pk])
    url = reverse("polls:batch", args=[batch.pk])
    page = client.get(url)
    assert "Bogen speichern und nächsten erfassen" in page.content.decode()
    answers = full_answers(questions, region["west"])
    saved = client.post(url, post_data(questions, answers))
    assert saved.status_code == 302
    response = Response.objects.get()
    assert response.channel == Channel.WORKSHOP and response.entered_by == staff
    wrong = client.post(url, {questions["scale"].field_name(): "8"})
    assert wrong.status_code == 400 and Response.objects.count() == 1
    empty = client.post(url, {})
    assert "Der Bogen ist leer" in empty.content.decode()
    # Correct with a reason, then check by a second person.
    correct_url = reverse("polls:correct", args=[response.pk])
    assert client.get(correct_url).status_code == 200
    no_reason = client.post(correct_url, post_data(questions, answers))
    assert no_reason.status_code == 400
    changed = dict(answers)
    changed[questions["scale"].pk] = 2
    done = client.post(correct_url, {**post_data(questions, changed), "reason": "Tippfehler"})
    assert done.status_code == 302
    assert Correction.objects.get().reason == "Tippfehler"
    own_check = client.post(reverse("polls:batch_check", args=[batch.pk]))
    assert own_check.status_code == 302
    batch.refresh_from_db()
    assert not batch.is_checked
    client.force_login(second_staff)
    client.post(reverse("polls:batch_check", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.checked_by == second_staff
    delete_url = reverse("polls:delete", args=[response.pk])
    assert client.post(delete_url, {"reason": ""}).status_code == 400
    assert client.post(delete_url, {"reason": "doppelt"}).status_code == 302
    assert not Response.objects.exists()


def test_text_review_page(client, poll, questions, region, staff):
    services.response_submit(
        user=UserFactory(), poll=poll, data=full_answers(questions, region["west"])
    )
    client.force_login(staff)
    url = reverse("polls:texts", args=[poll.pk])
    html = client.get(url).content.decode()
    assert "Mehr Bänke" in html and "noch nicht geprüft (2)" in html
    answer = Answer.objects.get(question=questions["short_text"])
    client.post(url, {"antwort": answer.pk, "entscheidung": TextReview.REJECTED})
    answer.refresh_from_db()
    assert answer.review == TextReview.REJECTED
    bad = client.post(url, {"antwort": answer.pk, "entscheidung": "weg"})
    assert bad.status_code == 302
    answer.refresh_from_db()
    assert answer.review == TextReview.REJECTED
    other = PollFactory(project=poll.project)
    assert (
        client.post(
            reverse("polls:texts", args=[other.pk]),
            {"antwort": answer.pk, "entscheidung": "approved"},
        ).status_code
        == 404
    )


def test_question_reorder_view(client, poll, staff):
    first = question(poll, QuestionKind.YES_NO, position=0)
    second = question(poll, QuestionKind.YES_NO, position=1)
    client.force_login(staff)
    client.post(reverse("polls:move", args=[second.pk]), {"richtung": "hoch"})
    assert [q.pk for q in services.questions_of(poll)] == [second.pk, first.pk]


@pytest.mark.parametrize("path", ["list", "detail"])
def test_project_pages_list_polls(client, poll, path):
    url = (
        reverse("polls:list", args=[poll.project.slug])
        if path == "list"
        else poll.project.get_absolute_url()
    )
    html = client.get(url).content.decode()
    assert poll.title in html


def test_many_free_texts_are_previewed_and_listed_page_by_page(client, poll, questions, staff):
    from mitmachen.polls.views import TEXT_PREVIEW, TEXTS_PER_PAGE

    poll.results_visibility = ResultsVisibility.LIVE
    poll.save()
    text_question = questions["long_text"]
    approved = TEXTS_PER_PAGE + 5
    batch = services.batch_create(
        user=staff,
        poll=poll,
        data=services.BatchData(channel=Channel.LETTER, collected_on=date.today()),
    )
    for number in range(approved + 3):
        response = services.paper_response_create(
            user=staff, batch=batch, data={text_question.pk: f"Freitext Nummer {number:03d}"}
        )
        if number < approved:
            answer = response.answers.get()
            services.text_review(user=staff, answer=answer, review=TextReview.APPROVED)
    results = client.get(reverse("polls:results", args=[poll.pk])).content.decode()
    assert results.count("Freitext Nummer") == TEXT_PREVIEW
    assert f"Alle {approved} Antworten zu dieser Frage" in results
    url = reverse("polls:question_texts", args=[poll.pk, text_question.pk])
    assert url in results

    first = client.get(url).content.decode()
    assert first.count("Freitext Nummer") == TEXTS_PER_PAGE
    assert "Freitext Nummer 000" in first and "Seite 1 von 2" in first
    second = client.get(url + "?seite=2").content.decode()
    assert second.count("Freitext Nummer") == approved - TEXTS_PER_PAGE
    # Texts not approved stay unpublished; staff see them all.
    assert f"Freitext Nummer {approved:03d}" not in first + second
    client.force_login(staff)
    staff_pages = client.get(url).content.decode() + client.get(url + "?seite=2").content.decode()
    assert staff_pages.count("Freitext Nummer") == approved + 3


def test_question_texts_page_refuses_what_it_must(client, poll, questions):
    single = questions["single"]
    text_question = questions["long_text"]
    # Results not yet public: back to the results page, which explains why.
    response = client.get(reverse("polls:question_texts", args=[poll.pk, text_question.pk]))
    assert response.status_code == 302
    assert response.url == reverse("polls:results", args=[poll.pk])
    poll.results_visibility = ResultsVisibility.LIVE
    poll.save()
    assert client.get(reverse("polls:question_texts", args=[poll.pk, single.pk])).status_code == 404
    other = PollFactory(project=poll.project, results_visibility=ResultsVisibility.LIVE)
    assert (
        client.get(reverse("polls:question_texts", args=[other.pk, text_question.pk])).status_code
        == 404
    )
    page = client.get(reverse("polls:question_texts", args=[poll.pk, text_question.pk]))
    assert "Noch keine Antworten." in page.content.decode()


def test_results_are_computed_once_per_change(
    client, poll, questions, region, settings, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 60
    poll.results_visibility = ResultsVisibility.LIVE
    poll.save()
    url = reverse("polls:results", args=[poll.pk])

    def submit(district):
        with django_capture_on_commit_callbacks(execute=True):
            services.response_submit(
                user=UserFactory(), poll=poll, data=full_answers(questions, district)
            )

    def answer_queries():
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url).content.decode()
        return html, sum("polls_answer" in q["sql"] for q in ctx.captured_queries)

    submit(region["west"])
    html, counted = answer_queries()
    assert "1 Antwortbogen" in html and counted > 0
    html, counted = answer_queries()
    assert "1 Antwortbogen" in html and counted == 0  # from the cache
    submit(region["east"])
    html, counted = answer_queries()
    assert "2 Antwortbögen" in html and counted > 0  # the write made it stale


def test_staff_pages_survive_deleted_staff_accounts(
    client, poll, questions, region, staff, second_staff
):
    from mitmachen.accounts.services import account_delete
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory

    entering, checking = (
        MembershipFactory(organisation=region["organisation"], role=Role.ADMIN).user
        for _ in range(2)
    )
    batch = services.batch_create(
        user=entering,
        poll=poll,
        data=services.BatchData(channel=Channel.WORKSHOP, collected_on=date.today()),
    )
    sheet = services.paper_response_create(
        user=entering, batch=batch, data=full_answers(questions, region["west"])
    )
    services.paper_response_update(
        user=entering,
        response=sheet,
        data=full_answers(questions, region["east"]),
        reason="Ortsteil vertauscht",
    )
    services.batch_check(user=checking, batch=batch)
    account_delete(user=entering)
    account_delete(user=checking)
    client.force_login(staff)
    for url in (
        reverse("polls:manage", args=[poll.pk]),
        reverse("polls:batch", args=[batch.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert "gelöschtes Konto" in page.content.decode()
    assert client.get(reverse("polls:export_csv", args=[poll.pk])).status_code == 200


def test_results_by_age_group_in_age_order(client, poll, questions, region):
    from mitmachen.polls import selectors

    poll.results_visibility = ResultsVisibility.LIVE
    poll.save()
    ages = options(questions["age_group"])  # unter 18, 18–29, …, 65–79 (index 4), 80+
    for age in (ages[4], ages[4], ages[1], None):
        answers = full_answers(questions, region["west"])
        answers[questions["age_group"].pk] = age
        services.response_submit(user=UserFactory(), poll=poll, data=answers)
    result = selectors.results(poll, services.questions_of(poll), public=True, breakdown="alter")
    assert [(g.label, g.respondents) for g in result.groups] == [
        ("18 bis 29 Jahre", 1),
        ("65 bis 79 Jahre", 2),
        ("ohne Angabe", 1),
    ]
    html = client.get(reverse("polls:results", args=[poll.pk]) + "?nach=alter").content.decode()
    assert 'aria-current="page">nach Altersgruppe' in html
    assert '65 bis 79 Jahre <span class="kern-body--small">(n = 2)</span>' in html


def test_small_groups_are_not_published_separately(client, poll, questions, region, staff):
    from mitmachen.polls import selectors

    poll.results_visibility = ResultsVisibility.LIVE
    poll.save()
    for district in [region["west"]] * selectors.MIN_PUBLIC_GROUP + [region["east"]]:
        services.response_submit(
            user=UserFactory(), poll=poll, data=full_answers(questions, district)
        )
    questions_ = services.questions_of(poll)
    public = selectors.results(poll, questions_, public=True, breakdown="ortsteil")
    single = public.questions[0]
    by_label = {g.label: g for g in single.groups}
    assert not by_label["West"].withheld and by_label["Ost"].withheld
    east = [g.label for g in single.groups].index("Ost")
    assert all(row.groups[east] == (None, None) for row in single.rows)
    assert (
        sum(row.groups[[g.label for g in single.groups].index("West")][0] for row in single.rows)
        == 5
    )
    staff_view = selectors.results(poll, questions_, public=False, breakdown="ortsteil")
    assert not any(g.withheld for g in staff_view.questions[0].groups)
    by_channel = selectors.results(poll, questions_, public=True, breakdown="kanal")
    assert not any(g.withheld for g in by_channel.questions[0].groups)
    html = client.get(reverse("polls:results", args=[poll.pk]) + "?nach=ortsteil")
    assert "nicht einzeln veröffentlicht" in html.content.decode()
    client.force_login(staff)
    html = client.get(reverse("polls:results", args=[poll.pk]) + "?nach=ortsteil")
    assert "nicht einzeln veröffentlicht" not in html.content.decode()
