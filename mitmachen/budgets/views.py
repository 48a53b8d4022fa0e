"""Thin views of the Bürgerhaushalt: load what the visitor may see, check, call a
service, render. Every page works without JavaScript."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.accounts.models import User
from mitmachen.budgets import exports, results, services
from mitmachen.budgets.forms import (
    AssignForm,
    IdeaFilter,
    IdeaForm,
    OfflineIdeaForm,
    PaperBallotsForm,
    PaperBatchForm,
    ResultRuleForm,
    ReviewForm,
)
from mitmachen.budgets.models import (
    Ballot,
    BallotChoice,
    Budget,
    BudgetGroup,
    Feasibility,
    GroupResult,
    Idea,
    PaperBatch,
    ResultRule,
    ResultState,
)
from mitmachen.budgets.origin import attach_outcomes
from mitmachen.budgets.permissions import manages
from mitmachen.budgets.support_services import support_state
from mitmachen.core.forms import attach_errors
from mitmachen.core.page_cache import anonymous_page
from mitmachen.core.permissions import decide
from mitmachen.core.sections import draw
from mitmachen.organisations.views import districts_geojson
from mitmachen.projects import contributions
from mitmachen.projects.permissions import sees_hidden
from mitmachen.projects.selectors import project_id_of

PAGE_SIZE = 25
# More ticks than any ballot has ideas: a crafted request, not a ballot.
MAX_SUMMARY_IDS = 500
# The progress page reloads itself this often (seconds).
REFRESH_SECONDS = 3


def _visible_budget(request: HttpRequest, pk: int) -> Budget:
    budget = get_object_or_404(
        Budget.objects.select_related("project__organisation").prefetch_related(
            "project__phases", "project__partner_organisations"
        ),
        pk=pk,
    )
    if not request.user.has_perm("projects.view_project", budget.project):
        raise Http404
    return budget


def _groups(budget: Budget) -> list[BudgetGroup]:
    groups = list(budget.groups.prefetch_related("districts"))
    for group in groups:
        group.budget = budget  # the permission reads the project's phases already loaded
    return groups


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None


def _idea_form_context(form: IdeaForm, budget: Budget) -> dict[str, Any]:
    """The context of both idea forms: the Ortsteile for the map point picker."""
    districts = cast(Any, form.fields["district"]).queryset.select_related("organisation")
    return {
        "form": form,
        "budget": budget,
        "project": budget.project,
        "districts_geojson": districts_geojson(list(districts)),
    }


@require_http_methods(["GET"])
@anonymous_page(project_id_of(Budget))
def budget_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The budget: its groups with their money and ballots, and its ideas with filters."""
    budget = _visible_budget(request, pk)
    groups = _groups(budget)
    ideas = Idea.objects.filter(budget=budget).for_listing().order_by("-created_at", "-pk")
    staff_view = sees_hidden(request.user, budget.project)
    if not staff_view:
        ideas = ideas.not_hidden()
    filterset = IdeaFilter(request.GET or None, ideas, budget=budget, groups=budget.groups.all())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("seite"))
    submitting = decide(request.user, "budgets.submit_idea", budget)
    is_manager = manages(request.user, budget.project)
    context = {
        "budget": budget,
        "project": budget.project,
        "groups": [{"group": g, "vote": decide(request.user, "budgets.vote", g)} for g in groups],
        "filter_form": filterset.form,
        "page": page,
        "can_submit": submitting.allowed,
        "submit_refusal": submitting.reason,
        "can_enter_offline": is_manager
        and decide(request.user, "budgets.enter_offline_idea", budget).allowed,
        "staff_view": staff_view,
        "manages": is_manager,
        "rule_form": ResultRuleForm(initial={"result_rule": budget.result_rule})
        if is_manager and not budget.ballot_started()
        else None,
        "ballot_closed": budget.ballot_closed(),
        "ballot_started": budget.ballot_started(),
        "supports": bool(budget.support_phases()),
    }
    return render(request, "budgets/budget_detail.html", context)


