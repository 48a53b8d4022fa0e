"""The questionnaire as a Django form: one field per question, read and checked per kind.

test_bad_input.py sends the same mistakes through the pages; here the form is used
directly, so each kind's reading (``to_python``), checking (``validate``) and the
inputs it renders are pinned down one by one.
"""

from __future__ import annotations

import pytest
from django.http import QueryDict

from mitmachen.polls.answers import clean_answers
from mitmachen.polls.forms import QuestionnaireForm
from mitmachen.polls.models import QuestionKind
from mitmachen.polls.tests.factories import PollFactory, full_answers, options, post_data, question

REQUIRED = "Bitte beantworten Sie diese Frage."
WRONG_OPTION = "Diese Antwort gibt es bei dieser Frage nicht."


def as_post(data: dict) -> QueryDict:
    """What a browser sends: a QueryDict, lists as repeated fields."""
    post = QueryDict(mutable=True)
    for name, value in data.items():
        if isinstance(value, list):
            post.setlist(name, value)
        else:
            post[name] = value
    return post


@pytest.fixture
def district_ids(region):
    return {region["west"].pk, region["east"].pk}


def bound(questions, data, district_ids, **kwargs):
    return QuestionnaireForm(
        list(questions.values()), data=as_post(data), district_ids=district_ids, **kwargs
    )


def errors_by_question(form):
    return {f.question.pk: f.error for f in form.question_fields() if f.error}


def test_one_field_per_question_with_the_widget_of_its_kind(poll, questions):
    form = QuestionnaireForm(list(questions.values()))
    widgets = {
        kind: type(form.fields[q.field_name()].widget).__name__ for kind, q in questions.items()
    }
    assert widgets == {
        "single": "OptionRadios",
        "multiple": "OptionCheckboxes",
        "yes_no": "OptionRadios",
        "scale": "ScaleRadios",
        "ranking": "RankingWidget",
        "short_text": "TextInput",
        "long_text": "Textarea",
        "district": "KernSelect",
        "age_group": "OptionRadios",
    }
    assert [f.number for f in form.question_fields()] == list(range(1, 10))
    assert not form.is_bound and form.general_errors() == []
    # Nothing chosen yet: the empty first option is not marked "selected" (as before).
    fields = {f.question.pk: f for f in form.question_fields()}
    district = str(fields[questions["district"].pk].widget())
    assert '<option value="">Bitte wählen</option>' in district and "selected" not in district
    for _option, select in fields[questions["ranking"].pk].ranking_rows():
        assert '<option value="">Platz wählen</option>' in select and "selected" not in select


def test_complete_answers_are_read_into_the_shape_the_services_take(
    questions, region, district_ids
):
    answers = full_answers(questions, region["west"])
    form = bound(questions, post_data(questions, answers), district_ids)
    assert form.is_valid(), form.errors
    assert form.answers() == answers
    assert clean_answers(questions.values(), form.answers(), district_ids=district_ids) == {}


def test_text_is_stripped_and_line_breaks_count_once(questions, region, district_ids):
    data = post_data(questions, full_answers(questions, region["west"]))
    data[questions["long_text"].field_name()] = "  Erste Zeile\r\nZweite Zeile \r\n"
    form = bound(questions, data, district_ids)
    assert form.is_valid()
    assert form.answers()[questions["long_text"].pk] == "Erste Zeile\nZweite Zeile"


@pytest.mark.parametrize("kind", ["single", "multiple", "yes_no", "scale", "ranking"])
def test_a_required_question_left_out_gets_the_german_message(
    questions, region, district_ids, kind
):
    q = questions[kind]
    answers = full_answers(questions, region["west"])
    answers[q.pk] = [] if kind in ("multiple", "ranking") else None
    form = bound(questions, post_data(questions, answers), district_ids)
    assert not form.is_valid()
    assert errors_by_question(form) == {q.pk: REQUIRED}
    assert form.errors.as_data()[q.field_name()][0].code == "required"


def test_paper_entry_requires_nothing(questions, district_ids):
    form = bound(questions, {}, district_ids, paper=True)
    assert form.is_valid()
    # The service decides about an empty questionnaire (with its own message).
    assert not any(form.answers().values())


def test_optional_questions_may_stay_empty(poll, district_ids):
    q = question(poll, QuestionKind.SCALE, required=False)
    form = QuestionnaireForm([q], data=as_post({}), district_ids=district_ids)
    assert form.is_valid() and form.answers() == {q.pk: None}


