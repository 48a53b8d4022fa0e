"""Every write of climate data: indicators, targets, imports (all or nothing)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any, cast

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape
from shapely.prepared import prep

from mitmachen.climate import importers
from mitmachen.climate.importers import ImportFileError, Mapping, Parsed, RowError
from mitmachen.climate.models import (
    Campaign,
    ImportKind,
    ImportState,
    Indicator,
    MonthSummary,
    Observation,
    PendingImport,
    Population,
    Resolution,
    Target,
    Value,
    ValueKind,
)
from mitmachen.core.permissions import decide
from mitmachen.organisations.models import District, Organisation
from mitmachen.projects.models import Project

INDICATOR_FIELDS = (
    "slug",
    "title",
    "explanation",
    "unit",
    "topic",
    "spatial_level",
    "resolution",
    "aggregation",
    "direction",
    "source",
    "source_url",
    "licence",
    "update_rhythm",
    "responsible_body",
    "is_example_data",
    "is_published",
    "station_lon",
    "station_lat",
)
TARGET_FIELDS = ("title", "baseline_year", "baseline_value", "target_year", "target_value",
                 "agenda_url", "agenda_label")  # fmt: skip
PENDING_FOR = timedelta(days=1)


def _check(user: Any, organisation: Organisation) -> None:
    if user is not None:  # None: the system (demo seed, commands)
        decide(user, "climate.manage_data", organisation).raise_if_refused()


@transaction.atomic
def indicator_save(
    *,
    user: Any,
    organisation: Organisation,
    data: dict[str, Any],
    indicator: Indicator | None = None,
) -> Indicator:
    """Create an indicator of ``organisation`` or change ``indicator`` (same fields)."""
    _check(user, organisation)
    if indicator is None:
        indicator = Indicator(organisation=organisation)
    elif indicator.organisation_id != organisation.pk:
        raise ValidationError(_("Der Indikator gehört zu einer anderen Kommune."))
    for name in INDICATOR_FIELDS:
        if name in data:
            setattr(indicator, name, data[name])
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def target_save(
    *, user: Any, indicator: Indicator, data: dict[str, Any], target: Target | None = None
) -> Target:
    _check(user, indicator.organisation)
    if target is None:
        target = Target(indicator=indicator)
    for name in TARGET_FIELDS:
        if name in data:
            setattr(target, name, data[name])
    target.indicator = indicator
    target.full_clean()
    target.save()
    return target


POPULATION_FIELDS = ("organisation", "year", "inhabitants", "source", "source_url",
                     "is_example_data")  # fmt: skip


@transaction.atomic
def population_save(
    *, user: Any, data: dict[str, Any], population: Population | None = None
) -> Population:
    """Enter or change a municipality's number of inhabitants in a year (staff of that
    municipality; when changing the municipality, staff of both)."""
    if population is not None:
        _check(user, population.organisation)
    else:
        population = Population()
    for name in POPULATION_FIELDS:
        if name in data:
            setattr(population, name, data[name])
    _check(user, population.organisation)
    population.full_clean()
    population.save()
    return population


@dataclass
class ImportResult:
    parsed: Parsed
    errors: list[RowError] = field(default_factory=list)
    replaced: int = 0
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def first(self) -> Any:
        return min((r.date for r in self.parsed.rows), default=None)

    @property
    def last(self) -> Any:
        return max((r.date for r in self.parsed.rows), default=None)

    @property
    def hours(self) -> tuple[Any, Any] | None:
        """First and last hour of a file of hourly values (else None)."""
        ats = [r.at for r in self.parsed.rows if r.at is not None]
        return (min(ats), max(ats)) if ats else None


def parse(*, indicator: Indicator, kind: str, data: bytes, options: dict[str, str]) -> ImportResult:
    """Read ``data`` as ``kind`` and check every row against the indicator (Ortsteile by
    name, GeoJSON points and areas by where they lie). Writes nothing; raises
    ``ImportFileError`` for a file that cannot be read."""
    mapping = Mapping(
        **{k: options.get(k, "") for k in ("date", "value", "district", "category", "note", "time")}
    )
    if kind == ImportKind.DWD:
        if indicator.resolution != Resolution.DAY:
            raise ImportFileError(
                _("DWD-Tageswerte passen nur zu einem Indikator mit Tageswerten.")
            )
        parsed = importers.parse_dwd_daily(importers.decode(data), options.get("parameter", ""))
    elif kind == ImportKind.CSV:
        parsed = importers.parse_csv(importers.decode(data), mapping, indicator.resolution)
    elif kind == ImportKind.XLSX:
        parsed = importers.parse_xlsx(data, mapping, indicator.resolution)
    elif kind == ImportKind.GEOJSON:
        parsed = importers.parse_geojson(importers.decode(data), mapping, indicator.resolution)
    else:
        raise ImportFileError(_("Unbekanntes Format."))
    result = ImportResult(parsed, errors=list(parsed.errors))
    if parsed.by_feature:
        _locate(indicator, result)
    names = {r.district for r in parsed.rows if r.district}
    if names:
        known = {
            d.name.casefold(): d.pk
            for d in District.objects.filter(organisation_id=indicator.organisation_id)
        }
        for row in parsed.rows:
            if row.district and row.district.casefold() not in known:
                result.errors.append(
                    RowError(
                        row.line,
                        _("Ein Ortsteil „%(name)s“ gibt es in %(org)s nicht.")
                        % {"name": row.district, "org": indicator.organisation.name},
                    )
                )
        result._districts = known  # type: ignore[attr-defined]
    if not parsed.rows and not result.errors:
        result.errors.append(RowError(0, _("Die Datei enthält keine Werte.")))
    result.errors.sort(key=lambda e: e.line)
    return result


def _locate(indicator: Indicator, result: ImportResult) -> None:
    """Give each GeoJSON row without a named Ortsteil the Ortsteil its point (or the
    inside of its area) lies in; a place outside every Ortsteil of the municipality is
    refused, and so is a second value for an Ortsteil, period and category. A point on
    a shared border belongs to the Ortsteil with the lower id, as in
    ``organisations.services.district_for_point``."""
    unnamed = any(r.place is not None and not r.district for r in result.parsed.rows)
    districts = (
        [
            (d.name, prep(shape(cast(dict[str, Any], d.geometry))))
            for d in District.objects.filter(
                organisation_id=indicator.organisation_id, geometry__isnull=False
            ).order_by("pk")
        ]
        if unnamed
        else []
    )
    organisation = indicator.organisation.name
    if unnamed and not districts:
        raise ImportFileError(
            _(
                "Für %(org)s sind keine Ortsteilgrenzen hinterlegt: Punkte und Flächen "
                "können keinem Ortsteil zugeordnet werden."
            )
            % {"org": organisation}
        )
    rows = []
    seen: dict[tuple[Any, str, str], int] = {}
    for row in result.parsed.rows:
        if row.place is not None and not row.district:
            spot = row.place if row.place.geom_type == "Point" else row.place.representative_point()
            name = next((n for n, area in districts if area.covers(spot)), None)
            if name is None:
                result.errors.append(
                    RowError(
                        row.line,
                        _(
                            "Der Punkt (Länge %(lon)s, Breite %(lat)s) liegt außerhalb der "
                            "Ortsteile von %(org)s."
                        )
                        % {
                            "lon": f"{spot.bounds[0]:.5f}",
                            "lat": f"{spot.bounds[1]:.5f}",
                            "org": organisation,
                        }
                        if row.place.geom_type == "Point"
                        else _("Die Fläche liegt außerhalb der Ortsteile von %(org)s.")
                        % {"org": organisation},
                    )
                )
                continue
            row = replace(row, district=name)
        key = (row.at or row.date, row.district.casefold(), row.category)
        if key in seen:
            result.errors.append(
                RowError(
                    row.line,
                    _(
                        "Doppelt: Objekt %(other)d hat schon einen Wert für den Ortsteil "
                        "„%(name)s“ in diesem Zeitraum."
                    )
                    % {"other": seen[key], "name": row.district},
                )
            )
            continue
        seen[key] = row.line
        rows.append(row)
    result.parsed.rows = rows


# Rows written per INSERT batch; after each batch a background import reports progress.
IMPORT_CHUNK = 2000


@transaction.atomic
def values_import(
    *,
    user: Any,
    indicator: Indicator,
    kind: str,
    data: bytes,
    options: dict[str, str],
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import a file into ``indicator``, all or nothing: with any bad row nothing is
    stored. The values of the period the file covers (first to last date; for hourly
    values first to last hour) are replaced, so importing the same file twice leaves
    the same values.

    ``progress(done, total)`` is called once the file is read (0 rows written) and
    after each batch of ``IMPORT_CHUNK`` rows written.

    The indicator's row is locked for the transaction: two imports into the same
    indicator run one after the other (the second replaces the first's period)."""
    _check(user, indicator.organisation)
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    result = parse(indicator=indicator, kind=kind, data=data, options=options)
    if not result.ok:
        return result
    total = len(result.parsed.rows)
    if progress is not None:
        progress(0, total)
    districts: dict[str, int] = getattr(result, "_districts", {})
    # Replaced: the period of the file, for the Ortsteile and categories it brings
    # (a file for one Ortsteil leaves the others' values alone).
    district_ids = {
        districts.get(r.district.casefold()) if r.district else None for r in result.parsed.rows
    }
    places = Q(district_id__in=[d for d in district_ids if d is not None])
    if None in district_ids:
        places |= Q(district__isnull=True)
    # Hourly values: from the file's first to its last hour (not whole days).
    hours = result.hours
    period = (
        Q(at__gte=hours[0], at__lte=hours[1])
        if hours
        else Q(date__gte=result.first, date__lte=result.last)
    )
    stale = Value.objects.filter(
        places,
        period,
        indicator=indicator,
        category__in={r.category for r in result.parsed.rows},
    )
    result.replaced, _deleted = stale.delete()
    rows = result.parsed.rows
    for start in range(0, total, IMPORT_CHUNK):
        Value.objects.bulk_create(
            Value(
                indicator=indicator,
                date=row.date,
                at=row.at,
                value=row.value,
                district_id=districts.get(row.district.casefold()) if row.district else None,
                category=row.category,
                note=row.note,
                # a GeoJSON point is kept (its Ortsteil came from it); areas are not
                lon=row.place.x if isinstance(row.place, Point) else None,
                lat=row.place.y if isinstance(row.place, Point) else None,
            )
            for row in rows[start : start + IMPORT_CHUNK]
        )
        if progress is not None:
            progress(min(start + IMPORT_CHUNK, total), total)
    result.created = total
    summaries_refresh(indicator=indicator)
    # Values show on the climate pages only, which are not cached (``climate.module``).
    Indicator.objects.filter(pk=indicator.pk).update(updated_at=timezone.now())
    return result


