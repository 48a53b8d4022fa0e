"""The polls' part of "Meine Daten" and what deleting an account leaves behind."""

from mitmachen.accounts.services import account_delete, personal_data_export
from mitmachen.polls import selectors, services
from mitmachen.polls.models import Participation, QuestionKind, Response
from mitmachen.polls.tests.factories import PollFactory, full_answers, question


def test_export_lists_answers_only_where_they_are_linked(poll, questions, region, user):
    answers = full_answers(questions, region["west"])
    services.response_submit(user=user, poll=poll, data=answers)
    anonymous = PollFactory(project=poll.project, title="Anonym", anonymous=True)
    yes_no = question(anonymous, QuestionKind.YES_NO)
    services.ensure_preset_options(yes_no)
    services.response_submit(
        user=user, poll=anonymous, data={yes_no.pk: yes_no.options.all()[0].pk}
    )

    exported = {e["umfrage"]: e for e in personal_data_export(user=user)["umfragen"]}

    assert set(exported) == {"Vitale Innenstadt", "Anonym"}
    assert "antworten" not in exported["Anonym"] and exported["Anonym"]["anonym"] is True
    given = exported["Vitale Innenstadt"]["antworten"]
    numbered = {q.pk: f"{i}. {q.text}" for i, q in enumerate(questions.values(), start=1)}
    assert list(given) == list(numbered.values())
    assert given[numbered[questions["scale"].pk]] == answers[questions["scale"].pk]
    assert given[numbered[questions["district"].pk]] == "West"
    assert given[numbered[questions["long_text"].pk]] == answers[questions["long_text"].pk]


def test_deleted_account_keeps_the_count_but_not_the_person(poll, questions, region, user):
    services.response_submit(user=user, poll=poll, data=full_answers(questions, region["west"]))
    account_delete(user=user)
    response = Response.objects.get()
    assert response.participation.user is None
    assert not Participation.objects.filter(user__isnull=False).exists()
    results = selectors.results(poll, services.questions_of(poll), public=False)
    assert results.total == 1