@require_http_methods(["GET"])
@anonymous_page(project_id_of(Idea))
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(
        Idea.objects.select_related(
            "budget__project__organisation",
            "author",
            "district__organisation",
            "group",
            "entered_by",
        ).prefetch_related("budget__project__phases"),
        pk=pk,
    )
    project = idea.budget.project
    if not request.user.has_perm("projects.view_project", project):
        raise Http404
    staff_view = sees_hidden(request.user, project)
    if idea.is_hidden and not staff_view:
        # Neither the title nor the text of a hidden idea is shown; the author learns why.
        context = {
            "idea": idea,
            "budget": idea.budget,
            "project": project,
            "is_author": request.user.is_authenticated and idea.author_id == request.user.pk,
        }
        return render(request, "budgets/idea_hidden.html", context)
    context = {
        "idea": idea,
        "budget": idea.budget,
        "project": project,
        "can_review": decide(request.user, "budgets.review_idea", idea).allowed,
        "support": support_state(request.user, idea),
        "images": list(idea.images.all()),
        "point": [idea.lon, idea.lat] if idea.has_point else [],
        "district_geojson": districts_geojson(
            [idea.district] if idea.district and idea.has_point else []
        ),
        "staff_view": staff_view,
        "outcome": _idea_outcome(idea),
        "footer": draw(request, "budget_idea.footer", idea),
    }
    return render(request, "budgets/idea_detail.html", context)


def _idea_outcome(idea: Idea) -> dict[str, Any] | None:
    """How the idea fared in its group's stored result (one query): chosen or not under
    the binding rule and under the other, each with the plain-German reason of the
    results page; ``None`` while there is no result or the idea was not on the ballot."""
    result = GroupResult.objects.filter(group_id=idea.group_id, state=ResultState.DONE).first()
    if result is None or result.data is None:
        return None
    data: dict[str, Any] = result.data
    row = next((r for r in data["rows"] if r["idea"] == idea.pk), None)
    if row is None:
        return None
    binding = data["binding"]
    other = "greedy" if binding == "mes" else "mes"
    return {
        "won": bool(row[binding]),
        "why": results.explain(row, data, binding),
        "binding_label": ResultRule(binding).label,
        "won_other": bool(row[other]),
        "why_other": results.explain(row, data, other),
        "other_label": ResultRule(other).label,
    }


