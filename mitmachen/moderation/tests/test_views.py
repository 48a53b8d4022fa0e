import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.services import comment_create
from mitmachen.moderation import services
from mitmachen.moderation.models import ActionKind, Block, ModerationAction, Report
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.tests.factories import ProjectFactory
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


class TestReportPage:
    def test_anonymous_is_sent_to_login(self, client, proposal):
        response = client.get(f"/melden/vorschlag/{proposal.pk}/")
        assert response.status_code == 302 and "/konto/login/" in response["Location"]

    def test_report_a_proposal(self, client, proposal):
        client.force_login(UserFactory())
        page = client.get(f"/melden/vorschlag/{proposal.pk}/")
        assert page.status_code == 200
        assert "Vorschlag melden" in page.content.decode()
        response = client.post(
            f"/melden/vorschlag/{proposal.pk}/", {"reason": "spam", "text": "Werbung"}
        )
        assert response.status_code == 302
        assert response["Location"] == proposal.get_absolute_url()
        assert Report.objects.get().reason == "spam"
        followed = client.get(response["Location"]).content.decode()
        assert "Danke für Ihre Meldung" in followed

    def test_bad_input_gets_a_german_message_and_stores_nothing(self, client, proposal):
        client.force_login(UserFactory())
        for data in (
            {},
            {"reason": "<script>"},
            {"reason": "other"},
            {"reason": "spam", "text": "x" * 1001},
        ):
            response = client.post(f"/melden/vorschlag/{proposal.pk}/", data)
            assert response.status_code == 200
            assert "Bitte prüfen Sie Ihre Eingaben" in response.content.decode()
        assert not Report.objects.exists()

    def test_second_report_is_refused_politely(self, client, proposal):
        client.force_login(UserFactory())
        client.post(f"/melden/vorschlag/{proposal.pk}/", {"reason": "spam"})
        response = client.post(f"/melden/vorschlag/{proposal.pk}/", {"reason": "insult"})
        assert response.status_code == 200
        assert "bereits gemeldet" in response.content.decode()
        assert Report.objects.count() == 1

    def test_report_a_comment_returns_to_the_thread(self, client, comment):
        client.force_login(UserFactory())
        back = f"{comment.proposal.get_absolute_url()}#kommentar-{comment.pk}"
        response = client.post(
            f"/melden/kommentar/{comment.pk}/", {"reason": "insult", "next": back}
        )
        assert response["Location"] == back
        assert Report.objects.get().target == comment

    def test_next_to_another_host_is_ignored(self, client, comment):
        client.force_login(UserFactory())
        response = client.post(
            f"/melden/kommentar/{comment.pk}/",
            {"reason": "spam", "next": "https://evil.example/"},
        )
        assert response["Location"] == comment.get_absolute_url()

    def test_own_content_and_unknown_ids(self, client, proposal, author):
        client.force_login(author)
        response = client.get(f"/melden/vorschlag/{proposal.pk}/", follow=True)
        assert "Eigene Beiträge" in response.content.decode()
        assert client.get("/melden/vorschlag/999999/").status_code == 404
        assert client.get("/melden/kommentar/999999/").status_code == 404

    def test_links_to_report_are_shown_to_signed_in_people(self, client, proposal, comment):
        page = client.get(proposal.get_absolute_url()).content.decode()
        assert f"/melden/vorschlag/{proposal.pk}/" not in page
        client.force_login(UserFactory())
        page = client.get(proposal.get_absolute_url()).content.decode()
        assert f"/melden/vorschlag/{proposal.pk}/" in page
        assert f"/melden/kommentar/{comment.pk}/" in page


