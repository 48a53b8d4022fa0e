"""The read-only admin pages (``core.admin_readonly``): nobody writes there, not even the
operator; who may look is still decided by the page's scoping."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.budgets.models import Idea
from mitmachen.comments.models import Comment
from mitmachen.core.admin_readonly import ReadOnlyAdminMixin
from mitmachen.debates.models import Debate
from mitmachen.moderation.models import Block, ModerationAction, Report
from mitmachen.organisations.admin import MembershipInline
from mitmachen.organisations.models import Organisation
from mitmachen.polls.models import Correction

pytestmark = pytest.mark.django_db

READ_ONLY_MODELS = [Comment, Debate, Correction, Idea, Report, Block, ModerationAction]


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.mark.parametrize("model", READ_ONLY_MODELS, ids=lambda m: m._meta.label)
def test_the_operator_sees_but_does_not_write(model):
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, ReadOnlyAdminMixin)
    request = _request(UserFactory(is_staff=True, is_superuser=True))
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_staff_roles_show_read_only_in_the_municipality_admin():
    inline = MembershipInline(Organisation, admin.site)
    request = _request(UserFactory(is_staff=True, is_superuser=True))
    assert inline.has_view_permission(request)
    assert not inline.has_add_permission(request, None)
    assert not inline.has_change_permission(request)
    assert not inline.has_delete_permission(request)


@pytest.mark.parametrize("model", READ_ONLY_MODELS, ids=lambda m: m._meta.label)
def test_a_resident_does_not_even_see(model):
    request = _request(UserFactory())
    assert not admin.site._registry[model].has_view_permission(request)
