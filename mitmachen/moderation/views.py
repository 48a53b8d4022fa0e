"""Reporting for residents; the moderation queue, decisions, blocks and log for staff.

Every declared kind of contribution (``projects.modules.ModerationTarget``) has a report
page and a decision page here, one view each, parametrised by the target's key
(``urls.py`` gives each kind its addresses and URL names); a kind may also ask for a
short hide/show page linked from its own page (debates).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mitmachen.core.forms import attach_errors
from mitmachen.core.permissions import decide as decide_permission
from mitmachen.core.redirects import next_path
from mitmachen.moderation import selectors, services
from mitmachen.moderation.forms import BlockForm, DecisionForm, ReportForm, ShortModerationForm
from mitmachen.moderation.models import Block, ModerationAction, Report
from mitmachen.moderation.permissions import MODERATING_ROLES, moderates, sees_hidden
from mitmachen.organisations.models import Membership, Organisation
from mitmachen.projects import modules
from mitmachen.projects.modules import ModerationTarget

PAGE_SIZE = 25
ACTIONS = ("ausblenden", "wiederherstellen", "verwerfen")
REASON_LABELS = {
    "ausblenden": gettext_lazy("Begründung für das Ausblenden"),
    "wiederherstellen": gettext_lazy("Begründung für das Wieder-Anzeigen"),
    "verwerfen": gettext_lazy("Anmerkung zu den verworfenen Meldungen"),
}


def _decision_form(action: str, data: Any = None) -> DecisionForm:
    form = DecisionForm(data, prefix=action)
    form.fields["reason"].label = REASON_LABELS[action]
    return form


def _target(
    pk: int, *, key: str = "", slug: str = "", staff_slug: str = ""
) -> tuple[ModerationTarget, Any]:
    """The declared kind (by its key or an address word) and its row ``pk`` with what
    the pages show; 404 for an unknown kind or row."""
    try:
        if key:
            declared = modules.moderation_target(key)
        else:
            declared = modules.moderation_target_at(slug=slug, staff_slug=staff_slug)
        return declared, declared.load(pk)
    except (KeyError, ObjectDoesNotExist):
        raise Http404 from None


# Reporting -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Report a contribution of any declared kind (``/melden/<slug>/<pk>/``)."""
    declared, target = _target(pk, slug=slug)
    if not request.user.has_perm("projects.view_project", target.project):
        raise Http404
    if (
        declared.hidden_with is not None
        and declared.hidden_with(target)
        and not sees_hidden(request.user, target.project)
    ):
        raise Http404  # e.g. the comments of a hidden debate are hidden with it
    back = next_path(request, target.get_absolute_url(), fragment=True)
    refusal = decide_permission(request.user, "moderation.report", target).reason
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(reporter=request.user, target=target, **form.cleaned_data)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(back)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("Danke für Ihre Meldung. Die Moderation prüft den Beitrag."),
            )
            return redirect(back)
    return render(
        request,
        "moderation/report_form.html",
        {"form": form, "target": target, "declared": declared, "next": back},
    )


# Staff: where one moderates ------------------------------------------------------------------


def _moderated_organisations(user: Any) -> list[Organisation]:
    if user.is_superuser:
        return list(Organisation.objects.order_by("name"))
    return list(
        Organisation.objects.filter(
            memberships__user=user, memberships__role__in=MODERATING_ROLES
        ).order_by("name")
    )


def _organisation(request: HttpRequest) -> tuple[Organisation, list[Organisation]]:
    """The municipality whose queue is shown (``?kommune=slug``), among those moderated."""
    organisations = _moderated_organisations(request.user)
    if not organisations:
        raise PermissionDenied(_("Sie moderieren in keiner Kommune."))
    wanted = request.GET.get("kommune") or request.POST.get("kommune")
    chosen = next((o for o in organisations if o.slug == wanted), None)
    if chosen is None:
        # Without a choice: where most reports wait (ties: alphabetical).
        waiting = Counter(
            dict(
                Report.objects.filter(organisation__in=organisations, resolved_at__isnull=True)
                .order_by()
                .values_list("organisation_id")
                .annotate(n=Count("pk"))
                .values_list("organisation_id", "n")
            )
        )
        chosen = max(organisations, key=lambda o: waiting[o.pk]) if waiting else organisations[0]
    return chosen, organisations


VIEWS = {"offen": _("Offene Meldungen"), "ausgeblendet": _("Ausgeblendete Beiträge")}


