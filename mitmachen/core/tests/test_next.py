"""Junk in ``next`` (and the htmx current URL) never leaves the site and never ends in a 500.

Every view that reads ``next`` is sent a bare word, other hosts, a script URL, a very
long value and values with line breaks; each must answer as with no ``next`` at all.
"""

from urllib.parse import urlsplit

import pytest
from django.test import RequestFactory
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.models import Comment, CommentRating
from mitmachen.comments.services import comment_create
from mitmachen.core.redirects import MAX_LENGTH, local_path
from mitmachen.debates.tests.factories import DebateFactory
from mitmachen.moderation.models import Report
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

JUNK = [
    "abc",
    "kommentare",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "/" + "a" * (MAX_LENGTH + 10),
    "/vorschlaege/\nSet-Cookie: x=1",
    "/vorschlaege/\r\nLocation: https://evil.example/",
    "\n//evil.example/",
    "/\x00/",
]
IDS = [repr(value[:30]) for value in JUNK]


def _is_safe_local(location: str) -> bool:
    """A path on this site, as our own views answer (never relative, never long)."""
    return (
        location.startswith("/")
        and not location.startswith(("//", "/\\"))
        and "evil" not in location
        and not any(char in location for char in "\r\n\x00")
        and len(location) < MAX_LENGTH
    )


def _stays_on_site(location: str) -> bool:
    """Django's and allauth's own views: may keep a harmless relative or encoded path."""
    parts = urlsplit(location)
    return (
        not parts.scheme
        and not parts.netloc
        and not location.startswith(("//", "/\\"))
        and not any(char in location for char in "\r\n\x00")
    )


@pytest.fixture
def project(db):
    project = ProjectFactory()
    PhaseFactory(project=project, actions=["comment", "propose", "support"])
    return project


@pytest.fixture
def proposal(project):
    return ProposalFactory(project=project)


@pytest.fixture
def comment(project, proposal):
    return comment_create(author=UserFactory(), project=project, proposal=proposal, text="Hallo")


@pytest.mark.parametrize(
    "url",
    [
        "/vorschlaege/5/",
        "/vorschlaege/5/?kseite=2",
        "http://testserver/vorschlaege/5/?kseite=2#kommentare",
    ],
)
def test_local_path_keeps_paths_of_this_site(url):
    request = RequestFactory().get("/")
    assert local_path(request, url) == url.removeprefix("http://testserver").split("#")[0]


def test_local_path_keeps_the_fragment_when_asked():
    request = RequestFactory().get("/")
    assert local_path(request, "/a/?b=1#c", fragment=True) == "/a/?b=1#c"


@pytest.mark.parametrize("junk", JUNK, ids=IDS)
def test_local_path_rejects_junk(junk):
    assert local_path(RequestFactory().get("/"), junk) == ""


class TestReport:
    @pytest.mark.parametrize("junk", JUNK, ids=IDS)
    def test_report_comment_with_junk_next(self, client, comment, junk):
        # Audit finding: next=abc gave NoReverseMatch (500) after the report was stored.
        client.force_login(UserFactory())
        url = reverse("moderation:report_comment", args=[comment.pk])
        assert client.get(url, {"next": junk}).status_code == 200
        response = client.post(url, {"reason": "spam", "text": "", "next": junk})
        assert response.status_code == 302
        assert response["Location"] == comment.get_absolute_url()
        assert Report.objects.count() == 1

    @pytest.mark.parametrize("junk", JUNK, ids=IDS)
    def test_report_proposal_with_junk_next(self, client, proposal, junk):
        client.force_login(UserFactory())
        url = reverse("moderation:report_proposal", args=[proposal.pk])
        page = client.get(url, {"next": junk})
        assert page.status_code == 200
        assert f'name="next" value="{proposal.get_absolute_url()}"' in page.content.decode()
        response = client.post(url, {"reason": "spam", "text": "", "next": junk})
        assert response["Location"] == proposal.get_absolute_url()
        again = client.post(url, {"reason": "spam", "text": "", "next": junk})  # a second one
        assert again.status_code in (200, 302) and again.get("Location") in (
            None,
            response["Location"],
        )
        assert Report.objects.count() == 1


