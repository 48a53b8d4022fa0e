"""Participation statistics: what the modules report and how it is counted.

Each participation module declares ``statistics(scope)`` in the module contract
(``ParticipationModule.statistics``): it returns its contributions in ``scope`` as
``Contributions`` – a queryset of rows with the same columns (``COLUMNS``), built with
``StatsScope.rows``: the kind, the channel, the Ortsteil, the day, who (an account's id,
never a name or an address), and for survey answers the age group. Nothing is loaded row
by row: ``count`` puts every module's rows together as one ``UNION ALL`` in SQL and
groups them in the database, in **one query** for all breakdowns, whatever the number of
modules or contributions.

Who took part is counted distinctly across modules: an account is one person however
much it contributes (its id); a contribution without an account (entered from paper or
at a market stand, a guest's answer, an anonymous survey's questionnaire) is one person
on its own (a negative number made of the row's id and its source), since nobody can
tell whether two slips of paper came from the same hand. The keys are integers: counting
distinct integers is what keeps a project with 250,000 contributions fast.

Counting still reads every row (about 1 s of database CPU for 244,000 contributions,
docs/performance.md), so the grouped figures are kept in the cache per data version of
the scope's projects (``StatsScope.cache_key``, the page cache's versions): staff who
open the page again, or a colleague, get them without counting; any write in one of the
projects, or anything global, makes the next view count again – one view, while the
others that arrive during its count wait for its figures (``_counted_once``).

The small-group rule (``MIN_GROUP``): a group of fewer than five people is never shown
on any breakdown – its figures read "weniger als 5". If exactly one group of a breakdown
is withheld, the next smallest is withheld too, so that the total minus the others does
not give it away. Poll results follow the same rule (``polls.selectors``).
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    BigIntegerField,
    CharField,
    DateField,
    Expression,
    F,
    IntegerField,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Trunc, TruncDate

from mitmachen.core import page_cache
from mitmachen.core.cache import unreachable as cache_unreachable
from mitmachen.core.channels import Channel

# Fewer people than this in a group: its figures are not shown (staff statistics and the
# public breakdowns of poll results alike).
MIN_GROUP = 5

COLUMNS = (
    "st_kind",
    "st_channel",
    "st_district",
    "st_period",
    "st_user",
    "st_row",
    "st_age",
    "st_age_order",
)
# The breakdowns ``count`` groups by, and the column of each.
DIMENSIONS = {
    "kind": "st_kind",
    "channel": "st_channel",
    "district": "st_district",
    "period": "st_period",
    "age": "st_age",
}
WEEK, MONTH = "week", "month"
# How long counted figures stay in the cache (a new data version makes them unused at
# once; the timeout only frees the memory of figures nobody reads any more).
CACHE_SECONDS = 24 * 3600


def is_small(people: int) -> bool:
    """A group of 1 to 4 people: not shown on its own (``MIN_GROUP``)."""
    return 0 < people < MIN_GROUP


@dataclass(frozen=True)
class StatsScope:
    """What is counted: the contributions in ``projects`` (their ids: a list, not a
    subquery, so that the database estimates the rows right and joins by hash), grouped
    over time by ``period`` (``WEEK`` or ``MONTH``)."""

    projects: list[int]
    period: str = MONTH

    def cache_key(self, request: Any = None) -> str | None:
        """Where ``count`` keeps this scope's figures: under the data version of every
        project in the scope and the global one (``core.page_cache.data_versions``), so
        that any write in one of the projects, or anything global (an account's home
        Ortsteil), gives a new key. ``None`` while the page cache is off."""
        if not page_cache.ttl():
            return None
        version = page_cache.data_versions(self.projects, request)
        projects = ",".join(str(p) for p in sorted(self.projects))
        digest = hashlib.sha256(projects.encode()).hexdigest()[:24]
        return f"mm:statistics:{digest}:{self.period}:{version}"

    def rows(
        self,
        queryset: QuerySet[Any],
        *,
        kind: str | Expression,
        day: Expression,
        user: str,
        channel: str | Expression | F = "channel",
        district: str | Expression | F | None = None,
        age: str | Expression | F | None = None,
        age_order: str | Expression | F | None = None,
    ) -> QuerySet[Any]:
        """``queryset`` (already limited to ``projects``) as statistics rows.

        ``kind``: the key of the kind (see ``Contributions.kinds``) or an expression
        giving one; ``day``: a date expression (``day_of("created_at")``); ``user``:
        the field of the account that made it (``"author_id"``; empty for an offline
        row, which then counts as a person of its own); ``channel``: a field with
        ``core.channels.Channel`` values (or a module's own key, see
        ``Contributions.channels``); ``district``: the Ortsteil's id;
        ``age``/``age_order``: a survey's age group and its place."""
        return (
            queryset.order_by()
            .annotate(
                st_kind=Value(kind) if isinstance(kind, str) else kind,
                st_channel=F(channel) if isinstance(channel, str) else channel,
                st_district=_column(district, IntegerField()),
                st_period=Trunc(day, self.period, output_field=DateField()),
                st_user=Cast(user, output_field=BigIntegerField()),
                st_row=F("pk"),
                st_age=_column(age, CharField()),
                st_age_order=_column(age_order, IntegerField()),
            )
            .values(*COLUMNS)
        )


