"""Climate and environmental data (Klimawerkstatt): indicators, their values, targets.

An indicator belongs to a municipality (the one that maintains it); its values are a
time series. Values are stored one row each, with the indexes the pages read by, and
pages read them aggregated in SQL (``climate.selectors``), never row by row: an
indicator may hold 200,000 values.
"""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import Resolver404, resolve, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from mitmachen.accounts.models import public_name
from mitmachen.core.models import ModeratedModel, TimeStampedModel
from mitmachen.core.uploads import RandomName
from mitmachen.organisations.models import District, Organisation


class Topic(models.TextChoices):
    ENERGY = "energie", _("Energie")
    TRANSPORT = "verkehr", _("Verkehr")
    BUILDINGS = "gebaeude", _("Gebäude")
    WEATHER = "klima-wetter", _("Klima & Wetter")
    NATURE = "natur", _("Natur")
    WATER = "wasser", _("Wasser")
    AIR = "luft", _("Luft")


class SpatialLevel(models.TextChoices):
    REGION = "region", _("Region")
    MUNICIPALITY = "kommune", _("Kommune")
    DISTRICT = "ortsteil", _("Ortsteil")
    POINT = "punkt", _("Messpunkt")


class Resolution(models.TextChoices):
    """How long the period of one value is; a value's ``date`` is the period's first day.

    Values of an hourly indicator also have ``Value.at``, the instant their hour begins
    (a full hour; its ``date`` is that instant's day in Europe/Berlin)."""

    HOUR = "stunde", _("Stunde")
    DAY = "tag", _("Tag")
    MONTH = "monat", _("Monat")
    YEAR = "jahr", _("Jahr")


class Aggregation(models.TextChoices):
    """How values are combined into one (a year, or several Ortsteile on one date)."""

    SUM = "summe", _("Summe (z. B. Emissionen, Niederschlag, Anzahl)")
    MEAN = "mittel", _("Mittelwert (z. B. Temperatur)")


class Direction(models.TextChoices):
    """Which way is better for the indicator, for the words on the page."""

    NEUTRAL = "neutral", _("weder noch (z. B. Niederschlag)")
    LOWER = "weniger", _("weniger ist besser (z. B. CO₂)")
    HIGHER = "mehr", _("mehr ist besser (z. B. Photovoltaik)")


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def published(self) -> IndicatorQuerySet:
        return self.filter(is_published=True)