@login_required
@require_http_methods(["GET", "POST"])
def idea_offline_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff enter an idea handed in at a market stand, a workshop, by letter …; with
    "Speichern und nächste Idee erfassen" the channel, day and place stay for the next."""
    budget = _visible_budget(request, pk)
    if not manages(request.user, budget.project):
        raise Http404
    entering = decide(request.user, "budgets.enter_offline_idea", budget)
    if not entering:
        messages.error(request, entering.reason)
        return redirect(budget)
    form = OfflineIdeaForm(
        _data(request),
        _files(request),
        budget=budget,
        events=contributions.event_options(budget.project),
        initial={
            "submitted_on": request.GET.get("datum") or timezone.localdate(),
            "channel": request.GET.get("kanal", ""),
            "offline_place": request.GET.get("ort", "")[:200],
            "event": request.GET.get("veranstaltung"),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        consent, name = data.pop("offline_consent"), data.pop("offline_name")
        origin = services.OfflineOrigin(
            channel=data.pop("channel"),
            submitted_on=data.pop("submitted_on"),
            place=data.pop("offline_place"),
            name=name if consent else "",  # without consent the name is not stored at all
            event_id=data.pop("event", None),
        )
        try:
            idea = services.idea_submit(
                author=None, budget=budget, offline=origin, entered_by=request.user, **data
            )
        except ValidationError as error:
            attach_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(budget)
        else:
            if "weiter" not in request.POST:
                messages.success(
                    request, _("Erfasst und veröffentlicht: „%(title)s“.") % {"title": idea.title}
                )
                return redirect(idea)
            messages.success(
                request,
                _("Erfasst: „%(title)s“. Sie können die nächste Idee eingeben.")
                % {"title": idea.title},
            )
            query = urlencode(
                {
                    "kanal": origin.channel,
                    "datum": origin.submitted_on.isoformat(),
                    "ort": origin.place,
                    **({"veranstaltung": str(origin.event_id)} if origin.event_id else {}),
                }
            )
            return redirect(f"{request.path}?{query}")
    return render(
        request,
        "budgets/idea_offline_form.html",
        _idea_form_context(form, budget),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def idea_create(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _visible_budget(request, pk)
    submitting = decide(request.user, "budgets.submit_idea", budget)
    if not submitting:
        messages.error(request, submitting.reason)
        return redirect(budget)
    form = IdeaForm(_data(request), _files(request), budget=budget)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_submit(author=request.user, budget=budget, **form.service_data())
        except ValidationError as error:
            attach_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(budget)
        else:
            messages.success(
                request, _("Danke! Ihre Idee ist eingereicht; die Verwaltung prüft sie.")
            )
            return redirect(idea)
    return render(
        request,
        "budgets/idea_form.html",
        _idea_form_context(form, budget),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def idea_review(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(
        Idea.objects.select_related("budget__project__organisation", "group", "author"), pk=pk
    )
    if not manages(request.user, idea.budget.project):
        raise Http404
    reviewing = decide(request.user, "budgets.review_idea", idea)
    if not reviewing:
        messages.error(request, reviewing.reason)
        return redirect(idea)
    initial = {
        "feasible": {"feasible": "ja", "unfeasible": "nein"}.get(idea.feasibility),
        "official_cost": idea.official_cost or idea.estimated_cost,
        "time_frame": idea.time_frame,
        "explanation": idea.explanation,
    }
    form = ReviewForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_review(user=request.user, idea=idea, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(idea)
        else:
            messages.success(
                request, _("Die Prüfung ist gespeichert; die Person wurde benachrichtigt.")
            )
            return redirect(idea)
    context = {"form": form, "idea": idea, "budget": idea.budget, "project": idea.budget.project}
    context["assign_form"] = AssignForm(
        project=idea.budget.project, initial={"reviewer": idea.reviewer_id}
    )
    return render(request, "budgets/idea_review.html", context)


@login_required
@require_POST
def result_rule_set(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _visible_budget(request, pk)
    if not manages(request.user, budget.project):
        raise Http404
    form = ResultRuleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie eine Auszählungsregel."))
        return redirect(budget)
    try:
        services.budget_set_result_rule(
            user=request.user, budget=budget, result_rule=form.cleaned_data["result_rule"]
        )
    except (PermissionDenied, ValidationError) as error:
        messages.error(
            request, error.messages[0] if isinstance(error, ValidationError) else str(error)
        )
    else:
        messages.success(request, _("Die Auszählungsregel ist festgelegt."))
    return redirect(budget)


@login_required
@require_http_methods(["GET", "POST"])
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """A group's ballot: feasible ideas as checkboxes, the money left shown (knapsack)."""
    group = get_object_or_404(
        BudgetGroup.objects.select_related("budget__project__organisation").prefetch_related(
            "districts", "budget__project__phases"
        ),
        pk=pk,
    )
    budget = group.budget
    if not request.user.has_perm("projects.view_project", budget.project):
        raise Http404
    voting = decide(request.user, "budgets.vote", group)
    ideas = list(
        Idea.objects.on_ballot()
        .filter(group=group)
        .select_related("district")
        .order_by("title", "pk")
    )
    own = Ballot.objects.filter(group=group, voter=cast(User, request.user)).first()
    chosen: set[int] = set()
    if own is not None:
        chosen = set(BallotChoice.objects.filter(ballot=own).values_list("idea_id", flat=True))
    error = ""
    if request.method == "POST":
        submitted = request.POST.getlist("idee")
        if not voting:
            error = voting.reason
        else:
            try:
                services.ballot_submit(voter=request.user, group=group, idea_ids=submitted)
            except ValidationError as invalid:
                error = " ".join(invalid.messages)
            except PermissionDenied as refused:
                error = str(refused)
            else:
                messages.success(
                    request,
                    _(
                        "Ihr Stimmzettel ist gespeichert. Sie können ihn ändern, bis die "
                        "Abstimmung endet."
                    ),
                )
                return redirect("budgets:ballot", pk=group.pk)
        # Show what the person tried, so a correction starts from it.
        chosen = {int(i) for i in submitted if str(i).isdigit()}
    spent = sum(i.cost for i in ideas if i.pk in chosen)
    context = {
        "group": group,
        "budget": budget,
        "project": budget.project,
        "ideas": ideas,
        "chosen": chosen,
        "spent": spent,
        "left": group.amount - spent,
        "over": spent - group.amount,
        "voting": voting,
        "has_ballot": own is not None,
        "error": error,
    }
    return render(request, "budgets/ballot.html", context)


