"""Pages of polls: answering, results, printable questionnaire, and the staff side.

Views stay thin: reading goes through ``selectors``, every write through
``services``, every "may they?" through ``permissions``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.core import page_cache
from mitmachen.core.page_cache import anonymous_page, page_object
from mitmachen.core.rate_limit import client_ip, hit
from mitmachen.core.sections import draw
from mitmachen.organisations.models import District
from mitmachen.polls import exports, selectors, services
from mitmachen.polls.answers import AnswerData
from mitmachen.polls.forms import BatchForm, QuestionnaireForm, ReasonForm
from mitmachen.polls.models import (
    Answer,
    Correction,
    Eligibility,
    PaperBatch,
    Poll,
    Question,
    QuestionKind,
    Response,
    TextReview,
)
from mitmachen.polls.permissions import (
    answer_refusal,
    can_manage,
    can_see_results,
    can_view,
    has_answered,
    poll_districts,
)
from mitmachen.projects import contributions
from mitmachen.projects.models import Project
from mitmachen.projects.selectors import project_id_of

ANSWERED_COOKIE = "mm_umfrage_{pk}"
ANSWERED_SALT = "mitmachen.polls.answered"
TEXTS_PER_PAGE = 50
# Free texts per question on the results page; the rest are on the question's own page.
TEXT_PREVIEW = 20


def _id_or_404(value: str | None) -> int:
    """A primary key from a form field; anything else (a tampered form) is a 404, not a 500."""
    try:
        return int(value or "")
    except ValueError:
        raise Http404 from None


def _poll(request: HttpRequest, pk: int) -> Poll:
    poll = get_object_or_404(Poll.objects.for_display(), pk=pk)
    if not can_view(request.user, poll):
        raise Http404
    return poll


def _managed_poll(request: HttpRequest, pk: int) -> Poll:
    poll = _poll(request, pk)
    if not can_manage(request.user, poll):
        raise PermissionDenied(_("Diese Seite ist den Mitarbeitenden des Projekts vorbehalten."))
    return poll


def _questionnaire(
    poll: Poll,
    questions: list[Question],
    *,
    data: Any = None,
    answers: AnswerData | None = None,
    paper: bool = False,
    keep: int | None = None,
) -> QuestionnaireForm:
    """The questions of ``poll`` as a form, bound to ``data`` (a POST) or showing
    ``answers``. The Ortsteil question accepts exactly the poll's Ortsteile
    (``poll_districts``) and offers them, plus ``keep`` – a stored answer that is no
    longer offered, so that correcting another question does not silently drop it."""
    if not any(q.kind == QuestionKind.DISTRICT for q in questions):
        return QuestionnaireForm(questions, data=data, answers=answers, paper=paper)
    ids = poll_districts(poll)
    offered = District.objects.filter(pk__in=ids | ({keep} if keep else set())).order_by("name")
    return QuestionnaireForm(
        questions, data=data, answers=answers, paper=paper, districts=offered, district_ids=ids
    )


def poll_list(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(
        Project.objects.select_related("organisation").prefetch_related("phases"), slug=slug
    )
    if not request.user.has_perm("projects.view_project", project):
        raise Http404
    polls = list(
        Poll.objects.filter(project=project)
        .select_related("phase", "project")
        .annotate(response_total=Count("responses"))
        .order_by("-phase__start", "pk")
    )
    manages = bool(polls) and can_manage(request.user, polls[0])
    visible = [p for p in polls if p.is_published or manages]
    return render(
        request,
        "polls/poll_list.html",
        {"project": project, "polls": visible, "manages": manages},
    )


def _guest_answered(request: HttpRequest, poll: Poll) -> bool:
    value = request.COOKIES.get(ANSWERED_COOKIE.format(pk=poll.pk))
    if not value:
        return False
    try:
        return signing.loads(value, salt=ANSWERED_SALT) == poll.pk
    except signing.BadSignature:
        return False


@require_http_methods(["GET", "POST"])
def poll_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaire (or why it cannot be answered), and the submission."""
    poll = _poll(request, pk)
    user = request.user
    answered = has_answered(user, poll) if user.is_authenticated else _guest_answered(request, poll)
    refusal = answer_refusal(user, poll, answered=answered)
    if request.method != "POST":
        changing = answered and poll.allow_changes and not refusal
        if not changing and not refusal:
            blank = _blank_questions(request, poll)
            return _render_form(request, poll, None, questions_html=blank)
        questions = services.questions_of(poll)
        answers = services.own_answers(user, poll) if changing else None
        form = _questionnaire(poll, questions, answers=answers)
        return _render_form(request, poll, form, refusal=refusal, answered=answered)
    questions = services.questions_of(poll)
    if refusal:
        messages.error(request, refusal)
        return redirect(poll)
    form = _questionnaire(poll, questions, data=request.POST)
    if not user.is_authenticated and not hit(
        f"poll:{poll.pk}",
        client_ip(request),
        limit=settings.POLL_GUEST_ANSWERS_PER_HOUR,
        window=3600,
    ):
        message = _(
            "Von Ihrem Anschluss kamen in der letzten Stunde sehr viele Antworten. "
            "Bitte versuchen Sie es später noch einmal."
        )
        return _render_form(request, poll, form, only_error=message, status=429)
    if form.is_valid() and (done := _submit(request, poll, form)):
        return done
    return _render_form(request, poll, form, status=400)


