"""Series of dates generated from a recurrence rule (python-dateutil's ``rrule``)."""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import islice
from typing import Any

from dateutil import rrule
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mitmachen.events.models import (
    MAX_SERIES_DATES,
    Event,
    Frequency,
    Question,
    Series,
)
from mitmachen.events.permissions import organises
from mitmachen.events.services.common import LOCAL
from mitmachen.projects.modules import changed

# Fields a generated date does not take from the first date.
_NOT_COPIED = {"id", "created_at", "updated_at", "starts_at", "ends_at", "status", "status_note"}
_NOT_COPIED |= {"series_id"}


def series_dates(
    *, first: datetime, frequency: str, interval: int, week_of_month: int | None, until: date
) -> list[datetime]:
    """The local (naive, Europe/Berlin) start times after ``first`` up to ``until`` by the
    rule, at most ``MAX_SERIES_DATES`` - 1 of them (``ValidationError`` beyond)."""
    start = timezone.localtime(first, LOCAL).replace(tzinfo=None)
    weekday = start.weekday()
    if frequency == Frequency.WEEKLY:
        rule = rrule.rrule(
            rrule.WEEKLY,
            interval=interval,
            byweekday=weekday,
            dtstart=start,
            until=datetime.combine(until, time.max),
        )
    else:
        rule = rrule.rrule(
            rrule.MONTHLY,
            interval=interval,
            byweekday=rrule.weekday(weekday, week_of_month),
            dtstart=start,
            until=datetime.combine(until, time.max),
        )
    # The rule yields lazily: never more than one date beyond the bound is computed.
    dates = [d for d in islice(rule, MAX_SERIES_DATES + 1) if d > start]
    if len(dates) + 1 > MAX_SERIES_DATES:
        raise ValidationError(
            {
                "until": _(
                    "Eine Reihe hat höchstens %(n)s Termine; diese Regel ergäbe mehr. Bitte "
                    "wählen Sie einen früheren letzten Termin oder einen größeren Abstand."
                )
                % {"n": MAX_SERIES_DATES}
            }
        )
    if not dates:
        raise ValidationError(
            {"until": _("Bis zu diesem Tag ergibt die Regel keinen weiteren Termin.")}
        )
    return dates


def series_plan(
    *,
    user: Any,
    first: Event,
    frequency: str,
    until: date,
    interval: int = 1,
    week_of_month: int | None = None,
) -> tuple[Series, list[datetime]]:
    """Check a new series starting with ``first`` and compute its further dates (local
    times), writing nothing: the admin form shows the German messages before saving."""
    if not organises(user, first.organisation_id):
        raise PermissionDenied(_("Terminreihen legen nur die Mitarbeitenden der Kommune an."))
    if first.series_id is not None:
        raise ValidationError({"first": _("Dieser Termin gehört schon zu einer Reihe.")})
    if first.starts_at <= timezone.now():
        raise ValidationError(
            {"first": _("Eine Reihe kann nicht mit einem vergangenen Termin beginnen.")}
        )
    if first.is_cancelled:
        raise ValidationError({"first": _("Eine Reihe kann nicht mit einer Absage beginnen.")})
    if frequency == Frequency.MONTHLY and week_of_month is None:
        raise ValidationError(
            {"week_of_month": _("Bitte wählen Sie, der wievielte Wochentag im Monat es ist.")}
        )
    series = Series(
        organisation_id=first.organisation_id,
        title=first.title,
        frequency=frequency,
        interval=interval,
        week_of_month=week_of_month if frequency == Frequency.MONTHLY else None,
        until=until,
    )
    series.full_clean()
    if until <= timezone.localdate(first.starts_at):
        raise ValidationError({"until": _("Der letzte Termin muss nach dem ersten liegen.")})
    starts = series_dates(
        first=first.starts_at,
        frequency=frequency,
        interval=interval,
        week_of_month=series.week_of_month,
        until=until,
    )
    return series, starts


@transaction.atomic
def series_create(
    *,
    user: Any,
    first: Event,
    frequency: str,
    until: date,
    interval: int = 1,
    week_of_month: int | None = None,
) -> Series:
    """Make ``first`` the first date of a new series and create its further dates.

    Each date copies the first one (place, description, registration, capacity,
    accessibility, projects, questions) and keeps its local start and end time in
    Europe/Berlin, also across the daylight-saving change. At most ``MAX_SERIES_DATES``
    dates; bad rules raise ``ValidationError`` in German and create nothing.
    """
    given, first = first, Event.objects.select_for_update().get(pk=first.pk)
    series, starts = series_plan(
        user=user,
        first=first,
        frequency=frequency,
        until=until,
        interval=interval,
        week_of_month=week_of_month,
    )
    series.save()
    first.series = series
    first.save(update_fields=["series", "updated_at"])
    given.series = series  # the caller's copy too: saving it later keeps the series
    local_start = timezone.localtime(first.starts_at, LOCAL).replace(tzinfo=None)
    duration = timezone.localtime(first.ends_at, LOCAL).replace(tzinfo=None) - local_start
    copied = {
        f.attname: getattr(first, f.attname)
        for f in Event._meta.concrete_fields
        if f.attname not in _NOT_COPIED
    }
    events = Event.objects.bulk_create(
        Event(
            **copied,
            series=series,
            # Local wall-clock times made aware in Europe/Berlin: 18:00 stays 18:00 in
            # summer and in winter.
            starts_at=timezone.make_aware(start, LOCAL),
            ends_at=timezone.make_aware(start + duration, LOCAL),
        )
        for start in starts
    )
    project_ids = list(first.projects.values_list("pk", flat=True))
    Event.projects.through.objects.bulk_create(
        Event.projects.through(event_id=e.pk, project_id=p) for e in events for p in project_ids
    )
    questions = list(first.questions.all())
    Question.objects.bulk_create(
        Question(
            event_id=e.pk,
            text=q.text,
            kind=q.kind,
            options=q.options,
            required=q.required,
            order=q.order,
        )
        for e in events
        for q in questions
    )
    changed(everywhere=True)
    return series
