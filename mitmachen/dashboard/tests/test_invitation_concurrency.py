"""Invitations under real concurrency (PostgreSQL only, a live server): one address invited
by several requests at once is invited once and mailed once – the unique constraint
``one_invitation_per_address`` decides, ``get_or_create`` reads the winner's row."""

from __future__ import annotations

import pytest
from django.core import mail

from mitmachen.core.tests.live import in_parallel, post, session_cookie
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.models import ProjectInvitation, Visibility
from mitmachen.projects.tests.factories import ProjectFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]

PARALLEL = 10


def test_one_address_invited_in_parallel_is_invited_and_mailed_once(live_server, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    town = OrganisationFactory()
    project = ProjectFactory(organisation=town, visibility=Visibility.PRIVATE)
    manager = MembershipFactory(organisation=town, role=Role.ADMIN).user
    session = session_cookie(manager)
    url = f"{live_server.url}/verwaltung/projekte/{project.slug}/einladungen/"
    mail.outbox = []
    statuses = in_parallel(
        [lambda: post(url, session, {"emails": "Gleich@Example.org"})] * PARALLEL
    )
    assert statuses == [302] * PARALLEL, statuses
    assert list(ProjectInvitation.objects.values_list("email", flat=True)) == ["gleich@example.org"]
    assert [m.to for m in mail.outbox] == [["gleich@example.org"]]