# Each case: question, the value sent, the message at that question.
CASES = [
    ("single", "keine Zahl", WRONG_OPTION),
    ("single", "9" * 5000, WRONG_OPTION),
    ("single", "other_question", WRONG_OPTION),
    ("yes_no", "4.5", WRONG_OPTION),
    ("multiple", "twice", "Jede Antwort kann nur einmal gewählt werden."),
    ("multiple", "three", "Bitte wählen Sie höchstens 2 Antworten."),
    ("multiple", ["1", "x"], WRONG_OPTION),
    ("scale", "0", "Bitte wählen Sie einen Wert von 1 bis 5."),
    ("scale", "-3", "Bitte wählen Sie einen Wert von 1 bis 5."),
    ("scale", "drei", WRONG_OPTION),
    ("ranking", [1, 1, 2], "Jeder Platz darf nur einmal vergeben werden."),
    ("ranking", [1, 2, 4], "Bitte vergeben Sie die Plätze 1 bis 3."),
    ("ranking", [0, 1, 2], "Bitte vergeben Sie die Plätze 1 bis 3."),
    ("ranking", [1, 2, ""], "Bitte bringen Sie alle 3 Antworten in eine Reihenfolge."),
    ("ranking", ["erster", 2, 3], "Bitte wählen Sie für jede Antwort einen Platz aus der Liste."),
    ("short_text", "x" * 51, "Bitte schreiben Sie höchstens 50 Zeichen (jetzt: 51)."),
    ("long_text", "Bank\x00am Markt", "Der Text enthält ungültige Zeichen."),
    ("district", "foreign", WRONG_OPTION),
    ("age_group", "other_question", WRONG_OPTION),
]


@pytest.mark.parametrize(("kind", "value", "message"), CASES)
def test_each_kind_refuses_bad_input_in_german(
    questions, region, district_ids, kind, value, message
):
    q = questions[kind]
    data = post_data(questions, full_answers(questions, region["west"]))
    name = q.field_name()
    if kind == "ranking":
        data.update({f"{name}-{o}": str(p) for o, p in zip(options(q), value, strict=True)})
    elif value == "other_question":
        data[name] = str(options(questions["ranking"])[0])
    elif value == "twice":
        data[name] = [str(options(q)[0])] * 2
    elif value == "three":
        data[name] = [str(o) for o in options(q)[:3]]
    elif value == "foreign":
        data[name] = str(max(district_ids) + 1000)
    else:
        data[name] = value
    form = bound(questions, data, district_ids)
    assert not form.is_valid()
    assert errors_by_question(form) == {q.pk: message}
    summary = [f for f in form.question_fields() if f.error]
    assert [(f.number, f.error) for f in summary] == [(list(questions).index(kind) + 1, message)]


def test_the_ortsteil_question_accepts_only_the_poll_s_ortsteile(poll, region):
    q = question(poll, QuestionKind.DISTRICT)
    data = as_post({q.field_name(): str(region["east"].pk)})
    assert not QuestionnaireForm([q], data=data, district_ids={region["west"].pk}).is_valid()
    accepted = QuestionnaireForm([q], data=data, district_ids={region["east"].pk})
    assert accepted.is_valid() and accepted.answers() == {q.pk: region["east"].pk}


def test_service_errors_land_on_their_question_and_on_the_form(questions, region, district_ids):
    form = bound(
        questions, post_data(questions, full_answers(questions, region["west"])), district_ids
    )
    assert form.is_valid()
    form.add_answer_errors({questions["scale"].pk: "Nicht mehr.", 0: "Schon teilgenommen."})
    assert errors_by_question(form) == {questions["scale"].pk: "Nicht mehr."}
    assert form.general_errors() == ["Schon teilgenommen."]


def test_unchecked_answers_are_shown_without_errors(questions, district_ids):
    form = bound(questions, {questions["scale"].field_name(): "99"}, district_ids)
    assert not any(f.error for f in form.question_fields(checked=False))
    assert 'value="9" class="kern-form-check__radio" id' not in str(
        form.question_fields(checked=False)[3].scale_inputs()
    )  # 9 is no value of the scale: nothing is checked
    checked = {f.question.pk: f.error for f in form.question_fields() if f.error}
    assert checked[questions["scale"].pk] == "Bitte wählen Sie einen Wert von 1 bis 5."
    assert checked[questions["single"].pk] == REQUIRED


# --- what the inputs look like -------------------------------------------------------------