def _queue_rows(organisation: Organisation, view: str) -> QuerySet[Any]:
    """(kind, id, sort key) of every listed contribution of every declared kind, as one
    query (a union): reported ones by their number of open reports, hidden ones newest
    first. The paginator counts and slices it in the database."""
    parts = []
    for declared in modules.moderation_targets():
        rows = declared.rows().filter(project__organisation=organisation)
        if view == "offen":
            rows, sort = rows.filter(report_count__gt=0), F("report_count")
        else:
            rows, sort = rows.filter(hidden_at__isnull=False), F("hidden_at")
        parts.append(
            rows.order_by()
            .annotate(
                q_kind=Value(declared.key, output_field=CharField()), q_id=F("pk"), q_sort=sort
            )
            .values_list("q_kind", "q_id", "q_sort")
        )
    first, *others = parts
    return first.union(*others, all=True).order_by("-q_sort", "-q_id", "q_kind")


def _queue_items(entries: list[tuple[str, int, Any]]) -> list[dict[str, Any]]:
    """The page's contributions with their open reports: a query per kind on the page,
    and one for the reports."""
    ids: dict[str, list[int]] = defaultdict(list)
    for key, pk, _sort in entries:
        ids[key].append(pk)
    loaded = {
        key: modules.moderation_target(key)
        .rows()
        .select_related(*modules.moderation_target(key).select_related)
        .in_bulk(pks)
        for key, pks in ids.items()
    }
    open_reports: dict[tuple[str, int], list[Report]] = defaultdict(list)
    if ids:
        about = Q()
        for key, pks in ids.items():
            about |= Q(target_kind=key, target_id__in=pks)
        for r in Report.objects.filter(about, resolved_at__isnull=True).select_related("reporter"):
            open_reports[(r.target_kind, r.target_id)].append(r)  # type: ignore[index]
    items = []
    for key, pk, _sort in entries:
        row = loaded[key].get(pk)
        if row is None:  # deleted between the two queries
            continue
        declared = modules.moderation_target(key)
        items.append(
            {
                "target": row,
                "label": declared.label,
                "headline": declared.headline(row),
                "context": declared.context_of(row),
                "url": reverse("moderation:decide", args=[declared.staff_slug, pk]),
                "open_reports": open_reports[(key, pk)],
            }
        )
    return items


