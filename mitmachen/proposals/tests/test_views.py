import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.channels import Channel
from mitmachen.projects.models import Visibility
from mitmachen.proposals.models import Proposal, Support
from mitmachen.proposals.tests.conftest import set_phase
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def titles(response):
    return [p.title for p in response.context["page"].object_list]


class TestList:
    def test_filters_and_sorting(self, client, project, region):
        a = ProposalFactory(
            project=project, title="Bänke", district=region["west"], channel=Channel.WORKSHOP
        )
        b = ProposalFactory(project=project, title="Radweg", district=region["east"])
        Proposal.objects.filter(pk=b.pk).update(support_count=5)
        ProposalFactory(title="Anderes Projekt")
        url = f"/projekte/{project.slug}/vorschlaege/"
        assert sorted(titles(client.get(url))) == ["Bänke", "Radweg"]
        assert titles(client.get(f"{url}?ortsteil={region['west'].pk}")) == ["Bänke"]
        assert titles(client.get(f"{url}?kanal=workshop")) == ["Bänke"]
        assert titles(client.get(f"{url}?q=radw")) == ["Radweg"]
        assert titles(client.get(f"{url}?sortierung=unterstuetzt")) == ["Radweg", "Bänke"]
        assert a.pk

    @pytest.mark.parametrize(
        "query",
        [
            "ortsteil=abc",
            "ortsteil=999999",
            "kanal=fax",
            "status=x",
            "sortierung=zufall%00",
            "thema=gibts-nicht",
            "q=" + "x" * 500,
            "seite=999",
            "seite=-3",
        ],
    )
    def test_bad_filters_never_fail(self, client, project, query):
        ProposalFactory(project=project)
        response = client.get(f"/projekte/{project.slug}/vorschlaege/?{query}")
        assert response.status_code == 200
        if not query.startswith("seite"):
            assert "Einige Filter wurden nicht angewendet" in response.content.decode()

    def test_hidden_projects_hide_their_proposals(self, client, project):
        project.visibility = Visibility.DRAFT
        project.save()
        proposal = ProposalFactory(project=project)
        assert client.get(f"/projekte/{project.slug}/vorschlaege/").status_code == 404
        assert client.get(proposal.get_absolute_url()).status_code == 404

    @pytest.mark.parametrize("logged_in", [False, True])
    def test_query_count_does_not_grow(self, client, project, region, logged_in):
        user = UserFactory()
        if logged_in:
            client.force_login(user)
        counts = []
        for n in (10, 100):
            for _ in range(n - (10 if counts else 0)):
                proposal = ProposalFactory(project=project, district=region["west"])
                Support.objects.create(proposal=proposal, user=user)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/projekte/{project.slug}/vorschlaege/")
            assert response.status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], counts
        # Signed in adds the session, the user, roles and blocks, the person's own supports
        # and the unread-notification count; both the site footer's project offices.
        assert counts[1] <= (15 if logged_in else 13), counts


class TestDetail:
    def test_user_content_is_escaped(self, client, project):
        proposal = ProposalFactory(
            project=project,
            title='<script>alert("t")</script>',
            text="<img src=x onerror=alert(1)> **fett**",
            place_description="<b>Ort</b>",
        )
        content = client.get(proposal.get_absolute_url()).content.decode()
        assert '<script>alert("t")' not in content
        assert "&lt;script&gt;" in content
        assert "onerror" not in content
        assert "<strong>fett</strong>" in content
        assert "<b>Ort</b>" not in content

    def test_query_count_is_bounded(self, client, project, region):
        proposal = ProposalFactory(project=project, district=region["west"], lon=12.005, lat=52.005)
        client.force_login(UserFactory())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(proposal.get_absolute_url()).status_code == 200
        # Signed in: session, user, roles and blocks, support, follow, unread count, the
        # site footer's project offices – 14 – and at most one for each module's section
        # on the page (comments, measures, …).
        from mitmachen.core.sections import sections

        modules_on_page = len(sections("proposal.discussion")) + len(sections("proposal.footer"))
        assert len(queries) <= 14 + modules_on_page, len(queries)

    def test_unknown_is_german_404(self, client):
        response = client.get("/vorschlaege/987654/")
        assert response.status_code == 404
        assert "Seite nicht gefunden" in response.content.decode()