@login_required
@require_http_methods(["GET"])
def ballot_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The ballot's sum and what is left for the ticked ideas (``idee``), as the htmx
    fragment that follows each tick on the ballot page; without JavaScript the ballot
    page shows the same after saving. Reads only: the ballot is stored by ``ballot``.
    Ideas not on this group's ballot, and a choice over the money or over N, get the
    German message saving would give (the summary says when a choice is over the money
    or over N)."""
    group = get_object_or_404(BudgetGroup.objects.select_related("budget__project"), pk=pk)
    if not request.user.has_perm("projects.view_project", group.budget.project):
        raise Http404
    submitted = request.GET.getlist("idee")
    wanted = {int(i) for i in submitted if i.isdigit()}
    problem = ""
    if len(wanted) != len(submitted) or len(wanted) > MAX_SUMMARY_IDS:
        problem = _("Der Stimmzettel enthält eine ungültige Angabe.")
        wanted = set()
    ideas = Idea.objects.on_ballot().filter(group=group, pk__in=wanted).in_bulk()
    if not problem and not wanted <= ideas.keys():
        problem = _(
            "Der Stimmzettel enthält einen Vorschlag, der in dieser Gruppe nicht zur Wahl steht."
        )
    # Over the money (or over N) the summary itself says that saving is refused.
    spent = sum(i.cost for i in ideas.values())
    context = {
        "group": group,
        "chosen": set(ideas),
        "spent": spent,
        "left": group.amount - spent,
        "over": spent - group.amount,
        "problem": problem,
    }
    response = render(request, "budgets/partials/ballot_summary.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_http_methods(["GET"])
@anonymous_page(project_id_of(Budget))
def budget_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Each group's binding result, what the other rule would have chosen, and why."""
    budget = _visible_budget(request, pk)
    groups = _groups(budget)
    # Nothing is stored or shown before the ballot has closed (group_result gives None).
    # After it, the first visit starts the computations; until every group's is done the
    # visitor is sent to the progress page (which no cache keeps).
    stored: dict[int, GroupResult | None] = {g.pk: services.group_result(group=g) for g in groups}
    if any(r is not None and not r.done for r in stored.values()):
        # Small votes are computed at once where tasks run immediately: read again.
        stored = {r.group_id: r for r in GroupResult.objects.filter(group__in=groups)}
        if not all(r is not None and r.done for r in stored.values()):
            return redirect("budgets:results_progress", pk=budget.pk)
    # Feasible ideas, also those the moderation hid after the result (their row stays,
    # without the title): the stored result does not change.
    ideas = Idea.objects.filter(budget=budget, feasibility=Feasibility.FEASIBLE).in_bulk()
    other = "greedy" if budget.result_rule == "mes" else "mes"
    sections = []
    for group in groups:
        result = stored.get(group.pk)
        if result is None or result.data is None:
            continue
        data: dict[str, Any] = result.data
        rows = []
        for row in data["rows"]:
            idea = ideas.get(row["idea"])
            if idea is None:
                continue
            rows.append(
                {
                    **row,
                    "title": _("ausgeblendete Idee") if idea.is_hidden else idea.title,
                    "url": idea.get_absolute_url(),
                    "won": bool(row[data["binding"]]),
                    "won_other": bool(row[other]),
                    "why": results.explain(row, data, data["binding"]),
                    "why_other": results.explain(row, data, other),
                }
            )
        sections.append(
            {
                "group": group,
                "data": data,
                "rows": rows,
                "spent": data[f"{data['binding']}_spent"],
                "spent_other": data[f"{other}_spent"],
                "differs": any(r["won"] != r["won_other"] for r in rows),
            }
        )
    context = {
        "budget": budget,
        "project": budget.project,
        "sections": sections,
        "tracked": attach_outcomes(request.user, sections),
        "ballot_closed": budget.ballot_closed(),
        "binding_label": budget.get_result_rule_display(),
        "other_label": ResultRule(other).label,
    }
    return render(request, "budgets/results.html", context)


