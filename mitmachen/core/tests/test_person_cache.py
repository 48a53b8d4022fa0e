"""The person's cached entry (``core.person_cache``): the account, roles, blocks, managed
projects and unread notifications in one cached lookup per signed-in request.

- From the entry a signed-in page loads neither the account, nor the roles and blocks, nor
  the unread count.
- People with different roles, blocks and notifications load the same page in
  alternation, with one worker and with two (their own memory caches, the versions shared
  in the database; or everything in a shared cache, as with Redis), and each sees their own.
- Every write that changes a person's facts shows on their next request: a role given and
  taken, a block set and lifted, a notification received and read, a project to manage,
  a changed password (the other sessions are signed out), a deactivated account.
"""

from __future__ import annotations

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core import page_cache, person_cache
from mitmachen.moderation import services as moderation
from mitmachen.notifications.services import mark_read, notify
from mitmachen.organisations.models import Membership, Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

BLOCKED_TEXT = "Ihr Konto ist für Beteiligungen in dieser Kommune gesperrt."


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def proposal(db):
    project = ProjectFactory()
    PhaseFactory(project=project, actions=["propose", "support", "comment"])
    return ProposalFactory(project=project)


@pytest.fixture
def people(proposal):
    organisation = proposal.project.organisation
    anna, ben = UserFactory(display_name="Anna"), UserFactory(display_name="Ben")
    moderator = UserFactory(display_name="Mo")
    MembershipFactory(user=moderator, organisation=organisation, role=Role.MODERATOR)
    blocked = UserFactory(display_name="Gesperrt")
    admin = UserFactory(is_superuser=True)
    moderation.block(moderator=admin, organisation=organisation, user=blocked, reason="Spam")
    for _ in range(2):
        notify(recipients=[anna], kind="status_changed", title="Neu für Anna", url="/")
    notify(recipients=[ben], kind="status_changed", title="Neu für Ben", url="/")
    return {"anna": anna, "ben": ben, "moderator": moderator, "blocked": blocked}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _unread(html: str) -> int:
    """The unread count in the header (0 without the badge)."""
    header = html.split("Benachrichtigungen", 1)[1].split("</a>", 1)[0]
    if "ungelesen" not in header:
        return 0
    return int(header.split('kern-label--small">', 1)[1].split("<", 1)[0])


def _moderates(html: str, proposal) -> bool:
    return f'href="/verwaltung/moderation/vorschlaege/{proposal.pk}/"' in html


@pytest.fixture(params=["one worker", "two workers, own memory", "two workers, shared cache"])
def workers(request, monkeypatch):
    """``switch()`` before each request: the next request is served by the other worker.
    With their own memory caches (no Redis) the versions are shared in the database; with a
    shared cache (Redis) versions and entries are in it."""
    if request.param == "two workers, shared cache":
        monkeypatch.setattr(page_cache, "shared_cache", lambda: True)
    caches = [person_cache.cache]
    if request.param == "two workers, own memory":
        caches.append(LocMemCache("second-worker", {}))
    turn = {"n": 0}

    def switch() -> None:
        turn["n"] += 1
        monkeypatch.setattr(person_cache, "cache", caches[turn["n"] % len(caches)])
        page_cache.clear_local()

    return switch