@transaction.atomic
def pending_import_create(
    *,
    user: Any,
    indicator: Indicator,
    kind: str,
    file_name: str,
    data: bytes,
    options: dict[str, str],
) -> tuple[PendingImport | None, ImportResult]:
    """Keep an uploaded file for its preview (only if every row can be imported); the
    preview's result comes with it. Previews older than a day are discarded."""
    _check(user, indicator.organisation)
    PendingImport.objects.filter(created_at__lt=timezone.now() - PENDING_FOR).delete()
    result = parse(indicator=indicator, kind=kind, data=data, options=options)
    if not result.ok:  # nothing to confirm: the page lists the rows to correct
        return None, result
    pending = PendingImport.objects.create(
        indicator=indicator,
        uploaded_by=user,
        kind=kind,
        file_name=file_name[:200],
        data=data,
        options=options,
    )
    return pending, result


# Confirmed files larger than this are imported by a background task.
BACKGROUND_BYTES = 2 * 1024 * 1024


@transaction.atomic
def pending_import_confirm(*, user: Any, pending: PendingImport) -> ImportResult | None:
    """Import a previewed file (all or nothing) and forget it if it went in. A big file
    is handed to a background task instead (returns ``None``); its row then shows the
    state and the result on the import page."""
    if pending.uploaded_by_id != user.pk:
        raise ValidationError(_("Diesen Import hat jemand anderes vorbereitet."))
    if pending.state != ImportState.PREVIEWED:
        raise ValidationError(_("Dieser Import läuft schon oder ist abgeschlossen."))
    if len(pending.data) > BACKGROUND_BYTES:
        _check(user, pending.indicator.organisation)
        pending.state = ImportState.QUEUED
        pending.save(update_fields=["state"])
        from mitmachen.climate.tasks import import_pending

        transaction.on_commit(lambda: import_pending.enqueue(pending_id=pending.pk))
        return None
    result = values_import(
        user=user, indicator=pending.indicator, kind=pending.kind, data=bytes(pending.data),
        options=pending.options,
    )  # fmt: skip
    if result.ok:
        pending.delete()
    return result