class TestHiddenContent:
    @pytest.fixture
    def hidden(self, proposal, moderator):
        services.hide(moderator=moderator, target=proposal, reason="Werbung für Uhren")
        return proposal

    def test_public_sees_neither_title_nor_text(self, client, hidden):
        page = client.get(hidden.get_absolute_url())
        assert page.status_code == 200
        content = page.content.decode()
        assert "Ausgeblendeter Vorschlag" in content
        assert "Billige Uhren" not in content and "Werbung für Uhren" not in content
        assert 'name="robots" content="noindex"' in content

    def test_author_learns_why(self, client, hidden, author):
        client.force_login(author)
        content = client.get(hidden.get_absolute_url()).content.decode()
        assert "Werbung für Uhren" in content
        assert "Billige Uhren" not in content

    def test_staff_see_it_marked(self, client, hidden, region):
        staff = MembershipFactory(organisation=region["organisation"], role=Role.PROJECT_MANAGER)
        client.force_login(staff.user)
        content = client.get(hidden.get_absolute_url()).content.decode()
        assert "Billige Uhren" in content
        assert "nur für Mitarbeitende sichtbar" in content
        listing = client.get(f"/projekte/{hidden.project.slug}/vorschlaege/").content.decode()
        assert "Billige Uhren" in listing and "ausgeblendet" in listing

    def test_lists_map_and_geojson_leave_it_out(self, client, hidden, project):
        ProposalFactory(project=project, title="Neue Bank", lon=12.005, lat=52.005)
        hidden.lon, hidden.lat = 12.006, 52.006
        hidden.save()
        listing = client.get(f"/projekte/{project.slug}/vorschlaege/").content.decode()
        assert "Neue Bank" in listing and "Billige Uhren" not in listing
        geojson = client.get(f"/projekte/{project.slug}/vorschlaege.geojson").json()
        assert [f["properties"]["title"] for f in geojson["features"]] == ["Neue Bank"]
        other_staff = MembershipFactory(organisation=OrganisationFactory(), role=Role.ADMIN)
        client.force_login(other_staff.user)
        listing = client.get(f"/projekte/{project.slug}/vorschlaege/").content.decode()
        assert "Billige Uhren" not in listing

    def test_hidden_comment_keeps_its_place(self, client, comment, moderator, region):
        services.hide(moderator=moderator, target=comment, reason="Spam")
        url = comment.proposal.get_absolute_url()
        content = client.get(url).content.decode()
        assert "Jetzt klicken" not in content
        assert "von der Moderation ausgeblendet" in content
        client.force_login(moderator)
        content = client.get(url).content.decode()
        assert "Jetzt klicken" in content and "nur für Mitarbeitende sichtbar" in content


