from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mitmachen.organisations.tests.factories import DistrictFactory, OrganisationFactory
from mitmachen.projects.models import Follow, Visibility
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory, TopicFactory

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def titles(response):
    return [p.title for p in response.context["page"].object_list]


def make_projects(n, organisation=None, **kwargs):
    organisation = organisation or OrganisationFactory()
    topic = TopicFactory()
    district = DistrictFactory(organisation=organisation)
    partner = OrganisationFactory()
    projects = []
    for _ in range(n):
        project = ProjectFactory(organisation=organisation, **kwargs)
        project.topics.add(topic)
        project.districts.add(district)
        project.partner_organisations.add(partner)
        PhaseFactory(project=project)
        PhaseFactory(
            project=project, start=timezone.now() + 40 * DAY, end=timezone.now() + 50 * DAY
        )
        projects.append(project)
    return projects


class TestList:
    def test_filters(self, client):
        a, b = OrganisationFactory(slug="a"), OrganisationFactory(slug="b")
        topic = TopicFactory(slug="mobilitaet")
        district = DistrictFactory(organisation=a)
        running = ProjectFactory(organisation=a, title="Läuft")
        running.topics.add(topic)
        running.districts.add(district)
        PhaseFactory(project=running)
        upcoming = ProjectFactory(organisation=b, title="Kommt")
        PhaseFactory(project=upcoming, start=timezone.now() + 5 * DAY, end=timezone.now() + 9 * DAY)
        finished = ProjectFactory(organisation=b, title="Vorbei")
        PhaseFactory(project=finished, start=timezone.now() - 9 * DAY, end=timezone.now() - 5 * DAY)
        ProjectFactory(organisation=a, title="Entwurf", visibility=Visibility.DRAFT)

        assert sorted(titles(client.get("/projekte/"))) == ["Kommt", "Läuft", "Vorbei"]
        assert titles(client.get("/projekte/?kommune=a")) == ["Läuft"]
        assert titles(client.get("/projekte/?thema=mobilitaet")) == ["Läuft"]
        assert titles(client.get(f"/projekte/?ortsteil={district.pk}")) == ["Läuft"]
        assert titles(client.get("/projekte/?status=upcoming")) == ["Kommt"]
        assert titles(client.get("/projekte/?status=finished")) == ["Vorbei"]
        assert titles(client.get("/projekte/?kommune=b&status=running")) == []

    def test_partner_projects_appear_under_partner(self, client):
        project = ProjectFactory(title="Gemeinsam")
        partner = OrganisationFactory(slug="partner")
        project.partner_organisations.add(partner)
        assert titles(client.get("/projekte/?kommune=partner")) == ["Gemeinsam"]

    @pytest.mark.parametrize(
        "query",
        [
            "kommune=gibt-es-nicht",
            "ortsteil=abc",
            "ortsteil=999999",
            "status=kaputt",
            "thema=%00",
            "seite=999",
            "seite=-1",
            "seite=abc",
            "kommune=" + "x" * 5000,
            "ortsteil=1%27%20OR%201=1",
        ],
    )
    def test_malformed_filters_never_fail(self, client, query):
        make_projects(2)
        response = client.get(f"/projekte/?{query}")
        assert response.status_code == 200
        content = response.content.decode()
        if not query.startswith("seite"):
            assert "Einige Filter wurden nicht angewendet" in content
            # The invalid filter is ignored: all visible projects are shown.
            assert len(titles(response)) == 2

    def test_pagination(self, client):
        make_projects(25)
        first = client.get("/projekte/")
        assert len(titles(first)) == 20
        assert "Seite 1 von 2" in first.content.decode()
        assert len(titles(client.get("/projekte/?seite=2"))) == 5

    def test_htmx_request_gets_only_the_results(self, client):
        make_projects(1)
        response = client.get("/projekte/", HTTP_HX_REQUEST="true")
        content = response.content.decode()
        assert "<html" not in content
        assert 'id="ergebnisse-titel"' in content

    @pytest.mark.parametrize(
        "url",
        [
            "/",
            "/projekte/",
            "/projekte/?status=running",
            "/kommunen/{org}/",
            "/kommunen/",
            "{district}",
        ],
    )
    def test_query_count_does_not_grow_with_rows(self, client, url):
        organisation = OrganisationFactory()
        district = DistrictFactory(organisation=organisation)
        counts = []
        for n in (10, 40):
            for project in make_projects(n if not counts else n - 10, organisation=organisation):
                project.districts.add(district)
            target = url.format(org=organisation.slug, district=district.get_absolute_url())
            with CaptureQueriesContext(connection) as queries:
                assert client.get(target).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], counts
        # With the site footer's project offices (1 query without offices, the page cache
        # off) and, on a municipality page, the events' offices and tours sections (1 each)
        # and the processes it shares as templates (1).
        assert counts[1] <= 15, counts