def test_a_signed_in_page_loads_no_account_roles_or_count_from_the_entry(proposal, people):
    client = _client(people["moderator"])
    client.get(proposal.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(proposal.get_absolute_url()).status_code == 200
    statements = [q["sql"] for q in queries]
    assert not [s for s in statements if 'FROM "accounts_user" WHERE "accounts_user"."id" =' in s]
    # The roles with the blocks (one UNION), the managed projects, the unread count.
    assert not [s for s in statements if s.startswith('SELECT "organisations_membership"')]
    assert not [s for s in statements if 'FROM "projects_project_managers"' in s]
    assert not [s for s in statements if 'FROM "notifications_notification"' in s]


@pytest.mark.parametrize("shared", [False, True])
def test_the_entry_saves_queries(proposal, people, monkeypatch, shared):
    """Account, roles with blocks and the unread count: three queries, against one read of
    the person's version without Redis (in the database) and none with it."""
    monkeypatch.setattr(page_cache, "shared_cache", lambda: shared)
    client = _client(people["moderator"])
    url = proposal.get_absolute_url()
    counts = []
    for on in (False, True):
        monkeypatch.setattr(person_cache, "enabled", lambda on=on: on)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    assert counts[1] == counts[0] - (3 if shared else 2)


def test_each_person_sees_only_their_own_state(proposal, people, workers):
    clients = {name: _client(user) for name, user in people.items()}
    url = proposal.get_absolute_url()
    for _round in range(3):
        for name, client in clients.items():
            workers()
            html = client.get(url).content.decode()
            assert _unread(html) == {"anna": 2, "ben": 1}.get(name, 0), name
            assert _moderates(html, proposal) == (name == "moderator"), name
            assert (BLOCKED_TEXT in html) == (name == "blocked"), name
            # The account is the person's own: the header's link to their data.
            assert ("Meine Projekte" in html) == (name == "moderator"), name


def test_every_change_shows_on_the_next_request(
    proposal, people, workers, django_capture_on_commit_callbacks
):
    anna, ben = people["anna"], people["ben"]
    organisation = proposal.project.organisation
    url = proposal.get_absolute_url()
    clients = {"anna": _client(anna), "ben": _client(ben)}

    def page(name: str) -> str:
        workers()
        return clients[name].get(url).content.decode()

    def commit(write) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            write()

    for name in clients:  # both entries are cached
        page(name)
        page(name)
    # A role given, then taken.
    commit(
        lambda: Membership.objects.create(user=anna, organisation=organisation, role=Role.MODERATOR)
    )
    assert _moderates(page("anna"), proposal) and not _moderates(page("ben"), proposal)
    commit(lambda: Membership.objects.filter(user=anna).delete())
    assert not _moderates(page("anna"), proposal)
    # A block set, then lifted.
    moderator = people["moderator"]
    commit(lambda: moderation.block(moderator=moderator, organisation=organisation, user=ben,
                                    reason="Spam"))  # fmt: skip
    assert BLOCKED_TEXT in page("ben") and BLOCKED_TEXT not in page("anna")
    commit(lambda: moderation.unblock(moderator=moderator, organisation=organisation, user=ben,
                                      reason="Versehen"))  # fmt: skip
    assert BLOCKED_TEXT not in page("ben")
    # A notification received, then read (the block and its lifting told Ben too).
    before = _unread(page("ben"))
    commit(lambda: notify(recipients=[ben], kind="status_changed", title="Noch eine", url="/"))
    assert _unread(page("ben")) == before + 1 and _unread(page("anna")) == 2
    commit(lambda: mark_read(user=anna))
    assert _unread(page("anna")) == 0 and _unread(page("ben")) == before + 1
    # A project to manage: as the project's manager Anna sets it up.
    MembershipFactory(user=anna, organisation=organisation, role=Role.PROJECT_MANAGER)
    page("anna")
    commit(lambda: proposal.project.managers.add(anna))
    assert _can_change_project(clients["anna"], proposal, workers)
    commit(lambda: proposal.project.managers.remove(anna))
    assert not _can_change_project(clients["anna"], proposal, workers)


def _can_change_project(client: Client, proposal, workers) -> bool:
    """``projects.change_project`` as the request's user sees it: the set-up page."""
    workers()
    response = client.get(f"/verwaltung/projekte/{proposal.project.slug}/")
    return response.status_code == 200


def test_a_new_password_signs_out_the_other_sessions(
    proposal, people, workers, django_capture_on_commit_callbacks
):
    anna = people["anna"]
    phone, laptop = _client(anna), _client(anna)
    url = proposal.get_absolute_url()
    for client in (phone, laptop, phone, laptop):
        workers()
        assert "Abmelden" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        anna.set_password("ein-ganz-neues-Passwort-2026")
        # Only the password: the global version stays (no public page shows it).
        anna.save(update_fields=["password"])
    workers()
    assert "Abmelden" not in laptop.get(url).content.decode()


def test_a_deactivated_account_is_signed_out(
    proposal, people, workers, django_capture_on_commit_callbacks
):
    ben = people["ben"]
    client = _client(ben)
    url = proposal.get_absolute_url()
    for _ in range(2):
        workers()
        assert "Abmelden" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ben.is_active = False
        ben.save()
    workers()
    assert "Abmelden" not in client.get(url).content.decode()
