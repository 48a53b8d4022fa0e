from __future__ import annotations

import pickle
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.core import page_cache
from mitmachen.core.channels import Channel
from mitmachen.core.forms import attach_errors, model_choices
from mitmachen.core.htmx import HtmxHttpRequest, render_page_or_fragment
from mitmachen.core.page_cache import PageObject, anonymous_page, fragment_key, page_object
from mitmachen.core.permissions import decide
from mitmachen.core.sections import draw
from mitmachen.organisations.views import districts_geojson
from mitmachen.projects import contributions
from mitmachen.projects.models import Project
from mitmachen.projects.permissions import sees_hidden
from mitmachen.projects.selectors import project_id_by_slug, project_id_of, visible_project_or_404
from mitmachen.proposals import fragments, selectors, services
from mitmachen.proposals.filters import ProposalFilter
from mitmachen.proposals.forms import (
    OfflineProposalForm,
    ProposalForm,
    StatusForm,
    WithdrawForm,
)
from mitmachen.proposals.models import Proposal, ProposalStatus, Support
from mitmachen.proposals.permissions import can, can_propose, is_author

PAGE_SIZE = 20
# A proposal's page shows its own supports and no other proposal's: another proposal's
# support leaves it cached (``core.page_cache``, per-object writes).
PROPOSAL_PAGE = page_object("proposals.proposal")


_PROJECT_PREFETCH = ("phases", "partner_organisations", "custom_statuses")


def _visible_project(request: HttpRequest, slug: str) -> Project:
    # Topics and Ortsteile are read by the forms' querysets, so not prefetched here.
    return visible_project_or_404(request.user, slug, prefetch=_PROJECT_PREFETCH)


def _rows(
    request: HttpRequest,
    project_id: int,
    name: str,
    load: Callable[[], Any],
    obj: PageObject | None = None,
) -> Any:
    """``load()``'s rows, kept per data version of the project (``core.page_cache``): every
    write to the project or anything global gives them a new key (``obj``: the rows of one
    object's page, which per-object writes to other objects leave current). Pickled, so
    each request gets objects of its own (a view may set attributes on them). Only with the
    cache on."""
    key = f"rows:{name}:{page_cache.data_version(project_id, request, obj)}"
    return pickle.loads(page_cache.fragment(request, key, lambda: pickle.dumps(load())))  # noqa: S301 - our own cache


def _readable_project(request: HttpRequest, slug: str) -> Project:
    """``_visible_project`` for the pages that only read it: the project with its phases,
    partner municipalities and custom statuses from the cache (three to four queries
    less); whether this person may see it is decided per request."""
    if not page_cache.ttl():
        return _visible_project(request, slug)
    project_id = project_id_by_slug(slug)
    if project_id is None:
        raise Http404

    def load() -> Project:
        return get_object_or_404(
            Project.objects.select_related("organisation").prefetch_related(*_PROJECT_PREFETCH),
            pk=project_id,
            slug=slug,
        )

    project: Project = _rows(request, project_id, f"project:{project_id}", load)
    if not request.user.has_perm("projects.view_project", project):
        raise Http404
    return project


def _visible_proposal(
    request: HttpRequest, pk: int, *, for_form: bool = False, check: bool = True
) -> Proposal:
    # The project's Ortsteile and topics only for the edit form's choices.
    choices = ("project__districts", "project__topics") if for_form else ()
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "project__organisation",
            "author",
            "topic",
            "district__organisation",  # the Ortsteil's address on the map
            "entered_by",
            "custom_status",
        ).prefetch_related("project__phases", *choices),
        pk=pk,
    )
    if check and not request.user.has_perm("projects.view_project", proposal.project):
        raise Http404
    return proposal


def _proposal_rows(
    request: HttpRequest, pk: int
) -> tuple[Proposal, list[Any], list[Any], list[Any]]:
    """The proposal page's rows – the proposal with its project, status changes, images and
    documents – from the cache (four to five queries less; ``_rows``); whether this person
    may see it is decided per request."""

    def load(check: bool = False) -> tuple[Proposal, list[Any], list[Any], list[Any]]:
        proposal = _visible_proposal(request, pk, check=check)
        return (
            proposal,
            list(proposal.status_changes.select_related("custom_status")),
            list(proposal.images.all()),
            list(proposal.attachments.all()),
        )

    if not page_cache.ttl():
        return load(check=True)
    project_id = project_id_of(Proposal)(pk=pk)
    if project_id is None:
        raise Http404
    rows = _rows(request, project_id, f"proposal:{pk}", load, PROPOSAL_PAGE(pk=pk))
    if not request.user.has_perm("projects.view_project", rows[0].project):
        raise Http404
    return rows


