"""Forms of the Bürgerhaushalt. The services validate again and decide."""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from mitmachen.accounts.models import User
from mitmachen.budgets.models import (
    EXPLANATION_MAX_LENGTH,
    MAX_COST,
    TEXT_MAX_LENGTH,
    TIME_FRAME_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Budget,
    BudgetGroup,
    Feasibility,
    Idea,
    ResultRule,
    SelectionRule,
)
from mitmachen.core.forms import EventChoices, EventFieldMixin, MapPointForm, OfflineEntryForm
from mitmachen.core.image_slots import ImageSlotsMixin
from mitmachen.core.paper import PAPER_PLACE_MAX_LENGTH
from mitmachen.organisations.models import District

COST_ERRORS = {
    "required": _("Bitte geben Sie die Kosten in ganzen Euro an."),
    "invalid": _("Bitte geben Sie einen Betrag in ganzen Euro an."),
    "min_value": _("Der Betrag muss mindestens 1 € sein."),
    "max_value": _("Der Betrag ist unrealistisch hoch (höchstens 10.000.000 €)."),
}


def districts_of(budget: Budget) -> Any:
    project = budget.project
    chosen = project.districts.all()
    return chosen if chosen.exists() else District.objects.filter(organisation=project.organisation)


class IdeaForm(ImageSlotsMixin, MapPointForm):
    group = forms.ModelChoiceField(
        label=_("Budgetgruppe"),
        queryset=BudgetGroup.objects.none(),
        empty_label=None,
        help_text=_("Aus welchem Topf soll die Idee bezahlt werden?"),
        error_messages={
            "invalid_choice": _("Bitte wählen Sie eine Gruppe dieses Bürgerhaushalts.")
        },
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": _("Bitte geben Sie Ihrer Idee einen Titel."),
            "max_length": _("Der Titel ist zu lang (höchstens 120 Zeichen)."),
        },
    )
    description = forms.CharField(
        label=_("Beschreibung"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Was soll entstehen, wo, und wem nützt es? Höchstens 5.000 Zeichen."),
        error_messages={
            "required": _("Bitte beschreiben Sie Ihre Idee."),
            "max_length": _("Die Beschreibung ist zu lang (höchstens 5.000 Zeichen)."),
        },
    )
    estimated_cost = forms.IntegerField(
        label=_("Geschätzte Kosten in Euro"),
        min_value=1,
        max_value=MAX_COST,
        help_text=_("Eine grobe Schätzung genügt; die Verwaltung prüft die Kosten."),
        error_messages=COST_ERRORS,
    )
    district = forms.ModelChoiceField(
        label=_("Ortsteil"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("kein bestimmter Ortsteil"),
        error_messages={"invalid_choice": _("Bitte wählen Sie einen Ortsteil aus der Liste.")},
    )

    def __init__(self, *args: Any, budget: Budget, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = budget.groups.all()
        cast(forms.ModelChoiceField, self.fields["district"]).queryset = districts_of(budget)
        self.fields["district"].help_text = _(
            "Wenn Sie einen Punkt auf der Karte setzen, wird der Ortsteil daraus bestimmt."
        )
        # Three image slots, as on proposals.
        self.add_image_fields()

    def text_fields(self) -> list[Any]:
        """The fields before the place and the images (the template draws those apart)."""
        skip = {"district", "lon", "lat"}
        return [f for f in self if f.name not in skip and not f.name.startswith("image_")]

    def service_data(self) -> dict[str, Any]:
        """cleaned_data in the shape ``services.idea_submit`` takes (images grouped)."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("image_")}
        data["images"] = self.image_uploads()
        return data


class OfflineIdeaForm(OfflineEntryForm, IdeaForm):
    """Staff enter an idea handed in at a market stand, in a workshop, by letter …"""

    channel_required = _("Bitte wählen Sie, wo die Idee einging.")
    date_required = _("Bitte geben Sie an, wann die Idee einging.")
    place_required = _("Bitte geben Sie an, wo die Idee abgegeben wurde.")

    field_order = [
        "channel",
        "submitted_on",
        "offline_place",
        "offline_name",
        "offline_consent",
        "group",
        "title",
        "description",
        "estimated_cost",
        "district",
    ]


class ReviewForm(forms.Form):
    feasible = forms.TypedChoiceField(
        label=_("Ergebnis der Prüfung"),
        choices=[("ja", _("machbar")), ("nein", _("nicht machbar"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie machbar oder nicht machbar.")},
    )
    official_cost = forms.IntegerField(
        label=_("Kosten laut Verwaltung in Euro"),
        min_value=1,
        max_value=MAX_COST,
        required=False,
        help_text=_("Pflicht, wenn die Idee machbar ist: mit diesem Betrag steht sie zur Wahl."),
        error_messages=COST_ERRORS,
    )
    time_frame = forms.CharField(
        label=_("Zeitrahmen laut Verwaltung"),
        max_length=TIME_FRAME_MAX_LENGTH,
        required=False,
        help_text=_("Wann die Idee umgesetzt werden könnte, z. B. „2027, 2. Halbjahr“."),
        error_messages={"max_length": _("Der Zeitrahmen ist zu lang (höchstens 200 Zeichen).")},
    )
    explanation = forms.CharField(
        label=_("Öffentliche Begründung"),
        max_length=EXPLANATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Steht für alle sichtbar bei der Idee. Höchstens 3.000 Zeichen."),
        error_messages={
            "required": _("Bitte begründen Sie die Entscheidung öffentlich."),
            "max_length": _("Die Begründung ist zu lang (höchstens 3.000 Zeichen)."),
        },
    )


class ResultRuleForm(forms.Form):
    result_rule = forms.ChoiceField(
        label=_("Verbindliche Auszählungsregel"),
        choices=ResultRule.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Bitte wählen Sie eine Auszählungsregel.")},
    )


class IdeaFilter(django_filters.FilterSet):
    """Ortsteil, review state and group of a budget's ideas (German names in the URL).
    An invalid value fails only its own field."""

    ortsteil = django_filters.ModelChoiceFilter(
        field_name="district",
        label=_("Ortsteil"),
        queryset=District.objects.none(),
        empty_label=_("alle Ortsteile"),
    )
    pruefung = django_filters.ChoiceFilter(
        field_name="feasibility",
        label=_("Prüfung"),
        choices=Feasibility.choices,
        empty_label=_("alle"),
    )
    gruppe = django_filters.ModelChoiceFilter(
        field_name="group",
        label=_("Budgetgruppe"),
        queryset=BudgetGroup.objects.none(),
        empty_label=_("alle Gruppen"),
    )

    class Meta:
        model = Idea
        fields: list[str] = []

    def __init__(
        self, data: Any = None, queryset: Any = None, *, budget: Budget, groups: Any
    ) -> None:
        super().__init__(data, queryset)
        cast(django_filters.ModelChoiceFilter, self.filters["ortsteil"]).queryset = districts_of(
            budget
        )
        cast(django_filters.ModelChoiceFilter, self.filters["gruppe"]).queryset = groups


class PaperBatchForm(EventFieldMixin, forms.Form):
    # "Veranstaltung" (when offered): after the day of collection, which decides its choices.
    event_date_field = "collected_on"
    event_after = "collected_on"

    place = forms.CharField(
        label=_("Ort oder Anlass"),
        max_length=PAPER_PLACE_MAX_LENGTH,
        required=False,
        help_text=_("z. B. „Urne im Rathaus“ oder „Briefwahl“."),
        error_messages={"max_length": _("Der Ort ist zu lang (höchstens 160 Zeichen).")},
    )
    collected_on = forms.DateField(
        label=_("gesammelt am"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Bitte geben Sie an, wann die Stimmzettel gesammelt wurden."),
            "invalid": _("Bitte geben Sie ein gültiges Datum an."),
        },
    )

    def __init__(self, *args: Any, events: EventChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer_events(events)


class PaperBallotsForm(forms.Form):
    lines = forms.CharField(
        label=_("Stimmzettel, einer pro Zeile"),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_(
            "Pro Zeile die Nummern der angekreuzten Ideen, getrennt durch Kommas "
            "(z. B. „12, 15, 31“); „-“ für einen Stimmzettel ohne Kreuz. Gespeichert wird "
            "nur, wenn jede Zeile ein gültiger Stimmzettel ist."
        ),
        error_messages={"required": _("Bitte geben Sie mindestens einen Stimmzettel ein.")},
        strip=False,
    )


class SelectionForm(forms.Form):
    """Which ideas of a group go to the ballot after the phase of supports."""

    rule = forms.ChoiceField(
        label=_("Auf den Stimmzettel kommen"),
        choices=SelectionRule.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Bitte wählen Sie, wie ausgewählt wird."),
            "invalid_choice": _("Bitte wählen Sie, wie ausgewählt wird."),
        },
    )
    value = forms.IntegerField(
        label=_("Anzahl"),
        min_value=1,
        max_value=1_000_000,
        help_text=_(
            "Bei „die meistunterstützten Ideen“: wie viele Ideen. Bei „ab einer Zahl von "
            "Unterstützungen“: wie viele Unterstützungen eine Idee mindestens braucht."
        ),
        error_messages={
            "required": _("Bitte geben Sie eine Zahl an."),
            "invalid": _("Bitte geben Sie eine ganze Zahl an."),
            "min_value": _("Bitte geben Sie eine Zahl ab 1 an."),
            "max_value": _("Die Zahl ist zu groß."),
        },
    )


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund der Korrektur"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Was war falsch? Zum Beispiel „Zeile 12 doppelt erfasst“. Höchstens 1.000 Zeichen; "
            "für die Verwaltung sichtbar und im Ergebnis genannt."
        ),
        error_messages={
            "required": _("Bitte begründen Sie die Korrektur (z. B. welche Zeile falsch war)."),
            "max_length": _("Die Begründung ist zu lang (höchstens 1.000 Zeichen)."),
        },
    )


class AssignForm(forms.Form):
    """Who in the administration reviews an idea: staff of the project's municipality
    (the service accepts only those who may change the project)."""

    reviewer = forms.ModelChoiceField(
        label=_("Zuständig für die Prüfung"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("– noch niemand –"),
        error_messages={"invalid_choice": _("Bitte wählen Sie eine Person aus der Liste.")},
    )

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["reviewer"]).queryset = User.objects.filter(
            memberships__organisation_id=project.organisation_id
        ).order_by("display_name", "email")