@login_required
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    """Reported (or hidden) contributions of every kind in one municipality, one list."""
    organisation, organisations = _organisation(request)
    view = request.GET.get("ansicht", "")
    view = view if view in VIEWS else "offen"
    page = Paginator(_queue_rows(organisation, view), PAGE_SIZE).get_page(request.GET.get("seite"))
    context = {
        "organisation": organisation,
        "organisations": organisations,
        "view": view,
        "views": [{"key": k, "label": v, "current": k == view} for k, v in VIEWS.items()],
        "page": page,
        "items": _queue_items(list(page.object_list)),
        "open_count": Report.objects.filter(
            organisation=organisation, resolved_at__isnull=True
        ).count(),
    }
    return render(request, "moderation/queue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, staff_slug: str, pk: int) -> HttpResponse:
    """The page of one contribution: its reports, its log, and the decisions."""
    declared, target = _target(pk, staff_slug=staff_slug)
    organisation = target.project.organisation
    if not moderates(request.user, organisation.pk):
        raise Http404
    forms = {action: _decision_form(action) for action in ACTIONS}
    if request.method == "POST":
        action = request.POST.get("aktion", "")
        if action not in ACTIONS:
            messages.error(request, _("Unbekannte Aktion."))
            return redirect(request.path)
        form = forms[action] = _decision_form(action, request.POST)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                if action == "ausblenden":
                    done: bool | int = services.hide(
                        moderator=request.user, target=target, reason=reason
                    )
                    message = _("Der Beitrag ist ausgeblendet.")
                elif action == "wiederherstellen":
                    done = services.restore(moderator=request.user, target=target, reason=reason)
                    message = _("Der Beitrag ist wieder sichtbar.")
                else:
                    done = services.dismiss_reports(
                        moderator=request.user, target=target, reason=reason
                    )
                    message = _("Die Meldungen sind geschlossen; der Beitrag bleibt sichtbar.")
            except ValidationError as error:
                attach_errors(form, error)
            else:
                if done:
                    messages.success(request, message)
                else:
                    messages.info(request, _("Nichts zu tun: der Beitrag war schon so."))
                return redirect(request.path)
    reports = list(Report.objects.about(target).select_related("reporter", "resolved_by"))
    log = list(ModerationAction.objects.about(target).select_related("moderator")[:50])
    author_block = None
    author_is_staff = False
    if target.author_id:
        author_block = Block.objects.filter(
            organisation=organisation, user_id=target.author_id
        ).first()
        author_is_staff = (
            target.author is not None and target.author.is_superuser
        ) or Membership.objects.filter(organisation=organisation, user_id=target.author_id).exists()
    return render(
        request,
        "moderation/decide.html",
        {
            "target": target,
            "declared": declared,
            "context": declared.context(target) if declared.context else "",
            "organisation": organisation,
            "open_reports": [r for r in reports if r.resolved_at is None],
            "closed_reports": [r for r in reports if r.resolved_at is not None],
            "log": log,
            "forms": forms,
            "author_block": author_block,
            "author_is_staff": author_is_staff,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    """The short page behind "Ausblenden (Moderation)" / "Wieder anzeigen" on a
    contribution's own page (a kind that declares ``short_page``: debates).

    One form with the reason; hides the contribution (or shows it again) through the
    same services as the decision page, and returns to it.
    """
    declared, target = _target(pk, key=key)
    if not request.user.has_perm("projects.view_project", target.project) or not moderates(
        request.user, target.project.organisation_id
    ):
        raise Http404
    form = ShortModerationForm(
        request.POST if request.method == "POST" else None, restore=target.is_hidden
    )
    if request.method == "POST" and form.is_valid():
        service = services.restore if target.is_hidden else services.hide
        try:
            done = service(
                moderator=request.user, target=target, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if not done:
                messages.info(request, _("Nichts zu tun: jemand hat den Beitrag schon geändert."))
            elif target.is_hidden:
                messages.success(request, _("Der Beitrag ist ausgeblendet."))
            else:
                messages.success(request, _("Der Beitrag ist wieder sichtbar."))
            return redirect(target.get_absolute_url())
    context = {"form": form, "project": target.project, "target": target, "declared": declared}
    return render(request, "moderation/moderate.html", context)


# Staff: blocks and the log -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def block_user(request: HttpRequest, user_pk: int) -> HttpResponse:
    """Block a person in one municipality, or lift the block (``?kommune=slug``)."""
    organisation, _organisations = _organisation(request)
    person = get_object_or_404(get_user_model(), pk=user_pk, is_active=True)
    existing = Block.objects.filter(organisation=organisation, user=person).first()
    # What the person wrote here, per kind: one count each.
    counts = [
        (declared, rows.count())
        for declared, rows in selectors.contributions_of(organisation, person)
    ]
    # Only people who took part here (or are blocked here): the page is no way to look
    # up arbitrary accounts.
    if existing is None and not any(n for _declared, n in counts):
        raise Http404
    form = BlockForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.POST.get("aktion") != (
        "aufheben" if existing else "sperren"
    ):
        # Sent twice, or another moderator was quicker: the form no longer fits.
        messages.info(request, _("Nichts zu tun: jemand hat die Sperrung inzwischen geändert."))
        return redirect(f"{reverse('moderation:blocks')}?kommune={organisation.slug}")
    if request.method == "POST" and form.is_valid():
        try:
            if existing:
                services.unblock(
                    moderator=request.user,
                    organisation=organisation,
                    user=person,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("Die Sperrung ist aufgehoben."))
            else:
                services.block(
                    moderator=request.user,
                    organisation=organisation,
                    user=person,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(
                    request, _("Das Konto ist gesperrt; seine Beiträge sind ausgeblendet.")
                )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect(f"{reverse('moderation:blocks')}?kommune={organisation.slug}")
    return render(
        request,
        "moderation/block_form.html",
        {
            "form": form,
            "person": person,
            "organisation": organisation,
            "existing": existing,
            "counts": [
                {"count": n, "noun": declared.label if n == 1 else declared.label_plural}
                for declared, n in counts
                if n
            ],
        },
    )


@login_required
@require_http_methods(["GET"])
def blocks(request: HttpRequest) -> HttpResponse:
    organisation, organisations = _organisation(request)
    page = Paginator(
        Block.objects.filter(organisation=organisation).select_related("user", "blocked_by"),
        PAGE_SIZE,
    ).get_page(request.GET.get("seite"))
    return render(
        request,
        "moderation/blocks.html",
        {"organisation": organisation, "organisations": organisations, "page": page},
    )


@login_required
@require_http_methods(["GET"])
def log(request: HttpRequest) -> HttpResponse:
    """The audit log of one municipality: every decision, newest first."""
    organisation, organisations = _organisation(request)
    page = Paginator(
        ModerationAction.objects.filter(organisation=organisation).select_related(
            "moderator", "target_user"
        ),
        50,
    ).get_page(request.GET.get("seite"))
    return render(
        request,
        "moderation/log.html",
        {"organisation": organisation, "organisations": organisations, "page": page},
    )