def test_inputs_have_stable_ids_and_keep_what_was_sent(questions, region, district_ids):
    answers = full_answers(questions, region["west"])
    data = post_data(questions, answers)
    data[questions["scale"].field_name()] = "9"
    form = bound(questions, data, district_ids, districts=[region["east"], region["west"]])
    fields = {f.question.pk: f for f in form.question_fields()}

    single = fields[questions["single"].pk]
    chosen = answers[questions["single"].pk]
    tags = {str(i.tag()) for _o, i in single.option_inputs()}
    assert (
        f'<input type="radio" name="{single.name}" value="{chosen}" '
        f'class="kern-form-check__radio" id="{single.name}-{chosen}" checked>'
    ) in tags
    assert [i.id_for_label for _o, i in single.option_inputs()] == [
        f"{single.name}-{o}" for o in options(questions["single"])
    ]

    multiple = fields[questions["multiple"].pk]
    checked = [o.pk for o, i in multiple.option_inputs() if "checked" in str(i.tag())]
    assert checked == answers[questions["multiple"].pk]
    assert 'type="checkbox"' in str(multiple.option_inputs()[0][1].tag())

    scale = fields[questions["scale"].pk]
    assert scale.error == "Bitte wählen Sie einen Wert von 1 bis 5."
    assert [i.id_for_label for _v, i in scale.scale_inputs()] == [
        f"{scale.name}-v{v}" for v in range(1, 6)
    ]
    assert scale.first_id == f"{scale.name}-v1"
    assert not any("checked" in str(i.tag()) for _v, i in scale.scale_inputs())

    ranking = fields[questions["ranking"].pk]
    ranked = answers[questions["ranking"].pk]
    for option, select in ranking.ranking_rows():
        place = ranked.index(option.pk) + 1
        assert f'id="{ranking.name}-{option.pk}"' in select
        assert f'<option value="{place}" selected>Platz {place}</option>' in select
        assert '<option value="">Platz wählen</option>' in select

    text = fields[questions["short_text"].pk]
    html = str(text.widget())
    assert 'value="Mehr Bänke"' in html and 'maxlength="50"' in html
    assert f'aria-describedby="{text.hint_id}"' in html and "aria-invalid" not in html
    assert "required" not in html  # novalidate: the server checks

    district = fields[questions["district"].pk]
    html = str(district.widget())
    assert f'<option value="{region["west"].pk}" selected>West</option>' in html
    assert '<option value="">Bitte wählen</option>' in html  # not "selected": nothing else is
    assert (
        f'<select name="{district.name}" class="kern-form-input__select" id="{district.name}">'
        in html
    )


def test_an_error_describes_the_input(questions, region, district_ids):
    data = post_data(questions, full_answers(questions, region["west"]))
    data[questions["short_text"].field_name()] = "x" * 51
    form = bound(questions, data, district_ids)
    text = next(f for f in form.question_fields() if f.question == questions["short_text"])
    html = str(text.widget())
    assert f'aria-describedby="{text.hint_id} {text.error_id}"' in html
    assert 'aria-invalid="true"' in html
    assert text.first_id == text.name


def test_stored_answers_fill_in_the_form(questions, region):
    answers = full_answers(questions, region["west"])
    form = QuestionnaireForm(
        list(questions.values()), answers=answers, districts=[region["east"], region["west"]]
    )
    fields = {f.question.pk: f for f in form.question_fields()}
    multiple = fields[questions["multiple"].pk]
    assert [o.pk for o, i in multiple.option_inputs() if "checked" in str(i.tag())] == answers[
        questions["multiple"].pk
    ]
    scale = fields[questions["scale"].pk]
    assert [v for v, i in scale.scale_inputs() if "checked" in str(i.tag())] == [4]
    ranking = fields[questions["ranking"].pk]
    for option, select in ranking.ranking_rows():
        place = answers[questions["ranking"].pk].index(option.pk) + 1
        assert f'<option value="{place}" selected>' in select
    assert "Der Marktplatz braucht Schatten." in str(fields[questions["long_text"].pk].widget())
    district = str(fields[questions["district"].pk].widget())
    assert f'<option value="{region["west"].pk}" selected>West</option>' in district
    assert district.index("Ost") < district.index("West")  # in the order given


def test_a_question_without_options_still_renders(db):
    poll = PollFactory()
    empty = question(poll, QuestionKind.SINGLE)
    field = QuestionnaireForm([empty]).question_fields()[0]
    assert field.option_inputs() == [] and field.first_id == field.name
