"""Setting up a project's surveys in the site: the poll's settings, its questions and their
answer options – the polls part of the project set-up (``module.SETUP``, drawn on the
dashboard's set-up overview).

Whoever may change the project (``projects.change_project``) builds its polls; whoever is
not signed in is sent to the login, a signed-in person without the permission gets the 403
page. Every write goes through ``services`` (``poll_save``, ``question_save``,
``question_delete``, ``question_move``), which also refuse – in German – what would
miscount stored answers; those refusals appear here as form errors.
"""

from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.core.forms import attach_errors
from mitmachen.polls import services
from mitmachen.polls.models import ANSWER, Poll, Question
from mitmachen.polls.setup_forms import PollSetupForm, QuestionSetupForm
from mitmachen.projects.models import Project


def _require_change(request: HttpRequest, project: Project) -> None:
    if not rules.has_perm("projects.change_project", request.user, project):
        raise PermissionDenied


def _project(request: HttpRequest, slug: str) -> Project:
    project = get_object_or_404(
        Project.objects.select_related("organisation").prefetch_related(
            "phases", "partner_organisations"
        ),
        slug=slug,
    )
    _require_change(request, project)
    return project


def _poll(request: HttpRequest, pk: int) -> Poll:
    poll = get_object_or_404(
        Poll.objects.select_related("project__organisation", "phase").prefetch_related(
            "project__partner_organisations", "project__phases"
        ),
        pk=pk,
    )
    _require_change(request, poll.project)
    return poll


def _question(request: HttpRequest, pk: int) -> Question:
    question = get_object_or_404(
        Question.objects.select_related("poll__project__organisation", "poll__phase"), pk=pk
    )
    _require_change(request, question.poll.project)
    return question


def setup_url(poll: Poll) -> str:
    return reverse("polls:setup", kwargs={"pk": poll.pk})


def setup_part(request: HttpRequest, project: Project) -> dict[str, Any]:
    """The project's polls on the set-up overview, with their question counts (one query)."""
    polls = list(
        Poll.objects.filter(project=project)
        .select_related("phase")
        .annotate(question_total=Count("questions"))
        .order_by("phase__start", "pk")
    )
    return {"polls": polls, "has_phases": bool(project.ordered_phases())}


@login_required
@require_http_methods(["GET", "POST"])
def poll_new(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    if not project.ordered_phases():
        messages.error(
            request, _("Bitte legen Sie zuerst eine Phase an: Eine Umfrage läuft in einer Phase.")
        )
        return redirect("dashboard:project_setup", slug=project.slug)
    initial = next(
        (p.pk for p in project.ordered_phases() if ANSWER in p.actions),
        project.ordered_phases()[0].pk,
    )
    form = PollSetupForm(request.POST or None, project=project, initial={"phase": initial})
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        districts = data.pop("districts")
        try:
            poll = services.poll_save(
                user=request.user, project=project, districts=districts, **data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("Die Umfrage „%(title)s“ ist angelegt. Fügen Sie nun die Fragen hinzu.")
                % {"title": poll.title},
            )
            return redirect(setup_url(poll))
    return render(
        request, "polls/setup/poll_form.html", {"form": form, "project": project, "poll": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def poll_edit(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _poll(request, pk)
    project = poll.project
    form = PollSetupForm(request.POST or None, project=project, poll=poll)
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        districts = data.pop("districts")
        try:
            services.poll_save(
                user=request.user, project=project, poll=poll, districts=districts, **data
            )
        except ValidationError as error:
            poll.refresh_from_db()
            attach_errors(form, error)
        else:
            messages.success(request, _("Die Einstellungen der Umfrage sind gespeichert."))
            return redirect(setup_url(poll))
    return render(
        request, "polls/setup/poll_form.html", {"form": form, "project": project, "poll": poll}
    )


@login_required
@require_http_methods(["GET"])
def poll_setup(request: HttpRequest, pk: int) -> HttpResponse:
    """One survey's set-up: its settings at a glance and its questions in order."""
    poll = _poll(request, pk)
    questions = list(
        poll.questions.prefetch_related("options")
        .annotate(answer_total=Count("answers__response", distinct=True))
        .order_by("position", "pk")
    )
    context = {
        "poll": poll,
        "project": poll.project,
        "questions": questions,
        "takes_answers": ANSWER in poll.phase.actions,
        "districts": list(poll.districts.all()),
    }
    return render(request, "polls/setup/poll_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def question_form(
    request: HttpRequest, pk: int | None = None, poll_pk: int | None = None
) -> HttpResponse:
    if pk is not None:
        question: Question | None = _question(request, pk)
        assert question is not None
        poll = question.poll
    else:
        question = None
        poll = _poll(request, poll_pk or 0)
    form = QuestionSetupForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.question_save(
                user=request.user,
                poll=poll,
                question=question,
                options=form.option_labels(),
                **form.service_fields(),
            )
        except ValidationError as error:
            if question is not None:
                question.refresh_from_db()
            attach_errors(form, error)
        else:
            messages.success(
                request, _("Die Frage „%(text)s“ ist gespeichert.") % {"text": saved.text}
            )
            return redirect(f"{setup_url(poll)}#frage-{saved.pk}")
    context = {
        "form": form,
        "poll": poll,
        "project": poll.project,
        "question": question,
        "answered": question is not None and question.has_answers(),
    }
    return render(request, "polls/setup/question_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    poll = question.poll
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.question_delete(user=request.user, question=question)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request, _("Die Frage „%(text)s“ ist gelöscht.") % {"text": question.text}
            )
            return redirect(setup_url(poll))
    context = {
        "question": question,
        "poll": poll,
        "project": poll.project,
        "general_errors": errors,
        "answered": question.has_answers(),
    }
    return render(
        request, "polls/setup/question_delete.html", context, status=400 if errors else 200
    )


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    direction = request.POST.get("richtung")
    if direction not in ("oben", "unten"):
        messages.error(request, _("Bitte wählen Sie „nach oben“ oder „nach unten“."))
    else:
        services.question_move(user=request.user, question=question, up=direction == "oben")
        messages.success(
            request, _("Die Frage „%(text)s“ ist verschoben.") % {"text": question.text}
        )
    return redirect(f"{setup_url(question.poll)}#frage-{question.pk}")