def _filtered(request: HttpRequest, project: Project) -> ProposalFilter:
    """The proposals of ``project`` after the filters in the query string (``.qs``)."""
    proposals = Proposal.objects.filter(project=project).for_listing()
    if not sees_hidden(request.user, project):
        proposals = proposals.not_hidden()
    return ProposalFilter(
        request.GET or None, proposals, project=project, seed=_shuffle_seed(request)
    )


@require_http_methods(["GET"])
@anonymous_page(project_id_by_slug)
def proposal_list(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    project = _readable_project(request, slug)
    filterset = _filtered(request, project)
    sort = filterset.chosen("sortierung")
    seed = _shuffle_seed(request)
    page = SimpleLazyObject(
        lambda: Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("seite"))
    )
    base = {"project": project, "form": filterset.form, "page": page}

    def build() -> fragments.Results:
        counts = [] if request.htmx else _channel_counts(request, project)
        return fragments.render(request, base, counts)

    # The cards are the same for everyone who sees them alike; the person's own supports
    # are filled in (``proposals.fragments``).
    results = fragments.results_for(
        request,
        project,
        staff=sees_hidden(request.user, project),
        cached=sort != "zufall",
        build=build,
    )
    context = {
        **base,
        "results_html": mark_safe(fragments.assemble(request, results)),  # noqa: S308
        "channel_counts": [] if request.htmx else results.channel_counts,
        # The filter form with its options is the same for everyone: rendered once.
        "filter_key": fragment_key(request, project.pk, "proposal-filter"),
        "filter_ttl": 10 * page_cache.ttl(),
        "can_propose": can_propose(request.user, project),
        "can_enter_offline": request.user.has_perm("projects.change_project", project),
    }
    response = render_page_or_fragment(
        request, "proposals/proposal_list.html", "proposals/proposal_list.html#results", context
    )
    if sort == "zufall" and SEED_COOKIE not in request.COOKIES:
        # Only when the visitor asked for the random order: the cookie is part of the
        # function they requested, not tracking.
        response.set_cookie(
            SEED_COOKIE,
            str(seed),
            max_age=60 * 60 * 24 * 30,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    return response


def _channel_counts(request: HttpRequest, project: Project) -> list[dict[str, Any]]:
    """How many proposals came in over each channel (online, market stand, …), one query."""
    proposals = Proposal.objects.filter(project=project)
    if not sees_hidden(request.user, project):
        proposals = proposals.not_hidden()
    counts = dict(
        proposals.order_by()
        .values_list("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
    )
    return [
        {"channel": value, "label": label, "count": counts[value]}
        for value, label in Channel.choices
        if counts.get(value)
    ]


SEED_COOKIE = "mm_reihenfolge"


def _shuffle_seed(request: HttpRequest) -> int:
    """Per-visitor seed for the random order, kept in a cookie (no session needed)."""
    if not hasattr(request, "_mm_shuffle_seed"):
        value = request.COOKIES.get(SEED_COOKIE, "")
        seed = int(value) if value.isdigit() and len(value) <= 9 else secrets.randbelow(10**9)
        request._mm_shuffle_seed = seed  # type: ignore[attr-defined]
    return request._mm_shuffle_seed  # type: ignore[attr-defined]


def _support_context(
    request: HttpRequest, proposal: Proposal, *, has_supported: bool | None = None
) -> dict[str, object]:
    """The support box's data. ``has_supported``: known after a write (not asked again)."""
    user = request.user
    if has_supported is None:
        has_supported = (
            user.is_authenticated and Support.objects.filter(proposal=proposal, user=user).exists()
        )
    allows = proposal.project.allows("support")
    # A refused ``Decision`` is falsy: ask ``is None`` for "not decided" (already supported).
    support = None if has_supported else decide(user, "proposals.support_proposal", proposal)
    return {
        "proposal": proposal,
        "has_supported": has_supported,
        "can_support": support is not None and support.allowed,
        "can_withdraw_support": has_supported and allows,
        "refusal": support.reason if support is not None else "",
    }


@require_http_methods(["GET"])
@anonymous_page(project_id_of(Proposal), object_of=PROPOSAL_PAGE)
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, status_changes, images, attachments = _proposal_rows(request, pk)
    staff_view = sees_hidden(request.user, proposal.project)
    if proposal.is_hidden and not staff_view:
        # Neither the text nor the title of hidden content is shown; the author learns why.
        return render(
            request,
            "proposals/proposal_hidden.html",
            {
                "proposal": proposal,
                "project": proposal.project,
                "is_author": is_author(request.user, proposal),
            },
        )
    point = []
    if proposal.has_point:
        point = [proposal.lon, proposal.lat]
    supported = following = False
    if request.user.is_authenticated:
        supported, following = selectors.supports_and_follows(proposal.pk, request.user.pk)
    context = {
        **_support_context(request, proposal, has_supported=supported),
        "project": proposal.project,
        "can_change": can(request.user, "change", proposal),
        "can_withdraw": can(request.user, "withdraw", proposal),
        "status_changes": status_changes,
        "images": images,
        # What other modules add: the discussion (comments), report and moderate (moderation).
        "discussion": draw(request, "proposal.discussion", proposal),
        "footer": draw(request, "proposal.footer", proposal),
        "attachments": attachments,
        "status_form": (
            StatusForm(project=proposal.project, initial=StatusForm.initial_for(proposal))
            if can(request.user, "respond", proposal)
            else None
        ),
        "can_follow": can(request.user, "follow", proposal),
        "is_following": following,
        "staff_view": staff_view,
        "point": point,
        "district_geojson": districts_geojson([proposal.district] if proposal.district else []),
    }
    return render(request, "proposals/proposal_detail.html", context)


MAP_PAGE_SIZE = 50


@require_http_methods(["GET"])
@anonymous_page(project_id_by_slug)
def proposal_map(request: HttpRequest, slug: str) -> HttpResponse:
    """Map of a project's proposals; the list below it is the accessible equivalent."""
    project = _visible_project(request, slug)
    filterset = _filtered(request, project)
    proposals, form = filterset.qs, filterset.form
    located = proposals.filter(lon__isnull=False)
    page = Paginator(located, MAP_PAGE_SIZE).get_page(request.GET.get("seite"))
    context = {
        "project": project,
        "form": form,
        "page": page,
        "without_point": proposals.filter(lon__isnull=True).count(),
        "geojson_url": f"{reverse('proposals:geojson', args=[project.slug])}?"
        f"{request.GET.urlencode()}",
        "districts_geojson": districts_geojson(
            list(model_choices(form, "ortsteil").select_related("organisation"))
        ),
    }
    return render(request, "proposals/proposal_map.html", context)


@require_http_methods(["GET"])
@anonymous_page(project_id_by_slug)
def proposal_geojson(request: HttpRequest, slug: str) -> JsonResponse:
    """GeoJSON of the project's located proposals (same filters as the list)."""
    project = _visible_project(request, slug)
    proposals = _filtered(request, project).qs
    rows = proposals.filter(lon__isnull=False).values_list(
        "pk",
        "title",
        "lon",
        "lat",
        "status",
        "support_count",
        "withdrawn_at",
        "custom_status",
        "hidden_at",
    )
    labels: dict[str, str | Promise] = dict(ProposalStatus.choices)
    labels.update({f"custom-{c.pk}": c.name for c in project.custom_statuses.all()})
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "id": pk,
                "title": title,
                "url": reverse("proposals:detail", args=[pk]),
                "status": str(labels.get(f"custom-{custom}" if custom else status, status)),
                "supports": supports,
                "withdrawn": withdrawn is not None,
                "hidden": hidden is not None,  # only staff get hidden ones at all
            },
        }
        for pk, title, lon, lat, status, supports, withdrawn, custom, hidden in rows
    ]
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Content-Type"] = "application/geo+json"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, slug: str) -> HttpResponse:
    project = _visible_project(request, slug)
    if not can_propose(request.user, project):
        messages.error(request, _("In dieser Phase können keine Vorschläge eingereicht werden."))
        return redirect(project)
    files = request.FILES
    if request.method == "POST":
        # Images and PDFs chosen before the look-alikes step come back from the session.
        files = services.pending_uploads_restore(
            session=request.session,
            project=project,
            files=request.FILES,
            discard=request.POST.getlist("datei_entfernen"),
        )
    form = ProposalForm(request.POST or None, files or None, project=project)
    similar: list[Proposal] = []
    if request.method == "POST" and form.is_valid() and not request.POST.get("trotzdem"):
        # Before publishing, show look-alikes so people support instead of duplicating.
        similar = selectors.similar(
            project.pk, form.cleaned_data["title"], form.cleaned_data["text"]
        )
    if request.method == "POST" and form.is_valid() and not similar:
        try:
            proposal = services.proposal_create(
                author=request.user, project=project, **form.service_data()
            )
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            services.pending_uploads_clear(session=request.session, project=project)
            messages.success(request, _("Vielen Dank! Ihr Vorschlag ist veröffentlicht."))
            return redirect(proposal)
    if request.method == "POST":
        # The form comes back (look-alikes or errors): keep the valid uploads for the next try.
        kept = services.pending_uploads_keep(
            session=request.session,
            project=project,
            files={
                name: upload
                for name in services.UPLOAD_FIELDS
                if (upload := getattr(form, "cleaned_data", {}).get(name))
            },
        )
        for name, entry in kept.items():
            form.fields[name].kept = entry  # type: ignore[attr-defined]
    return render(
        request,
        "proposals/proposal_form.html",
        {
            "form": form,
            "similar": similar,
            "project": project,
            "districts_geojson": districts_geojson(
                list(model_choices(form, "district").select_related("organisation"))
            ),
        },
    )


