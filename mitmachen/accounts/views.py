from __future__ import annotations

import json
from typing import cast

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mitmachen.accounts import services
from mitmachen.accounts.forms import (
    DeleteAccountForm,
    FollowMailForm,
    ProfileForm,
    UnfollowForm,
)
from mitmachen.accounts.models import User
from mitmachen.core.registry import FollowKind, follow_kinds

FOLLOWS_PAGE_SIZE = 20


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.profile_update(
                user=user,
                display_name=form.cleaned_data["display_name"],
                home_district=form.cleaned_data["home_district"],
            )
            messages.success(request, _("Ihr Profil wurde gespeichert."))
            return redirect("accounts:profile")
    else:
        form = ProfileForm(
            initial={"display_name": user.display_name, "home_district": user.home_district_id}
        )
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/my_data.html")


@login_required
@require_http_methods(["GET"])
def my_data_download(request: HttpRequest) -> HttpResponse:
    data = services.personal_data_export(user=request.user)  # type: ignore[arg-type]
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    filename = f"mitmachen-meine-daten-{timezone.localdate().isoformat()}.json"
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = DeleteAccountForm(request.POST, user=user)  # type: ignore[arg-type]
        if form.is_valid():
            logout(request)
            services.account_delete(user=user)  # type: ignore[arg-type]
            messages.success(request, _("Ihr Konto und Ihre persönlichen Daten wurden gelöscht."))
            return redirect("core:home")
    else:
        form = DeleteAccountForm(user=user)  # type: ignore[arg-type]
    return render(request, "accounts/delete.html", {"form": form})


def _follows_page_param(kind: FollowKind) -> str:
    return f"seite_{kind.key}"


@login_required
@require_http_methods(["GET", "POST"])
def follows(request: HttpRequest) -> HttpResponse:
    """What the person follows, kind by kind (projects, proposals, …), each list paged,
    with a "Nicht mehr folgen" form per entry. The POST keeps the query string, so the
    person stays on the pages they were on."""
    kinds = follow_kinds()
    if request.method == "POST":
        return _unfollow(request, kinds)
    sections = []
    for kind in kinds:
        param = _follows_page_param(kind)
        page = Paginator(kind.follows(request.user), FOLLOWS_PAGE_SIZE).get_page(
            request.GET.get(param)
        )
        rows = list(page.object_list)
        sections.append(
            {
                "kind": kind,
                "page": page,
                "param": param,
                "items": kind.describe(request.user, rows) if rows else [],
            }
        )
    form = FollowMailForm(initial={"follow_mail": request.user.follow_mail})  # type: ignore[union-attr]
    return render(
        request, "accounts/follows.html", {"sections": sections, "follow_mail_form": form}
    )


@login_required
@require_http_methods(["POST"])
def follow_mail(request: HttpRequest) -> HttpResponse:
    """The "E-Mail zu Ihren Abonnements" form on "Meine Abonnements"."""
    form = FollowMailForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Bitte wählen Sie eine der angebotenen Möglichkeiten. Es wurde nichts geändert."),
        )
    else:
        services.follow_mail_set(
            user=request.user,  # type: ignore[arg-type]
            follow_mail=form.cleaned_data["follow_mail"],
        )
        messages.success(request, _("Ihre Einstellung wurde gespeichert."))
    return redirect(f"{reverse('accounts:follows')}#email-einstellung")


def _unfollow(request: HttpRequest, kinds: list[FollowKind]) -> HttpResponse:
    form = UnfollowForm(request.POST, kinds=[kind.key for kind in kinds])
    title = None
    if form.is_valid():
        kind = next(k for k in kinds if k.key == form.cleaned_data["art"])
        title = kind.unfollow(request.user, form.cleaned_data["id"])
    back = request.get_full_path()
    if title is None:
        messages.error(
            request, _("Dieses Abonnement gibt es nicht (mehr). Es wurde nichts geändert.")
        )
        return redirect(back)
    messages.success(request, _("Sie folgen „%(title)s“ nicht mehr.") % {"title": title})
    return redirect(f"{back}#abonnements-{form.cleaned_data['art']}")