def _column(value: str | Expression | F | None, output: Any) -> Any:
    if value is None:
        # Typed, so that PostgreSQL's UNION matches it with the other modules' columns.
        return Cast(Value(None), output_field=output)
    return F(value) if isinstance(value, str) else value


def day_of(datetime_field: str) -> Expression:
    """The local day of a date-time field."""
    return TruncDate(datetime_field)


@dataclass(frozen=True)
class Contributions:
    """One module's rows (``StatsScope.rows``) and the German names of its kinds
    (``(key, label)``, in the order they are listed) and of channels of its own (keys
    that are no ``core.channels.Channel``, e.g. paper ballots)."""

    kinds: tuple[tuple[str, Any], ...]
    rows: QuerySet[Any]
    channels: tuple[tuple[str, Any], ...] = ()


@dataclass
class Cell:
    """One group of a breakdown: its contributions and the distinct people behind them.
    ``withheld``: too few people to show (``MIN_GROUP``) – or shown, the total minus the
    others would give away a withheld one (``secondary``)."""

    key: Any
    label: str
    contributions: int
    people: int
    withheld: bool = False
    secondary: bool = False
    order: Any = None


@dataclass
class Counts:
    """What ``count`` found: the totals and a list of cells per breakdown."""

    contributions: int = 0
    people: int = 0
    breakdowns: dict[str, list[Cell]] = field(default_factory=lambda: defaultdict(list))
    kind_labels: dict[str, str] = field(default_factory=dict)
    channel_labels: dict[str, str] = field(default_factory=dict)


OUTER = (
    "st_kind, st_channel, st_district, st_period, "
    "CASE WHEN st_user IS NOT NULL THEN st_user ELSE -(st_row * {n} + {i}) END AS st_person, "
    "st_age, st_age_order"
)


def _union(sources: list[Contributions], using: str) -> tuple[str, list[Any]]:
    """Every source's rows with one person key: the account's id, or – without one – a
    negative number unique to the row and its source (``i`` of ``n``)."""
    parts: list[str] = []
    params: list[Any] = []
    n = len(sources)
    for i, source in enumerate(sources, start=1):
        try:
            sql, source_params = source.rows.query.get_compiler(using=using).as_sql()
        except EmptyResultSet:  # nothing to count (no projects in the scope)
            continue
        columns = OUTER.format(n=n, i=i)
        # Only constants and the ORM's own SQL are put together; values stay parameters.
        parts.append(f"SELECT {columns} FROM ({sql}) AS s{i}")  # noqa: S608
        params.extend(source_params)
    return " UNION ALL ".join(parts), params


def count(
    sources: Iterable[Contributions], *, using: str = "default", key: str | None = None
) -> Counts:
    """Count ``sources`` (every module's ``Contributions``) in one query: the totals,
    and contributions and distinct people per kind, channel, Ortsteil, period and age
    group. Labels of Ortsteile are the caller's; kinds and channels are labelled here.

    ``key`` (``StatsScope.cache_key``, which holds the data version of every project in
    the scope): the grouped figures are kept in the cache under it, so they are counted
    once per change of the data – any write in one of the projects, or anything global,
    gives a new key (``core.page_cache``, the page cache's versions). The labels are
    added per request, in the visitor's language. Without a key (the page cache off,
    ``PAGE_CACHE_SECONDS=0``), or while Redis is unreachable, every call counts."""
    sources = list(sources)
    counts = Counts()
    counts.channel_labels = {key: str(label) for key, label in Channel.choices}
    for source in sources:
        counts.kind_labels.update((key, str(label)) for key, label in source.kinds)
        counts.channel_labels.update((key, str(label)) for key, label in source.channels)
    if not sources:
        return counts
    if key is None or (page_cache.shared_cache() and cache_unreachable()):
        found = _grouped(sources, using)
    else:
        found = cache.get(key)
        if found is None:
            found = _counted_once(sources, using, key)
    _fill(counts, found)
    return counts