def _progress_key(pending_id: int) -> str:
    return f"climate:import-progress:{pending_id}"


def import_progress_write(pending_id: int, done: int, total: int) -> None:
    """How far a background import has come: ``done`` of ``total`` rows written.

    Kept in the shared cache (Redis in production), not in the import's row: the
    import writes in one transaction (all or nothing), and a row written inside it
    stays invisible to the import page until the commit. The cache is written at once,
    so the page shows the progress while the transaction runs. Without a shared cache
    (no Redis, worker in another process) the page shows the state only."""
    cache.set(_progress_key(pending_id), (done, total), timeout=int(PENDING_FOR.total_seconds()))


def import_progress(pending_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """The last progress written for each of ``pending_ids`` (one cache read)."""
    ids = list(pending_ids)
    found = cache.get_many([_progress_key(pk) for pk in ids]) if ids else {}
    return {pk: found[_progress_key(pk)] for pk in ids if _progress_key(pk) in found}


def pending_import_run(*, pending_id: int) -> None:
    """The background import of a queued upload: all or nothing, like in the request;
    the row keeps the state and a German result, the file itself is dropped. While it
    runs, the rows written so far are reported (``import_progress_write``)."""
    with transaction.atomic():
        pending = (
            PendingImport.objects.select_for_update()
            .select_related("indicator__organisation", "uploaded_by")
            .filter(pk=pending_id, state=ImportState.QUEUED)
            .first()
        )
        if pending is None:  # discarded, or run already
            return
        pending.state = ImportState.RUNNING
        pending.save(update_fields=["state"])
    try:
        result = values_import(
            user=pending.uploaded_by, indicator=pending.indicator, kind=pending.kind,
            data=bytes(pending.data), options=pending.options,
            progress=lambda done, total: import_progress_write(pending_id, done, total),
        )  # fmt: skip
    except Exception as error:  # the row must not stay "running" for ever
        pending.state = ImportState.FAILED
        pending.message = " ".join(getattr(error, "messages", [str(error)]))
    else:
        if result.ok:
            pending.state = ImportState.DONE
            pending.message = _("%(n)d Werte importiert, %(old)d ersetzt.") % {
                "n": result.created,
                "old": result.replaced,
            }
        else:
            pending.state = ImportState.FAILED
            pending.message = "; ".join(
                (
                    (_("Objekt %(line)d: ") if result.parsed.by_feature else _("Zeile %(line)d: "))
                    % {"line": e.line}
                    if e.line
                    else ""
                )
                + e.message
                for e in result.errors[:10]
            )
    pending.data = b""
    pending.save(update_fields=["state", "message", "data"])


@transaction.atomic
def summaries_refresh(*, indicator: Indicator) -> None:
    """Rewrite the indicator's month summaries from its values (after every write of
    values, in the same transaction; the pages read only the summaries)."""
    from mitmachen.climate.selectors import aggregate_months

    MonthSummary.objects.filter(indicator=indicator).delete()
    MonthSummary.objects.bulk_create(
        MonthSummary(
            indicator=indicator, month=m.month, total=m.total, count=m.count,
            minimum=m.minimum, maximum=m.maximum, first=m.first, last=m.last,
        )
        for m in aggregate_months(indicator)
    )  # fmt: skip


# Mitmach-Daten: campaigns and residents' observations.

CAMPAIGN_FIELDS = (
    "title",
    "question",
    "description",
    "value_kind",
    "unit",
    "choices",
    "photo_allowed",
    "starts_on",
    "ends_on",
    "is_example_data",
)
PLACE_DECIMALS = 3  # a point's place: rounded to 0.001° (about 110 m north–south, 70 m east–west)


@transaction.atomic
def campaign_save(
    *, user: Any, project: Project, data: dict[str, Any], campaign: Campaign | None = None
) -> Campaign:
    """Open a campaign in ``project`` or change ``campaign`` (staff of the municipality)."""
    _check(user, project.organisation)
    if campaign is None:
        campaign = Campaign(project=project)
    elif campaign.project_id != project.pk:
        raise ValidationError(_("Die Kampagne gehört zu einem anderen Projekt."))
    for name in CAMPAIGN_FIELDS:
        if name in data:
            setattr(campaign, name, data[name])
    campaign.full_clean()
    campaign.save()
    return campaign


CAMPAIGN_INDICATOR_FIELDS = ("slug", "title", "topic", "responsible_body", "is_published")


def _campaign_indicator(campaign: Campaign, organisation: Any, source_url: str) -> Indicator:
    from mitmachen.climate.models import Aggregation, Direction, SpatialLevel

    return Indicator(
        organisation=organisation,
        campaign=campaign,
        explanation=_(
            "Wie viele Beobachtungen Bürgerinnen und Bürger in der Mitmach-Kampagne "
            "„%(title)s“ gemeldet haben, je Ortsteil und Monat. Gefragt war: "
            "%(question)s"
        )
        % {"title": campaign.title, "question": campaign.question},
        unit=_("Beobachtungen"),
        spatial_level=SpatialLevel.DISTRICT,
        resolution=Resolution.MONTH,
        aggregation=Aggregation.SUM,
        direction=Direction.NEUTRAL,
        source=_("Mitmach-Daten: %(title)s (%(org)s)")
        % {"title": campaign.title, "org": organisation.display_name},
        source_url=source_url,
        licence="CC BY 4.0",
        update_rhythm=_("wenn die Beobachtungen neu gezählt werden"),
        responsible_body=organisation.name,
        is_example_data=campaign.is_example_data,
    )


@transaction.atomic
def campaign_indicator_count(
    *, user: Any, campaign: Campaign, data: dict[str, Any], source_url: str
) -> tuple[Indicator, int]:
    """Turn a campaign's observations into an indicator of its municipality: the
    number of visible observations per Ortsteil and month (observations without an
    Ortsteil count without one). The first call creates the indicator from ``data``
    (``CAMPAIGN_INDICATOR_FIELDS``); every call replaces all its values with a fresh
    count, so counting twice leaves the same values. Returns the indicator and the
    number of observations counted."""
    organisation = campaign.project.organisation
    _check(user, organisation)
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    indicator = Indicator.objects.filter(campaign=campaign).first()
    if indicator is None:
        with translation.override("de"):  # stored texts are German, whoever clicks
            indicator = _campaign_indicator(campaign, organisation, source_url)
        for name in CAMPAIGN_INDICATOR_FIELDS:
            if name in data:
                setattr(indicator, name, data[name])
        if Indicator.objects.filter(organisation=organisation, slug=indicator.slug).exists():
            raise ValidationError(
                {
                    "slug": _("Diese Kurzbezeichnung hat schon ein anderer Indikator von %(org)s.")
                    % {"org": organisation.display_name}
                }
            )
        # The source link is the campaign page's address, built from the request (not
        # typed); URLField's check would refuse a host without a dot such as localhost.
        indicator.full_clean(exclude=["source_url"])
        indicator.save()
    counts: dict[tuple[Any, int | None], int] = {}
    observed = Observation.objects.filter(campaign=campaign).not_hidden()
    for day, district_id in observed.values_list("observed_on", "district_id").iterator():
        key = (day.replace(day=1), district_id)
        counts[key] = counts.get(key, 0) + 1
    Value.objects.filter(indicator=indicator).delete()
    Value.objects.bulk_create(
        Value(indicator=indicator, date=month, district_id=district_id, value=float(n))
        for (month, district_id), n in sorted(counts.items(), key=lambda c: (c[0][0], c[0][1] or 0))
    )
    summaries_refresh(indicator=indicator)
    Indicator.objects.filter(pk=indicator.pk).update(updated_at=timezone.now())
    return indicator, sum(counts.values())


def place_key(*, lon: float | None, lat: float | None, district: District | None) -> str:
    """Where an observation is, for "one per person, place and day": the map point
    rounded to about 100 m, or (without a point) the Ortsteil."""
    if lon is not None and lat is not None:
        return f"p:{lon:.{PLACE_DECIMALS}f}:{lat:.{PLACE_DECIMALS}f}"
    if district is not None:
        return f"o:{district.pk}"
    raise ValidationError(
        _("Bitte wählen Sie den Ort: einen Punkt auf der Karte oder den Ortsteil.")
    )


def _answer(campaign: Campaign, data: dict[str, Any]) -> dict[str, Any]:
    """The answer fields of an observation, checked against the campaign's kind."""
    if campaign.value_kind == ValueKind.NUMBER:
        number = data.get("number_value")
        if number is None or not math.isfinite(number):
            raise ValidationError(
                {
                    "number_value": _("Bitte geben Sie eine Zahl an (in %(unit)s).")
                    % {"unit": campaign.unit}
                }
            )
        if abs(number) > 1e9:
            raise ValidationError({"number_value": _("Die Zahl ist zu groß.")})
        return {"number_value": float(number), "choice_value": "", "yes_no": None}
    if campaign.value_kind == ValueKind.CHOICE:
        choice = (data.get("choice_value") or "").strip()
        if choice not in campaign.choice_list():
            raise ValidationError({"choice_value": _("Bitte wählen Sie eine der Möglichkeiten.")})
        return {"number_value": None, "choice_value": choice, "yes_no": None}
    yes_no = data.get("yes_no")
    if yes_no not in (True, False):
        raise ValidationError({"yes_no": _("Bitte antworten Sie mit Ja oder Nein.")})
    return {"number_value": None, "choice_value": "", "yes_no": yes_no}


def observation_submit(*, user: Any, campaign: Campaign, data: dict[str, Any]) -> Observation:
    """A resident's observation: ``observed_on``, either ``lon``/``lat`` (inside one of
    the municipality's Ortsteile, which it then belongs to) or ``district``, optionally
    ``place_description``, the answer (``number_value``, ``choice_value`` or ``yes_no``
    by the campaign's kind) and ``photo`` (already without EXIF: ``core.images``) with
    ``photo_alt``. Refused with a German message, storing nothing, when the person may
    not take part, the day lies outside the campaign or in the future, the point lies
    outside the municipality, or the person already reported this place on this day."""
    from mitmachen.organisations.services import district_for_point

    decide(user, "climate.contribute", campaign).raise_if_refused()
    organisation = campaign.project.organisation
    day = data.get("observed_on")
    today = timezone.localdate()
    if day is None:
        raise ValidationError({"observed_on": _("Bitte geben Sie den Tag an.")})
    if day > today:
        raise ValidationError({"observed_on": _("Der Tag liegt in der Zukunft.")})
    if not campaign.starts_on <= day <= campaign.ends_on:
        raise ValidationError({"observed_on": _("Der Tag liegt nicht im Zeitraum der Kampagne.")})
    lon, lat = data.get("lon"), data.get("lat")
    if (lon is None) != (lat is None):
        raise ValidationError(_("Der Punkt auf der Karte ist unvollständig."))
    district = data.get("district")
    if lon is not None and lat is not None:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationError(_("Der Punkt auf der Karte ist ungültig."))
        district = district_for_point(lon=lon, lat=lat, organisation=organisation)
        if district is None:
            raise ValidationError(
                _(
                    "Der Punkt liegt außerhalb von %(place)s. "
                    "Bitte wählen Sie einen Ort in der Kommune."
                )
                % {"place": organisation.display_name}
            )
    elif district is not None and district.organisation_id != organisation.pk:
        raise ValidationError(
            {
                "district": _("Dieser Ortsteil gehört nicht zu %(place)s.")
                % {"place": organisation.display_name}
            }
        )
    photo = data.get("photo")
    alt = (data.get("photo_alt") or "").strip()
    if photo and not campaign.photo_allowed:
        raise ValidationError({"photo": _("Zu dieser Kampagne gibt es keine Fotos.")})
    if photo and not alt:
        raise ValidationError(
            {"photo_alt": _("Bitte beschreiben Sie, was auf dem Foto zu sehen ist.")}
        )
    observation = Observation(
        campaign=campaign,
        project=campaign.project,
        author=user,
        observed_on=day,
        lon=lon,
        lat=lat,
        district=district,
        place_description=(data.get("place_description") or "").strip(),
        place_key=place_key(lon=lon, lat=lat, district=district),
        photo_alt=alt if photo else "",
        **_answer(campaign, data),
    )
    if photo:
        observation.photo = photo
    observation.full_clean(exclude=["place_key", "photo"], validate_constraints=False)
    try:
        with transaction.atomic():
            observation.save()
    except IntegrityError as error:
        if Observation.objects.filter(
            campaign=campaign, author=user, place_key=observation.place_key, observed_on=day
        ).exists():
            raise ValidationError(
                _("Sie haben für diesen Ort und Tag schon eine Beobachtung gemeldet.")
            ) from error
        raise
    return observation


@transaction.atomic
def observation_delete(*, user: Any, observation: Observation) -> None:
    """A resident withdraws their own observation (its photo goes with it)."""
    if not user.is_authenticated or observation.author_id != user.pk:
        raise PermissionDenied(_("Nur wer die Beobachtung gemeldet hat, kann sie zurückziehen."))
    observation.delete()