class TestComments:
    @pytest.mark.parametrize("junk", JUNK, ids=IDS)
    def test_write_with_junk_next(self, client, project, proposal, junk):
        debate = DebateFactory(project=project)
        targets = [
            (reverse("comments:proposal", args=[proposal.pk]), proposal.get_absolute_url()),
            (reverse("comments:project", args=[project.slug]), project.get_absolute_url()),
            (reverse("comments:debate", args=[debate.pk]), debate.get_absolute_url()),
        ]
        # Not signed in: to the login page, with a safe next.
        for url, page in targets:
            response = client.post(url, {"text": "Hallo", "next": junk})
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))
            assert "evil" not in response["Location"] and "\n" not in response["Location"]
        client.force_login(UserFactory())
        for url, page in targets:
            data = {"text": f"Kommentar zu {url}", "stance": "for", "next": junk}
            response = client.post(url, data)
            assert response.status_code == 302, response.content.decode()[:500]
            assert _is_safe_local(response["Location"])
            assert response["Location"].startswith(page)
            # Invalid form: the page again, with the safe address in the form.
            invalid = client.post(url, {"text": "", "next": junk})
            assert invalid.status_code == 200
            assert f'name="next" value="{page}"' in invalid.content.decode()
        assert Comment.objects.count() == 3

    @pytest.mark.parametrize("junk", JUNK, ids=IDS)
    def test_edit_delete_rate_with_junk_next(self, client, proposal, comment, junk):
        back = comment.get_absolute_url().split("#")[0]
        rater = UserFactory()
        client.force_login(rater)
        rate = client.post(reverse("comments:rate", args=[comment.pk]), {"wert": "1", "next": junk})
        assert rate.status_code == 302 and rate["Location"].startswith(back)
        assert _is_safe_local(rate["Location"])
        assert CommentRating.objects.count() == 1
        client.force_login(comment.author)
        edit = reverse("comments:edit", args=[comment.pk])
        hidden = f'name="next" value="{back}"'
        assert hidden in client.get(edit, {"next": junk}).content.decode()
        response = client.post(edit, {"text": "Neu", "next": junk})
        assert response.status_code == 302 and response["Location"].startswith(back)
        delete = reverse("comments:delete", args=[comment.pk])
        assert hidden in client.get(delete, {"next": junk}).content.decode()
        response = client.post(delete, {"next": junk})
        assert response.status_code == 302 and response["Location"].startswith(back)
        assert _is_safe_local(response["Location"])

    @pytest.mark.parametrize("junk", JUNK, ids=IDS)
    def test_htmx_current_url_junk(self, client, proposal, junk):
        # The htmx header names the page a fragment is shown in; junk means "this request".
        url = reverse("comments:proposal", args=[proposal.pk])
        response = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=junk.strip())
        assert response.status_code == 200
        assert "evil" not in response.content.decode()


@pytest.mark.parametrize("junk", JUNK, ids=IDS)
def test_language_switch_with_junk_next(client, junk):
    response = client.post("/i18n/setlang/", {"language": "en", "next": junk})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "en"


@pytest.mark.parametrize("junk", JUNK, ids=IDS)
def test_login_pages_with_junk_next(client, junk):
    user = UserFactory()
    user.set_password("ein-langes-passwort")
    user.save()
    for url in (reverse("account_login"), reverse("admin:login")):
        assert client.get(url, {"next": junk}).status_code == 200
    response = client.post(
        f"{reverse('account_login')}?{junk and 'next='}",
        {"login": user.email, "password": "ein-langes-passwort", "next": junk},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert _stays_on_site(response["Location"])
