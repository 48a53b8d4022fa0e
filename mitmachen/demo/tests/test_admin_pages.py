"""Every admin page opens for every staff role on the demo region – no 500 anywhere.

The demo has an object of every model, a municipality admin, a project manager and a
moderator; each of them (and a superuser) opens every model's list, add page and the
change page of its first object. A page may be forbidden (403) or missing (404) for a
role – it must never fail.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from mitmachen.accounts.models import User
from mitmachen.organisations.models import Membership, Organisation, Role
from mitmachen.organisations.tests.factories import MembershipFactory


def _people():
    people = {"superuser": User.objects.filter(is_superuser=True).first()}
    # The demo's municipality admin is also the platform's superuser; add one who is not.
    MembershipFactory(organisation=Organisation.objects.get(slug="bad-belzig"), role=Role.ADMIN)
    for role in (Role.ADMIN, Role.PROJECT_MANAGER, Role.MODERATOR):
        membership = (
            Membership.objects.filter(role=role, user__is_superuser=False)
            .select_related("user")
            .first()
        )
        assert membership is not None, f"the demo has no {role}"
        people[str(role)] = membership.user
    assert people["superuser"] is not None
    return people


def _urls(person):
    """List and add page of every model, and the change page of the first object the
    person's admin shows them (or of the first object at all, when it shows none)."""
    request = RequestFactory().get("/admin/")
    request.user = person
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        yield reverse("admin:{}_{}_changelist".format(*info))
        try:
            yield reverse("admin:{}_{}_add".format(*info))
        except NoReverseMatch:
            pass
        first = (
            model_admin.get_queryset(request).order_by("pk").first()
            or model._default_manager.order_by("pk").first()
        )
        if first is not None:
            yield reverse("admin:{}_{}_change".format(*info), args=[first.pk])


@pytest.mark.django_db
@pytest.mark.slow
def test_every_admin_page_opens_for_every_staff_role(client, demo_rows):
    failures = []
    for name, person in _people().items():
        client.force_login(person)
        urls = list(_urls(person))
        assert len(urls) > 40
        for url in urls:
            status = client.get(url).status_code
            if status >= 500:
                failures.append(f"{name}: {url} → {status}")
        client.logout()
    assert not failures, "\n".join(failures)
