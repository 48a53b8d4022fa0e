"""Thin views for comments: parse input with a form, check, call a service, render.

Every flow works without JavaScript (forms post and redirect back to the page they
came from, at the comment); with htmx, the thread list, one comment or its rating
box is swapped in place and a status message goes to ``#kommentare-status``.

The comments page of a registered target (a debate, ``comments.targets``) is
``target_comments``, at the address and under the name its registration gives.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.accounts.models import DELETED_ACCOUNT_NAME
from mitmachen.comments import fragments, selectors, services, targets
from mitmachen.comments.forms import CommentForm, RatingForm
from mitmachen.comments.models import Comment, Stance
from mitmachen.comments.permissions import can
from mitmachen.comments.targets import Commentable
from mitmachen.core.channels import Channel
from mitmachen.core.csv_export import csv_response
from mitmachen.core.forms import attach_errors
from mitmachen.core.htmx import HtmxHttpRequest, render_page_or_fragment
from mitmachen.core.redirects import local_path, next_path
from mitmachen.core.sections import draw
from mitmachen.projects.models import Project
from mitmachen.projects.permissions import sees_hidden
from mitmachen.projects.selectors import visible_project_or_404
from mitmachen.proposals.models import Proposal

RATED = {
    1: gettext_lazy("Sie stimmen diesem Kommentar zu."),
    -1: gettext_lazy("Sie lehnen diesen Kommentar ab."),
    0: gettext_lazy("Ihre Bewertung ist zurückgenommen."),
}


# --- Loading what the visitor may see -------------------------------------------------------


def _visible_project(request: HttpRequest, slug: str) -> Project:
    return visible_project_or_404(request.user, slug)


def _visible_proposal(request: HttpRequest, pk: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related("project__organisation").prefetch_related(
            "project__phases", "project__partner_organisations"
        ),
        pk=pk,
    )
    if not request.user.has_perm("projects.view_project", proposal.project):
        raise Http404
    return proposal


def _visible_target(request: HttpRequest, kind: targets.CommentTarget, pk: int) -> Any:
    project = kind.project_path
    target: Any = get_object_or_404(
        kind.model._default_manager.select_related(f"{project}__organisation").prefetch_related(
            f"{project}__phases", f"{project}__partner_organisations"
        ),
        pk=pk,
    )
    if not request.user.has_perm("projects.view_project", target.project):
        raise Http404
    if kind.hidden(target) and not sees_hidden(request.user, target.project):
        raise Http404
    return target


def _visible_comment(request: HttpRequest, pk: int) -> Comment:
    keys = [kind.field for kind in targets.registered()]
    comment = get_object_or_404(
        Comment.objects.select_related(
            "project__organisation", "proposal", *keys, "author", "parent", "reply_to__author"
        ).prefetch_related("project__phases", "project__partner_organisations"),
        pk=pk,
    )
    if not request.user.has_perm("projects.view_project", comment.project):
        raise Http404
    target = targets.of_comment(comment)
    if target is not None and target.kind.hidden(target.obj):
        # A hidden debate's comments are hidden with it (staff still see them).
        if not sees_hidden(request.user, comment.project):
            raise Http404
    return comment


# --- Where to go back to ----------------------------------------------------------------------


def _next_url(request: HttpRequest, fallback: str) -> str:
    """The page a form came from (``next``), if it is on this site."""
    return next_path(request, fallback)


def _return_url(request: HttpRequest) -> str:
    """For a fragment: the page it is shown in, with the fragment's query string."""
    htmx = getattr(request, "htmx", None)
    current = local_path(request, htmx.current_url) if htmx else ""
    if not current:
        return request.get_full_path()
    path = urlsplit(current).path
    query = request.GET.urlencode()
    return f"{path}?{query}" if query else path


def _replace_query(url: str, **changes: str | None) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return urlunsplit(("", "", parts.path, urlencode(query), ""))


def _target_page(
    project: Project, proposal: Proposal | None, debate: Commentable | None = None
) -> str:
    if debate is not None:
        return debate.get_absolute_url()
    return proposal.get_absolute_url() if proposal is not None else project.get_absolute_url()