def _public_titles(ideas: Any) -> dict[int, str]:
    """Titles for the exports; a hidden idea's title is not public."""
    hidden = _("ausgeblendete Idee")
    return {
        pk: hidden if hidden_at else title
        for pk, title, hidden_at in ideas.values_list("pk", "title", "hidden_at")
    }


@require_http_methods(["GET"])
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """All groups' results as an XLSX workbook, once every one is computed."""
    budget = _visible_budget(request, pk)
    groups = _groups(budget)
    stored = {r.group_id: r for r in GroupResult.objects.filter(group__in=groups)}
    if not budget.ballot_closed() or not all(g.pk in stored and stored[g.pk].done for g in groups):
        raise Http404  # the workbook exists once the results do
    ordered = []
    for group in groups:
        stored[group.pk].group = group
        ordered.append(stored[group.pk])
    titles = _public_titles(Idea.objects.filter(budget=budget))
    response = HttpResponse(
        exports.xlsx_bytes(budget, ordered, titles),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="buergerhaushalt-{budget.pk}-ergebnis.xlsx"'
    )
    return response


@require_http_methods(["GET"])
def results_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """How far the background computation of each group's result has come. Reloads
    itself every few seconds without JavaScript (the ``Refresh`` header, through the
    results page) and sends the visitor to the results once all are done. Never cached:
    it changes by itself."""
    budget = _visible_budget(request, pk)
    groups = _groups(budget)
    stored = {r.group_id: r for r in GroupResult.objects.filter(group__in=groups)}
    if not budget.ballot_closed() or (
        len(stored) == len(groups) and all(r.done for r in stored.values())
    ):
        return redirect("budgets:results", pk=budget.pk)
    rows = []
    for group in groups:
        result = stored.get(group.pk)
        if result is not None:
            result.group = group
        rows.append(
            {
                "group": group,
                "result": result,
                "restart": decide(request.user, "budgets.restart_result", result)
                if result is not None and manages(request.user, budget.project)
                else None,
            }
        )
    running = any(
        stored.get(g.pk) is None or stored[g.pk].state in (ResultState.QUEUED, ResultState.RUNNING)
        for g in groups
    )
    response = render(
        request,
        "budgets/results_progress.html",
        {"budget": budget, "project": budget.project, "rows": rows, "running": running},
    )
    if running:
        # Back through the results page: it starts what is not started yet, shows the
        # results once all are done, and otherwise sends the visitor here again.
        response["Refresh"] = (
            f"{REFRESH_SECONDS}; url={reverse('budgets:results', args=[budget.pk])}"
        )
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
def result_restart(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_object_or_404(
        GroupResult.objects.select_related("group__budget__project__organisation"), pk=pk
    )
    budget = result.group.budget
    if not manages(request.user, budget.project):
        raise Http404
    try:
        services.group_result_restart(user=request.user, result=result)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Die Berechnung ist neu gestartet."))
    return redirect("budgets:results_progress", pk=budget.pk)


@require_http_methods(["GET"])
def group_pabulib(request: HttpRequest, pk: int) -> HttpResponse:
    """A group's closed election as a Pabulib ``.pb`` file (no data about persons)."""
    group = get_object_or_404(
        BudgetGroup.objects.select_related("budget__project__organisation").prefetch_related(
            "budget__project__phases"
        ),
        pk=pk,
    )
    budget = group.budget
    if not request.user.has_perm("projects.view_project", budget.project):
        raise Http404
    if not budget.ballot_closed():
        raise Http404  # the file exists once the vote is over
    election = services.election_of(group)
    titles = _public_titles(Idea.objects.filter(pk__in=election.costs))
    phases = budget.vote_phases()
    text = results.pabulib(
        election,
        titles=titles,
        rule=budget.result_rule,
        meta={
            "description": f"{budget.title}: {group.name}",
            "country": "Germany",
            "unit": budget.project.organisation.name,
            "subunit": group.name,
            "instance": budget.title,
            "date_begin": phases[0].start.date().isoformat(),
            "date_end": phases[-1].end.date().isoformat(),
            "language": "de",
        },
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="buergerhaushalt-gruppe-{group.pk}.pb"'
    return response


# --- Paper ballots (staff) ----------------------------------------------------------


def _managed_group(request: HttpRequest, pk: int) -> BudgetGroup:
    group = get_object_or_404(
        BudgetGroup.objects.select_related("budget__project__organisation").prefetch_related(
            "budget__project__phases"
        ),
        pk=pk,
    )
    if not manages(request.user, group.budget.project):
        raise Http404
    return group


@login_required
@require_http_methods(["GET", "POST"])
def paper_batches(request: HttpRequest, pk: int) -> HttpResponse:
    """A group's stacks of paper ballots, and a new stack."""
    group = _managed_group(request, pk)
    creating = decide(request.user, "budgets.create_paper_batch", group)
    form = PaperBatchForm(
        _data(request),
        initial={"collected_on": timezone.localdate()},
        events=contributions.event_options(group.budget.project),
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.paper_batch_create(user=request.user, group=group, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        except PermissionDenied as refused:
            messages.error(request, str(refused))
            return redirect("budgets:paper_batches", pk=group.pk)
        else:
            return redirect(batch)
    batches = (
        PaperBatch.objects.filter(group=group)
        .select_related("entered_by", "confirmed_by")
        .annotate(ballot_total=Count("ballots"))
    )
    context = {
        "group": group,
        "budget": group.budget,
        "project": group.budget.project,
        "batches": batches,
        "form": form if creating else None,
        "refusal": creating.reason,
    }
    return render(
        request, "budgets/paper_batches.html", context, status=400 if form.errors else 200
    )


def _managed_batch(request: HttpRequest, pk: int) -> PaperBatch:
    batch = get_object_or_404(
        PaperBatch.objects.select_related(
            "group__budget__project__organisation",
            "entered_by",
            "confirmed_by",
            "corrects",
            "correction",
        ),
        pk=pk,
    )
    if not manages(request.user, batch.group.budget.project):
        raise Http404
    return batch


@login_required
@require_http_methods(["GET", "POST"])
def paper_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter a stack's ballots, one per line; what it holds; its confirmation."""
    batch = _managed_batch(request, pk)
    group = batch.group
    entering = decide(request.user, "budgets.enter_paper_ballots", batch)
    form = PaperBallotsForm(_data(request))
    if request.method == "POST" and entering and form.is_valid():
        try:
            added = services.paper_ballots_add(
                user=request.user, batch=batch, lines=form.cleaned_data["lines"]
            )
        except ValidationError as error:
            form.add_error("lines", error.messages)
        except PermissionDenied as refused:
            messages.error(request, str(refused))
            return redirect(batch)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d Stimmzettel gespeichert.", "%(n)d Stimmzettel gespeichert.", len(added)
                )
                % {"n": len(added)},
            )
            return redirect(batch)
    elif request.method == "POST" and not entering:
        messages.error(request, entering.reason)
        return redirect(batch)
    ideas = list(Idea.objects.on_ballot().filter(group=group).order_by("pk"))
    costs = {i.pk: i.cost for i in ideas}
    ballots = []
    for ballot in Ballot.objects.filter(batch=batch).prefetch_related("choices").order_by("pk"):
        chosen = sorted(c.idea_id for c in ballot.choices.all())
        ballots.append(
            {"ballot": ballot, "chosen": chosen, "cost": sum(costs.get(i, 0) for i in chosen)}
        )
    confirming = decide(request.user, "budgets.confirm_paper_batch", batch)
    context = {
        "batch": batch,
        "group": group,
        "budget": group.budget,
        "project": group.budget.project,
        "ideas": ideas,
        "ballots": ballots,
        "form": form if entering else None,
        "entering": entering,
        "confirming": confirming,
        "correcting": decide(request.user, "budgets.correct_paper_batch", batch),
    }
    return render(request, "budgets/paper_batch.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def paper_batch_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _managed_batch(request, pk)
    try:
        services.paper_batch_confirm(user=request.user, batch=batch)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
    else:
        messages.success(request, _("Der Stapel ist bestätigt; seine Stimmzettel zählen."))
    return redirect(batch)


@login_required
@require_POST
def paper_ballot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = get_object_or_404(Ballot.objects.filter(batch__isnull=False), pk=pk)
    assert ballot.batch_id is not None
    batch = _managed_batch(request, ballot.batch_id)
    try:
        services.paper_ballot_delete(user=request.user, ballot=ballot)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Der Stimmzettel ist gelöscht."))
    return redirect(batch)
