"""Thin views for debates: load what the visitor may see, check, call a service, render.

The thread of a debate is the comments app's (``comments/partials/thread.html``);
comments are posted to ``comments:debate``. Reporting, hiding and showing a debate
again are the moderation app's pages (``moderation:report_debate``,
``moderation:debate_moderate``, ``moderation:debate``). Every page works without
JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.core.forms import attach_errors
from mitmachen.core.page_cache import anonymous_page
from mitmachen.core.permissions import decide
from mitmachen.core.sections import draw
from mitmachen.debates import services
from mitmachen.debates.forms import ConclusionForm, DebateForm
from mitmachen.debates.models import Debate
from mitmachen.debates.permissions import can, manages
from mitmachen.projects.models import Project
from mitmachen.projects.permissions import sees_hidden
from mitmachen.projects.selectors import project_id_by_slug, project_id_of, visible_project_or_404

PAGE_SIZE = 20


def _visible_project(request: HttpRequest, slug: str) -> Project:
    return visible_project_or_404(request.user, slug)


def _visible_debate(request: HttpRequest, pk: int) -> Debate:
    """The debate if its project is visible (hidden debates too: the caller decides)."""
    debate = get_object_or_404(
        Debate.objects.select_related(
            "project__organisation", "author", "closed_by"
        ).prefetch_related("project__phases", "project__partner_organisations"),
        pk=pk,
    )
    if not request.user.has_perm("projects.view_project", debate.project):
        raise Http404
    return debate


def _data(request: HttpRequest) -> Any:
    """The submitted data of a POST (also when empty: then the form says what is missing)."""
    return request.POST if request.method == "POST" else None


def _attach_errors(form: Any, error: ValidationError) -> None:
    attach_errors(form, error)


# --- Reading ----------------------------------------------------------------------------------


@require_http_methods(["GET"])
@anonymous_page(project_id_by_slug)
def debate_list(request: HttpRequest, slug: str) -> HttpResponse:
    """A project's debates: open ones first (newest first), then the closed ones."""
    project = _visible_project(request, slug)
    debates = Debate.objects.filter(project=project).for_listing()
    staff_view = sees_hidden(request.user, project)
    if not staff_view:
        debates = debates.not_hidden()
    debates = debates.order_by(F("closed_at").desc(nulls_first=True), "-created_at", "-pk")
    page = Paginator(debates, PAGE_SIZE).get_page(request.GET.get("seite"))
    opening = decide(request.user, "debates.open_debate", project)
    context = {
        "project": project,
        "page": page,
        "staff_view": staff_view,
        "can_open": opening.allowed,
        "open_refusal": opening.reason,
    }
    return render(request, "debates/debate_list.html", context)


@require_http_methods(["GET"])
@anonymous_page(project_id_of(Debate))
def debate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The question, the conclusion once closed (on top), the stance counts and the thread."""
    debate = _visible_debate(request, pk)
    project = debate.project
    user = request.user
    if not can(user, "view", debate):
        # Neither the question nor the text of a hidden debate is shown; the author learns why.
        context = {
            "debate": debate,
            "project": project,
            "is_author": user.is_authenticated and debate.author_id == user.pk,
        }
        return render(request, "debates/debate_hidden.html", context)
    context = {
        "debate": debate,
        "project": project,
        "discussion": draw(request, "debate.discussion", debate),
        "can_change": can(user, "change", debate),
        "can_close": can(user, "close", debate),
        "can_reopen": can(user, "reopen", debate),
        "can_moderate": can(user, "moderate", debate),
        "footer": draw(request, "debate.footer", debate),
        "staff_view": sees_hidden(user, project),
    }
    return render(request, "debates/debate_detail.html", context)


# --- Writing ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def debate_create(request: HttpRequest, slug: str) -> HttpResponse:
    project = _visible_project(request, slug)
    opening = decide(request.user, "debates.open_debate", project)
    if not opening:
        messages.error(request, opening.reason)
        return redirect("debates:list", slug=project.slug)
    form = DebateForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            debate = services.debate_create(
                author=request.user, project=project, **form.cleaned_data
            )
        except ValidationError as error:
            _attach_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("debates:list", slug=project.slug)
        else:
            messages.success(request, _("Die Debatte ist eröffnet."))
            return redirect(debate)
    context = {"form": form, "project": project, "staff": manages(request.user, project)}
    return render(request, "debates/debate_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def debate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    debate = _visible_debate(request, pk)
    if not can(request.user, "view", debate):
        raise Http404
    editing = decide(request.user, "debates.change_debate", debate)
    if not editing:
        messages.error(request, editing.reason)
        return redirect(debate)
    initial = {"question": debate.question, "description": debate.description}
    form = DebateForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.debate_update(user=request.user, debate=debate, **form.cleaned_data)
        except ValidationError as error:
            _attach_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(debate)
        else:
            messages.success(request, _("Ihre Änderungen sind gespeichert."))
            return redirect(debate)
    context = {"form": form, "project": debate.project, "debate": debate}
    return render(request, "debates/debate_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def debate_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff close the debate with a conclusion, or change the conclusion of a closed one."""
    debate = _visible_debate(request, pk)
    closing = decide(request.user, "debates.close_debate", debate)
    if not closing:
        if not manages(request.user, debate.project):
            raise Http404
        messages.error(request, closing.reason)  # hidden
        return redirect(debate)
    form = ConclusionForm(_data(request), initial={"conclusion": debate.conclusion})
    if request.method == "POST" and form.is_valid():
        try:
            closed = services.debate_close(
                user=request.user, debate=debate, conclusion=form.cleaned_data["conclusion"]
            )
        except ValidationError as error:
            _attach_errors(form, error)
        except PermissionDenied as error:  # hidden in the meantime
            messages.error(request, str(error))
            return redirect(debate)
        else:
            messages.success(
                request,
                _("Die Debatte ist abgeschlossen; das Fazit steht oben auf der Seite.")
                if closed
                else _("Das Fazit ist gespeichert."),
            )
            return redirect(debate)
    context = {"form": form, "project": debate.project, "debate": debate}
    return render(request, "debates/debate_close.html", context)


@login_required
@require_POST
def debate_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    debate = _visible_debate(request, pk)
    if not can(request.user, "close", debate):
        raise Http404
    try:
        reopened = services.debate_reopen(user=request.user, debate=debate)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        if reopened:
            messages.success(request, _("Die Debatte ist wieder offen für Kommentare."))
        else:
            messages.info(request, _("Nichts zu tun: die Debatte war schon offen."))
    return redirect(debate)
