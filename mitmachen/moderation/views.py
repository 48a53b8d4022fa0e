"""Reporting for residents; the moderation queue, decisions, blocks and log for staff.

Every kind of contribution (proposal, comment, debate) has a report page and a decision
page here; debates also keep their short hide/show page (linked from the debate).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mitmachen.comments.models import Comment
from mitmachen.core.permissions import decide
from mitmachen.core.redirects import next_path
from mitmachen.debates.models import Debate
from mitmachen.moderation import selectors, services
from mitmachen.moderation.forms import BlockForm, DebateModerationForm, DecisionForm, ReportForm
from mitmachen.moderation.models import Block, ModerationAction, Report
from mitmachen.moderation.permissions import MODERATING_ROLES, moderates, sees_hidden
from mitmachen.organisations.models import Membership, Organisation
from mitmachen.proposals.models import Proposal

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


def _proposal(pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("project__organisation", "author", "district"), pk=pk
    )


def _comment(pk: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("project__organisation", "proposal", "debate", "author"),
        pk=pk,
    )


def _debate(pk: int) -> Debate:
    return get_object_or_404(
        Debate.objects.select_related("project__organisation", "author"), pk=pk
    )


def _attach(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Reporting -----------------------------------------------------------------------------------


def _report(request: HttpRequest, target: services.Target) -> HttpResponse:
    if not request.user.has_perm("projects.view_project", target.project):
        raise Http404
    debate = getattr(target, "debate", None)
    if debate is not None and debate.is_hidden and not sees_hidden(request.user, target.project):
        raise Http404  # the comments of a hidden debate are hidden with it
    back = next_path(request, target.get_absolute_url(), fragment=True)
    refusal = decide(request.user, "moderation.report", target).reason
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
            _attach(form, error)
        else:
            messages.success(
                request,
                _("Danke für Ihre Meldung. Die Moderation prüft den Beitrag."),
            )
            return redirect(back)
    return render(
        request,
        "moderation/report_form.html",
        {
            "form": form,
            "target": target,
            "kind": services.target_field(target),
            "next": back,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    return _report(request, _proposal(pk))


@login_required
@require_http_methods(["GET", "POST"])
def report_comment(request: HttpRequest, pk: int) -> HttpResponse:
    return _report(request, _comment(pk))


@login_required
@require_http_methods(["GET", "POST"])
def report_debate(request: HttpRequest, pk: int) -> HttpResponse:
    return _report(request, _debate(pk))


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


def _open_reports() -> Prefetch[Any]:
    return Prefetch(
        "reports",
        queryset=Report.objects.filter(resolved_at__isnull=True).select_related("reporter"),
        to_attr="open_reports",
    )


def _proposals_of(organisation: Organisation) -> QuerySet[Proposal]:
    return Proposal.objects.filter(project__organisation=organisation).select_related(
        "project", "author"
    )


def _comments_of(organisation: Organisation) -> QuerySet[Comment]:
    return Comment.objects.filter(project__organisation=organisation).select_related(
        "project", "proposal", "debate", "author"
    )


def _debates_of(organisation: Organisation) -> QuerySet[Debate]:
    return Debate.objects.filter(project__organisation=organisation).select_related(
        "project", "author"
    )


VIEWS = {"offen": _("Offene Meldungen"), "ausgeblendet": _("Ausgeblendete Beiträge")}


@login_required
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    """Reported (or hidden) proposals, comments and debates of one municipality."""
    organisation, organisations = _organisation(request)
    view = request.GET.get("ansicht") if request.GET.get("ansicht") in VIEWS else "offen"
    proposals = _proposals_of(organisation)
    comments = _comments_of(organisation)
    debates = _debates_of(organisation)
    if view == "offen":
        proposals = proposals.filter(report_count__gt=0).order_by("-report_count", "-pk")
        comments = comments.filter(report_count__gt=0).order_by("-report_count", "-pk")
        debates = debates.filter(report_count__gt=0).order_by("-report_count", "-pk")
    else:
        proposals = proposals.filter(hidden_at__isnull=False).order_by("-hidden_at", "-pk")
        comments = comments.filter(hidden_at__isnull=False).order_by("-hidden_at", "-pk")
        debates = debates.filter(hidden_at__isnull=False).order_by("-hidden_at", "-pk")
    proposal_page = Paginator(proposals.prefetch_related(_open_reports()), PAGE_SIZE).get_page(
        request.GET.get("vseite")
    )
    comment_page = Paginator(comments.prefetch_related(_open_reports()), PAGE_SIZE).get_page(
        request.GET.get("kseite")
    )
    debate_page = Paginator(debates.prefetch_related(_open_reports()), PAGE_SIZE).get_page(
        request.GET.get("dseite")
    )
    context = {
        "organisation": organisation,
        "organisations": organisations,
        "view": view,
        "views": [{"key": k, "label": v, "current": k == view} for k, v in VIEWS.items()],
        "proposal_page": proposal_page,
        "comment_page": comment_page,
        "debate_page": debate_page,
        "open_count": Report.objects.filter(
            organisation=organisation, resolved_at__isnull=True
        ).count(),
    }
    return render(request, "moderation/queue.html", context)


def _decide(request: HttpRequest, target: services.Target) -> HttpResponse:
    """The page of one contribution: its reports, its log, and the decisions."""
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
                _attach(form, error)
            else:
                if done:
                    messages.success(request, message)
                else:
                    messages.info(request, _("Nichts zu tun: der Beitrag war schon so."))
                return redirect(request.path)
    field = services.target_field(target)
    reports = list(
        Report.objects.filter(**{field: target}).select_related("reporter", "resolved_by")
    )
    log = list(ModerationAction.objects.filter(**{field: target}).select_related("moderator")[:50])
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
            "kind": field,
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
def decide_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, _proposal(pk))


@login_required
@require_http_methods(["GET", "POST"])
def decide_comment(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, _comment(pk))


@login_required
@require_http_methods(["GET", "POST"])
def decide_debate(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, _debate(pk))


@login_required
@require_http_methods(["GET", "POST"])
def debate_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """The short page behind "Ausblenden (Moderation)" / "Wieder anzeigen" on a debate.

    One form with the reason; hides the debate (or shows it again) through the same
    services as the decision page, and returns to the debate.
    """
    debate = _debate(pk)
    if not request.user.has_perm("projects.view_project", debate.project) or not moderates(
        request.user, debate.project.organisation_id
    ):
        raise Http404
    form = DebateModerationForm(
        request.POST if request.method == "POST" else None, restore=debate.is_hidden
    )
    if request.method == "POST" and form.is_valid():
        service = services.restore if debate.is_hidden else services.hide
        try:
            done = service(
                moderator=request.user, target=debate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            if not done:
                messages.info(request, _("Nichts zu tun: jemand hat die Debatte schon geändert."))
            elif debate.is_hidden:
                messages.success(request, _("Die Debatte ist ausgeblendet."))
            else:
                messages.success(request, _("Die Debatte ist wieder sichtbar."))
            return redirect(debate)
    context = {"form": form, "project": debate.project, "debate": debate}
    return render(request, "moderation/debate_moderate.html", context)


# Staff: blocks and the log -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def block_user(request: HttpRequest, user_pk: int) -> HttpResponse:
    """Block a person in one municipality, or lift the block (``?kommune=slug``)."""
    organisation, _organisations = _organisation(request)
    person = get_object_or_404(get_user_model(), pk=user_pk, is_active=True)
    existing = Block.objects.filter(organisation=organisation, user=person).first()
    proposals, comments = selectors.contributions_of(organisation, person)
    debates = selectors.debates_of(organisation, person)
    # Only people who took part here (or are blocked here): the page is no way to look
    # up arbitrary accounts.
    if existing is None and not (proposals.exists() or comments.exists() or debates.exists()):
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
            _attach(form, error)
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
            "proposal_count": proposals.count(),
            "comment_count": comments.filter(deleted_at__isnull=True).count(),
            "debate_count": debates.count(),
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
