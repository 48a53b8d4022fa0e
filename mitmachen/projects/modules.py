"""The module contract: how a participation module plugs into projects.

A participation module (proposals, polls, debates, comments, moderation, and every
future one) is one Django app above ``projects``. It declares itself once, in its
``AppConfig.ready()``, with a ``ParticipationModule``::

    from mitmachen.projects import modules

    modules.register(modules.ParticipationModule(
        label="debates",
        phase_actions=(modules.PhaseAction("debate", _("Debatten eröffnen"), order=60),),
        sections=(Section("project", "debates", "debates/sections/project.html", load, 30),),
        page_cache=(modules.CachedModel("debates.Debate", "project_id"),),
    ))

Everything below the module (projects, organisations, core, the staff start page) reads
these declarations and imports no module:

- ``phase_actions``: what staff may allow in a phase, with its German label and a
  one-sentence explanation for the set-up's phase page (``PhaseAction(…, explanation=…)``;
  every action needs one, the set-up's test checks the registry). Each action
  becomes the permission ``projects.<key>_in_project`` (``projects.permissions``).
- ``sections``: what the module adds to other apps' pages (``core.sections``): the
  project page (``"project"``, and ``"project.discussion"`` at its end), a municipality
  (``"municipality"``), an Ortsteil (``"district"``), the home page (``"home"``), the
  staff start page (``"dashboard.tools"`` and, per project, ``"dashboard.project"``),
  and pages of other modules that invite it (``"proposal.discussion"`` …).
- ``page_cache``: the module's models whose rows appear on a project's public pages
  (``CachedModel``); saving or deleting one – in a service, the admin, an import or a
  cascade – makes that project's cached pages stale once the transaction commits
  (``page_of``: only the pages of one object and the project's lists, see ``CachedModel``).
  ``stale_everywhere``: models whose change makes every cached page stale.
  ``page_cache_parts``: models shown only as parts of a declared row (a poll's answers
  in its responses) and written only in bulk, with their whole or with ``changed()``.
  ``not_on_public_pages``: the module's other models, each with the reason in a comment.
  Every model of the module's app is in exactly one of these (a test checks it), so a
  new model cannot be forgotten. Writes that send no model signal (``QuerySet.update``,
  ``bulk_create``, ``UPDATE … SET count = count + 1``) call ``changed()``; nothing above
  ``projects`` calls ``core.page_cache`` to invalidate.
- ``blocks``: ``blocks(user)`` gives the rows (with ``organisation_id``) that keep the person
  from taking part in a municipality (moderation's blocks); every permission honours them.
- ``follow_checks``: time-based events followers hear about (``projects.follow_events``).
- ``project_admin_inlines``: what staff edit of the module on a project's admin page.
- ``urls``: the module's URLconf (e.g. "mitmachen.debates.urls"), included at the root.
- ``notification_kinds``: the kinds of in-app notification it sends, with their labels
  (``notifications.kinds``; the notifications page shows the label).
- ``moderation_targets``: what residents may report and moderators hide
  (``ModerationTarget``): the model, its key, German words, and the hooks the
  moderation app needs to load, describe, hide and show a row without importing it.
- ``demo``: ``demo(report)`` loads the module's part of the demo region (``make run``),
  called by ``manage.py seed_demo`` after the municipalities, projects and accounts exist;
  it finds them by slug or e-mail, writes through the module's services, is idempotent,
  and names each row it creates with ``report.add(kind, name)``.
- ``setup_pages``: the module's part of setting up a project in the site (``SetupPage``):
  a block on the staff's set-up overview (``dashboard``) that lists the module's items
  of the project (a survey with its questions, a debate) and links the module's own
  set-up pages (in its ``urls``), which write through its services. A module without
  set-up pages is simply absent from the overview.
- ``bench``: ``bench(context)`` gives the module's pages for ``make bench`` (``BenchPage``),
  after adding its city-size data to the benchmark's big project (``BenchContext``) if
  it is missing – in bulk, idempotent, with exact counters. Every page a module adds is
  loaded there anonymously and signed in (and, for staff pages, as the project's
  manager); ``demo/tests/test_bench_pages.py`` loads each page of each module on small
  data, so a hook that breaks fails the suite, not only the next benchmark.
- ``statistics``: ``statistics(scope)`` gives the module's contributions in a project or
  a municipality as ``projects.statistics.Contributions``: a queryset of rows (kind,
  channel, Ortsteil, day, a person key for distinct counting, the age group of a survey)
  built with ``scope.rows(...)``. The staff statistics count every module's rows together
  in one grouped query (``projects.statistics.count``) and never load a row. They keep
  the figures per data version, so a write of a counted row must make its project's
  pages stale (``page_cache`` or ``changed()``), as every write does.
- ``footer``: sections of the site footer (page ``"footer"``), drawn on every page by
  ``base.html``. The footer is the same for every visitor and cached with the global
  version (``core.sections.footer_html``): their loaders must not look at the person and
  load in a fixed number of queries; what they show is declared ``stale_everywhere``.
- ``template``: the module's part of a process template (``TemplatePart``, read by
  ``processtemplates``): how its set-up (not its contributions) is written to the
  template file, checked and created again in another project, and, optionally, the
  counts it adds to a shared process's participation figures.
- ``origins``: the module's rows that can grow into a measure (``projects.origins``,
  ``OriginKind``): how to read, show and check them, and where their page draws the
  "Daraus wurde die Maßnahme …" box.
- ``collected_offline``: the module's rows that are contributions handed in offline
  (``projects.contributions``, ``CollectedKind``): which rows were collected offline, who
  sees which, how one is titled, linked and counted. The events module links them to the
  event where they were collected and lists them on its page; the module's offline entry
  service passes the chosen event on with ``contributions.record``.
- ``report``: ``report(project)`` gives the module's section of the council report
  (``projects.report.ReportSection``: figures, text and tables, no residents' names),
  or ``None``; the dashboard draws every section in the PDF and the XLSX file.

"Meine Daten" and "Meine Abonnements" are the registries of core (``core.registry``):
a module adds its ``personal_data.py`` and ``follows.py`` and is found by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from mitmachen.core import sections as page_sections
from mitmachen.core.page_cache import (
    touch_everything_on_commit,
    touch_object_on_commit,
    touch_project_on_commit,
)
from mitmachen.notifications import kinds as notification_kinds
from mitmachen.projects import contributions, follow_events, origins


@dataclass(frozen=True)
class PhaseAction:
    """Something staff may allow in a phase (stored in ``Phase.actions`` as ``key``)."""

    key: str
    label: Any  # a lazy German string
    order: int = 100
    # What the action lets participants do, one German sentence shown beside its
    # checkbox on the set-up's phase page (required: the set-up test checks it).
    explanation: Any = ""


@dataclass(frozen=True)
class CachedModel:
    """Rows of ``model`` ("app_label.ModelName") appear on their project's pages; the
    project's id is reached from a row by the dotted attribute path ``project``, e.g.
    ``"proposal.project_id"`` (checked when the module registers). A service that saves
    or deletes such a row should hold the related rows of the path (``Support(proposal=
    proposal)``), or the signal loads them with a query each.

    ``page_of``: rows that show only on one object's own page and on the project's pages
    that list many objects (a support: its proposal's count), by the dotted path to that
    object (``"proposal"``). Their writes make that object's page and the lists stale
    (``core.page_cache.touch_object``), not the pages of the project's other objects –
    which must then name their object (``anonymous_page(object_of=…)``) to stay cached."""

    model: str
    project: str = "project_id"
    page_of: str = ""


@dataclass(frozen=True)
class CachedPart:
    """Rows of ``model`` appear on public pages only as parts of rows of ``whole`` (a
    ``CachedModel`` of the same module), and are written only in bulk (``bulk_create``,
    ``QuerySet.update``/``delete``, cascades) – in a transaction that also saves or
    deletes their whole, or that calls ``changed()``. They get no signal receivers:
    a receiver would make every cascading delete (a poll with 20,000 answers) load
    and signal each row."""

    model: str
    whole: str


class Gender:
    """The grammatical gender of a target's noun: the notifications say "er ist wieder
    öffentlich" of a proposal, "sie" of a debate, "es" of a neuter noun."""

    MASCULINE = "m"
    FEMININE = "f"
    NEUTER = "n"


class HideHook(Protocol):
    """``set_hidden`` of a ``ModerationTarget``."""

    def __call__(self, *, rows: QuerySet[Any], values: dict[str, Any], hiding: bool) -> int: ...


def _plain_hide(*, rows: QuerySet[Any], values: dict[str, Any], hiding: bool) -> int:
    return rows.update(**values)


@dataclass(frozen=True)
class ModerationTarget:
    """Rows of ``model`` ("app_label.ModelName") can be reported and moderated.

    The model inherits ``core.models.ModeratedModel`` (hidden state, ``report_count``)
    and has ``project``, ``author``, ``public_author`` and ``get_absolute_url``. The
    moderation app finds everything else here and imports no module:

    - ``key``: stable, stored on reports and log entries (``Report.target_kind``) and the
      name of its pages (``moderation:report_<key>``, ``moderation:<key>``); never change it.
    - ``slug``/``staff_slug``: the words of its addresses, ``/melden/<slug>/<pk>/`` and
      ``/verwaltung/moderation/<staff_slug>/<pk>/``.
    - ``label``/``label_plural``: the German noun ("Vorschlag", "Vorschläge");
      ``gender``: its grammatical gender (``Gender``), for "er/sie/es" in notifications.
    - ``subject(row)``: a short description for the log, readable without the row
      ("Vorschlag „…“"); ``yours(row)``: how the author's notification names it
      ("Ihr Vorschlag „…“"); ``headline(row)``: the row's line in the moderation queue;
      ``context(row)``: what it belongs to (default: its project's title).
    - ``template``: shows the row on the report page (``full`` false) and the decision
      page (``full`` true), as ``target``.
    - ``select_related``: what loading one row for those pages joins.
    - ``authored_in(organisation, user)``: the person's rows in a municipality (blocking
      hides them; default: ``project__organisation`` and ``author``).
    - ``set_hidden(rows, values, hiding)``: writes ``values`` (the hidden fields) to
      ``rows`` – already narrowed to the rows whose state changes – and whatever must
      change with them in the same transaction; returns how many rows changed. Default: a
      plain ``update``. Comments shift their proposal's or debate's counters here.
    - ``lock_order``: blocking changes the targets in this order, lowest first, so that
      rows are locked in the order of ``comments.services`` (comments 10, before
      proposals 20, before debates 30).
    - ``hidden_with(row)``: the row is hidden together with another one (a comment of a
      hidden debate): only people who see hidden content may open its report page.
    - ``short_page``: the path of a short hide/show page that the module's own page links
      (debates: "debatten/<int:pk>/moderieren/"), named ``moderation:<key>_moderate``.
    """

    model: str
    key: str
    slug: str
    staff_slug: str
    label: Any
    label_plural: Any
    gender: str
    subject: Callable[[Any], str]
    yours: Callable[[Any], str]
    headline: Callable[[Any], str]
    template: str
    context: Callable[[Any], str] | None = None
    select_related: tuple[str, ...] = ("project__organisation", "author")
    authored_in: Callable[[Any, Any], QuerySet[Any]] | None = None
    set_hidden: HideHook = _plain_hide
    lock_order: int = 100
    hidden_with: Callable[[Any], bool] | None = None
    short_page: str = ""

    @property
    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    def rows(self) -> QuerySet[Any]:
        return self.model_class._default_manager.all()

    def load(self, pk: Any) -> Any:
        """One row with what the moderation pages show of it (``DoesNotExist`` if gone)."""
        return self.rows().select_related(*self.select_related).get(pk=pk)

    def of_author(self, organisation: Any, user: Any) -> QuerySet[Any]:
        if self.authored_in is not None:
            return self.authored_in(organisation, user)
        return self.rows().filter(project__organisation=organisation, author=user)

    def context_of(self, row: Any) -> str:
        return self.context(row) if self.context is not None else row.project.title


@dataclass(frozen=True)
class BenchPage:
    """A page ``make bench`` loads under load: ``name`` in German, as the results table
    shows it ("Textentwurf mit 300 Absätzen"); ``path`` starts with "/". ``anonymous``
    and ``signed_in`` (a resident of the bench who has not taken part) choose the
    visitors; a staff page sets ``staff`` (the big project's manager) and neither other.
    ``form``: a write instead of a page – the form data (urlencoded, e.g.
    ``"idee=1&idee=2"``) the signed-in residents POST to ``path`` (with ``signed_in``,
    not ``anonymous``); it answers with a redirect (302)."""

    name: str
    path: str
    anonymous: bool = True
    signed_in: bool = True
    staff: bool = False
    form: str = ""


@dataclass(frozen=True)
class BenchContext:
    """What a module's ``bench`` hook builds on: the benchmark's big project (its
    municipality, Ortsteile and topics), the accounts the bench signs in with
    (``residents``, who have not taken part; ``staff``, the project's manager) and
    ``accounts``: a queryset (by id) of the load data's other accounts, free to author
    the module's rows.
    ``small``: the suite's check – a few rows of each kind instead of city size."""

    project: Any
    residents: list[Any]
    staff: Any
    accounts: QuerySet[Any]
    small: bool = False
    log: Callable[[str], None] = print


@dataclass(frozen=True)
class SetupPage:
    """A module's part of a project's set-up in the site (the dashboard's overview).

    ``label``: the German heading of its block ("Umfragen"); ``template`` draws the
    block with ``part`` = ``load(request, project)`` – the module's items of the project
    and the links to its own set-up pages – loaded in a fixed number of queries;
    ``order``: the blocks' order on the overview (after the phases). The pages it links
    check the permission themselves (``projects.change_project``) and write through
    the module's services."""

    key: str
    label: Any
    template: str
    load: Callable[[Any, Any], Any]
    order: int = 100


@dataclass(frozen=True)
class TemplatePart:
    """A module's part of a process template (``processtemplates``, docs/template-format.md).

    ``key`` names the part in the file's ``modules`` object ("polls"); ``label`` is its
    German name in the preview ("Umfragen"); ``item`` is the schema of one entry (a
    ``processtemplates.schema.Item``, a pydantic model: strict types, no unknown keys).

    - ``export(project, phase_index)`` gives the entries of ``project`` as plain JSON
      values, in a stable order; ``phase_index`` maps a phase id to its place in the
      file's ``phases`` (entries never carry ids).
    - ``check(entries, phases)`` gives the German problems the schema cannot see (a
      phase number out of range), ``phases`` being the file's phases (``PhasePart``).
    - ``create(user=, project=, entries=, phases=)`` stores the entries in a new draft
      project inside the importer's transaction (``phases``: the new ``Phase`` rows in
      the file's order) and returns how many rows it wrote; it raises
      ``ValidationError`` (German) to refuse, which rolls the whole import back.
    - ``describe(entry)`` is one line for the preview.
    - ``results(project)``, optional: counts of people's contributions for a shared
      process's participation figures (German label → number); ``processtemplates``
      leaves out zeros and applies the small-group rule (fewer than five: ``None``).
    """

    key: str
    label: Any
    item: type
    export: Callable[[Any, dict[int, int]], list[dict[str, Any]]]
    create: Callable[..., int]
    describe: Callable[[Any], str]
    check: Callable[[list[Any], list[Any]], list[str]] | None = None
    results: Callable[[Any], dict[str, int]] | None = None


@dataclass(frozen=True)
class ParticipationModule:
    label: str
    phase_actions: tuple[PhaseAction, ...] = ()
    sections: tuple[page_sections.Section, ...] = ()
    page_cache: tuple[CachedModel, ...] = ()
    stale_everywhere: tuple[str, ...] = ()
    page_cache_parts: tuple[CachedPart, ...] = ()
    not_on_public_pages: tuple[str, ...] = ()
    blocks: Callable[[Any], QuerySet[Any]] | None = None
    follow_checks: dict[str, follow_events.Check] = field(default_factory=dict)
    project_admin_inlines: tuple[type, ...] = ()
    urls: str = ""
    notification_kinds: tuple[tuple[str, Any], ...] = ()
    moderation_targets: tuple[ModerationTarget, ...] = ()
    demo: Callable[[Any], None] | None = None
    bench: Callable[[BenchContext], tuple[BenchPage, ...]] | None = None
    # ``statistics(scope)``: the module's contributions in a ``projects.statistics.StatsScope``
    # as ``Contributions`` rows (kind, channel, Ortsteil, day, a person key, age group).
    statistics: Callable[[Any], tuple[Any, ...]] | None = None
    setup_pages: tuple[SetupPage, ...] = ()
    footer: tuple[page_sections.Section, ...] = ()
    template: TemplatePart | None = None
    # ``origins``: rows of the module that can grow into a measure (``projects.origins``).
    origins: tuple[origins.OriginKind, ...] = ()
    # ``collected_offline``: its contributions handed in offline (``projects.contributions``).
    collected_offline: tuple[contributions.CollectedKind, ...] = ()
    # ``report(project)``: the module's section of the council report
    # (``projects.report.ReportSection``) or None when it has nothing in the project.
    report: Callable[[Any], Any] | None = None


_modules: dict[str, ParticipationModule] = {}
_actions: dict[str, PhaseAction] = {}
_targets: dict[str, ModerationTarget] = {}
_target_listeners: list[Callable[[ModerationTarget], None]] = []
# The names and addresses of moderation's own pages: a target's key names its decision
# page, its ``staff_slug`` is a path beside them.
RESERVED_TARGET_KEYS = frozenset({"queue", "block", "blocks", "log", "report"})
RESERVED_STAFF_SLUGS = frozenset({"sperren", "sperrungen", "protokoll"})


def register(module: ParticipationModule) -> ParticipationModule:
    """Plug ``module`` in. Called once from its ``AppConfig.ready()``."""
    if module.label in _modules:
        if _modules[module.label] is module:
            return module
        raise ValueError(f"Participation module {module.label!r} registered twice.")
    for action in module.phase_actions:
        if action.key in _actions:
            raise ValueError(f"Phase action {action.key!r} declared by two modules.")
    _check_page_cache(module)
    _check_targets(module)
    known_setup = {page.key for other in _modules.values() for page in other.setup_pages}
    for page in module.setup_pages:
        if page.key in known_setup:
            raise ValueError(f"Set-up page {page.key!r} declared by two modules.")
    _modules[module.label] = module
    for target in module.moderation_targets:
        _targets[target.key] = target
        for listener in _target_listeners:
            listener(target)
    for action in module.phase_actions:
        _actions[action.key] = action
        from mitmachen.projects.permissions import add_action_permission

        add_action_permission(action.key)
    for section in module.sections:
        page_sections.register(section)
    for section in module.footer:
        if section.page != page_sections.FOOTER:
            raise ImproperlyConfigured(f"{module.label}: a footer section is drawn on 'footer'.")
        page_sections.register(section)
    for cached in module.page_cache:
        _connect(cached)
    for label in module.stale_everywhere:
        _connect_everywhere(label)
    for key, label in module.notification_kinds:
        notification_kinds.register(key, label)
    for name, check in module.follow_checks.items():
        follow_events.register_follow_check(name)(check)
    for kind in module.origins:
        origins.register(kind)
    for collected in module.collected_offline:
        contributions.register(collected)
    return module


def _check_targets(module: ParticipationModule) -> None:
    """Keys, addresses and models are each declared once; the model is moderated."""
    from mitmachen.core.models import ModeratedModel

    declared = [*_targets.values()]
    for target in module.moderation_targets:
        if not issubclass(target.model_class, ModeratedModel):
            raise ImproperlyConfigured(f"{target.model} is no ModeratedModel.")
        if (
            target.key in RESERVED_TARGET_KEYS
            or not target.key.isidentifier()
            or target.staff_slug in RESERVED_STAFF_SLUGS
        ):
            raise ImproperlyConfigured(f"Moderation target key {target.key!r} is not allowed.")
        for other in declared:
            if (
                other.key == target.key
                or other.slug == target.slug
                or other.staff_slug == target.staff_slug
                or other.model_class is target.model_class
            ):
                raise ValueError(f"Moderation target {target.key!r} collides with {other.key!r}.")
        declared.append(target)


def moderation_targets() -> list[ModerationTarget]:
    """Every declared moderation target, in lock order (see ``ModerationTarget``)."""
    return sorted(_targets.values(), key=lambda t: (t.lock_order, t.key))


def each_moderation_target(listener: Callable[[ModerationTarget], None]) -> None:
    """Call ``listener`` for every declared target, now and when one is declared later
    (whatever the order of ``INSTALLED_APPS``): the moderation app connects the deletion
    of each target's rows so."""
    _target_listeners.append(listener)
    for target in list(_targets.values()):
        listener(target)


def moderation_keys() -> set[str]:
    return set(_targets)


def moderation_target(key: str) -> ModerationTarget:
    """The target declared with ``key`` (``KeyError`` if none is)."""
    return _targets[key]


def moderation_target_at(*, slug: str = "", staff_slug: str = "") -> ModerationTarget:
    """The target whose addresses use ``slug`` (or ``staff_slug``); ``KeyError`` if none."""
    for target in _targets.values():
        if (slug and target.slug == slug) or (staff_slug and target.staff_slug == staff_slug):
            return target
    raise KeyError(slug or staff_slug)


def moderation_target_of(row: Any) -> ModerationTarget:
    """The declared target of a row (``TypeError`` if its model is none)."""
    label = row._meta.label
    for target in _targets.values():
        if target.model == label or target.model_class._meta.label == label:
            return target
    raise TypeError(f"Not a moderation target: {row!r}")


def registered() -> list[ParticipationModule]:
    return list(_modules.values())


def bench_pages(context: BenchContext) -> list[BenchPage]:
    """Every module's benchmark pages, its data added first (see ``bench``)."""
    pages: list[BenchPage] = []
    for module in _modules.values():
        if module.bench is not None:
            pages.extend(module.bench(context))
    return pages


def statistics_sources(scope: Any) -> list[Any]:
    """Every module's ``Contributions`` in ``scope`` (see ``statistics``)."""
    return [
        source
        for module in _modules.values()
        if module.statistics is not None
        for source in module.statistics(scope)
    ]


def report_sections(project: Any) -> list[Any]:
    """Every module's section of ``project``'s council report (``report``), in order."""
    found = [module.report(project) for module in _modules.values() if module.report is not None]
    return sorted((s for s in found if s is not None), key=lambda s: (s.order, s.key))


def setup_pages() -> list[SetupPage]:
    """The modules' parts of a project's set-up, in the order staff see them."""
    pages = [page for module in _modules.values() for page in module.setup_pages]
    return sorted(pages, key=lambda page: (page.order, page.key))


def template_parts() -> dict[str, TemplatePart]:
    """The modules' parts of a process template by their key (see ``TemplatePart``)."""
    parts: dict[str, TemplatePart] = {}
    for module in _modules.values():
        if module.template is not None:
            if module.template.key in parts:
                raise ImproperlyConfigured(f"Template part {module.template.key!r} twice.")
            parts[module.template.key] = module.template
    return parts


def urlpatterns() -> list[Any]:
    """The modules' URL configurations (``urls``, e.g. "mitmachen.debates.urls"), for the
    root URLconf; their addresses are distinct, so the order does not matter."""
    from django.urls import include, path

    return [path("", include(module.urls)) for module in _modules.values() if module.urls]


def phase_actions() -> list[PhaseAction]:
    """Every action a phase may allow, in the order staff see them."""
    return sorted(_actions.values(), key=lambda a: (a.order, a.key))


def project_admin_inlines() -> list[type]:
    """The inlines modules add to a project's admin page (e.g. proposals' custom statuses)."""
    return [inline for module in _modules.values() for inline in module.project_admin_inlines]


def action_keys() -> set[str]:
    return set(_actions)


def action_choices() -> list[tuple[str, Any]]:
    return [(action.key, action.label) for action in phase_actions()]


def action_label(key: str) -> Any:
    return _actions[key].label


def block_queries(user: Any) -> list[QuerySet[Any]]:
    """The modules' queries for the rows that keep ``user`` from taking part (moderation's
    blocks), each with an ``organisation_id``; ``projects.permissions`` reads them together
    with the person's roles in one query."""
    return [module.blocks(user) for module in _modules.values() if module.blocks is not None]


# --- The page cache -------------------------------------------------------------------
#
# The one way cached pages learn about writes: the declared models' signals (below) and
# ``changed()`` for writes that send none. Only this section calls ``core.page_cache``'s
# touch functions (``projects.signals`` goes through ``changed()`` too).

# What lies below the modules and makes every cached page stale when it changes
# (connected in ``projects.signals``, with the projects' relations and the accounts).
EVERYWHERE_BELOW = (
    "organisations.Organisation",
    "organisations.District",
    "projects.Project",
    "projects.Phase",
    "projects.Topic",
)

# Models whose deletion makes the pages stale through its own signal: a row deleted in a
# cascade from one of them needs no receiver of its own to run (and look up its project).
_stale_when_deleted: set[str] = {*EVERYWHERE_BELOW, "accounts.User"}


def changed(*, project_id: int | None = None, everywhere: bool = False) -> None:
    """Cached pages change with the current transaction (once it commits; at once
    outside one) – for writes that send no model signal: ``QuerySet.update()``,
    ``bulk_create``, counters (``UPDATE … SET n = n + 1``).

    Saving or deleting a row of a declared model (``page_cache``, ``stale_everywhere``)
    needs no call: its signal does this. ``project_id``: that project's pages;
    ``everywhere=True``: every page (a write across projects, e.g. blocking an account
    hides its contributions in a whole municipality).
    """
    if everywhere == (project_id is not None):
        raise TypeError("changed() takes either project_id or everywhere=True.")
    if project_id is None:
        touch_everything_on_commit()
    else:
        touch_project_on_commit(project_id)


def _check_page_cache(module: ParticipationModule) -> None:
    """Each path of ``page_cache`` ends at a project (a typo would never invalidate);
    each part's whole is declared."""
    from mitmachen.projects.models import Project

    for cached in module.page_cache:
        model: type[Model] = apps.get_model(cached.model)
        *relations, last = cached.project.split(".")
        try:
            for step in relations:
                relation = model._meta.get_field(step)
                if not (relation.many_to_one or relation.one_to_one) or not relation.concrete:
                    raise FieldDoesNotExist(step)
                model = relation.related_model  # type: ignore[assignment]
            target = next(f for f in model._meta.concrete_fields if f.attname == last)
        except (FieldDoesNotExist, StopIteration):
            target = None
        if target is None or not target.many_to_one or target.related_model is not Project:
            raise ImproperlyConfigured(
                f"{module.label}: {cached.model} reaches no project by {cached.project!r}."
            )
        if cached.page_of and not _forward_path(apps.get_model(cached.model), cached.page_of):
            raise ImproperlyConfigured(
                f"{module.label}: {cached.model} reaches no object by {cached.page_of!r}."
            )
    declared = {apps.get_model(c.model) for c in module.page_cache}
    for part in module.page_cache_parts:
        apps.get_model(part.model)
        if apps.get_model(part.whole) not in declared:
            raise ImproperlyConfigured(
                f"{module.label}: {part.model} is a part of {part.whole}, which is not declared."
            )


def _forward_path(model: type[Model], path: str) -> bool:
    """Does ``path`` lead from ``model`` along foreign keys to a row?"""
    for step in path.split("."):
        try:
            relation = model._meta.get_field(step)
        except FieldDoesNotExist:
            return False
        if not (relation.many_to_one or relation.one_to_one) or not relation.concrete:
            return False
        model = relation.related_model  # type: ignore[assignment]
    return True


def _project_id(path: str, instance: Any) -> int | None:
    value = instance
    for step in path.split("."):
        value = getattr(value, step, None)
        if value is None:
            return None
    return int(value)


def _deleted_with_parent(sender: Any, instance: Any, origin: Any) -> bool:
    """Is ``instance`` deleted in a cascade from a row whose own signal makes the pages
    stale? (A row deleted with its parent belongs to the parent's project.)"""
    if origin is None or origin is instance:
        return False
    if isinstance(origin, QuerySet):
        if origin.model is sender:  # deleted itself, by a queryset
            return False
        return origin.model._meta.label in _stale_when_deleted
    return isinstance(origin, Model) and origin._meta.label in _stale_when_deleted


def _page_object(path: str, instance: Any) -> tuple[str, int] | None:
    """The object whose page shows ``instance`` (``CachedModel.page_of``), as
    ``core.page_cache`` names it."""
    value = instance
    for step in path.split("."):
        value = getattr(value, step, None)
        if value is None:
            return None
    return (value._meta.label_lower, value.pk)


def _row_changed(
    path: str, sender: Any, instance: Any = None, page_of: str = "", **kwargs: Any
) -> None:
    if _deleted_with_parent(sender, instance, kwargs.get("origin")):
        return
    project_id = _project_id(path, instance)
    obj = _page_object(page_of, instance) if page_of else None
    if project_id is not None and obj is not None:
        touch_object_on_commit(project_id, obj)
    elif project_id is not None:
        touch_project_on_commit(project_id)
    previous = instance.__dict__.pop("_mm_previous_project_id", None)
    if previous is not None and previous != project_id:
        touch_project_on_commit(previous)


def _remember_project(
    field: str, sender: Any, instance: Any = None, update_fields: Any = None, **kwargs: Any
) -> None:
    """A row moved to another project (in the admin) leaves the old project's pages stale too."""
    if instance.pk is None or (
        update_fields is not None and not {field, f"{field}_id"} & set(update_fields)
    ):
        return
    instance.__dict__["_mm_previous_project_id"] = (
        sender._default_manager.filter(pk=instance.pk).values_list(field, flat=True).first()
    )


def _relation_changed(
    cached: CachedModel,
    sender: Any,
    instance: Any = None,
    action: str = "",
    reverse: bool = False,
    pk_set: Any = None,
    **kwargs: Any,
) -> None:
    """A many-to-many relation of a declared row changed (e.g. a poll's Ortsteile)."""
    if not action.startswith("post_"):
        return
    if not reverse:  # ``instance`` is the declared row
        _row_changed(cached.project, sender, instance, page_of=cached.page_of)
        return
    if pk_set is None:  # cleared from the other side: which rows had it is gone
        touch_everything_on_commit()
        return
    rows = apps.get_model(cached.model)._default_manager.filter(pk__in=pk_set)
    for project_id in set(rows.values_list(cached.project.replace(".", "__"), flat=True)):
        touch_project_on_commit(project_id)


def _connect(cached: CachedModel) -> None:
    model = apps.get_model(cached.model)
    _stale_when_deleted.add(model._meta.label)
    receiver = partial(_row_changed, cached.project, page_of=cached.page_of)
    for signal in (post_save, post_delete):
        signal.connect(
            receiver,
            sender=model,
            weak=False,
            dispatch_uid=f"page-cache-{signal is post_save}-{cached.model}",
        )
    if "." not in cached.project:  # the row holds its project: it can be moved
        field = cached.project.removesuffix("_id")
        pre_save.connect(
            partial(_remember_project, field),
            sender=model,
            weak=False,
            dispatch_uid=f"page-cache-move-{cached.model}",
        )
    for relation in model._meta.many_to_many:
        m2m_changed.connect(
            partial(_relation_changed, cached),
            sender=relation.remote_field.through,
            weak=False,
            dispatch_uid=f"page-cache-m2m-{cached.model}-{relation.name}",
        )


def _everything_changed(sender: Any, **kwargs: Any) -> None:
    touch_everything_on_commit()


def _connect_everywhere(label: str) -> None:
    model = apps.get_model(label)
    _stale_when_deleted.add(model._meta.label)
    for signal in (post_save, post_delete):
        signal.connect(
            _everything_changed,
            sender=model,
            dispatch_uid=f"page-cache-all-{signal is post_save}-{label}",
        )