class TestQueue:
    def test_who_may_open_it(self, client, region):
        assert client.get("/verwaltung/moderation/").status_code == 302  # to login
        organisation = region["organisation"]
        for role, status in [
            (None, 403),
            (Role.PROJECT_MANAGER, 403),
            (Role.MODERATOR, 200),
            (Role.ADMIN, 200),
        ]:
            user = UserFactory()
            if role:
                MembershipFactory(organisation=organisation, role=role, user=user)
            client.force_login(user)
            response = client.get("/verwaltung/moderation/")
            assert response.status_code == status, role
            if status == 403:
                assert "moderieren in keiner Kommune" in response.content.decode()

    def test_shows_reports_of_its_own_municipality_only(self, client, proposal, moderator):
        services.report_create(reporter=UserFactory(), target=proposal, reason="spam")
        elsewhere = ProposalFactory(
            project=ProjectFactory(organisation=OrganisationFactory()), title="Fremder Vorschlag"
        )
        services.report_create(reporter=UserFactory(), target=elsewhere, reason="spam")
        client.force_login(moderator)
        content = client.get("/verwaltung/moderation/").content.decode()
        assert "Billige Uhren" in content and "Werbung oder Spam" in content
        assert "Fremder Vorschlag" not in content

    def test_query_count_does_not_grow(self, client, project, moderator):
        client.force_login(moderator)
        counts = []
        for total in (5, 40):
            while Report.objects.count() < total:
                target = ProposalFactory(project=project)
                services.report_create(reporter=UserFactory(), target=target, reason="spam")
                reply = comment_create(
                    author=UserFactory(), project=project, proposal=target, text="Hallo"
                )
                services.report_create(reporter=UserFactory(), target=reply, reason="insult")
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/verwaltung/moderation/").status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], counts
        assert counts[1] <= 14, counts

    def test_one_list_across_kinds_most_reports_first(
        self, client, project, moderator, settings, django_assert_max_num_queries
    ):
        from mitmachen.debates.tests.factories import DebateFactory

        settings.MODERATION_AUTO_HIDE_REPORTS = 0
        proposal = ProposalFactory(project=project, title="Einmal gemeldet")
        comment = comment_create(
            author=UserFactory(), project=project, proposal=proposal, text="Dreimal gemeldet"
        )
        debate = DebateFactory(project=project, question="Zweimal gemeldet?")
        for target, times in ((proposal, 1), (comment, 3), (debate, 2)):
            for _n in range(times):
                services.report_create(reporter=UserFactory(), target=target, reason="spam")
        client.force_login(moderator)
        # Constant: the municipality, the union and its count, a query per kind on the
        # page, the reports, the open count – and the session, the user, the page's frame.
        with django_assert_max_num_queries(14):
            content = client.get("/verwaltung/moderation/").content.decode()
        urls = (
            f"/verwaltung/moderation/kommentare/{comment.pk}/",
            f"/verwaltung/moderation/debatten/{debate.pk}/",
            f"/verwaltung/moderation/vorschlaege/{proposal.pk}/",
        )
        places = [content.index(f'href="{url}"') for url in urls]
        assert places == sorted(places)

    def test_the_list_is_paginated_across_kinds(self, client, project, moderator):
        from mitmachen.moderation.views import PAGE_SIZE

        for n in range(PAGE_SIZE + 1):
            services.report_create(
                reporter=UserFactory(),
                target=ProposalFactory(project=project, title=f"Vorschlag Nr. {n}"),
                reason="spam",
            )
        client.force_login(moderator)
        first = client.get("/verwaltung/moderation/").content.decode()
        second = client.get("/verwaltung/moderation/?seite=2").content.decode()
        assert first.count("Vorschlag Nr.") == PAGE_SIZE and second.count("Vorschlag Nr.") == 1

    def test_hidden_view_and_bad_parameters(self, client, proposal, moderator):
        services.hide(moderator=moderator, target=proposal, reason="Spam")
        client.force_login(moderator)
        content = client.get("/verwaltung/moderation/?ansicht=ausgeblendet").content.decode()
        assert "Billige Uhren" in content
        for query in ("?ansicht=<x>", "?seite=999", "?seite=abc", "?kommune=unbekannt"):
            assert client.get(f"/verwaltung/moderation/{query}").status_code == 200


class TestDecide:
    def test_hide_and_restore_through_the_page(self, client, proposal, moderator):
        client.force_login(moderator)
        url = f"/verwaltung/moderation/vorschlaege/{proposal.pk}/"
        assert client.get(url).status_code == 200
        response = client.post(url, {"aktion": "ausblenden", "ausblenden-reason": "Spam"})
        assert response.status_code == 302
        proposal.refresh_from_db()
        assert proposal.is_hidden
        response = client.post(url, {"aktion": "wiederherstellen", "wiederherstellen-reason": "ok"})
        proposal.refresh_from_db()
        assert not proposal.is_hidden
        assert ModerationAction.objects.count() == 2

    def test_missing_reason_or_unknown_action_change_nothing(self, client, proposal, moderator):
        client.force_login(moderator)
        url = f"/verwaltung/moderation/vorschlaege/{proposal.pk}/"
        response = client.post(url, {"aktion": "ausblenden", "ausblenden-reason": ""})
        assert response.status_code == 200
        assert "Bitte begründen Sie die Entscheidung" in response.content.decode()
        response = client.post(url, {"aktion": "loeschen"}, follow=True)
        assert "Unbekannte Aktion" in response.content.decode()
        proposal.refresh_from_db()
        assert not proposal.is_hidden and not ModerationAction.objects.exists()

    def test_not_for_other_staff(self, client, proposal, comment, region):
        manager = MembershipFactory(organisation=region["organisation"], role=Role.PROJECT_MANAGER)
        client.force_login(manager.user)
        assert client.get(f"/verwaltung/moderation/vorschlaege/{proposal.pk}/").status_code == 404
        assert (
            client.post(
                f"/verwaltung/moderation/kommentare/{comment.pk}/",
                {"aktion": "ausblenden", "ausblenden-reason": "x"},
            ).status_code
            == 404
        )
        comment.refresh_from_db()
        assert not comment.is_hidden

    def test_comment_page(self, client, comment, moderator):
        client.force_login(moderator)
        url = f"/verwaltung/moderation/kommentare/{comment.pk}/"
        assert "Jetzt klicken" in client.get(url).content.decode()
        client.post(url, {"aktion": "ausblenden", "ausblenden-reason": "Spam"})
        comment.refresh_from_db()
        assert comment.is_hidden


