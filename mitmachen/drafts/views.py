"""Thin views for drafts: load what the visitor may see, check, call a service, render.

Every page works without JavaScript: votes and suggestions are plain forms that return
to the paragraph.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.comments.models import Comment
from mitmachen.core.channels import Channel
from mitmachen.core.forms import attach_errors
from mitmachen.core.page_cache import anonymous_page
from mitmachen.core.permissions import decide
from mitmachen.core.redirects import next_path
from mitmachen.core.sections import draw
from mitmachen.drafts import diff, report, selectors, services, versions
from mitmachen.drafts.forms import (
    CompareForm,
    ImportForm,
    SuggestionForm,
    VersionForm,
    WeighingForm,
)
from mitmachen.drafts.importer import parse_markdown
from mitmachen.drafts.models import CommentWeighing, Paragraph, Suggestion, Vote
from mitmachen.drafts.origin import SUGGESTION_ORIGIN
from mitmachen.drafts.permissions import manages
from mitmachen.projects.origins import outcomes
from mitmachen.projects.permissions import moderates, sees_hidden
from mitmachen.projects.selectors import project_id_by_slug

VIEWS = ("text", "meistdiskutiert")


@require_http_methods(["GET"])
@anonymous_page(project_id_by_slug)
def draft_detail(request: HttpRequest, slug: str, draft: str) -> HttpResponse:
    """The whole text: contents, chapters, numbered paragraphs, counts in the margin."""
    document = selectors.visible_draft_or_404(request.user, slug, draft)
    view = request.GET.get("ansicht") if request.GET.get("ansicht") in VIEWS else "text"
    version = selectors.requested_version(document, request.GET.get("fassung"))
    chapters = selectors.chapters_with_paragraphs(document, version)
    votes = selectors.votes_of(request.user, document)
    for chapter in chapters:
        for paragraph in chapter.paragraph_list:  # type: ignore[attr-defined]
            paragraph.my_vote = votes.get(paragraph.pk)
    responding = decide(request.user, "drafts.respond", document)
    context: dict[str, Any] = {
        "draft": document,
        "project": document.project,
        "view": view,
        "chapters": chapters,
        "version": version,
        "versions": selectors.versions_of(document),
        # An older version is for reading: answers go to the current one.
        "responding": responding if version == document.version else None,
        "can_manage": manages(request.user, document),
    }
    if view == "meistdiskutiert":
        context["discussed"] = selectors.most_discussed(document)
    return render(request, "drafts/draft_detail.html", context)


def _paragraph(request: HttpRequest, slug: str, draft: str, key: str) -> Paragraph:
    """The paragraph ``key`` in the version asked for (``?fassung=<n>``), else in the
    current one; a paragraph that a later version dropped is shown in its last version."""
    document = selectors.visible_draft_or_404(request.user, slug, draft)
    version = selectors.requested_version(document, request.GET.get("fassung"))
    paragraph = (
        Paragraph.objects.select_related("chapter")
        .filter(draft=document, key=key, version__lte=version)
        .order_by("-version")
        .first()
    )
    if paragraph is None:
        raise Http404
    paragraph.draft = document
    return paragraph


@require_http_methods(["GET", "POST"])
def paragraph_detail(request: HttpRequest, slug: str, draft: str, key: str) -> HttpResponse:
    """One paragraph: its votes, the suggested wordings with their differences and
    weighing, and the form to suggest a wording."""
    paragraph = _paragraph(request, slug, draft, key)
    document = paragraph.draft
    staff = manages(request.user, document)
    responding = decide(request.user, "drafts.respond", document)
    current = paragraph.version == document.version
    may_suggest = (responding.allowed or staff) and current
    form = SuggestionForm(
        request.POST if request.method == "POST" else None,
        initial={"text": paragraph.text},
        staff=staff,
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_suggest:
            messages.error(
                request,
                responding.reason if current else _("Antworten gehen an die aktuelle Fassung."),
            )
            return redirect(request.get_full_path())
        if form.is_valid():
            try:
                suggestion = services.suggestion_create(
                    by=request.user,
                    paragraph=paragraph,
                    text=form.cleaned_data["text"],
                    reason=form.cleaned_data["reason"],
                    channel=form.cleaned_data.get("channel") or Channel.ONLINE,
                    name_in_report=form.cleaned_data["name_in_report"],
                )
            except PermissionDenied as error:
                messages.error(request, str(error))
                return redirect(request.path)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Danke! Ihr Änderungsvorschlag ist veröffentlicht."))
                return redirect(f"{request.path}#vorschlag-{suggestion.pk}")
    suggestions = _with_diffs(
        selectors.suggestions_of(
            paragraph, staff=staff or sees_hidden(request.user, document.project)
        ),
        staff=staff,
        user=request.user,
        paragraph=paragraph,
    )
    context = {
        "draft": document,
        "project": document.project,
        "paragraph": paragraph,
        "suggestions": suggestions,
        "form": form,
        "may_suggest": may_suggest,
        "refusal": responding.reason,
        "responding": responding if current else None,
        "vote": selectors.votes_of(request.user, document).get(paragraph.pk),
        "staff": staff,
        "current": current,
        "earlier_comments": selectors.earlier_comment_counts(paragraph),
        # What other modules show under the paragraph (measures: "Daraus wurde …").
        "footer": draw(request, "draft_paragraph.footer", paragraph),
    }
    # A refused suggestion answers 400, as the other forms do; the page shows the errors.
    return render(
        request, "drafts/paragraph_detail.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET"])
def suggestion_detail(request: HttpRequest, slug: str, draft: str, pk: int) -> HttpResponse:
    """One suggested wording on its own page: its difference to the text, its reason, its
    supports and weighing, and what other modules show under it (measures: "Daraus wurde
    die Maßnahme …", and for staff "Maßnahme daraus machen"). A hidden suggestion only for
    staff of the municipality, as on the paragraph's page."""
    document = selectors.visible_draft_or_404(request.user, slug, draft)
    staff = manages(request.user, document) or sees_hidden(request.user, document.project)
    rows = Suggestion.objects.select_related("author", "paragraph__chapter").filter(
        pk=pk, paragraph__draft=document
    )
    if not staff:
        rows = rows.filter(hidden_at__isnull=True)
    suggestion = rows.first()
    if suggestion is None:
        raise Http404
    paragraph = suggestion.paragraph
    paragraph.draft = document
    suggestion.project = document.project
    suggestion.pieces = diff.word_diff(suggestion.base_text, suggestion.text)  # type: ignore[attr-defined]
    context = {
        "draft": document,
        "project": document.project,
        "paragraph": paragraph,
        "suggestion": suggestion,
        "current": paragraph.version == document.version,
        # What other modules show under the suggestion (measures, ``origin.py``).
        "footer": draw(request, "draft_suggestion.footer", suggestion),
    }
    return render(request, "drafts/suggestion_detail.html", context)


def _weighing_prefix(pk: int) -> str:
    return f"abwaegung-{pk}"


def _with_diffs(
    suggestions: Any, *, staff: bool, user: Any = None, paragraph: Paragraph | None = None
) -> list[Suggestion]:
    """The suggestions with their word differences, whether this person may report or
    moderate each, and, for staff, a weighing form each (with the suggestion's own prefix,
    so the ids on the page stay distinct)."""
    rows = list(suggestions)
    moderator = paragraph is not None and moderates(user, paragraph.draft.project.organisation_id)
    supported = selectors.supported_by(user, rows) if user is not None else set()
    # What became of each (the measures made of it that this person may see): one query.
    became = outcomes(user, SUGGESTION_ORIGIN, [s.pk for s in rows]) if user is not None else None
    for suggestion in rows:
        suggestion.supported = suggestion.pk in supported
        suggestion.outcomes = (became or {}).get(suggestion.pk, [])
        if paragraph is not None:
            # The paragraph it was made on: this one, or the same in an older version.
            if suggestion.paragraph_id == paragraph.pk:
                suggestion.paragraph = paragraph
            else:
                suggestion.paragraph.draft = paragraph.draft
                suggestion.paragraph.chapter = paragraph.chapter
            suggestion.project = paragraph.draft.project
            suggestion.can_report = (
                user.is_authenticated and decide(user, "moderation.report", suggestion).allowed
            )
            suggestion.can_moderate = moderator
        suggestion.pieces = diff.word_diff(suggestion.base_text, suggestion.text)
        if staff:
            suggestion.weighing_form = WeighingForm(
                prefix=_weighing_prefix(suggestion.pk),
                initial={"weighing": suggestion.weighing, "reason": suggestion.weighing_reason},
            )
    return rows


@require_http_methods(["GET"])
@anonymous_page(project_id_by_slug)
def weighing_table(request: HttpRequest, slug: str, draft: str) -> HttpResponse:
    """The Abwägungstabelle: every contribution with the administration's weighing."""
    document = selectors.visible_draft_or_404(request.user, slug, draft)
    context = {
        "draft": document,
        "project": document.project,
        "table": report.rows(document),
        "can_manage": manages(request.user, document),
    }
    return render(request, "drafts/weighing_table.html", context)


VOTE_VALUES = {"zustimmen": Vote.AGREE, "ablehnen": Vote.DISAGREE, "zuruecknehmen": None}


@login_required
@require_POST
def paragraph_vote(request: HttpRequest, slug: str, draft: str, key: str) -> HttpResponse:
    paragraph = _paragraph(request, slug, draft, key)
    back = request.POST.get("zurueck") == "text"
    target = (
        f"{paragraph.draft.get_absolute_url()}#{paragraph.anchor}"
        if back
        else paragraph.get_absolute_url()
    )
    choice = request.POST.get("bewertung", "")
    if choice not in VOTE_VALUES:
        messages.error(request, _("Bitte wählen Sie Zustimmung oder Ablehnung."))
        return redirect(target)
    try:
        value = services.paragraph_vote(
            user=request.user, paragraph=paragraph, value=VOTE_VALUES[choice]
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if value is None:
            messages.success(
                request,
                _("Ihre Bewertung von Absatz %(n)d ist zurückgenommen.") % {"n": paragraph.number},
            )
        else:
            messages.success(
                request,
                _("Ihre Bewertung von Absatz %(n)d ist gespeichert.") % {"n": paragraph.number},
            )
    return redirect(target)


@login_required
@require_POST
def suggestion_weigh(request: HttpRequest, slug: str, draft: str, pk: int) -> HttpResponse:
    document = selectors.visible_draft_or_404(request.user, slug, draft)
    suggestion = get_object_or_404(
        Suggestion.objects.select_related("paragraph", "author"), pk=pk, paragraph__draft=document
    )
    suggestion.paragraph.draft = document
    if not manages(request.user, document):
        raise Http404
    form = WeighingForm(request.POST, prefix=_weighing_prefix(suggestion.pk))
    target = suggestion.get_absolute_url()
    if form.is_valid():
        try:
            done = services.suggestion_weigh(
                user=request.user,
                suggestion=suggestion,
                weighing=form.cleaned_data["weighing"],
                reason=form.cleaned_data["reason"],
            )
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            if done:
                messages.success(request, _("Die Abwägung ist gespeichert und veröffentlicht."))
            else:
                messages.info(request, _("Nichts geändert: die Abwägung war schon so."))
        return redirect(target)
    paragraph = suggestion.paragraph
    suggestions = _with_diffs(
        selectors.suggestions_of(paragraph, staff=True),
        staff=True,
        user=request.user,
        paragraph=paragraph,
    )
    for item in suggestions:
        if item.pk == suggestion.pk:
            item.weighing_form = form  # type: ignore[attr-defined]
    context = {
        "draft": document,
        "project": document.project,
        "paragraph": paragraph,
        "suggestions": suggestions,
        "form": SuggestionForm(initial={"text": paragraph.text}, staff=True),
        "may_suggest": paragraph.version == document.version,
        "responding": decide(request.user, "drafts.respond", document)
        if paragraph.version == document.version
        else None,
        "vote": selectors.votes_of(request.user, document).get(paragraph.pk),
        "staff": True,
        "current": paragraph.version == document.version,
        "weighing_failed": True,
    }
    return render(request, "drafts/paragraph_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def draft_import(request: HttpRequest, slug: str, draft: str) -> HttpResponse:
    """Staff paste or upload the text (Markdown, or Word turned into Markdown); the page
    previews its chapters and paragraphs, and stores them once confirmed."""
    document = selectors.visible_draft_or_404(request.user, slug, draft)
    decision = decide(request.user, "drafts.manage_draft", document)
    if not decision:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            if request.POST.get("bestaetigt") == "ja":
                parsed = services.draft_import(user=request.user, draft=document, text=text)
                messages.success(
                    request,
                    _("Der Text ist gespeichert: %(chapters)d Kapitel, %(paragraphs)d Absätze.")
                    % {"chapters": len(parsed.chapters), "paragraphs": parsed.paragraph_count},
                )
                return redirect(document)
            preview = parse_markdown(text)
            if document.version > 1:
                form.add_error(None, services.SEVERAL_VERSIONS)
                preview = None
            elif services.has_responses(document):
                form.add_error(None, services.REPLACE_REFUSED)
                preview = None
        except ValidationError as error:
            attach_errors(form, error)
            preview = None
    context = {
        "draft": document,
        "project": document.project,
        "form": form,
        "preview": preview,
        "text": form.cleaned_data.get("text", "") if form.is_bound and preview else "",
        "images": form.cleaned_data.get("images", 0) if form.is_bound and preview else 0,
        "replaces": document.paragraphs.exists(),
    }
    return render(request, "drafts/draft_import.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def version_new(request: HttpRequest, slug: str, draft: str) -> HttpResponse:
    """Staff paste or upload the next version; the preview shows which paragraphs stay,
    changed, moved, are new or dropped, and it is published once confirmed."""
    document = selectors.visible_draft_or_404(request.user, slug, draft)
    if not decide(request.user, "drafts.manage_draft", document):
        raise Http404
    form = VersionForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        text, note = form.cleaned_data["text"], form.cleaned_data["note"]
        try:
            if request.POST.get("bestaetigt") == "ja":
                version = services.version_publish(
                    user=request.user, draft=document, text=text, note=note
                )
                messages.success(
                    request,
                    _("Fassung %(n)d ist veröffentlicht.") % {"n": version.number},
                )
                return redirect(
                    f"{reverse('drafts:compare', args=[slug, draft])}"
                    f"?von={version.number - 1}&zu={version.number}"
                )
            parsed = parse_markdown(text)
            current, matching = services.version_matching(document, parsed)
            if not current:
                raise ValidationError(
                    _(
                        "Der Entwurf hat noch keinen Text. Bitte importieren Sie zuerst die "
                        "erste Fassung."
                    )
                )
            preview = _version_preview(parsed, current, matching)
        except ValidationError as error:
            attach_errors(form, error)
            preview = None
    context = {
        "draft": document,
        "project": document.project,
        "form": form,
        "preview": preview,
        "next_version": document.version + 1,
        "text": form.cleaned_data.get("text", "") if form.is_bound and preview else "",
        "note": form.cleaned_data.get("note", "") if form.is_bound and preview else "",
    }
    return render(request, "drafts/version_new.html", context, status=400 if form.errors else 200)


def _version_preview(
    parsed: Any, current: list[Paragraph], matching: versions.Matching
) -> dict[str, Any]:
    """What the new version does with each paragraph, for the preview."""
    by_new = {pair.new: pair for pair in matching.pairs}
    rows = []
    number = 0
    for chapter in parsed.chapters:
        for text in chapter.paragraphs:
            pair = by_new.get(number)
            old = current[pair.old] if pair else None
            status = (
                "added"
                if pair is None
                else "moved"
                if pair.moved
                else "changed"
                if pair.changed
                else "unchanged"
            )
            rows.append(
                {
                    "number": number + 1,
                    "chapter": chapter.title,
                    "status": status,
                    "old": old,
                    "text": text,
                    "pieces": versions.text_diff(old.text, text)
                    if old and pair and pair.changed
                    else [],
                }
            )
            number += 1
    counts = {
        status: sum(1 for row in rows if row["status"] == status)
        for status in ("unchanged", "changed", "moved", "added")
    }
    return {
        "rows": [row for row in rows if row["status"] != "unchanged"],
        "counts": counts,
        "deleted": [current[i] for i in matching.deleted],
        "chapters": len(parsed.chapters),
        "paragraphs": parsed.paragraph_count,
    }


@require_http_methods(["GET"])
@anonymous_page(project_id_by_slug)
def version_compare(request: HttpRequest, slug: str, draft: str) -> HttpResponse:
    """Two versions compared paragraph by paragraph (``?von=<n>&zu=<m>``, a plain GET
    form): changed paragraphs as word differences, new, moved and dropped ones."""
    document = selectors.visible_draft_or_404(request.user, slug, draft)
    all_versions = selectors.versions_of(document)
    form = CompareForm(
        # With one version there is nothing to choose: the page says so.
        request.GET if request.GET and len(all_versions) > 1 else None,
        versions=[v.number for v in all_versions] or [document.version],
    )
    comparison = None
    old = new = None
    if form.is_bound and form.is_valid():
        old, new = form.cleaned_data["von"], form.cleaned_data["zu"]
        comparison = versions.compare(*selectors.paragraphs_of_versions(document, old, new))
    elif not form.is_bound and document.version > 1:
        old, new = document.version - 1, document.version
        form = CompareForm(
            initial={"von": old, "zu": new}, versions=[v.number for v in all_versions]
        )
        comparison = versions.compare(*selectors.paragraphs_of_versions(document, old, new))
    notes = {v.number: v for v in all_versions}
    context = {
        "draft": document,
        "project": document.project,
        "form": form,
        "comparison": comparison,
        "old": old,
        "new": new,
        "new_version": notes.get(new) if new else None,
        "versions": all_versions,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "drafts/version_compare.html", context, status=status)


@require_http_methods(["GET"])
@anonymous_page(project_id_by_slug)
def changes(request: HttpRequest, slug: str, draft: str) -> HttpResponse:
    """ "Was sich durch Ihre Beteiligung geändert hat": the adopted suggestions with the
    paragraph they changed (its text before and in the next version) and who made them."""
    document = selectors.visible_draft_or_404(request.user, slug, draft)
    adopted = selectors.adopted_suggestions(document)
    for suggestion in adopted:
        suggestion.who = report.who(suggestion)  # type: ignore[attr-defined]
        following = suggestion.next_paragraph  # type: ignore[attr-defined]
        suggestion.change = (  # type: ignore[attr-defined]
            versions.text_diff(suggestion.paragraph.text, following.text)
            if following is not None
            and versions.normalise(following.text) != versions.normalise(suggestion.paragraph.text)
            else []
        )
    context = {"draft": document, "project": document.project, "adopted": adopted}
    return render(request, "drafts/changes.html", context)


SUPPORT_VALUES = {"unterstuetzen": True, "zuruecknehmen": False}


@login_required
@require_POST
def suggestion_support(request: HttpRequest, slug: str, draft: str, pk: int) -> HttpResponse:
    """Support someone else's suggestion, or withdraw the support (a plain form)."""
    document = selectors.visible_draft_or_404(request.user, slug, draft)
    suggestion = get_object_or_404(
        Suggestion.objects.select_related("paragraph"),
        pk=pk,
        paragraph__draft=document,
        hidden_at__isnull=True,
    )
    suggestion.paragraph.draft = document
    choice = request.POST.get("unterstuetzung", "")
    if choice not in SUPPORT_VALUES:
        messages.error(request, _("Bitte wählen Sie: unterstützen oder zurücknehmen."))
        return redirect(suggestion.get_absolute_url())
    try:
        supports = services.suggestion_support(
            user=request.user, suggestion=suggestion, support=SUPPORT_VALUES[choice]
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Sie unterstützen diesen Vorschlag.")
            if supports
            else _("Ihre Unterstützung ist zurückgenommen."),
        )
    return redirect(suggestion.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def comment_weigh(request: HttpRequest, slug: str, draft: str, pk: int) -> HttpResponse:
    """Staff weigh a comment on a paragraph (or a reply that is a contribution): the
    comment with its paragraph, and the form; a plain form that works without JavaScript.
    After saving it leads back to the comment (or to ``next``: the Abwägungstabelle)."""
    document = selectors.visible_draft_or_404(request.user, slug, draft)
    if not manages(request.user, document):
        raise Http404
    comment = get_object_or_404(
        Comment.objects.select_related("author", "paragraph__chapter", "reply_to__author"),
        pk=pk,
        paragraph__draft=document,
    )
    paragraph = comment.paragraph
    assert paragraph is not None
    paragraph.draft = document
    existing = CommentWeighing.objects.filter(comment=comment).first()
    back = next_path(request, comment.get_absolute_url(), fragment=True)
    refusal = services.comment_weighing_refusal(comment, paragraph)
    form = WeighingForm(
        request.POST if request.method == "POST" else None,
        initial={"weighing": existing.weighing, "reason": existing.reason} if existing else None,
    )
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            done = services.comment_weigh(
                user=request.user,
                comment=comment,
                weighing=form.cleaned_data["weighing"],
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(back)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if done:
                messages.success(request, _("Die Abwägung ist gespeichert und veröffentlicht."))
            else:
                messages.info(request, _("Nichts geändert: die Abwägung war schon so."))
            return redirect(back)
    context = {
        "draft": document,
        "project": document.project,
        "paragraph": paragraph,
        "comment": comment,
        "existing": existing,
        "refusal": refusal,
        "form": form,
        "next": back,
    }
    failed = request.method == "POST" and (bool(form.errors) or bool(refusal))
    return render(request, "drafts/comment_weigh.html", context, status=400 if failed else 200)
