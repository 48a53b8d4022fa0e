"""After the event: staff document what came out of it and link the contributions
collected there ("Was hier eingebracht wurde"). Plain forms, no JavaScript."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mitmachen.core.forms import attach_errors
from mitmachen.core.permissions import decide
from mitmachen.events import services
from mitmachen.events.collected import collected_at
from mitmachen.events.forms import ContributionLinkForm, DocumentationForm
from mitmachen.events.models import Documentation, Event, EventContribution
from mitmachen.events.services.contributions import LINK_PERMISSION, linkable
from mitmachen.events.views import visible_event
from mitmachen.projects import contributions


@require_http_methods(["GET", "POST"])
def documentation(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff write "Was dabei herauskam" once the event is over (summary, protocol PDF,
    photos with their description). A plain multipart form: works without JavaScript."""
    event = visible_event(request, pk)
    documenting = decide(request.user, "events.document", event)
    if not documenting:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied(documenting.reason)
    existing = Documentation.objects.filter(event=event).first()
    images = list(existing.images.all()) if existing else []
    if request.method == "POST":
        form = DocumentationForm(images, request.POST, request.FILES)
        if form.is_valid():
            try:
                services.documentation_save(
                    user=request.user,
                    event=event,
                    summary=form.cleaned_data["summary"],
                    participants=form.cleaned_data["participants"],
                    protocol=form.cleaned_data["protocol"],
                    remove_protocol=form.cleaned_data["remove_protocol"],
                    image=form.cleaned_data["image"],
                    alt_text=form.cleaned_data["alt_text"],
                    remove_images=form.removed_image_ids(),
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Die Dokumentation ist gespeichert."))
                return redirect(reverse("events:documentation", args=[event.pk]))
    else:
        form = _unbound_form(existing, images)
    return _documentation_page(request, event, form, existing, images)


def _unbound_form(existing: Documentation | None, images: list[Any]) -> DocumentationForm:
    """The documentation form filled with what is saved (or empty)."""
    return DocumentationForm(
        images,
        initial={
            "summary": existing.summary if existing else "",
            "participants": existing.participants if existing else None,
        },
    )


def _documentation_page(
    request: HttpRequest,
    event: Event,
    form: DocumentationForm,
    existing: Documentation | None,
    images: list[Any],
    link_form: ContributionLinkForm | None = None,
) -> HttpResponse:
    """The documentation form, and below it "Was hier eingebracht wurde": the linked
    contributions with a button to remove each link, and the form to link another."""
    linking = decide(request.user, LINK_PERMISSION, event).allowed
    if linking and link_form is None:
        link_form = ContributionLinkForm(choices=linkable(event, contributions.kinds()))
    context = {
        "event": event,
        "form": form,
        "documentation": existing,
        "images": images,
        "removing": request.POST.getlist("remove_images"),
        "collected": collected_at(request.user, event) if linking else [],
        "link_form": link_form if linking else None,
    }
    failed = (form.is_bound and form.errors) or (link_form is not None and link_form.errors)
    return render(request, "events/documentation_form.html", context, status=400 if failed else 200)


def _documenting(request: HttpRequest, pk: int) -> Event:
    """The event whose documentation page the person may open (or the refusal)."""
    event = visible_event(request, pk)
    documenting = decide(request.user, "events.document", event)
    if not documenting:
        raise PermissionDenied(documenting.reason)
    return event


@login_required
@require_POST
def contribution_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a contribution handed in offline to the event afterwards (staff, from the
    documentation page). A plain form: works without JavaScript."""
    event = _documenting(request, pk)
    choices = linkable(event, contributions.kinds())
    link_form = ContributionLinkForm(request.POST, choices=choices)
    if link_form.is_valid():
        key, _sep, row_pk = link_form.cleaned_data["contribution"].partition(":")
        kind = contributions.kind(key)
        row = kind.rows().get(pk=int(row_pk))
        try:
            services.contribution_link(user=request.user, event=event, row=row, kind=kind)
        except ValidationError as error:
            for message in error.messages:
                link_form.add_error("contribution", message)
        else:
            messages.success(
                request,
                _("Verknüpft: %(kind)s „%(title)s“.")
                % {"kind": kind.label, "title": kind.title(row)},
            )
            return redirect(reverse("events:documentation", args=[event.pk]) + "#beitraege")
    existing = Documentation.objects.filter(event=event).first()
    images = list(existing.images.all()) if existing else []
    form = _unbound_form(existing, images)
    return _documentation_page(request, event, form, existing, images, link_form)


@login_required
@require_POST
def contribution_unlink(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """Remove the link of a contribution to the event (the contribution stays)."""
    event = _documenting(request, pk)
    link = get_object_or_404(
        EventContribution.objects.select_related("event"), pk=link_pk, event=event
    )
    try:
        services.contribution_unlink(user=request.user, link=link)
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from None
    messages.success(request, _("Die Verknüpfung ist entfernt; der Beitrag bleibt bestehen."))
    return redirect(reverse("events:documentation", args=[event.pk]) + "#beitraege")