class Indicator(TimeStampedModel):
    """A measured or counted quantity a municipality publishes as a time series.

    ``title`` and ``explanation`` are plain German for residents; ``source``,
    ``source_url`` and ``licence`` say where the numbers come from and how they may be
    reused. ``is_example_data`` marks invented numbers (the demo): every page and
    download that shows them says "Beispieldaten".
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Kommune"),
        on_delete=models.CASCADE,
        related_name="climate_indicators",
    )
    slug = models.SlugField(_("Kurzbezeichnung in der Adresse"), max_length=80)
    title = models.CharField(_("Titel"), max_length=160)
    explanation = models.TextField(
        _("Was bedeutet das?"),
        help_text=_("In einfachen Worten: was die Zahl misst und warum sie wichtig ist."),
    )
    unit = models.CharField(_("Einheit"), max_length=30, help_text=_("z. B. t CO₂, °C, mm"))
    topic = models.CharField(_("Thema"), max_length=20, choices=Topic.choices)
    spatial_level = models.CharField(
        _("Räumliche Ebene"), max_length=20, choices=SpatialLevel.choices
    )
    resolution = models.CharField(
        _("Zeitliche Auflösung"), max_length=10, choices=Resolution.choices
    )
    aggregation = models.CharField(
        _("Zusammenfassen als"), max_length=10, choices=Aggregation.choices
    )
    direction = models.CharField(
        _("Richtung"), max_length=10, choices=Direction.choices, default=Direction.NEUTRAL
    )
    source = models.CharField(_("Quelle"), max_length=200)
    source_url = models.URLField(_("Link zur Quelle"), blank=True)
    licence = models.CharField(
        _("Lizenz"), max_length=100, help_text=_("z. B. dl-de/by-2-0 oder CC BY 4.0")
    )
    update_rhythm = models.CharField(
        _("Aktualisierung"), max_length=100, help_text=_("z. B. jährlich im Herbst")
    )
    responsible_body = models.CharField(_("Zuständige Stelle"), max_length=200)
    is_example_data = models.BooleanField(
        _("Beispieldaten"),
        default=False,
        help_text=_("Die Werte sind erfunden (z. B. für die Demo); jede Seite sagt das."),
    )
    is_published = models.BooleanField(_("veröffentlicht"), default=True)
    station_lon = models.FloatField(
        _("Längengrad des Messpunkts"),
        null=True,
        blank=True,
        help_text=_("Nur bei der Ebene „Messpunkt“: wo gemessen wird (WGS84, z. B. 12.5903)."),
    )
    station_lat = models.FloatField(
        _("Breitengrad des Messpunkts"),
        null=True,
        blank=True,
        help_text=_("Nur bei der Ebene „Messpunkt“ (WGS84, z. B. 52.1416)."),
    )
    campaign = models.OneToOneField(
        "Campaign",
        verbose_name=_("gezählt aus der Mitmach-Kampagne"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicator",
        editable=False,
        help_text=_("Die Werte sind die Beobachtungen der Kampagne je Ortsteil und Monat."),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["organisation", "topic", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="climate_indicator_slug_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "climate:indicator",
            kwargs={"slug": self.organisation.slug, "indicator": self.slug},
        )

    def clean(self) -> None:
        super().clean()
        if self.pk is not None:
            # Hourly values carry their hour (``Value.at``), others do not: the values
            # would no longer fit the indicator.
            before = Indicator.objects.filter(pk=self.pk).values_list("resolution", flat=True)
            was = next(iter(before), self.resolution)
            hour = Resolution.HOUR
            if (was == hour) != (self.resolution == hour) and self.values.exists():
                raise ValidationError(
                    {
                        "resolution": _(
                            "Die Auflösung „Stunde“ lässt sich nicht ändern, solange der "
                            "Indikator Werte hat: Stundenwerte haben eine Uhrzeit, andere nicht."
                        )
                    }
                )
        lon, lat = self.station_lon, self.station_lat
        if (lon is None) != (lat is None):
            raise ValidationError(
                _("Bitte geben Sie Längen- und Breitengrad des Messpunkts an (oder keinen).")
            )
        if lon is not None and lat is not None:
            if self.spatial_level != SpatialLevel.POINT:
                raise ValidationError(
                    {"station_lon": _("Einen Messpunkt gibt es nur bei der Ebene „Messpunkt“.")}
                )
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise ValidationError(
                    _(
                        "Der Messpunkt liegt außerhalb von WGS84 "
                        "(Länge −180 bis 180, Breite −90 bis 90)."
                    )
                )

    @property
    def is_spatial(self) -> bool:
        """Whether a GeoJSON download exists: values per Ortsteil (their areas) or a
        measuring point with its location."""
        return self.spatial_level == SpatialLevel.DISTRICT or (
            self.spatial_level == SpatialLevel.POINT and self.station_lon is not None
        )


class Value(models.Model):
    """One value of an indicator: for the period starting on ``date`` (its length is the
    indicator's resolution), for the whole municipality or one Ortsteil (``district``),
    optionally for a ``category`` (e.g. a sector of CO₂ emissions).

    At most one value per indicator, place, category and date – or, for hourly values,
    per instant ``at`` (stored in UTC, so the two 2:00 hours of the last Sunday in
    October stay apart) – four partial constraints, because a missing Ortsteil or time
    is NULL and NULLs are distinct in a unique index; the importers replace the values
    of the period they bring.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("Indikator"), on_delete=models.CASCADE, related_name="values"
    )
    date = models.DateField(_("Datum (Beginn des Zeitraums)"))
    at = models.DateTimeField(
        _("Uhrzeit (Beginn der Stunde)"),
        null=True,
        blank=True,
        help_text=_("Nur bei Stundenwerten: der Zeitpunkt, an dem die Stunde beginnt."),
    )
    value = models.FloatField(_("Wert"))
    district = models.ForeignKey(
        District,
        verbose_name=_("Ortsteil"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.CharField(_("Kategorie"), max_length=60, blank=True, default="")
    note = models.CharField(_("Hinweis"), max_length=120, blank=True, default="")
    # The point a value was measured or counted at, where the file gave one (a GeoJSON
    # Point feature; its Ortsteil is the one it lies in): WGS84, as in the file.
    lon = models.FloatField(_("Längengrad"), null=True, blank=True)
    lat = models.FloatField(_("Breitengrad"), null=True, blank=True)

    class Meta:
        verbose_name = _("Wert")
        verbose_name_plural = _("Werte")
        ordering = ["indicator", "date"]
        indexes = [models.Index(fields=["indicator", "date"], name="climate_value_series")]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "category", "date"],
                condition=Q(district__isnull=True, at__isnull=True),
                name="climate_value_once",
            ),
            models.UniqueConstraint(
                fields=["indicator", "district", "category", "date"],
                condition=Q(district__isnull=False, at__isnull=True),
                name="climate_value_once_per_district",
            ),
            # Hourly values: once per instant (a day has 23, 24 or 25 hours in Berlin).
            models.UniqueConstraint(
                fields=["indicator", "category", "at"],
                condition=Q(district__isnull=True, at__isnull=False),
                name="climate_value_once_an_hour",
            ),
            models.UniqueConstraint(
                fields=["indicator", "district", "category", "at"],
                condition=Q(district__isnull=False, at__isnull=False),
                name="climate_value_once_an_hour_per_district",
            ),
            models.CheckConstraint(
                condition=Q(lon__isnull=True, lat__isnull=True)
                | Q(lon__isnull=False, lat__isnull=False),
                name="climate_value_point_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at or self.date}: {self.value}"


def site_path(url: str) -> str | None:
    """``url`` as a path of a page of this site (with its query and #anchor), or None.

    Accepts a path ("/projekte/…/") or a full address on this site's own host
    (``settings.SITE_URL``); refuses other hosts, other schemes, control characters
    and paths no page of the site answers to (a typo).
    """
    if len(url) > 300 or any(unicodedata.category(char).startswith("C") for char in url):
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        own = urlsplit(settings.SITE_URL)
        if (parts.scheme, parts.netloc.lower()) != (own.scheme, own.netloc.lower()):
            return None
    if not parts.path.startswith("/") or parts.path.startswith(("//", "/\\")):
        return None
    try:
        resolve(parts.path)
    except Resolver404:
        return None
    return urlunsplit(("", "", parts.path, parts.query, parts.fragment))


class Target(TimeStampedModel):
    """A target of the climate agenda for an indicator: from ``baseline_value`` in
    ``baseline_year`` to ``target_value`` in ``target_year``, on a straight path.

    The indicator page draws the path over the actual yearly values and says in words
    whether the latest year lies on the right side of it. ``agenda_url`` links the
    place in the agenda's text that sets the target (a page of this site, typically a
    paragraph of the Klimaschutzagenda draft; the climate module imports no texts module).
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("Indikator"), on_delete=models.CASCADE, related_name="targets"
    )
    title = models.CharField(_("Ziel"), max_length=200)
    baseline_year = models.PositiveSmallIntegerField(_("Basisjahr"))
    baseline_value = models.FloatField(_("Wert im Basisjahr"))
    target_year = models.PositiveSmallIntegerField(_("Zieljahr"))
    target_value = models.FloatField(_("Zielwert"))
    agenda_url = models.CharField(
        _("Stelle im Text der Klimaschutzagenda"),
        max_length=300,
        blank=True,
        help_text=_(
            "Adresse einer Seite dieser Website, z. B. der Absatz des Agenda-Texts: "
            "/projekte/…/texte/…/absatz/…/ (auch mit #Anker oder als volle Adresse "
            "dieser Website)."
        ),
    )
    agenda_label = models.CharField(
        _("Bezeichnung der Stelle"),
        max_length=200,
        blank=True,
        help_text=_("Der Text des Links, z. B. Klimaschutzagenda, Kapitel Energie"),
    )

    class Meta:
        verbose_name = _("Zielwert")
        verbose_name_plural = _("Zielwerte")
        ordering = ["indicator", "target_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_year__gt=models.F("baseline_year")),
                name="climate_target_after_baseline",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.baseline_year and self.target_year and self.target_year <= self.baseline_year:
            errors["target_year"] = _("Das Zieljahr muss nach dem Basisjahr liegen.")
        self.agenda_url = self.agenda_url.strip()
        self.agenda_label = self.agenda_label.strip()
        if self.agenda_url:
            path = site_path(self.agenda_url)
            if path is None:
                errors["agenda_url"] = _(
                    "Bitte geben Sie die Adresse einer Seite dieser Website an, "
                    "z. B. /projekte/klimawerkstatt/texte/klimaschutzagenda/."
                )
            else:
                self.agenda_url = path
        if bool(self.agenda_url) != bool(self.agenda_label):
            errors["agenda_label" if self.agenda_url else "agenda_url"] = _(
                "Bitte geben Sie Adresse und Bezeichnung der Stelle an (oder keins von beiden)."
            )
        if errors:
            raise ValidationError(errors)

    def path_value(self, year: float) -> float:
        """The value the straight path from baseline to target has in ``year``."""
        share = (year - self.baseline_year) / (self.target_year - self.baseline_year)
        return self.baseline_value + share * (self.target_value - self.baseline_value)


class Population(TimeStampedModel):
    """The number of inhabitants of a municipality in a year, with its source: what the
    comparison of municipalities divides absolute amounts (sums) by ("je Einwohner/in").

    Kept by the climate module (not by the organisations app), as data like the
    indicators: staff enter it in the admin with where it comes from.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Kommune"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("Jahr"), help_text=_("Stand: 31. Dezember"))
    inhabitants = models.PositiveIntegerField(_("Einwohnerinnen und Einwohner"))
    source = models.CharField(
        _("Quelle"),
        max_length=200,
        help_text=_("z. B. Amt für Statistik Berlin-Brandenburg, Bevölkerungsstand"),
    )
    source_url = models.URLField(_("Link zur Quelle"), blank=True)
    is_example_data = models.BooleanField(
        _("Beispieldaten"),
        default=False,
        help_text=_(
            "Die Zahl ist erfunden oder gerundet (z. B. für die Demo); die Seite sagt das."
        ),
    )

    class Meta:
        verbose_name = _("Einwohnerzahl")
        verbose_name_plural = _("Einwohnerzahlen")
        ordering = ["organisation", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="climate_population_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(inhabitants__gt=0), name="climate_population_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}: {self.inhabitants}"

    def clean(self) -> None:
        super().clean()
        if self.inhabitants is not None and self.inhabitants <= 0:
            raise ValidationError(
                {"inhabitants": _("Die Einwohnerzahl muss größer als null sein.")}
            )
        if self.year is not None and not 1800 <= self.year <= 2200:
            raise ValidationError({"year": _("Bitte geben Sie ein Jahr wie 2024 an.")})


class ImportKind(models.TextChoices):
    CSV = "csv", _("CSV mit Spaltenzuordnung")
    XLSX = "xlsx", _("Excel (.xlsx) mit Spaltenzuordnung")
    GEOJSON = "geojson", _("GeoJSON mit Punkten oder Flächen (Eigenschaften wie Spalten)")
    DWD = "dwd", _("DWD-Tageswerte (produkt_klima_tag_….txt)")


class ImportState(models.TextChoices):
    PREVIEWED = "vorschau", _("Vorschau")
    QUEUED = "wartet", _("wartet auf den Import im Hintergrund")
    RUNNING = "laeuft", _("wird importiert")
    DONE = "fertig", _("importiert")
    FAILED = "fehler", _("nicht importiert")


class PendingImport(models.Model):
    """An uploaded file between its preview and the staff member's confirmation, and,
    for big files, while a background task imports it (``state``, ``message``).

    Kept in the database (not on one server's disk) so the confirmation and the task
    may run on any server; deleted when imported in the request, discarded, or a day old.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("Indikator"), on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hochgeladen von"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    file_name = models.CharField(_("Dateiname"), max_length=200)
    kind = models.CharField(_("Format"), max_length=10, choices=ImportKind.choices)
    options = models.JSONField(_("Spaltenzuordnung"), default=dict)
    data = models.BinaryField(_("Inhalt"))
    state = models.CharField(
        _("Stand"), max_length=10, choices=ImportState.choices, default=ImportState.PREVIEWED
    )
    message = models.TextField(_("Ergebnis"), blank=True)
    created_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Import in Vorbereitung")
        verbose_name_plural = _("Importe in Vorbereitung")

    def __str__(self) -> str:
        return self.file_name


class MonthSummary(models.Model):
    """Per indicator and month: sum, count, lowest and highest value, first and last date.

    Rewritten for the indicator by every import, in its transaction
    (``services.summaries_refresh``): pages read these few hundred rows – span, years,
    long series – instead of aggregating up to hundreds of thousands of values.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("Indikator"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("Monat"))
    total = models.FloatField(_("Summe"))
    count = models.PositiveIntegerField(_("Anzahl"))
    minimum = models.FloatField(_("kleinster Wert"))
    maximum = models.FloatField(_("größter Wert"))
    first = models.DateField(_("erster Tag mit Wert"))
    last = models.DateField(_("letzter Tag mit Wert"))

    class Meta:
        verbose_name = _("Monatsübersicht")
        verbose_name_plural = _("Monatsübersichten")
        ordering = ["indicator", "month"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "month"], name="climate_month_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.month:%Y-%m}"


class ValueKind(models.TextChoices):
    """What residents answer in a campaign of "Mitmach-Daten"."""

    NUMBER = "zahl", _("Zahl mit Einheit")
    CHOICE = "auswahl", _("Auswahl aus einer Liste")
    YES_NO = "janein", _("Ja oder nein")


class Campaign(TimeStampedModel):
    """A campaign of residents' own observations ("Mitmach-Daten"), e.g. "Hitzeorte
    melden": a question, the kind of answer, whether a photo may come with it, and the
    days it runs. It belongs to a project of the municipality (who may see and take part
    follows the project; moderation hides observations per project)."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("Projekt"),
        on_delete=models.CASCADE,
        related_name="climate_campaigns",
    )
    title = models.CharField(_("Titel"), max_length=160, help_text=_("z. B. Hitzeorte melden"))
    question = models.CharField(
        _("Frage"), max_length=300, help_text=_("z. B. Wie heiß ist es hier am Nachmittag?")
    )
    description = models.TextField(
        _("Worum geht es?"),
        help_text=_("In einfachen Worten: was gesammelt wird und was damit geschieht."),
    )
    value_kind = models.CharField(_("Art der Antwort"), max_length=10, choices=ValueKind.choices)
    unit = models.CharField(
        _("Einheit"), max_length=30, blank=True, help_text=_("Nur bei Zahlen, z. B. °C oder cm")
    )
    choices = models.TextField(
        _("Auswahl"),
        blank=True,
        help_text=_("Nur bei einer Auswahl: eine Möglichkeit je Zeile, mindestens zwei."),
    )
    photo_allowed = models.BooleanField(_("Foto erlaubt"), default=True)
    starts_on = models.DateField(_("läuft vom"))
    ends_on = models.DateField(_("läuft bis"))
    is_example_data = models.BooleanField(
        _("Beispieldaten"),
        default=False,
        help_text=_("Die Beobachtungen sind erfunden (z. B. für die Demo); die Seite sagt das."),
    )

    class Meta:
        verbose_name = _("Mitmach-Kampagne")
        verbose_name_plural = _("Mitmach-Kampagnen")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="climate_campaign_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "climate:campaign",
            kwargs={"slug": self.project.organisation.slug, "pk": self.pk},
        )

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("Das Ende darf nicht vor dem Beginn liegen.")
        if self.value_kind == ValueKind.NUMBER and not self.unit.strip():
            errors["unit"] = _("Bitte geben Sie die Einheit der Zahl an.")
        if self.value_kind != ValueKind.NUMBER and self.unit.strip():
            errors["unit"] = _("Eine Einheit gibt es nur bei Zahlen.")
        listed = self.choice_list()
        if self.value_kind == ValueKind.CHOICE:
            if len(listed) < 2:
                errors["choices"] = _("Bitte nennen Sie mindestens zwei Möglichkeiten.")
            elif len(set(listed)) != len(listed):
                errors["choices"] = _("Jede Möglichkeit darf nur einmal vorkommen.")
            elif any(len(c) > 100 for c in listed):
                errors["choices"] = _("Eine Möglichkeit hat höchstens 100 Zeichen.")
        elif listed:
            errors["choices"] = _("Eine Auswahl gibt es nur bei der Art „Auswahl“.")
        if errors:
            raise ValidationError(errors)

    def is_running(self, today: Any) -> bool:
        return self.starts_on <= today <= self.ends_on


class ObservationQuerySet(models.QuerySet["Observation"]):
    def not_hidden(self) -> ObservationQuerySet:
        return self.filter(hidden_at__isnull=True)


class Observation(ModeratedModel, TimeStampedModel):
    """A resident's observation in a campaign: the day, the place (a map point inside
    the municipality, or – without the map – the Ortsteil and a description), the
    answer, and optionally a photo (stored without EXIF) with its alternative text.

    One per person, place and day (``place_key``: the point rounded to about 100 m, or
    the Ortsteil), a database constraint. ``project`` is the campaign's, for moderation.
    """

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("Kampagne"),
        on_delete=models.CASCADE,
        related_name="observations",
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("Projekt"), on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gemeldet von"),
        on_delete=models.CASCADE,
        related_name="climate_observations",
    )
    observed_on = models.DateField(_("Tag der Beobachtung"))
    lon = models.FloatField(_("Längengrad"), null=True, blank=True)
    lat = models.FloatField(_("Breitengrad"), null=True, blank=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("Ortsteil"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    place_description = models.CharField(_("Ort (Beschreibung)"), max_length=200, blank=True)
    place_key = models.CharField(_("Ort (Schlüssel)"), max_length=60, editable=False)
    number_value = models.FloatField(_("Zahl"), null=True, blank=True)
    choice_value = models.CharField(_("Auswahl"), max_length=100, blank=True)
    yes_no = models.BooleanField(_("Ja oder nein"), null=True, blank=True)
    photo = models.ImageField(
        _("Foto"), upload_to=RandomName("climate/observations/%Y/%m/"), blank=True
    )
    photo_alt = models.CharField(_("Was ist auf dem Foto zu sehen?"), max_length=250, blank=True)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beobachtung")
        verbose_name_plural = _("Beobachtungen")
        ordering = ["campaign", "-observed_on", "-pk"]
        indexes = [models.Index(fields=["campaign", "observed_on"], name="climate_observation_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "author", "place_key", "observed_on"],
                name="climate_observation_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.observed_on}"

    def get_absolute_url(self) -> str:
        return reverse(
            "climate:observation",
            kwargs={"slug": self.project.organisation.slug, "pk": self.pk},
        )

    @property
    def public_author(self) -> str:
        return public_name(self.author)

    def answer(self) -> str:
        """The answer as the pages show it (German)."""
        if self.number_value is not None:
            return f"{number_format(self.number_value, use_l10n=True)} {self.campaign.unit}"
        if self.yes_no is not None:
            return str(_("ja") if self.yes_no else _("nein"))
        return self.choice_value


@receiver(post_delete, sender=Observation)
def _delete_photo(sender: Any, instance: Observation, **kwargs: Any) -> None:
    """The photo file goes with its observation (also in a cascade: a deleted account),
    once the transaction has committed."""
    if instance.photo and instance.photo.name:
        name, storage = str(instance.photo.name), instance.photo.storage
        transaction.on_commit(lambda: storage.delete(name))