# A new top-level comment is first on the first page of all comments, newest first.
_TO_NEWEST = {selectors.SORT_PARAM: None, selectors.PAGE_PARAM: None, selectors.STANCE_PARAM: None}


def _on_thread_page(url: str) -> bool:
    try:
        return resolve(urlsplit(url).path).view_name == "comments:thread"
    except Resolver404:
        return False


def _anchor(comment: Comment) -> str:
    return f"#kommentar-{comment.pk}"


def _after_create(comment: Comment, next_url: str) -> str:
    """Where a new comment can be seen: back on the page it came from, when it shows there."""
    if comment.parent_id is None:
        # New top-level comments are first in the default order, on the first page.
        url = _replace_query(next_url, **_TO_NEWEST)
        return url + _anchor(comment)
    rank = selectors.reply_rank(comment)
    if rank <= selectors.REPLIES_SHOWN and not _on_thread_page(next_url):
        return next_url + _anchor(comment)
    page = selectors.reply_page_number(rank)
    url = reverse("comments:thread", args=[comment.parent_id])
    if page > 1:
        url += f"?{selectors.REPLY_PAGE_PARAM}={page}"
    return url + _anchor(comment)


def _login(next_url: str) -> HttpResponse:
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


def _attach_errors(form: CommentForm, error: ValidationError) -> None:
    attach_errors(form, error, not_on=("reply_to",))


# --- Thread list of a proposal, a registered target (a debate) or a project ----------------