class TestDetail:
    def test_shows_timeline_and_current_phase(self, client):
        project = ProjectFactory(title="INSEK")
        PhaseFactory(
            project=project,
            name="Bestandsaufnahme",
            start=timezone.now() - 20 * DAY,
            end=timezone.now() - 10 * DAY,
        )
        PhaseFactory(
            project=project,
            name="Ideen sammeln",
            start=timezone.now() - 10 * DAY,
            end=timezone.now() + 10 * DAY,
        )
        content = client.get(project.get_absolute_url()).content.decode()
        assert 'aria-current="step"' in content
        assert "Aktuelle Phase: <strong>Ideen sammeln</strong>" in content
        assert "<h3>Hintergrund</h3>" in content  # Markdown rendered, headings shifted

    def test_markdown_description_is_sanitised(self, client):
        project = ProjectFactory(
            description='Hallo <script>alert("x")</script><img src=x onerror=alert(1)>'
        )
        content = client.get(project.get_absolute_url()).content.decode()
        assert 'alert("x")' not in content
        assert "onerror" not in content

    def test_unknown_project_is_german_404(self, client):
        response = client.get("/projekte/gibt-es-nicht/")
        assert response.status_code == 404
        assert "Seite nicht gefunden" in response.content.decode()

    def test_staff_can_open_the_first_debate_outside_a_debate_phase(self, client, user):
        from mitmachen.organisations.models import Role
        from mitmachen.organisations.tests.factories import MembershipFactory

        project = ProjectFactory()
        PhaseFactory(project=project, actions=["propose", "comment"])
        admin = MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user
        client.force_login(admin)
        content = client.get(project.get_absolute_url()).content.decode()
        assert 'id="debatten-titel"' in content
        assert f'href="/projekte/{project.slug}/debatten/neu/"' in content
        assert "0 Debatten bisher." in content
        # Residents see no empty panel: they cannot open debates in this phase.
        client.force_login(user)
        assert 'id="debatten-titel"' not in client.get(project.get_absolute_url()).content.decode()

    @pytest.mark.parametrize("role", ["resident", "manager"])
    def test_query_count_is_bounded(self, client, user, role):
        from mitmachen.organisations.models import Role
        from mitmachen.organisations.tests.factories import MembershipFactory

        project = ProjectFactory()
        for i in range(8):
            PhaseFactory(
                project=project,
                start=timezone.now() + i * 10 * DAY,
                end=timezone.now() + (i * 10 + 5) * DAY,
            )
            project.districts.add(DistrictFactory(organisation=project.organisation))
            project.topics.add(TopicFactory())
        if role == "manager":  # sees the button "Debatte eröffnen" in any phase
            user = MembershipFactory(
                organisation=project.organisation, role=Role.PROJECT_MANAGER
            ).user
            project.managers.add(user)
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(project.get_absolute_url())
        # 12 for the project itself and at most one for each module's section on the page
        # (polls, drafts, debates, measures, …; each module tests its own section's bound).
        # An assigned project manager: one lookup of the project's managers each for the
        # page's staff links and for the debates' button "Debatte eröffnen".
        from mitmachen.core.sections import sections

        modules_on_page = len(sections("project")) + len(sections("project.discussion"))
        assert len(queries) <= 12 + modules_on_page + (role == "manager") * 2, len(queries)
        assert ("Debatte eröffnen" in response.content.decode()) is (role == "manager")


class TestFollow:
    def test_follow_and_unfollow(self, client, user):
        project = ProjectFactory()
        PhaseFactory(project=project)
        client.force_login(user)
        url = f"{project.get_absolute_url()}folgen/"
        response = client.post(url, {"folgen": "1"}, follow=True)
        assert "Sie folgen jetzt" in response.content.decode()
        client.post(url, {"folgen": "1"})
        assert Follow.objects.filter(user=user, project=project).count() == 1
        client.post(url, {"folgen": "0"})
        assert not Follow.objects.exists()

    def test_htmx_follow_returns_the_button(self, client, user):
        project = ProjectFactory()
        client.force_login(user)
        response = client.post(
            f"{project.get_absolute_url()}folgen/", {"folgen": "1"}, HTTP_HX_REQUEST="true"
        )
        content = response.content.decode()
        assert "<html" not in content
        assert "Nicht mehr folgen" in content

    def test_anonymous_is_sent_to_login(self, client):
        project = ProjectFactory()
        response = client.post(f"{project.get_absolute_url()}folgen/")
        assert response.status_code == 302
        assert "/konto/login/" in response["Location"]
        assert not Follow.objects.exists()

    def test_draft_cannot_be_followed_and_get_is_refused(self, client, user):
        draft = ProjectFactory(visibility=Visibility.DRAFT)
        client.force_login(user)
        assert client.post(f"{draft.get_absolute_url()}folgen/").status_code == 404
        public = ProjectFactory()
        assert client.get(f"{public.get_absolute_url()}folgen/").status_code == 405
        assert not Follow.objects.exists()


def test_list_varies_on_htmx_header(client):
    response = client.get("/projekte/")
    assert "HX-Request" in response["Vary"]


def test_german_content_is_marked_on_english_pages(client):
    project = ProjectFactory(title="Dorfplatz Lübnitz")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    content = client.get(project.get_absolute_url()).content.decode()
    assert '<html lang="en"' in content
    assert '<h1 class="kern-heading-x-large" lang="de">Dorfplatz Lübnitz</h1>' in content