# After a write, the first views of the new data version would each count (a dogpile:
# every member of staff with the page open, every colleague, at 1–2 s of database CPU
# each on a big project). One of them counts under a short lock (``cache.add``); the
# others wait for its figures, asking the cache every ``WAIT_STEP`` seconds for at most
# ``WAIT_SECONDS``, and count themselves only if it has not finished by then. If it fails
# (its lock is gone, no figures), one of them takes the lock and counts. The lock expires
# after ``LOCK_SECONDS`` should its holder die without a word (docs/performance.md).
LOCK_SECONDS = 60
WAIT_SECONDS = 15.0
WAIT_STEP = 0.1


def _counted_once(sources: list[Contributions], using: str, key: str) -> list[tuple[Any, ...]]:
    lock = f"{key}:counting"
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        if cache.add(lock, 1, timeout=LOCK_SECONDS):
            try:
                return _counted(sources, using, key)
            finally:
                cache.delete(lock)
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            counting = cache.get(lock) is not None  # read first: the figures come first
            waited: list[tuple[Any, ...]] | None = cache.get(key)
            if waited is not None:
                return waited
            if not counting:
                break  # its holder failed: one of the waiting takes the lock again
        else:
            return _counted(sources, using, key)  # waited long enough: count here too


def _counted(sources: list[Contributions], using: str, key: str) -> list[tuple[Any, ...]]:
    found = _grouped(sources, using)
    # Versions only grow, so an entry is never wrong; the timeout frees memory.
    cache.set(key, found, timeout=CACHE_SECONDS)
    return found


def _grouped(sources: list[Contributions], using: str) -> list[tuple[Any, ...]]:
    """The grouped rows: ``(breakdown, key, order, contributions, people)``, one for the
    totals (``"total"``) and one per group of each breakdown."""
    union, params = _union(sources, using)
    if not union:
        return []
    # One grouped SELECT per breakdown over the rows, in one statement. Measured on
    # PostgreSQL against GROUPING SETS (hashed per person) and against grouping the rows
    # by all columns first: both cost more CPU (docs/performance.md), because nearly
    # every (group, person) pair is distinct and the sorts of COUNT(DISTINCT) on
    # integer keys are cheaper than hash tables that large.
    text = "CAST({} AS VARCHAR(40))"
    # Every column typed alike in every branch (PostgreSQL's UNION insists).
    no_order = "CAST(NULL AS INTEGER)"
    selects = [
        "SELECT 'total', CAST(NULL AS VARCHAR(40)), CAST(NULL AS INTEGER), COUNT(*), "
        "COUNT(DISTINCT st_person) FROM u"
    ]
    for name, column in DIMENSIONS.items():
        order = "CAST(MIN(st_age_order) AS INTEGER)" if name == "age" else no_order
        where = " WHERE st_age IS NOT NULL" if name == "age" else ""
        selects.append(
            f"SELECT '{name}', {text.format(column)}, {order}, COUNT(*), "  # noqa: S608
            f"COUNT(DISTINCT st_person) FROM u{where} GROUP BY {column}"
        )
    sql = f"WITH u AS ({union}) " + " UNION ALL ".join(selects)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def _fill(counts: Counts, found: list[tuple[Any, ...]]) -> None:
    for name, key, order, contributions, people in found:
        if name == "total":
            counts.contributions, counts.people = contributions, people
            continue
        counts.breakdowns[name].append(
            Cell(
                key=_key(name, key),
                label="",
                contributions=contributions,
                people=people,
                order=order,
            )
        )
    for name, cells in counts.breakdowns.items():
        for cell in cells:
            if name == "kind":
                cell.label = counts.kind_labels.get(cell.key, str(cell.key))
            elif name == "channel":
                cell.label = counts.channel_labels.get(cell.key, str(cell.key))
            elif name == "age":
                cell.label = str(cell.key)


def _key(name: str, raw: Any) -> Any:
    """A group's key in its own type (the query gives every key as text)."""
    if raw is None:
        return None
    if name == "district":
        return int(raw)
    if name == "period":
        return date.fromisoformat(str(raw)[:10])
    return raw


def withhold(cells: list[Cell]) -> list[Cell]:
    """Apply the small-group rule to one breakdown (in place; returns ``cells``)."""
    for cell in cells:
        cell.withheld = is_small(cell.people)
    withheld = [c for c in cells if c.withheld]
    shown = [c for c in cells if not c.withheld and c.people]
    if len(withheld) == 1 and shown:
        smallest = min(shown, key=lambda c: (c.contributions, c.people))
        smallest.withheld = smallest.secondary = True
    return cells