def _submit(request: HttpRequest, poll: Poll, form: QuestionnaireForm) -> HttpResponse | None:
    """Hand the checked answers to the service. None when it refused them: its reasons
    are then on the form."""
    user = request.user
    try:
        _response, created = services.response_submit(
            user=user, poll=poll, data=form.answers(), guest_token_value=request.POST.get("gast")
        )
    except services.AnswerError as error:
        form.add_answer_errors(error.by_question)
        return None
    except PermissionDenied as error:
        # A tampered or expired guest token, or a second submission in a race.
        form.add_error(None, str(error))
        return None
    messages.success(
        request,
        _("Vielen Dank! Ihre Antworten sind gespeichert.")
        if created
        else _("Ihre geänderten Antworten sind gespeichert."),
    )
    response = redirect("polls:thanks", pk=poll.pk)
    if not user.is_authenticated:
        response.set_cookie(
            ANSWERED_COOKIE.format(pk=poll.pk),
            signing.dumps(poll.pk, salt=ANSWERED_SALT),
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def _blank_questions(request: HttpRequest, poll: Poll) -> str:
    """The questions of an empty questionnaire, rendered: the same for everyone who may
    answer and has not, so rendered once per data version of the project and language
    (``page_cache.fragment``). Building the form and its widgets was most of the page's
    time. Holds no CSRF token (that is outside, in the page) and nothing personal."""

    def build() -> str:
        form = _questionnaire(poll, services.questions_of(poll))
        return render_to_string(
            "polls/partials/questions.html", {"fields": form.question_fields()}, request=request
        )

    if not page_cache.ttl():
        return build()
    key = ":".join(
        [
            "mm:poll-questionnaire-html",
            str(poll.pk),
            page_cache.data_version(poll.project_id, request, ("polls.poll", poll.pk)),
            get_language() or "-",
        ]
    )
    found: str = page_cache.fragment(request, key, build)
    return found


def _render_form(
    request: HttpRequest,
    poll: Poll,
    form: QuestionnaireForm | None,
    *,
    refusal: str = "",
    answered: bool = False,
    only_error: str = "",
    status: int = 200,
    questions_html: str = "",
) -> HttpResponse:
    """The questionnaire page. ``only_error``: the answers were refused as a whole
    without being checked; the page shows them as entered, with this message alone.
    ``questions_html``: the empty questionnaire, already rendered (no ``form``)."""
    user = request.user
    fields = form.question_fields(checked=not only_error) if form is not None else []
    context = {
        "poll": poll,
        "project": poll.project,
        "fields": fields,
        "refusal": refusal,
        "answered": answered,
        "changing": answered and poll.allow_changes and not refusal,
        "questions_html": questions_html,
        "general_errors": [only_error]
        if only_error
        else (form.general_errors() if form is not None else []),
        "field_errors": [f for f in fields if f.error],
        "guest_token": services.guest_token(poll)
        if not user.is_authenticated and poll.eligibility == Eligibility.GUESTS and not refusal
        else "",
        "show_results_link": can_see_results(user, poll),
        "manages": can_manage(user, poll),
    }
    response = render(request, "polls/poll_detail.html", context, status=status)
    if context["guest_token"]:
        response["Cache-Control"] = "private, no-store"
    return response


def poll_thanks(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _poll(request, pk)
    return render(
        request,
        "polls/poll_thanks.html",
        {
            "poll": poll,
            "project": poll.project,
            "show_results_link": can_see_results(request.user, poll),
            "can_change": request.user.is_authenticated and poll.allow_changes and poll.is_open(),
        },
    )


@anonymous_page(project_id_of(Poll), object_of=page_object("polls.poll"))
def poll_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The results (or that they are not public yet). Anonymous visitors get the page
    from the page cache: every write to the poll bumps the project's version; what no
    write announces (the end of the survey turning results public) shows within
    ``PAGE_CACHE_SECONDS``."""
    poll = _poll(request, pk)
    manages = can_manage(request.user, poll)
    if not can_see_results(request.user, poll):
        return render(
            request,
            "polls/poll_results_pending.html",
            {"poll": poll, "project": poll.project},
        )
    breakdown = request.GET.get("nach")
    if breakdown not in selectors.BREAKDOWNS:
        breakdown = None
    part = _results_part(request, poll, manages=manages, breakdown=breakdown)
    return render(
        request,
        "polls/poll_results.html",
        {
            "poll": poll,
            "project": poll.project,
            "result": {"total": part["total"], "by_channel": part["by_channel"]},
            "questions_html": part["html"],
            "breakdown": breakdown,
            "has_age_question": part["has_age_question"],
            "min_group": selectors.MIN_PUBLIC_GROUP,
            "manages": manages,
            "generated_at": part["generated_at"],
            # What other modules show under the results (measures: "Daraus wurde …"),
            # for the survey and, drawn once with all of them, for single questions.
            "question_footer": draw(request, "poll_question.footer", _questions(poll, part)),
            "footer": draw(request, "poll.footer", poll),
        },
    )


def _questions(poll: Poll, part: dict[str, Any]) -> list[Question]:
    """The poll's questions as the (cached) results read them, without a query: the rows
    other modules draw a box for under the results (``poll_question.footer``)."""
    return [Question(pk=pk, poll=poll, text=text) for pk, text in part.get("questions", [])]


def _results_part(
    request: HttpRequest, poll: Poll, *, manages: bool, breakdown: str | None
) -> dict[str, Any]:
    """The rendered results of every question, with the totals above them: the same for
    everyone who sees the public (or the staff) results, so rendered once per data
    version of the project, view, breakdown and language (``page_cache.fragment``; the
    counting itself is ``selectors.cached_results``). ``generated_at`` is when they
    were counted: no write has changed them since."""

    def build() -> dict[str, Any]:
        questions = services.questions_of(poll)
        result = selectors.cached_results(
            poll,
            questions,
            public=not manages,
            breakdown=breakdown,
            text_limit=TEXT_PREVIEW,
            request=request,
        )
        html = render_to_string(
            "polls/partials/results_questions.html",
            {"result": result, "manages": manages},
            request=request,
        )
        return {
            "html": html,
            # The questions' ids and texts, for what other modules show under the results.
            "questions": [(q.pk, q.text) for q in questions],
            "total": result.total,
            "by_channel": result.by_channel,
            "has_age_question": any(q.kind == QuestionKind.AGE_GROUP for q in questions),
            "generated_at": timezone.now(),
        }

    if not page_cache.ttl():
        return build()  # caching is off: no version to read
    # Not by URL: made-up query parameters must not add copies.
    key = ":".join(
        [
            "mm:poll-results-html",
            str(poll.pk),
            page_cache.data_version(poll.project_id, request, ("polls.poll", poll.pk)),
            "staff" if manages else "public",
            breakdown or "-",
            get_language() or "-",
        ]
    )
    found: dict[str, Any] = page_cache.fragment(request, key, build)
    return found


def poll_question_texts(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """All free-text answers to one question that the results may show, page by page."""
    poll = _poll(request, pk)
    if not can_see_results(request.user, poll):
        return redirect("polls:results", pk=poll.pk)
    questions = services.questions_of(poll)
    question = next((q for q in questions if q.pk == question_pk and q.is_text), None)
    if question is None:
        raise Http404
    manages = can_manage(request.user, poll)
    answers = Answer.objects.filter(question=question).order_by("response__created_at", "pk")
    if not manages:
        answers = answers.filter(review=TextReview.APPROVED)
    page = Paginator(answers, TEXTS_PER_PAGE).get_page(request.GET.get("seite"))
    return render(
        request,
        "polls/question_texts.html",
        {
            "poll": poll,
            "project": poll.project,
            "question": question,
            "number": questions.index(question) + 1,
            "page": page,
            "manages": manages,
        },
    )


def poll_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaire for paper, with a QR code to the online version."""
    import segno

    poll = _poll(request, pk)
    questions = services.questions_of(poll)
    url = f"{settings.SITE_URL}{poll.get_absolute_url()}"
    qr = segno.make(url, error="m")
    return render(
        request,
        "polls/poll_print.html",
        {
            "poll": poll,
            "project": poll.project,
            "fields": _questionnaire(poll, questions).question_fields(),
            "qr_svg": qr.svg_inline(scale=4, title=_("QR-Code zur Online-Umfrage"), svgclass="qr"),
            "url": url,
        },
    )


# --- staff ------------------------------------------------------------------------------


@login_required
def poll_manage(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _managed_poll(request, pk)
    batches = (
        PaperBatch.objects.filter(poll=poll)
        .select_related("entered_by", "checked_by")
        .annotate(response_total=Count("responses"))
    )
    result = selectors.results(poll, [], public=False)
    corrections = Correction.objects.filter(poll=poll).select_related("corrected_by")[:20]
    return render(
        request,
        "polls/manage.html",
        {
            "poll": poll,
            "project": poll.project,
            "questions": services.questions_of(poll),
            "batches": batches,
            "result": result,
            "corrections": corrections,
            "pending_texts": Answer.objects.filter(
                question__poll=poll, review=TextReview.PENDING
            ).count(),
            "batch_form": BatchForm(),
        },
    )


@login_required
@require_POST
def poll_close(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _managed_poll(request, pk)
    if services.poll_close(user=request.user, poll=poll):
        messages.success(request, _("Die Umfrage ist beendet."))
    else:
        messages.info(request, _("Die Umfrage war bereits beendet."))
    return redirect("polls:manage", pk=poll.pk)


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("poll__project"), pk=pk)
    _managed_poll(request, question.poll_id)
    services.question_move(
        user=request.user, question=question, up=request.POST.get("richtung") == "hoch"
    )
    messages.success(request, _("Die Reihenfolge der Fragen ist geändert."))
    return redirect(reverse("polls:manage", args=[question.poll_id]) + f"#frage-{question.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def batch_create(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _managed_poll(request, pk)
    form = BatchForm(request.POST or None, events=contributions.event_options(poll.project))
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_create(
                user=request.user,
                poll=poll,
                data=services.BatchData(
                    channel=form.cleaned_data["channel"],
                    collected_on=form.cleaned_data["collected_on"],
                    place=form.cleaned_data["place"],
                    event_id=form.cleaned_data.get("event"),
                ),
            )
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            return redirect("polls:batch", pk=batch.pk)
    return render(
        request,
        "polls/batch_form.html",
        {"poll": poll, "project": poll.project, "form": form},
        status=400 if form.errors else 200,
    )


def _managed_batch(request: HttpRequest, pk: int) -> PaperBatch:
    batch = get_object_or_404(
        PaperBatch.objects.select_related(
            "poll__project__organisation", "entered_by", "checked_by"
        ),
        pk=pk,
    )
    _managed_poll(request, batch.poll_id)
    return batch


@login_required
@require_http_methods(["GET", "POST"])
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter questionnaires one after the other; the list of what this batch holds."""
    batch = _managed_batch(request, pk)
    poll = batch.poll
    questions = services.questions_of(poll)
    posted = request.method == "POST"
    form = _questionnaire(poll, questions, data=request.POST if posted else None, paper=True)
    if posted and form.is_valid():
        try:
            response = services.paper_response_create(
                user=request.user, batch=batch, data=form.answers()
            )
        except services.AnswerError as error:
            form.add_answer_errors(error.by_question)
        else:
            messages.success(
                request,
                _("Bogen Nr. %(number)d ist gespeichert. Nächster Bogen:")
                % {"number": response.pk},
            )
            return redirect(reverse("polls:batch", args=[batch.pk]) + "#bogen")
    fields = form.question_fields()
    responses = (
        Response.objects.filter(batch=batch)
        .select_related("entered_by")
        .annotate(correction_count=Count("corrections"))
        .order_by("-pk")
    )
    return render(
        request,
        "polls/batch_detail.html",
        {
            "poll": poll,
            "project": poll.project,
            "batch": batch,
            "fields": fields,
            "general_errors": form.general_errors(),
            "field_errors": [f for f in fields if f.error],
            "responses": responses,
            "may_check": not batch.is_checked
            and batch.entered_by_id != request.user.pk
            and not any(r.entered_by_id == request.user.pk for r in responses),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def batch_check(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _managed_batch(request, pk)
    try:
        services.batch_check(user=request.user, batch=batch)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
    else:
        messages.success(request, _("Der Stapel ist als geprüft vermerkt."))
    return redirect("polls:batch", pk=batch.pk)


def _paper_response(request: HttpRequest, pk: int) -> Response:
    response = get_object_or_404(
        Response.objects.select_related("batch", "poll__project__organisation"), pk=pk
    )
    if response.batch_id is None:
        raise Http404
    _managed_poll(request, response.poll_id)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def response_correct(request: HttpRequest, pk: int) -> HttpResponse:
    response = _paper_response(request, pk)
    poll = response.poll
    questions = services.questions_of(poll)
    form = ReasonForm(request.POST or None)
    posted = request.method == "POST"
    stored = None
    if not posted:
        response_with_answers = Response.objects.prefetch_related("answers").get(pk=response.pk)
        stored = services.answers_of(response_with_answers, questions)
    answer_form = _questionnaire(
        poll,
        questions,
        data=request.POST if posted else None,
        answers=stored,
        paper=True,
        keep=response.district_id,
    )
    if posted and form.is_valid() and answer_form.is_valid():
        try:
            services.paper_response_update(
                user=request.user,
                response=response,
                data=answer_form.answers(),
                reason=form.cleaned_data["reason"],
            )
        except services.AnswerError as error:
            answer_form.add_answer_errors(error.by_question)
        except ValidationError as error:
            form.add_error("reason", error.message_dict.get("reason", error.messages))
        else:
            messages.success(
                request, _("Bogen Nr. %(number)d ist korrigiert.") % {"number": response.pk}
            )
            return redirect("polls:batch", pk=response.batch_id)
    fields = answer_form.question_fields()
    return render(
        request,
        "polls/response_correct.html",
        {
            "poll": poll,
            "project": poll.project,
            "response": response,
            "form": form,
            "fields": fields,
            "general_errors": answer_form.general_errors(),
            "field_errors": [f for f in fields if f.error],
        },
        status=400 if (answer_form.errors or form.errors) else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def response_delete(request: HttpRequest, pk: int) -> HttpResponse:
    response = _paper_response(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        batch_id = response.batch_id
        services.paper_response_delete(
            user=request.user, response=response, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Bogen Nr. %(number)d ist gelöscht.") % {"number": pk})
        return redirect("polls:batch", pk=batch_id)
    return render(
        request,
        "polls/response_delete.html",
        {
            "poll": response.poll,
            "project": response.poll.project,
            "response": response,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def text_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Free-text answers: approve for the public results, or keep back."""
    poll = _managed_poll(request, pk)
    if request.method == "POST":
        answer = get_object_or_404(
            Answer.objects.select_related("question__poll"),
            pk=_id_or_404(request.POST.get("antwort")),
            question__poll=poll,
        )
        review = request.POST.get("entscheidung", "")
        try:
            services.text_review(user=request.user, answer=answer, review=review)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Die Antwort ist freigegeben.")
                if review == TextReview.APPROVED
                else _("Die Antwort wird nicht veröffentlicht.")
                if review == TextReview.REJECTED
                else _("Die Antwort ist wieder ungeprüft."),
            )
        return redirect(
            reverse("polls:texts", args=[poll.pk])
            + "?"
            + request.GET.urlencode()
            + f"#antwort-{answer.pk}"
        )
    shown = request.GET.get("status", TextReview.PENDING)
    if shown not in TextReview.values and shown != "alle":
        shown = TextReview.PENDING
    answers = (
        Answer.objects.filter(question__poll=poll, question__kind__in=["short_text", "long_text"])
        .select_related("question", "response")
        .order_by("question__position", "question_id", "pk")
    )
    counts = dict(answers.order_by().values_list("review").annotate(n=Count("id")))
    if shown != "alle":
        answers = answers.filter(review=shown)
    page = Paginator(answers, TEXTS_PER_PAGE).get_page(request.GET.get("seite"))
    return render(
        request,
        "polls/text_review.html",
        {
            "poll": poll,
            "project": poll.project,
            "page": page,
            "shown": shown,
            "tabs": [(value, label, counts.get(value, 0)) for value, label in TextReview.choices],
        },
    )


def _filename(poll: Poll, extension: str) -> str:
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    return f"umfrage-{poll.pk}-{slugify(poll.title)[:40]}-{stamp}.{extension}"


@login_required
def export_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    from mitmachen.core.csv_export import csv_response

    poll = _managed_poll(request, pk)
    questions = services.questions_of(poll)
    return csv_response(
        _filename(poll, "csv"), exports.header(questions), exports.rows(poll, questions)
    )


@login_required
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _managed_poll(request, pk)
    questions = services.questions_of(poll)
    result = selectors.results(poll, questions, public=False)
    response = HttpResponse(
        exports.xlsx_bytes(poll, questions, result),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(poll, "xlsx")}"'
    response["Cache-Control"] = "private, no-store"
    return response