class TestBlockPages:
    def test_block_and_unblock(self, client, proposal, author, moderator, region):
        client.force_login(moderator)
        url = f"/verwaltung/moderation/sperren/{author.pk}/"
        page = client.get(url).content.decode()
        assert "Konto sperren" in page and "1 Vorschlag" in page
        response = client.post(url, {"reason": "", "aktion": "sperren"})
        assert "Bitte begründen" in response.content.decode()
        assert not Block.objects.exists()
        response = client.post(url, {"reason": "Werbung", "aktion": "sperren"})
        assert response.status_code == 302
        assert Block.objects.filter(user=author).exists()
        listing = client.get("/verwaltung/moderation/sperrungen/").content.decode()
        assert author.public_name in listing and author.email not in listing
        assert "Sperrung aufheben" in client.get(url).content.decode()
        client.post(url, {"reason": "Einsicht", "aktion": "aufheben"})
        assert not Block.objects.exists()
        log = client.get("/verwaltung/moderation/protokoll/").content.decode()
        assert "Konto gesperrt" in log and "Sperrung aufgehoben" in log

    def test_staff_cannot_be_blocked(self, client, moderator, region):
        colleague = MembershipFactory(organisation=region["organisation"], role=Role.ADMIN).user
        client.force_login(moderator)
        ProposalFactory(
            project=ProjectFactory(organisation=region["organisation"]), author=colleague
        )
        response = client.post(
            f"/verwaltung/moderation/sperren/{colleague.pk}/", {"reason": "x", "aktion": "sperren"}
        )
        assert "Mitarbeitende" in response.content.decode()
        assert not Block.objects.exists()

    def test_log_lists_automatic_decisions(self, client, settings, proposal, moderator):
        settings.MODERATION_AUTO_HIDE_REPORTS = 1
        services.report_create(reporter=UserFactory(), target=proposal, reason="spam")
        client.force_login(moderator)
        content = client.get("/verwaltung/moderation/protokoll/").content.decode()
        assert "automatisch ausgeblendet" in content
        assert ModerationAction.objects.get().kind == ActionKind.AUTO_HIDE


def test_staff_start_page_links_to_the_queue(client, proposal, moderator, region):
    services.report_create(reporter=UserFactory(), target=proposal, reason="spam")
    client.force_login(moderator)
    assert "Moderation (1 offene Meldung)" in client.get("/verwaltung/").content.decode()
    manager = MembershipFactory(organisation=region["organisation"], role=Role.PROJECT_MANAGER)
    client.force_login(manager.user)
    assert "/verwaltung/moderation/" not in client.get("/verwaltung/").content.decode()


def test_block_page_is_no_lookup_of_any_account(client, moderator):
    stranger = UserFactory(email="geheim@example.org")
    client.force_login(moderator)
    assert client.get(f"/verwaltung/moderation/sperren/{stranger.pk}/").status_code == 404


def test_a_second_submit_does_not_lift_the_block(client, proposal, author, moderator):
    client.force_login(moderator)
    url = f"/verwaltung/moderation/sperren/{author.pk}/"
    client.post(url, {"reason": "Werbung", "aktion": "sperren"})
    response = client.post(url, {"reason": "Werbung", "aktion": "sperren"}, follow=True)
    assert "Nichts zu tun" in response.content.decode()
    assert Block.objects.filter(user=author).exists()
