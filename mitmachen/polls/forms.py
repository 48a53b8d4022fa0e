"""Forms of the polls app.

``QuestionnaireForm`` is built from a poll's questions: one field per question, named
``frage-<id>``, whose widget fits the kind (radio buttons, check boxes, a select per
ranked option, a text field, a select of Ortsteile). Each field reads what a browser
sends (``to_python``: a number, a list of numbers, places, a text) and checks it with
``answers.answer_error`` – the check the services run again before they store
anything – so one round trip shows every problem with its German message.

The templates write the KERN markup (fieldset, legend, hint, error) around the inputs
that the widgets render; ``QuestionnaireForm.question_fields`` hands them each
question with its bound field. Inputs have stable ids – ``frage-<id>`` for a text or
select, ``frage-<id>-<option id>`` for an option or a ranked option,
``frage-<id>-v<value>`` for a scale value – which the labels and the error summary
link to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField, BoundWidget
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from mitmachen.core.channels import Channel
from mitmachen.core.forms import EventChoices, EventFieldMixin
from mitmachen.core.paper import PAPER_PLACE_MAX_LENGTH
from mitmachen.polls.answers import (
    AnswerData,
    answer_error,
    is_blank,
    place_twice,
    wrong_option,
)
from mitmachen.polls.models import Question, QuestionKind

# --- widgets ---------------------------------------------------------------------------


class _IdByValue(forms.widgets.ChoiceWidget):
    """Choice inputs whose id is ``<field id>-<prefix><value>``, not Django's index:
    labels and the error summary's links must find the same input whatever the order."""

    id_prefix = ""

    def create_option(
        self,
        name: str,
        value: Any,
        label: Any,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(
            name, value, label, selected, index, subindex=subindex, attrs=attrs
        )
        if attrs and attrs.get("id"):
            option["attrs"]["id"] = f"{attrs['id']}-{self.id_prefix}{value}"
        return option


class OptionRadios(_IdByValue, forms.RadioSelect):
    def __init__(self, choices: Iterable[tuple[Any, Any]] = ()) -> None:
        super().__init__(attrs={"class": "kern-form-check__radio"}, choices=choices)


class OptionCheckboxes(_IdByValue, forms.CheckboxSelectMultiple):
    def __init__(self, choices: Iterable[tuple[Any, Any]] = ()) -> None:
        super().__init__(attrs={"class": "kern-form-check__checkbox"}, choices=choices)


class ScaleRadios(OptionRadios):
    id_prefix = "v"


class KernSelect(forms.Select):
    """A select with the KERN class whose empty first option ("Bitte wählen") is not
    marked ``selected``: the browser shows it anyway while nothing else is chosen."""

    def __init__(self, choices: Any = ()) -> None:
        super().__init__(attrs={"class": "kern-form-input__select"}, choices=choices)

    def format_value(self, value: Any) -> list[str]:
        return [v for v in super().format_value(value) if v != ""]


class RankingWidget(forms.Widget):
    """One select of places (1 to n) per option, named ``<name>-<option id>``.

    Its value is ``{option id: place as sent}`` (``None`` where nothing was sent).
    """

    def __init__(self, option_ids: list[int]) -> None:
        super().__init__()
        self.option_ids = option_ids

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[int, Any]:
        return {pk: data.get(f"{name}-{pk}") for pk in self.option_ids}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{pk}" in data for pk in self.option_ids)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}-{self.option_ids[0]}" if id_ and self.option_ids else id_

    def select(self, name: str, option_id: int, place: Any, renderer: Any = None) -> SafeString:
        """The select of one option; ``place`` as sent or stored (selected if it is one)."""
        places = range(1, len(self.option_ids) + 1)
        choices: list[tuple[Any, str]] = [("", gettext("Platz wählen"))]
        choices += [(n, gettext("Platz %(n)s") % {"n": n}) for n in places]
        return KernSelect(choices).render(
            f"{name}-{option_id}", place, attrs={"id": f"{name}-{option_id}"}, renderer=renderer
        )

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        value = value or {}
        return format_html_join(
            "\n",
            "{}",
            ((self.select(name, pk, value.get(pk), renderer),) for pk in self.option_ids),
        )


# --- fields: one per kind of question ---------------------------------------------------


def _int_or_none(value: Any) -> int | str | None:
    """An int, None for empty, or the raw string when it is not a number (an error)."""
    if value is None or str(value).strip() == "":
        return None
    try:
        return int(value)
    except ValueError:
        return str(value)


class AnswerField(forms.Field):
    """The answer to one question, checked like the services check it.

    ``to_python`` of each kind reads the sent value into the shape ``answers`` works
    with; ``validate`` asks ``answers.answer_error``. ``required`` is the question's
    (paper entry takes questionnaires as they were filled in: nothing is required).
    """

    def __init__(
        self, question: Question, *, required: bool, district_ids: set[int], widget: Any
    ) -> None:
        self.question = question
        self.district_ids = district_ids
        super().__init__(required=required, widget=widget, label=question.text)

    def validate(self, value: Any) -> None:
        message = answer_error(
            self.question, value, district_ids=self.district_ids, enforce_required=self.required
        )
        if message:
            blank = is_blank(self.question, value)
            raise ValidationError(message, code="required" if blank else "invalid")

    def run_validators(self, value: Any) -> None:
        """Everything is checked in ``validate``."""


class ChoiceAnswerField(AnswerField):
    """One option, a scale value or an Ortsteil: a number or nothing."""

    def to_python(self, value: Any) -> int | None:
        number = _int_or_none(value)
        if isinstance(number, str):
            raise ValidationError(wrong_option(), code="invalid")
        return number


class MultipleAnswerField(AnswerField):
    """Several options: a list of numbers."""

    def to_python(self, value: Any) -> list[int]:
        if value is None:
            return []
        values = [_int_or_none(v) for v in (value if isinstance(value, list | tuple) else [value])]
        if any(isinstance(v, str) for v in values):
            raise ValidationError(wrong_option(), code="invalid")
        return [v for v in values if isinstance(v, int)]


class RankingAnswerField(AnswerField):
    """Places per option, read as the option ids in ranked order (all or none)."""

    def prepare_value(self, value: Any) -> Any:
        """Stored answers (ids in ranked order) as the places the selects show."""
        if isinstance(value, list):
            return {pk: place for place, pk in enumerate(value, start=1)}
        return value or {}

    def to_python(self, value: Any) -> list[int]:
        places = {pk: _int_or_none(raw) for pk, raw in (value or {}).items()}
        if any(isinstance(p, str) for p in places.values()):
            raise ValidationError(
                gettext("Bitte wählen Sie für jede Antwort einen Platz aus der Liste."),
                code="invalid",
            )
        given = {pk: p for pk, p in places.items() if p is not None}
        if len(set(given.values())) != len(given):
            raise ValidationError(place_twice(), code="invalid")
        if given and sorted(given.values()) != list(range(1, len(given) + 1)):
            raise ValidationError(
                gettext("Bitte vergeben Sie die Plätze 1 bis %(n)d.") % {"n": len(places)},
                code="invalid",
            )
        return [pk for pk, _place in sorted(given.items(), key=lambda item: item[1])]


class TextAnswerField(AnswerField):
    def to_python(self, value: Any) -> str:
        # Browsers count a line break as one character (maxlength) but send two.
        return ("" if value is None else str(value)).replace("\r\n", "\n").strip()


def _text_widget(question: Question) -> forms.Widget:
    attrs = {"class": "kern-form-input__input", "maxlength": str(question.text_limit())}
    if question.kind == QuestionKind.LONG_TEXT:
        widget = forms.Textarea()
        widget.attrs = {**attrs, "rows": "5"}  # no "cols": the field is as wide as the page
        return widget
    return forms.TextInput(attrs=attrs)


def answer_field(
    question: Question, *, required: bool, districts: Iterable[Any], district_ids: set[int]
) -> AnswerField:
    """The form field for ``question``, with the widget that fits its kind."""
    kind = question.kind
    options = [(o.pk, o.label) for o in question.options.all()] if question.has_options else []
    args: dict[str, Any] = {"required": required, "district_ids": district_ids}
    if kind == QuestionKind.MULTIPLE:
        return MultipleAnswerField(question, widget=OptionCheckboxes(options), **args)
    if kind == QuestionKind.RANKING:
        return RankingAnswerField(
            question, widget=RankingWidget([pk for pk, _l in options]), **args
        )
    if question.is_text:
        return TextAnswerField(question, widget=_text_widget(question), **args)
    if kind == QuestionKind.SCALE:
        widget: forms.Widget = ScaleRadios([(v, str(v)) for v in question.scale_values()])
    elif kind == QuestionKind.DISTRICT:
        widget = KernSelect(
            lambda: [("", gettext("Bitte wählen")), *((d.pk, d.name) for d in districts)]
        )
    else:
        widget = OptionRadios(options)
    return ChoiceAnswerField(question, widget=widget, **args)


# --- the questionnaire ----------------------------------------------------------------------


class QuestionnaireForm(forms.Form):
    """The questions of a poll as a form (online, paper entry and its correction).

    ``answers`` fill in stored answers (changing them, correcting paper). ``districts``
    are the Ortsteile the Ortsteil question offers; ``district_ids`` those it accepts
    (a correction may show a stored Ortsteil that is no longer accepted). A valid
    form's ``answers()`` go to the services, which check them once more and may still
    refuse them (``add_answer_errors``).
    """

    # The form is ``novalidate``: the server checks, and says so in German.
    use_required_attribute = False

    def __init__(
        self,
        questions: list[Question],
        *,
        data: Any = None,
        answers: AnswerData | None = None,
        paper: bool = False,
        districts: Iterable[Any] = (),
        district_ids: set[int] | None = None,
    ) -> None:
        answers = answers or {}
        initial = {q.field_name(): answers.get(q.pk) for q in questions}
        super().__init__(data=data, initial=initial, auto_id="%s")
        self.questions = questions
        self.districts = districts
        for question in questions:
            self.fields[question.field_name()] = answer_field(
                question,
                required=question.required and not paper,
                districts=districts,
                district_ids=district_ids or set(),
            )

    def answers(self) -> AnswerData:
        """The checked answers by question id (for a valid form)."""
        return {q.pk: self.cleaned_data[q.field_name()] for q in self.questions}

    def add_answer_errors(self, by_question: Mapping[int, str]) -> None:
        """What a service refused (``AnswerError.by_question``); key 0 is the whole form's."""
        names = {q.pk: q.field_name() for q in self.questions}
        for pk, message in by_question.items():
            self.add_error(names.get(pk), message)

    def general_errors(self) -> list[str]:
        return [str(e) for e in self.non_field_errors()]

    def question_fields(self, *, checked: bool = True) -> list[QuestionField]:
        """The questions for the templates. ``checked=False``: as entered, without
        checking them (the answers were refused as a whole, e.g. too many at once)."""
        return [
            QuestionField(
                bound=self[q.field_name()],
                number=number,
                error=str((self[q.field_name()].errors or [""])[0]) if checked else "",
            )
            for number, q in enumerate(self.questions, start=1)
        ]


@dataclass
class QuestionField:
    """One question as the questionnaire shows it: its bound field, number and error."""

    bound: BoundField
    number: int
    error: str = ""

    @property
    def question(self) -> Question:
        return cast(AnswerField, self.bound.field).question

    @property
    def name(self) -> str:
        return self.bound.html_name

    @property
    def districts(self) -> Iterable[Any]:
        return cast(QuestionnaireForm, self.bound.form).districts

    @property
    def first_id(self) -> str:
        """The element an error summary link jumps to."""
        q = self.question
        if q.has_options:
            first = next(iter(q.options.all()), None)
            return f"{self.name}-{first.pk}" if first else self.name
        if q.kind == QuestionKind.SCALE:
            return f"{self.name}-v{q.scale_min}"
        return self.name

    @property
    def error_id(self) -> str:
        return f"{self.name}-fehler"

    @property
    def hint_id(self) -> str:
        return f"{self.name}-hinweis"

    def _inputs(self) -> list[BoundWidget]:
        widget = self.bound.field.widget
        renderer = self.bound.form.renderer
        return [
            BoundWidget(widget, data, renderer)
            for data in widget.subwidgets(self.name, self.bound.value(), {"id": self.name})
        ]

    def option_inputs(self) -> list[tuple[Any, BoundWidget]]:
        """Choice questions: each option with its radio button or check box."""
        return list(zip(self.question.options.all(), self._inputs(), strict=True))

    def scale_inputs(self) -> list[tuple[int, BoundWidget]]:
        return list(zip(self.question.scale_values(), self._inputs(), strict=True))

    def ranking_rows(self) -> list[tuple[Any, SafeString]]:
        """Each option with its select of places."""
        places = self.bound.value() or {}
        widget = cast(RankingWidget, self.bound.field.widget)
        return [
            (o, widget.select(self.name, o.pk, places.get(o.pk), self.bound.form.renderer))
            for o in self.question.options.all()
        ]

    def widget(self) -> SafeString:
        """A text field or the select of Ortsteile, described by its hint and error."""
        q = self.question
        described = [self.hint_id] if q.is_text or q.help_text else []
        attrs = {"id": self.name}
        if self.error:
            described.append(self.error_id)
            attrs["aria-invalid"] = "true"
        if described:
            attrs["aria-describedby"] = " ".join(described)
        return self.bound.field.widget.render(
            self.name, self.bound.value(), attrs=attrs, renderer=self.bound.form.renderer
        )

    def choice_hint(self) -> str:
        q = self.question
        if q.kind == QuestionKind.RANKING:
            return str(
                _("Vergeben Sie jeden Platz von 1 bis %(n)d einmal (1 = am wichtigsten).")
                % {"n": len(q.options.all())}
            )
        if q.kind != QuestionKind.MULTIPLE:
            return ""
        return _multiple_hint(q.min_choices, q.max_choices)


def _multiple_hint(least: int | None, most: int | None) -> str:
    """How many answers a multiple-choice question takes, as a hint."""
    if least and most:
        if least == most:
            return ngettext(
                "Bitte wählen Sie genau %(n)d Antwort.",
                "Bitte wählen Sie genau %(n)d Antworten.",
                least,
            ) % {"n": least}
        return str(
            _("Bitte wählen Sie %(min)d bis %(max)d Antworten.") % {"min": least, "max": most}
        )
    if most:
        return ngettext(
            "Sie können bis zu %(n)d Antwort wählen.",
            "Sie können bis zu %(n)d Antworten wählen.",
            most,
        ) % {"n": most}
    if least:
        return ngettext(
            "Bitte wählen Sie mindestens %(n)d Antwort.",
            "Bitte wählen Sie mindestens %(n)d Antworten.",
            least,
        ) % {"n": least}
    return str(_("Sie können mehrere Antworten wählen."))


class BatchForm(EventFieldMixin, forms.Form):
    # "Veranstaltung" (when offered): after the day of collection, which decides its choices.
    event_date_field = "collected_on"
    event_after = "collected_on"

    channel = forms.ChoiceField(
        label=_("Wo wurden die Bögen ausgefüllt?"),
        choices=[("", _("Bitte wählen"))] + [(c.value, c.label) for c in Channel if c != "online"],
        error_messages={
            "required": _("Bitte wählen Sie, wo die Bögen ausgefüllt wurden."),
            "invalid_choice": _("Bitte wählen Sie, wo die Bögen ausgefüllt wurden."),
        },
    )
    place = forms.CharField(
        label=_("Ort oder Anlass"),
        max_length=PAPER_PLACE_MAX_LENGTH,
        required=False,
        help_text=_("z. B. „Marktstand Marktplatz“ oder „Workshop im Rathaus“."),
    )
    collected_on = forms.DateField(
        label=_("gesammelt am"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Bitte geben Sie das Datum an."),
            "invalid": _("Bitte geben Sie ein gültiges Datum an."),
        },
    )

    def __init__(self, *args: Any, events: EventChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collected_on"].initial = timezone.localdate()
        self.offer_events(events)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund"),
        max_length=300,
        help_text=_("z. B. „Tippfehler bei Frage 3“ oder „Bogen doppelt erfasst“."),
        error_messages={"required": _("Bitte geben Sie einen Grund an.")},
    )
