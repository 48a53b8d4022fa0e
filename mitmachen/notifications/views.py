"""Thin views for the person's own notifications. Every action is a POST form (no JS needed)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mitmachen.notifications import services
from mitmachen.notifications.models import Notification

PAGE_SIZE = 30
PAGE_PARAM = "seite"


def _page_number(raw: str | None, num_pages: int) -> int:
    """The requested page, clamped to the pages there are (nonsense means page 1)."""
    try:
        number = int(raw or 1)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), num_pages)


def _list_url(raw_page: str | None, anchor: str = "") -> str:
    """Back to the list, on the page the form was sent from."""
    url = reverse("notifications:list")
    try:
        page = int(raw_page or 1)
    except ValueError:
        page = 1
    if page > 1:
        url += f"?{PAGE_PARAM}={page}"
    return url + anchor


def _own(request: HttpRequest, pk: int) -> Notification:
    """The signed-in person's notification; anyone else's is "not found"."""
    return get_object_or_404(Notification.objects.for_user(request.user), pk=pk)


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(Notification.objects.for_user(request.user), PAGE_SIZE)
    page = paginator.page(_page_number(request.GET.get(PAGE_PARAM), paginator.num_pages))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    changed = services.mark_read(user=request.user)  # type: ignore[arg-type]
    if changed:
        messages.success(request, _("Alle Benachrichtigungen sind als gelesen markiert."))
    else:
        messages.info(request, _("Es gibt keine ungelesenen Benachrichtigungen."))
    return redirect(_list_url(request.POST.get(PAGE_PARAM)))


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = _own(request, pk)
    services.mark_read(user=request.user, notification_ids=[notification.pk])  # type: ignore[arg-type]
    messages.success(request, _("Die Benachrichtigung ist als gelesen markiert."))
    return redirect(_list_url(request.POST.get(PAGE_PARAM), f"#benachrichtigung-{notification.pk}"))


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go where it leads – only ever to a path on this site."""
    notification = _own(request, pk)
    services.mark_read(user=request.user, notification_ids=[notification.pk])  # type: ignore[arg-type]
    target = notification.safe_url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    messages.warning(
        request,
        _("Das Ziel dieser Benachrichtigung ist nicht verfügbar. Sie ist als gelesen markiert."),
    )
    return redirect(_list_url(request.POST.get(PAGE_PARAM), f"#benachrichtigung-{notification.pk}"))