class TestCreateView:
    def test_form_titles_name_the_project(self, client, project):
        """Audit (issue 18) finding 21: five projects' forms had the same title."""
        import re

        client.force_login(UserFactory())
        title = re.compile(r"<title>(.*?)</title>", re.S)
        page = client.get(f"/projekte/{project.slug}/vorschlaege/neu/").content.decode()
        assert title.search(page).group(1).strip() == (
            f"Vorschlag einreichen – {project.title} – Mitmachen"
        )
        own = ProposalFactory(project=project, author=UserFactory())
        client.force_login(own.author)
        page = client.get(f"/vorschlaege/{own.pk}/bearbeiten/").content.decode()
        assert title.search(page).group(1).strip() == (
            f"Vorschlag bearbeiten – {project.title} – Mitmachen"
        )

    def test_create_with_point(self, client, project, region):
        client.force_login(UserFactory())
        response = client.post(
            f"/projekte/{project.slug}/vorschlaege/neu/",
            {
                "title": "Trinkbrunnen",
                "text": "Bitte am Bahnhof.",
                "lon": "12.015",
                "lat": "52.005",
                "district": "",
            },
        )
        proposal = Proposal.objects.get()
        assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
        assert proposal.district == region["east"]

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"title": "", "text": "x"}, "Dieses Feld ist zwingend erforderlich."),
            ({"title": "x" * 121, "text": "x"}, "höchstens 120 Zeichen"),
            ({"title": "x", "text": "x", "lon": "13.9", "lat": "52.9"}, "außerhalb des Gebiets"),
            ({"title": "x", "text": "x", "lon": "12.01"}, "unvollständig"),
            (
                {"title": "x", "text": "x", "lon": "abc", "lat": "52"},
                "Punkt auf der Karte ist ungültig",
            ),
            ({"title": "x", "text": "x", "district": "999999"}, "gültige Auswahl"),
        ],
    )
    def test_bad_input(self, client, project, data, message):
        client.force_login(UserFactory())
        response = client.post(f"/projekte/{project.slug}/vorschlaege/neu/", data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Proposal.objects.exists()

    def test_closed_phase_redirects_with_message(self, client, project):
        set_phase(project, ["comment"])
        client.force_login(UserFactory())
        response = client.post(
            f"/projekte/{project.slug}/vorschlaege/neu/", {"title": "x", "text": "y"}, follow=True
        )
        assert "keine Vorschläge eingereicht" in response.content.decode()
        assert not Proposal.objects.exists()


class TestSupportView:
    def test_support_and_withdraw_without_js(self, client, project):
        proposal = ProposalFactory(project=project)
        client.force_login(UserFactory())
        url = f"/vorschlaege/{proposal.pk}/unterstuetzen/"
        response = client.post(url, {"unterstuetzen": "1"}, follow=True)
        assert "Vielen Dank für Ihre Unterstützung!" in response.content.decode()
        client.post(url, {"unterstuetzen": "1"})
        proposal.refresh_from_db()
        assert proposal.support_count == 1
        client.post(url, {"unterstuetzen": "0"})
        proposal.refresh_from_db()
        assert proposal.support_count == 0

    def test_htmx_returns_the_box(self, client, project):
        proposal = ProposalFactory(project=project)
        client.force_login(UserFactory())
        response = client.post(
            f"/vorschlaege/{proposal.pk}/unterstuetzen/",
            {"unterstuetzen": "1"},
            HTTP_HX_REQUEST="true",
        )
        content = response.content.decode()
        assert "<html" not in content
        assert "Unterstützung zurücknehmen" in content
        assert 'id="unterstuetzung-status"' in content

    def test_anonymous_goes_to_login(self, client, project):
        proposal = ProposalFactory(project=project)
        response = client.post(f"/vorschlaege/{proposal.pk}/unterstuetzen/")
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
        assert not Support.objects.exists()

    def test_the_box_on_the_page_says_why_the_author_cannot_support(self, client, project):
        author = UserFactory()
        proposal = ProposalFactory(project=project, author=author)
        client.force_login(author)
        content = client.get(f"/vorschlaege/{proposal.pk}/").content.decode()
        box = content[content.index('id="unterstuetzung"') :]
        box = box[: box.index("</div>")]
        assert "Eigene Vorschläge können Sie nicht unterstützen." in box
        assert "<button" not in box

    def test_refusal_is_shown(self, client, project):
        author = UserFactory()
        proposal = ProposalFactory(project=project, author=author)
        client.force_login(author)
        response = client.post(f"/vorschlaege/{proposal.pk}/unterstuetzen/", follow=True)
        assert "Eigene Vorschläge können Sie nicht unterstützen." in response.content.decode()
        assert not Support.objects.exists()
