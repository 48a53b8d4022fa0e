"""The cached comment thread (``comments.fragments``): one rendering shared by everyone who
sees the thread alike, with each person's own ratings, actions and CSRF token.

- For every kind of viewer the cached thread is the same HTML as the thread rendered
  directly, without holes (``test_cached_equals_direct_rendering``).
- People with different ratings, comments, roles and blocks load the same pages in
  alternation, through the process's copy and through the shared cache (as a second
  worker would, with no copy of its own), and each sees only their own state.
- A write shows to its author on the next request.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments import fragments, selectors
from mitmachen.comments.models import Comment
from mitmachen.comments.services import comment_create, comment_rate
from mitmachen.core import page_cache
from mitmachen.core.channels import Channel
from mitmachen.moderation.models import Block
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def people(project):
    organisation = project.organisation
    anna, ben = UserFactory(display_name="Anna"), UserFactory(display_name="Ben")
    moderator, manager = UserFactory(display_name="Mo"), UserFactory(display_name="Manu")
    MembershipFactory(user=moderator, organisation=organisation, role=Role.MODERATOR)
    MembershipFactory(user=manager, organisation=organisation, role=Role.ADMIN)
    blocked = UserFactory(display_name="Gesperrt")
    Block.objects.create(organisation=organisation, user=blocked, reason="Spam")
    return {"anna": anna, "ben": ben, "moderator": moderator, "manager": manager,
            "blocked": blocked}  # fmt: skip


@pytest.fixture
def discussion(project, proposal, people):
    """Comments by Anna and Ben, rated differently by each; an offline, a hidden and a
    deleted one."""
    anna, ben = people["anna"], people["ben"]

    def write(author, text, **kwargs):
        return comment_create(
            author=author, project=project, proposal=proposal, text=text, **kwargs
        )

    by_anna = write(anna, "Annas Idee")
    by_ben = write(ben, "Bens Idee")
    reply = write(ben, "Bens Antwort an Anna", reply_to=by_anna)
    offline = comment_create(
        author=None, project=project, proposal=proposal, text="Vom Marktstand",
        offline_channel=Channel.MARKET_STAND, entered_by=people["manager"],
    )  # fmt: skip
    hidden = write(ben, "Ausgeblendeter Text")
    Comment.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    deleted = write(anna, "Gelöschter Text")
    Comment.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    comment_rate(user=anna, comment=by_ben, value=1)
    comment_rate(user=anna, comment=offline, value=-1)
    comment_rate(user=ben, comment=by_anna, value=-1)
    comment_rate(user=ben, comment=offline, value=1)
    return {"by_anna": by_anna, "by_ben": by_ben, "reply": reply, "offline": offline}


def _normalise(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _direct(user, proposal, path: str) -> str:
    """The thread list rendered without the cache and without holes."""
    proposal.refresh_from_db()
    request = RequestFactory().get(path, HTTP_HX_REQUEST="true")
    request.user = user
    thread = selectors.thread_for_request(request, project=proposal.project, proposal=proposal)
    thread.return_url = path
    return render_to_string(
        "comments/partials/thread_body.html", {"thread": thread, "status_message": ""}, request
    )


@pytest.mark.parametrize("viewer", ["anonymous", "anna", "ben", "moderator", "manager", "blocked"])
@pytest.mark.parametrize("query", ["", "?kommentare=beste"])
def test_cached_equals_direct_rendering(client, proposal, people, discussion, viewer, query):
    user = people.get(viewer)
    if user is not None:
        client.force_login(user)
    path = f"/vorschlaege/{proposal.pk}/kommentare/{query}"
    first = client.get(path, **HTMX)
    again = client.get(path, **HTMX)  # from the cache now
    assert first.status_code == again.status_code == 200
    direct = _normalise(_direct(user or AnonymousUser(), proposal, path))
    assert _normalise(first.content.decode()) == direct
    assert _normalise(again.content.decode()) == direct


def _thread(client, proposal) -> str:
    """The comment section of the proposal page."""
    page = client.get(proposal.get_absolute_url()).content.decode()
    return page.split('<section id="kommentare"', 1)[1].split("</section>", 1)[0]


def _pressed(html: str, comment: Comment) -> str:
    """Which rating button of ``comment`` is pressed: "zustimmen", "ablehnen" or ""."""
    for which in ("zustimmen", "ablehnen"):
        button = re.search(rf'<button [^>]*id="bewertung-{comment.pk}-{which}"[^>]*>', html)
        if button and 'aria-pressed="true"' in button.group(0):
            return which
    return ""


def _edit_link(comment: Comment) -> str:
    return f'href="/kommentare/{comment.pk}/bearbeiten/'


@pytest.mark.parametrize("workers", ["one", "two"])
def test_each_person_sees_only_their_own_state(proposal, people, discussion, monkeypatch, workers):
    by_anna, by_ben, offline = discussion["by_anna"], discussion["by_ben"], discussion["offline"]
    renderings = []
    real_render = fragments._render
    monkeypatch.setattr(fragments, "_render", lambda *a: renderings.append(1) or real_render(*a))
    clients = {}
    for name in ("anna", "ben", "moderator", "manager", "blocked"):
        clients[name] = Client()
        clients[name].force_login(people[name])
    for _round in range(3):
        for name, client in clients.items():
            if workers == "two":
                page_cache.clear_local()  # another worker: only the shared cache
            html = _thread(client, proposal)
            if name == "anna":
                assert (
                    _pressed(html, by_ben) == "zustimmen" and _pressed(html, offline) == "ablehnen"
                )
                assert _edit_link(by_anna) in html and _edit_link(by_ben) not in html
                assert f'id="bewertung-{by_anna.pk}-zustimmen"' not in html  # her own
            elif name == "ben":
                assert (
                    _pressed(html, by_anna) == "ablehnen" and _pressed(html, offline) == "zustimmen"
                )
                assert _edit_link(by_ben) in html and _edit_link(by_anna) not in html
                assert f'id="bewertung-{by_ben.pk}-zustimmen"' not in html
            else:
                assert _pressed(html, by_anna) == _pressed(html, by_ben) == ""
                assert _edit_link(by_anna) not in html and _edit_link(by_ben) not in html
            moderating = name in ("moderator", "manager")
            assert (f'href="/verwaltung/moderation/kommentare/{by_ben.pk}/"' in html) == moderating
            # Staff see the hidden comment's text; staff who manage the project delete
            # offline comments.
            assert ("Ausgeblendeter Text" in html) == moderating
            assert (f'href="/kommentare/{offline.pk}/loeschen/' in html) == (name == "manager")
            if name == "blocked":
                assert "Ihr Konto ist für Beteiligungen in dieser Kommune gesperrt." in html
                assert "Antwort veröffentlichen" not in html and "<form" not in html
            else:
                assert "Antwort veröffentlichen" in html
    # Anna and Ben share one rendering, the moderator and the manager another (deleting
    # offline comments is a per-person part); the blocked person has a class of her own.
    assert len(renderings) == 3


def test_the_csrf_token_is_the_viewers_own(proposal, people, discussion):
    tokens = []
    for name in ("anna", "ben"):
        client = Client()
        client.force_login(people[name])
        html = _thread(client, proposal)
        found = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        assert len(found) == 1 and not any("csrf" in t for t in found)
        tokens.append(found.pop())
        # The token the page carries is accepted: a rating posted with it is stored.
        response = client.post(
            f"/kommentare/{discussion['offline'].pk}/bewerten/",
            {"wert": "0", "csrfmiddlewaretoken": tokens[-1]},
        )
        assert response.status_code == 302
    assert tokens[0] != tokens[1]


def test_a_write_shows_to_its_author_on_the_next_request(
    client, proposal, people, discussion, django_capture_on_commit_callbacks
):
    anna, by_ben = people["anna"], discussion["by_ben"]
    client.force_login(anna)
    assert _pressed(_thread(client, proposal), by_ben) == "zustimmen"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/kommentare/{by_ben.pk}/bewerten/", {"wert": "-1"})
    assert _pressed(_thread(client, proposal), by_ben) == "ablehnen"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/vorschlaege/{proposal.pk}/kommentare/", {"text": "Ganz neu von Anna"})
    html = _thread(client, proposal)
    new = Comment.objects.get(text="Ganz neu von Anna")
    assert "Ganz neu von Anna" in html and _edit_link(new) in html


def test_a_cached_thread_loads_no_comments(client, proposal, people, discussion):
    """From the cache the thread costs the viewer's ratings only (one query)."""
    client.force_login(people["anna"])
    client.get(proposal.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(proposal.get_absolute_url()).status_code == 200
    comment_queries = [q["sql"] for q in queries if '"comments_comment' in q["sql"]]
    assert len(comment_queries) == 1 and "comments_commentrating" in comment_queries[0]