@require_http_methods(["GET", "POST"])
def proposal_comments(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    return _target(request, proposal.project, proposal)


@require_http_methods(["GET", "POST"])
def project_comments(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    return _target(request, _visible_project(request, slug), None)


@require_http_methods(["GET", "POST"])
def target_comments(request: HtmxHttpRequest, pk: int, field: str) -> HttpResponse:
    """The comments of a registered target (``Comment.<field>``, e.g. a debate)."""
    target = _visible_target(request, targets.get(field), pk)
    return _target(request, target.project, None, target)


def _target(
    request: HtmxHttpRequest,
    project: Project,
    proposal: Proposal | None,
    debate: Commentable | None = None,
) -> HttpResponse:
    if request.method == "POST":
        return _create(request, project, proposal, debate)
    thread = fragments.thread_for_request(
        request, project=project, proposal=proposal, debate=debate, return_url=_return_url(request)
    )
    return _render_thread(request, thread, project=project, proposal=proposal, debate=debate)


def _render_thread(
    request: HttpRequest,
    thread: selectors.Thread | fragments.CachedThread,
    status_message: str = "",
    *,
    project: Project,
    proposal: Proposal | None,
    debate: Commentable | None = None,
) -> HttpResponse:
    context = {
        "thread": thread,
        "project": project,
        "proposal": proposal,
        "target": targets.commented_object(debate),
        "status_message": status_message,
    }
    return render_page_or_fragment(
        request, "comments/thread_page.html", "comments/partials/thread_body.html", context
    )


def _create(
    request: HtmxHttpRequest,
    project: Project,
    proposal: Proposal | None,
    debate: Commentable | None = None,
) -> HttpResponse:
    next_url = _next_url(request, _target_page(project, proposal, debate))
    if not request.user.is_authenticated:
        return _login(next_url)
    target = targets.commented_object(debate)
    if target is not None and target.refusal:
        # Closed (or hidden): say so before judging the form, whatever was sent.
        return _refused(request, project, proposal, target.refusal, next_url, debate)
    form = CommentForm.from_post(
        request.POST, stance=target is not None and target.kind.takes_stances
    )
    reply_to = None
    if form.is_valid() and form.cleaned_data["reply_to"]:
        reply_to = (
            Comment.objects.select_related("parent")
            .filter(pk=form.cleaned_data["reply_to"])
            .first()
        )
        if reply_to is None:
            form.add_error(None, _("Der Kommentar, auf den Sie antworten, gehört nicht hierher."))
    if form.is_valid():
        try:
            comment = services.comment_create(
                author=request.user,
                project=project,
                proposal=proposal,
                debate=debate,
                stance=form.chosen_stance,
                text=form.cleaned_data["text"],
                reply_to=reply_to,
                name_in_report=form.cleaned_data["name_in_report"],
            )
        except ValidationError as error:
            _attach_errors(form, error)
        except PermissionDenied as error:
            return _refused(request, project, proposal, str(error), next_url, debate)
        else:
            message = (
                _("Vielen Dank! Ihre Antwort ist veröffentlicht.")
                if reply_to
                else _("Vielen Dank! Ihr Kommentar ist veröffentlicht.")
            )
            if request.htmx:
                return _thread_fragment(
                    request,
                    project,
                    proposal,
                    next_url,
                    message,
                    new_top_level=not reply_to,
                    new_reply=comment if reply_to else None,
                    debate=debate,
                )
            messages.success(request, message)
            return redirect(_after_create(comment, next_url))
    return _invalid(request, project, proposal, form, next_url, debate)


def _thread_fragment(
    request: HttpRequest,
    project: Project,
    proposal: Proposal | None,
    next_url: str,
    message: str,
    *,
    new_top_level: bool = False,
    new_reply: Comment | None = None,
    form: CommentForm | None = None,
    debate: Commentable | None = None,
) -> HttpResponse:
    """The thread list for htmx, in the order and on the page the visitor was looking at.

    After a new top-level comment it shows the newest first, where that comment is.
    A new reply is shown under its comment even beyond the first replies, and takes
    the focus; should its comment no longer be on that page, htmx goes to the page
    where the reply is. A form with errors is put back where it was typed. In a
    debate, the stance counts at the top of the page are updated too (out of band:
    the registration's ``summary_template``).
    """
    if new_top_level:
        next_url = _replace_query(next_url, **_TO_NEWEST)
    query = dict(parse_qsl(urlsplit(next_url).query))
    if proposal is not None:
        proposal.refresh_from_db(fields=["comment_count", "withdrawn_at"])
    target = targets.commented_object(debate)
    if target is not None:
        # What the page shows of it and a comment may have changed, and whether it is open.
        fields = [*target.kind.counter_fields, *target.kind.state_fields]
        target.obj.refresh_from_db(fields=fields)
    thread = selectors.thread_for(
        user=request.user,
        project=project,
        proposal=proposal,
        debate=debate,
        sort=query.get(selectors.SORT_PARAM),
        page=query.get(selectors.PAGE_PARAM),
        stance=selectors.clean_stance(query.get(selectors.STANCE_PARAM)),
        new_reply=new_reply,
    )
    if new_reply is not None and thread.entry(new_reply.pk) is None:
        messages.success(request, message)
        response = HttpResponse(status=204)
        response["HX-Redirect"] = _after_create(new_reply, next_url)
        return response
    thread.return_url = next_url
    if form is not None and form.reply_id is None:
        thread.form = form
    elif form is not None:
        entry = thread.entry(form.reply_id)
        if entry is not None and entry.can_reply:
            entry.reply_form, entry.reply_open = form, True
        else:
            message = " ".join(str(e) for errors in form.errors.values() for e in errors)
    return render(
        request,
        "comments/partials/thread_body.html",
        {"thread": thread, "status_message": message, "update_summary": target is not None},
    )


def _invalid(
    request: HtmxHttpRequest,
    project: Project,
    proposal: Proposal | None,
    form: CommentForm,
    next_url: str,
    debate: Commentable | None = None,
) -> HttpResponse:
    """Show the text again with the errors; nothing was stored."""
    if request.htmx:
        message = _("Bitte prüfen Sie Ihre Eingaben.")
        return _thread_fragment(
            request, project, proposal, next_url, message, form=form, debate=debate
        )
    reply_to = None
    if form.reply_id is not None:
        reply_to = (
            Comment.objects.on(project=project, proposal=proposal, debate=debate)
            .for_display()
            .filter(pk=form.reply_id, deleted_at__isnull=True)
            .first()
        )
    if reply_to is not None:
        context = {
            "form": form,
            "reply_to": reply_to,
            "project": project,
            "proposal": proposal,
            "target": targets.commented_object(debate),
            "post_url": selectors.target_url(project, proposal, debate),
            "next_url": next_url,
        }
        return render(request, "comments/comment_reply.html", context)
    thread = selectors.thread_for(
        user=request.user, project=project, proposal=proposal, debate=debate
    )
    thread.form = form
    thread.return_url = next_url
    return _render_thread(request, thread, project=project, proposal=proposal, debate=debate)


def _refused(
    request: HtmxHttpRequest,
    project: Project,
    proposal: Proposal | None,
    message: str,
    next_url: str,
    debate: Commentable | None = None,
) -> HttpResponse:
    """Nothing was stored: back to the page with the reason (a message, or the status line)."""
    if request.htmx:
        return _thread_fragment(request, project, proposal, next_url, message, debate=debate)
    messages.error(request, message)
    return redirect(next_url + "#kommentare")


# --- One whole thread -----------------------------------------------------------------------


@require_http_methods(["GET"])
def comment_thread(request: HttpRequest, pk: int) -> HttpResponse:
    """A top-level comment with all its replies; for a reply, its thread at the reply."""
    comment = _visible_comment(request, pk)
    if comment.parent_id is not None:
        page = selectors.reply_page_number(selectors.reply_rank(comment))
        url = reverse("comments:thread", args=[comment.parent_id])
        if page > 1:
            url += f"?{selectors.REPLY_PAGE_PARAM}={page}"
        return redirect(url + _anchor(comment))
    thread = selectors.thread_of(
        user=request.user, comment=comment, page=request.GET.get(selectors.REPLY_PAGE_PARAM)
    )
    thread.return_url = request.get_full_path()
    context = {
        "thread": thread,
        "project": thread.project,
        "proposal": thread.proposal,
        "target": thread.target,
        # What other modules show under the comment (measures: "Daraus wurde …").
        "footer": draw(request, "comment.footer", comment),
    }
    return render(request, "comments/comment_thread.html", context)


# --- Edit, delete, rate ---------------------------------------------------------------------


def _own_comment(request: HttpRequest, pk: int) -> Comment:
    comment = _visible_comment(request, pk)
    if comment.author_id != request.user.pk and not can(request.user, "delete", comment):
        # Other people's comments: as if the page did not exist.
        raise Http404
    return comment


def _comment_fragment(
    request: HttpRequest, comment: Comment, next_url: str, message: str
) -> HttpResponse:
    entry = selectors.entry_for(
        user=request.user, comment=comment, in_list=not _on_thread_page(next_url)
    )
    context = {"entry": entry, "return_url": next_url, "status_message": message}
    return render(request, "comments/partials/comment_update.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    next_url = _next_url(request, comment.get_absolute_url().split("#")[0])
    if comment.author_id != request.user.pk:
        raise Http404
    if not can(request.user, "change", comment):
        message = _("Dieser Kommentar kann nicht mehr bearbeitet werden.")
        if request.htmx:
            return _comment_fragment(request, comment, next_url, message)
        messages.error(request, message)
        return redirect(next_url + _anchor(comment))
    form = CommentForm(
        request.POST or None, initial={"text": comment.text}, auto_id=f"bearbeiten-{pk}-%s"
    )
    form.fields["text"].label = _("Ihr Kommentar")
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_update(
                user=request.user, comment=comment, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            _attach_errors(form, error)
        except PermissionDenied as error:
            if request.htmx:
                return _comment_fragment(request, comment, next_url, str(error))
            messages.error(request, str(error))
            return redirect(next_url + _anchor(comment))
        else:
            message = _("Ihre Änderungen sind gespeichert.")
            if request.htmx:
                return _comment_fragment(request, comment, next_url, message)
            messages.success(request, message)
            return redirect(next_url + _anchor(comment))
    context = {"form": form, "comment": comment, "next_url": next_url, "project": comment.project}
    return render_page_or_fragment(
        request, "comments/comment_edit.html", "comments/partials/comment_edit.html", context
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    next_url = _next_url(request, comment.get_absolute_url().split("#")[0])
    if not can(request.user, "delete", comment):
        messages.error(request, _("Dieser Kommentar ist bereits gelöscht."))
        return redirect(next_url + _anchor(comment))
    if request.method == "POST":
        services.comment_delete(user=request.user, comment=comment)
        message = _("Der Kommentar wurde gelöscht.")
        if request.htmx:
            return _comment_fragment(request, comment, next_url, message)
        messages.success(request, message)
        return redirect(next_url + _anchor(comment))
    context = {"comment": comment, "next_url": next_url, "project": comment.project}
    return render(request, "comments/comment_delete.html", context)


@require_POST
def comment_rate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    comment = _visible_comment(request, pk)
    next_url = _next_url(request, comment.get_absolute_url().split("#")[0])
    if not request.user.is_authenticated:
        return _login(next_url)
    form = RatingForm(request.POST)
    level = messages.ERROR
    if not form.is_valid():
        message = _("Ungültige Bewertung.")
    else:
        try:
            value = services.comment_rate(
                user=request.user, comment=comment, value=form.cleaned_data["wert"]
            )
        except (PermissionDenied, ValidationError) as error:
            message = " ".join(getattr(error, "messages", [str(error)]))
        else:
            message, level = str(RATED[value]), messages.SUCCESS
    if request.htmx:
        comment.refresh_from_db(fields=["up_count", "down_count"])
        entry = selectors.entry_for(user=request.user, comment=comment)
        context: dict[str, Any] = {
            "entry": entry,
            "status_message": message,
            "return_url": next_url,
        }
        return render(request, "comments/partials/rating_update.html", context)
    messages.add_message(request, level, message)
    return redirect(next_url + _anchor(comment))


def export_header() -> list[str]:
    """The CSV columns: after the proposal, each registered target's id and title."""
    keys = [name for t in targets.registered() for name in (f"{t.csv_column}_id", t.csv_column)]
    return [
        "id",
        "geschrieben_am",
        "vorschlag_id",
        "vorschlag",
        *keys,
        "haltung",
        "antwort_zu_kommentar",
        "antwort_an_kommentar",
        "verfasst_von",
        "kanal",
        "text",
        "zustimmung",
        "ablehnung",
        "zustand",
    ]


@login_required
@require_http_methods(["GET"])
def project_comments_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """All comments of a project as CSV for staff of its municipality (streamed)."""
    project = get_object_or_404(Project, slug=slug)
    if not sees_hidden(request.user, project):
        raise Http404
    channels = {value: str(label) for value, label in Channel.choices}
    deleted_name = str(DELETED_ACCOUNT_NAME)
    anonymous_name = str(_("Teilnehmende Person"))
    offline_name = str(_("einer Teilnehmerin oder einem Teilnehmer"))
    stances = {value: str(label) for value, label in Stance.choices}
    states = {
        "visible": str(_("sichtbar")),
        "deleted": str(_("gelöscht")),
        "hidden": str(_("ausgeblendet")),
    }
    keys = [
        name
        for t in targets.registered()
        for name in (f"{t.field}_id", f"{t.field}__{t.title_field}")
    ]
    rows = (
        Comment.objects.filter(project=project)
        .order_by("pk")
        .values_list(
            "pk",
            "created_at",
            "proposal_id",
            "proposal__title",
            *keys,
            "stance",
            "parent_id",
            "reply_to_id",
            "author_id",
            "author__display_name",
            "channel",
            "text",
            "up_count",
            "down_count",
            "deleted_at",
            "hidden_at",
        )
        .iterator(chunk_size=2000)
    )

    zone = timezone.get_current_timezone()  # once, not per row (200,000 rows)

    def lines() -> Any:
        for row in rows:
            pk, created, proposal_id, proposal_title = row[:4]
            target_values = row[4 : 4 + len(keys)]
            (
                stance,
                parent_id,
                reply_to_id,
                author_id,
                display_name,
                channel,
                text,
                up,
                down,
                deleted_at,
                hidden_at,
            ) = row[4 + len(keys) :]
            if author_id is None:
                name = deleted_name if channel == Channel.ONLINE else offline_name
            else:
                name = display_name or anonymous_name
            state = "deleted" if deleted_at else "hidden" if hidden_at else "visible"
            yield (
                pk,
                created.astimezone(zone).isoformat(timespec="seconds"),
                proposal_id or "",
                proposal_title or "",
                *(value or "" for value in target_values),
                stances.get(stance, ""),
                parent_id or "",
                reply_to_id or "",
                name,
                channels.get(channel, channel),
                text,
                up,
                down,
                states[state],
            )

    return csv_response(f"kommentare-{project.slug}.csv", export_header(), lines())