@require_http_methods(["GET"])
def proposal_similar(request: HttpRequest, slug: str) -> HttpResponse:
    """Look-alikes for a title being typed (htmx fragment; also usable without JS)."""
    project = _visible_project(request, slug)
    title = request.GET.get("title", "")[:120]
    similar = selectors.similar(project.pk, title) if len(title) >= 4 else []
    return render(request, "proposals/partials/similar.html", {"similar": similar})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_offline_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff enter proposals from offline formats; built for a tablet and for batches."""
    project = _visible_project(request, slug)
    if not request.user.has_perm("projects.change_project", project):
        raise Http404
    form = OfflineProposalForm(
        request.POST or None,
        request.FILES or None,
        project=project,
        initial={"submitted_on": timezone.localdate()},
        events=contributions.event_options(project),
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        consent, name = data.pop("offline_consent"), data.pop("offline_name")
        origin = services.OfflineOrigin(
            channel=data.pop("channel"),
            submitted_on=data.pop("submitted_on"),
            place=data.pop("offline_place"),
            # Without consent the name is not stored at all.
            name=name if consent else "",
            consent=consent,
            event_id=data.pop("event", None),
        )
        try:
            proposal = services.proposal_create(
                author=None, project=project, offline=origin, entered_by=request.user, **data
            )
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            if "weiter" not in request.POST:
                messages.success(
                    request,
                    _("Erfasst und veröffentlicht: „%(title)s“.") % {"title": proposal.title},
                )
                return redirect(proposal)
            messages.success(
                request,
                _("Erfasst: „%(title)s“. Sie können den nächsten Vorschlag eingeben.")
                % {"title": proposal.title},
            )
            # Keep the event details for the next entry of the same batch.
            query = urlencode(
                {
                    "kanal": origin.channel,
                    "datum": origin.submitted_on.isoformat(),
                    "ort": origin.place,
                    **({"veranstaltung": str(origin.event_id)} if origin.event_id else {}),
                    "weiter": "1",
                }
            )
            return redirect(f"{request.path}?{query}")
    elif request.method == "GET":
        if request.GET.get("weiter") == "1":
            # In a batch, the cursor starts in the title: the event details are filled in.
            form.fields["title"].widget.attrs["autofocus"] = True
        form.initial.update(
            {
                key: value
                for key, value in {
                    "channel": request.GET.get("kanal"),
                    "submitted_on": request.GET.get("datum"),
                    "offline_place": request.GET.get("ort", "")[:200],
                    "event": request.GET.get("veranstaltung"),
                }.items()
                if value
            }
        )
    return render(
        request,
        "proposals/proposal_offline_form.html",
        {"form": form, "project": project},
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk, for_form=True)
    if not can(request.user, "change", proposal):
        messages.error(
            request,
            _("Dieser Vorschlag kann nicht mehr bearbeitet werden, weil er schon Reaktionen hat."),
        )
        return redirect(proposal)
    initial = {
        "title": proposal.title,
        "text": proposal.text,
        "topic": proposal.topic_id,
        "district": proposal.district_id,
        "place_description": proposal.place_description,
        "lon": proposal.lon,
        "lat": proposal.lat,
    }
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        project=proposal.project,
        proposal=proposal,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(user=request.user, proposal=proposal, **form.service_data())
        except ValidationError as error:
            _attach_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(proposal)
        else:
            messages.success(request, _("Ihre Änderungen sind gespeichert."))
            return redirect(proposal)
    return render(
        request,
        "proposals/proposal_form.html",
        {
            "form": form,
            "project": proposal.project,
            "proposal": proposal,
            "districts_geojson": districts_geojson(
                list(model_choices(form, "district").select_related("organisation"))
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    if not can(request.user, "withdraw", proposal):
        raise Http404
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.proposal_withdraw(user=request.user, proposal=proposal, **form.cleaned_data)
        messages.success(request, _("Ihr Vorschlag wurde zurückgezogen."))
        return redirect(proposal)
    return render(request, "proposals/proposal_withdraw.html", {"form": form, "proposal": proposal})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff set the status with a public response (the form sits on the detail page)."""
    proposal = _visible_proposal(request, pk)
    if not can(request.user, "respond", proposal):
        raise Http404
    form = StatusForm(
        request.POST if request.method == "POST" else None,
        project=proposal.project,
        initial=StatusForm.initial_for(proposal),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.status_set(user=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            messages.success(request, _("Status und Rückmeldung sind veröffentlicht."))
            return redirect(proposal)
    return render(request, "proposals/proposal_status.html", {"form": form, "proposal": proposal})


@require_POST
def proposal_support(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Support or withdraw (``unterstuetzen=0``). With htmx, the answer is the support
    box alone, drawn from what the write returned (count, quorum, the person's support)."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("project__organisation").prefetch_related(
            "project__phases"
        ),
        pk=pk,
    )
    if not request.user.has_perm("projects.view_project", proposal.project):
        raise Http404
    if not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={proposal.get_absolute_url()}")
    has_supported: bool | None
    try:
        if request.POST.get("unterstuetzen") == "0":
            changed = services.support_withdraw(user=request.user, proposal=proposal)
            message = _("Sie unterstützen diesen Vorschlag nicht mehr.") if changed else ""
            has_supported = False
        else:
            changed = services.support_add(user=request.user, proposal=proposal)
            message = _("Vielen Dank für Ihre Unterstützung!") if changed else ""
            has_supported = True
        level = messages.SUCCESS
    except PermissionDenied as error:
        message, level, has_supported = str(error), messages.ERROR, None
    if request.htmx:
        context = {
            **_support_context(request, proposal, has_supported=has_supported),
            "status_message": message,
        }
        return render(request, "proposals/partials/support_box.html", context)
    if message:
        messages.add_message(request, level, message)
    return redirect(proposal)


@login_required
@require_POST
def proposal_follow(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Follow or unfollow (``folgen=0``); works as a plain form and with htmx."""
    proposal = _visible_proposal(request, pk)
    level = messages.SUCCESS
    if request.POST.get("folgen") == "0":
        services.proposal_unfollow(user=request.user, proposal=proposal)
        following, message = False, _("Sie folgen diesem Vorschlag nicht mehr.")
    else:
        try:
            services.proposal_follow(user=request.user, proposal=proposal)
        except PermissionDenied as error:
            following, message, level = False, str(error), messages.ERROR
        else:
            following = True
            message = _("Sie folgen jetzt diesem Vorschlag und werden über Neues benachrichtigt.")
    if request.htmx:
        return render(
            request,
            "proposals/partials/follow_button.html",
            {
                "proposal": proposal,
                "is_following": following,
                "can_follow": can(request.user, "follow", proposal),
                "status_message": message,
            },
        )
    messages.add_message(request, level, message)
    return redirect(proposal)


def _login_url() -> str:
    from django.urls import reverse

    return reverse("account_login")


def _attach_errors(form: ProposalForm | StatusForm, error: ValidationError) -> None:
    attach_errors(form, error, not_on=("lon", "lat"))
