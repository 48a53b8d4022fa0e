import factory

from mitmachen.polls.models import Option, Poll, Question, QuestionKind
from mitmachen.polls.services import ensure_preset_options
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory


class PollFactory(factory.django.DjangoModelFactory):
    """A published poll in a running phase that allows answering."""

    class Meta:
        model = Poll

    project = factory.SubFactory(ProjectFactory)
    phase = factory.LazyAttribute(lambda o: PhaseFactory(project=o.project, actions=["answer"]))
    title = factory.Sequence(lambda n: f"Umfrage {n}")
    is_published = True


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    poll = factory.SubFactory(PollFactory)
    kind = QuestionKind.SINGLE
    text = factory.Sequence(lambda n: f"Frage {n}?")
    position = factory.Sequence(lambda n: n)


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    question = factory.SubFactory(QuestionFactory)
    label = factory.Sequence(lambda n: f"Antwort {n}")
    position = factory.Sequence(lambda n: n)


def question(poll, kind, *, options=0, **fields):
    """A question of ``kind`` with ``options`` options (presets for yes/no, age group)."""
    made = QuestionFactory(poll=poll, kind=kind, **fields)
    for i in range(options):
        OptionFactory(question=made, label=f"{made.text} – Option {i + 1}", position=i)
    ensure_preset_options(made)
    return made


def every_kind(poll, *, required=True):
    """One question of every kind, in order; returns them by kind."""
    return {
        "single": question(poll, QuestionKind.SINGLE, options=3, required=required),
        "multiple": question(
            poll, QuestionKind.MULTIPLE, options=4, min_choices=1, max_choices=2, required=required
        ),
        "yes_no": question(poll, QuestionKind.YES_NO, required=required),
        "scale": question(
            poll,
            QuestionKind.SCALE,
            scale_min=1,
            scale_max=5,
            scale_min_label="unwichtig",
            scale_max_label="sehr wichtig",
            required=required,
        ),
        "ranking": question(poll, QuestionKind.RANKING, options=3, required=required),
        "short_text": question(poll, QuestionKind.SHORT_TEXT, max_length=50, required=False),
        "long_text": question(poll, QuestionKind.LONG_TEXT, required=False),
        "district": question(poll, QuestionKind.DISTRICT, required=False),
        "age_group": question(poll, QuestionKind.AGE_GROUP, required=False),
    }


def options(q):
    return [o.pk for o in q.options.all().order_by("position", "pk")]


def full_answers(questions, district):
    """Valid answers to every question of ``every_kind``."""
    q = questions
    return {
        q["single"].pk: options(q["single"])[1],
        q["multiple"].pk: options(q["multiple"])[:2],
        q["yes_no"].pk: options(q["yes_no"])[0],
        q["scale"].pk: 4,
        q["ranking"].pk: list(reversed(options(q["ranking"]))),
        q["short_text"].pk: "Mehr Bänke",
        q["long_text"].pk: "Der Marktplatz braucht Schatten.",
        q["district"].pk: district.pk,
        q["age_group"].pk: options(q["age_group"])[4],
    }


def post_data(questions, answers):
    """The form fields a browser would send for ``answers``."""
    data = {}
    for q in questions.values():
        value = answers.get(q.pk)
        name = q.field_name()
        if value is None or value == "" or value == []:
            continue
        if q.kind == QuestionKind.RANKING:
            for place, oid in enumerate(value, start=1):
                data[f"{name}-{oid}"] = str(place)
        elif isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value)
    return data
