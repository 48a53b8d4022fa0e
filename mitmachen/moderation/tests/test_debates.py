"""Debates are moderation targets like proposals and comments: one write path for all.

Reporting, hiding, restoring, dismissing and blocking go through ``moderation.services``;
each decision is one ``ModerationAction`` pointing at the debate. The tests that lived in
``debates/tests`` while the debates app wrote its own log are here now.
"""

import importlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from mitmachen.accounts.services import personal_data_export
from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.services import comment_create
from mitmachen.core.models import HideCause
from mitmachen.debates.models import Debate
from mitmachen.debates.services import debate_create, debate_update
from mitmachen.debates.tests.conftest import debate, debating, manager, resident  # noqa: F401
from mitmachen.moderation import services
from mitmachen.moderation.models import ActionKind, ModerationAction, Report, Resolution
from mitmachen.moderation.services import block, hide, restore, unblock
from mitmachen.notifications.models import Notification
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def say(debate, stance="for", author=None, text="Meine Meinung", **kwargs):  # noqa: F811
    return comment_create(
        author=author or UserFactory(),
        project=debate.project,
        debate=debate,
        stance=stance,
        text=text,
        **kwargs,
    )


def page(debate):  # noqa: F811
    return f"/debatten/{debate.pk}/"


def post_url(debate):  # noqa: F811
    return f"/debatten/{debate.pk}/kommentare/"


@pytest.fixture
def opened(debating, resident):  # noqa: F811
    """A debate a resident opened."""
    return debate_create(author=resident, project=debating, question="Billige Uhren?")


# Services: hide and restore ------------------------------------------------------------------


class TestHideAndRestore:
    # Moved from debates/tests/test_services.py (then ``debates.services.debate_hide``).
    def test_hide_and_restore_are_logged_and_the_author_is_told(
        self,
        debating,  # noqa: F811
        resident,  # noqa: F811
        moderator,
        django_capture_on_commit_callbacks,
    ):
        debate = debate_create(author=resident, project=debating, question="Werbung hier?")  # noqa: F811
        with pytest.raises(ValidationError):
            hide(moderator=moderator, target=debate, reason="  ")
        with django_capture_on_commit_callbacks(execute=True):
            assert hide(moderator=moderator, target=debate, reason="Werbung")
        assert not hide(moderator=moderator, target=debate, reason="Werbung")
        assert debate.is_hidden and debate.hidden_reason == "Werbung"
        log = ModerationAction.objects.get(kind=ActionKind.HIDE)
        assert log.target_user == resident and "Werbung hier?" in log.subject
        told = Notification.objects.get(recipient=resident, kind="content_hidden")
        assert told.text == "Werbung" and told.url == debate.get_absolute_url()
        with django_capture_on_commit_callbacks(execute=True):
            assert restore(moderator=moderator, target=debate, reason="Geprüft")
        assert not debate.is_hidden
        assert ModerationAction.objects.filter(kind=ActionKind.RESTORE).count() == 1
        assert Notification.objects.filter(recipient=resident, kind="content_restored")

    # Moved from debates/tests/test_services.py.
    def test_hidden_debates_take_no_comments(self, debate, moderator, resident):  # noqa: F811
        hide(moderator=moderator, target=debate, reason="Prüfung")
        with pytest.raises(PermissionDenied, match="ausgeblendet"):
            say(debate, "for", author=resident)

    # Moved from debates/tests/test_services.py.
    def test_only_moderators_hide(self, debate, manager, resident):  # noqa: F811
        for user in (manager, resident):
            with pytest.raises(PermissionDenied):
                hide(moderator=user, target=debate, reason="Nein")
        assert not Debate.objects.get(pk=debate.pk).is_hidden

    def test_hide_writes_one_action_pointing_at_the_debate(self, opened, resident, moderator):  # noqa: F811
        assert hide(moderator=moderator, target=opened, reason="Werbung")
        action = ModerationAction.objects.get()
        assert action.kind == ActionKind.HIDE
        assert action.target == opened
        assert (action.target_kind, action.target_id) == ("debate", opened.pk)
        assert action.moderator == moderator and action.target_user == resident
        assert action.subject == "Debatte „Billige Uhren?“" and action.reason == "Werbung"
        assert action.organisation_id == opened.project.organisation_id
        # A second hide changes nothing and logs nothing.
        assert not hide(moderator=moderator, target=opened, reason="Nochmal")
        assert ModerationAction.objects.count() == 1
        stored = Debate.objects.get(pk=opened.pk)
        assert stored.hidden_cause == HideCause.MODERATOR and stored.hidden_reason == "Werbung"

    def test_restore_writes_one_action_pointing_at_the_debate(self, opened, resident, moderator):  # noqa: F811
        hide(moderator=moderator, target=opened, reason="Werbung")
        assert restore(moderator=moderator, target=opened, reason="Geprüft")
        action = ModerationAction.objects.get(kind=ActionKind.RESTORE)
        assert action.target == opened
        assert (action.target_kind, action.target_id) == ("debate", opened.pk)
        assert action.target_user == resident and action.reason == "Geprüft"
        assert not restore(moderator=moderator, target=opened, reason="Nochmal")
        assert ModerationAction.objects.filter(kind=ActionKind.RESTORE).count() == 1
        assert not Debate.objects.get(pk=opened.pk).is_hidden
        assert list(ModerationAction.objects.about(opened).values_list("kind")) == [
            (ActionKind.RESTORE,),
            (ActionKind.HIDE,),
        ]

    def test_the_author_is_told_like_for_a_proposal(
        self,
        opened,
        resident,  # noqa: F811
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        proposal = ProposalFactory(project=opened.project, author=resident, title="Uhren")
        with django_capture_on_commit_callbacks(execute=True):
            hide(moderator=moderator, target=proposal, reason="Werbung")
            hide(moderator=moderator, target=opened, reason="Werbung")
        about_proposal, about_debate = Notification.objects.filter(recipient=resident).order_by(
            "pk"
        )
        for note, target in ((about_proposal, proposal), (about_debate, opened)):
            assert note.kind == "content_hidden"
            assert note.text == "Werbung" and note.url == target.get_absolute_url()
        assert about_proposal.title == "Ihr Vorschlag „Uhren“ wurde von der Moderation ausgeblendet"
        assert (
            about_debate.title
            == "Ihre Debatte „Billige Uhren?“ wurde von der Moderation ausgeblendet"
        )
        assert [m.to for m in mailoutbox] == [[resident.email], [resident.email]]
        for mail, target in zip(mailoutbox, (proposal, opened), strict=True):
            assert "Begründung: Werbung" in mail.body
            assert target.get_absolute_url() in mail.body
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            restore(moderator=moderator, target=proposal, reason="Geprüft")
            restore(moderator=moderator, target=opened, reason="Geprüft")
        restored = Notification.objects.filter(recipient=resident).order_by("pk")
        assert [(n.kind, n.text) for n in restored] == [("content_restored", "")] * 2
        assert restored[1].title == "Ihre Debatte „Billige Uhren?“ ist wieder sichtbar"
        assert "sie ist wieder öffentlich" in mailoutbox[-1].body

    def test_notifications_are_in_the_site_language(
        self,
        opened,
        resident,  # noqa: F811
        moderator,
        django_capture_on_commit_callbacks,
    ):
        from django.utils import translation

        with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
            hide(moderator=moderator, target=opened, reason="Werbung")
        assert Notification.objects.get(recipient=resident).title.startswith("Ihre Debatte")

    def test_hiding_invalidates_the_cached_pages(
        self, client, settings, opened, moderator, django_capture_on_commit_callbacks
    ):
        settings.PAGE_CACHE_SECONDS = 60
        assert client.get(page(opened))["X-Mitmachen-Cache"] == "miss"
        assert client.get(page(opened))["X-Mitmachen-Cache"] == "hit"
        with django_capture_on_commit_callbacks(execute=True):
            hide(moderator=moderator, target=opened, reason="Prüfung")
        response = client.get(page(opened))
        assert response["X-Mitmachen-Cache"] == "miss"
        assert "Ausgeblendete Debatte" in response.content.decode()


# The database: a log entry's id has a kind; a report has a target, once per person -----------


class TestConstraints:
    def test_an_action_with_an_id_but_no_kind_is_refused(self, opened, moderator):
        with pytest.raises(IntegrityError), transaction.atomic():
            ModerationAction.objects.create(
                organisation=opened.project.organisation,
                moderator=moderator,
                kind=ActionKind.HIDE,
                subject="Ohne Art",
                target_id=opened.pk,
            )
        assert not ModerationAction.objects.exists()

    def test_an_action_with_one_target_or_none_is_stored(self, opened, moderator):
        for fields in ({"target": opened}, {}):
            ModerationAction.objects.create(
                organisation=opened.project.organisation,
                moderator=moderator,
                kind=ActionKind.HIDE if fields else ActionKind.BLOCK,
                subject="Eins",
                **fields,
            )
        assert ModerationAction.objects.count() == 2
        assert ModerationAction.objects.about(opened).get().subject == "Eins"

    def test_a_report_needs_a_target(self, opened):
        common = {
            "organisation": opened.project.organisation,
            "project": opened.project,
            "reporter": UserFactory(),
            "reason": "spam",
        }
        for fields in ({"target_kind": "debate"}, {"target_id": opened.pk}, {}):
            with pytest.raises(IntegrityError), transaction.atomic():
                Report.objects.create(**common, **fields)
        assert not Report.objects.exists()

    def test_one_report_per_person_and_target_in_the_database(self, opened):
        common = {
            "organisation": opened.project.organisation,
            "project": opened.project,
            "reporter": UserFactory(),
            "reason": "spam",
            "target": opened,
        }
        Report.objects.create(**common)
        with pytest.raises(IntegrityError), transaction.atomic():
            Report.objects.create(**common)
        # The same id of another kind is another target.
        Report.objects.create(**{**common, "target": ProposalFactory(pk=opened.pk)})
        assert Report.objects.count() == 2

    def test_a_deleted_debate_leaves_its_log_entry(self, opened, moderator):
        services.report_create(reporter=UserFactory(), target=opened, reason="spam")
        hide(moderator=moderator, target=opened, reason="Werbung")
        services.report_create(reporter=UserFactory(), target=ProposalFactory(), reason="spam")
        opened.delete()
        action = ModerationAction.objects.get()
        assert action.target is None and action.subject == "Debatte „Billige Uhren?“"
        assert (action.target_kind, action.target_id) == ("debate", None)
        assert list(Report.objects.values_list("target_kind", flat=True)) == ["proposal"]


# Reports, automatic hiding, dismissing --------------------------------------------------------


class TestReports:
    def test_a_debate_is_reported_once_per_person(self, opened, resident):  # noqa: F811
        reporter = UserFactory()
        services.report_create(reporter=reporter, target=opened, reason="spam")
        with pytest.raises(ValidationError, match="bereits gemeldet"):
            services.report_create(reporter=reporter, target=opened, reason="spam")
        with pytest.raises(PermissionDenied, match="Eigene Beiträge"):
            services.report_create(reporter=resident, target=opened, reason="spam")
        assert Report.objects.get().target == opened
        assert Debate.objects.get(pk=opened.pk).report_count == 1

    def test_enough_reports_hide_automatically(
        self,
        settings,
        opened,
        resident,  # noqa: F811
        moderator,
        django_capture_on_commit_callbacks,
    ):
        settings.MODERATION_AUTO_HIDE_REPORTS = 2
        services.report_create(reporter=UserFactory(), target=opened, reason="spam")
        with django_capture_on_commit_callbacks(execute=True):
            services.report_create(reporter=UserFactory(), target=opened, reason="insult")
        stored = Debate.objects.get(pk=opened.pk)
        assert stored.is_hidden and stored.hidden_cause == HideCause.REPORTS
        action = ModerationAction.objects.get()
        assert action.kind == ActionKind.AUTO_HIDE and action.target == opened
        asked = Notification.objects.get(recipient=moderator)
        assert asked.url == f"/verwaltung/moderation/debatten/{opened.pk}/"
        told = Notification.objects.get(recipient=resident)
        assert told.kind == "content_hidden"
        assert told.text == "Die Moderation prüft sie und entscheidet, ob sie wieder sichtbar wird."
        # The moderator confirms: the reports are closed as "hidden".
        assert hide(moderator=moderator, target=opened, reason="Werbung")
        assert set(Report.objects.values_list("resolution", flat=True)) == {Resolution.HIDDEN}
        assert Debate.objects.get(pk=opened.pk).report_count == 0

    def test_dismiss_keeps_the_debate_visible(self, opened, moderator):
        services.report_create(reporter=UserFactory(), target=opened, reason="spam")
        assert services.dismiss_reports(moderator=moderator, target=opened) == 1
        action = ModerationAction.objects.get()
        assert action.kind == ActionKind.DISMISS and action.target == opened
        assert not Debate.objects.get(pk=opened.pk).is_hidden
        assert Report.objects.get().resolution == Resolution.DISMISSED

    def test_a_hidden_debate_cannot_be_reported(self, opened, moderator):
        hide(moderator=moderator, target=opened, reason="Werbung")
        with pytest.raises(PermissionDenied, match="bereits ausgeblendet"):
            services.report_create(reporter=UserFactory(), target=opened, reason="spam")

    def test_the_reporters_export_names_the_debate(self, opened):
        reporter = UserFactory()
        services.report_create(reporter=reporter, target=opened, reason="spam")
        assert personal_data_export(user=reporter)["meldungen"][0]["gemeldet"] == (
            f"Debatte {opened.pk}"
        )


# Blocking --------------------------------------------------------------------------------------


class TestBlock:
    def test_block_hides_the_debates_opened_and_unblock_shows_them(
        self,
        opened,
        resident,  # noqa: F811
        moderator,
    ):
        organisation = opened.project.organisation
        other = debate_create(author=UserFactory(), project=opened.project, question="Andere?")
        block(moderator=moderator, organisation=organisation, user=resident, reason="Spam")
        stored = Debate.objects.get(pk=opened.pk)
        assert stored.is_hidden and stored.hidden_cause == HideCause.BLOCK
        assert not Debate.objects.get(pk=other.pk).is_hidden
        # Not one by one while the block lasts.
        with pytest.raises(ValidationError, match="gesperrt"):
            restore(moderator=moderator, target=stored, reason="Doch")
        unblock(moderator=moderator, organisation=organisation, user=resident, reason="Einsicht")
        assert not Debate.objects.get(pk=opened.pk).is_hidden

    def test_unblock_keeps_what_a_moderator_hid(self, opened, resident, moderator):  # noqa: F811
        organisation = opened.project.organisation
        hide(moderator=moderator, target=opened, reason="Werbung")
        block(moderator=moderator, organisation=organisation, user=resident, reason="Spam")
        unblock(moderator=moderator, organisation=organisation, user=resident, reason="ok")
        stored = Debate.objects.get(pk=opened.pk)
        assert stored.is_hidden and stored.hidden_cause == HideCause.MODERATOR


# The log entries the debates app wrote before ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_old_debate_entries_are_linked_when_the_subject_names_one_debate(
    debating,  # noqa: F811
    resident,  # noqa: F811
    moderation_at_0002,
):
    """Migration 0002, on the schema it was written for (moderation at 0002)."""
    migration = importlib.import_module("mitmachen.moderation.migrations.0002_debate_target")
    old_apps = moderation_at_0002
    opened = debate_create(author=resident, project=debating, question="Billige Uhren?")
    organisation = opened.project.organisation
    moderator = MembershipFactory(organisation=organisation, role=Role.MODERATOR).user
    twin_a = debate_create(author=UserFactory(), project=opened.project, question="Zwilling?")
    debate_create(author=twin_a.author, project=opened.project, question="Zwilling?")
    edited = debate_create(author=resident, project=opened.project, question="Vorher?")
    OldAction = old_apps.get_model("moderation", "ModerationAction")

    def old_entry(subject, author, kind=ActionKind.HIDE):
        return OldAction.objects.create(
            organisation_id=organisation.pk,
            moderator_id=moderator.pk,
            kind=kind,
            target_user_id=author.pk,
            subject=subject,
        )

    german = old_entry("Debatte „Billige Uhren?“", resident)
    english = old_entry("Debate “Billige Uhren?”", resident, ActionKind.RESTORE)
    ambiguous = old_entry("Debatte „Zwilling?“", twin_a.author)
    old_entry("Debatte „Vorher?“", resident)
    debate_update(user=resident, debate=edited, question="Nachher?", description="")
    blocked = old_entry("Konto „Renate“", resident, ActionKind.BLOCK)

    migration.link_debate_entries(old_apps, None)

    linked = dict(OldAction.objects.values_list("pk", "debate_id"))
    assert linked[german.pk] == opened.pk and linked[english.pk] == opened.pk
    assert linked[ambiguous.pk] is None and linked[blocked.pk] is None
    assert sum(1 for value in linked.values() if value) == 2


# Pages -------------------------------------------------------------------------------------------


class TestShortPage:
    # Moved from debates/tests/test_views.py (then ``debates.views.debate_moderate``).
    def test_hide_from_the_page(self, client, debating, resident, moderator):  # noqa: F811
        debate = debate_create(author=resident, project=debating, question="Billige Uhren?")  # noqa: F811
        top = say(debate, "for", text="Kaufen!")
        client.force_login(moderator)
        url = f"/debatten/{debate.pk}/moderieren/"
        content = client.post(url, {"reason": ""}).content.decode()
        assert "Bitte begründen Sie die Entscheidung." in content
        response = client.post(url, {"reason": "Werbung"}, follow=True)
        assert "Der Beitrag ist ausgeblendet." in response.content.decode()
        assert "Ausgeblendet – nur für Mitarbeitende sichtbar" in response.content.decode()
        client.logout()
        content = client.get(page(debate)).content.decode()
        assert "Ausgeblendete Debatte" in content and "Billige Uhren" not in content
        listing = client.get(f"/projekte/{debating.slug}/debatten/").content.decode()
        assert "Billige Uhren" not in listing
        assert client.get(f"/kommentare/{top.pk}/").status_code == 404
        assert client.get(post_url(debate)).status_code == 404
        client.force_login(UserFactory())
        assert client.get(f"/melden/kommentar/{top.pk}/").status_code == 404
        client.logout()
        client.force_login(resident)
        content = client.get(page(debate)).content.decode()
        assert "Sie haben sie eröffnet." in content and "Werbung" in content

    # Moved from debates/tests/test_views.py.
    def test_residents_and_managers_cannot_moderate(self, client, debate, resident, manager):  # noqa: F811
        for user in (resident, manager):
            client.force_login(user)
            assert client.get(f"/debatten/{debate.pk}/moderieren/").status_code == 404

    def test_show_again_from_the_page_is_logged_once(self, client, opened, moderator):
        hide(moderator=moderator, target=opened, reason="Werbung")
        client.force_login(moderator)
        url = f"/debatten/{opened.pk}/moderieren/"
        assert "Die Begründung steht im Moderationsprotokoll." in client.get(url).content.decode()
        response = client.post(url, {"reason": "Geprüft"}, follow=True)
        assert "Der Beitrag ist wieder sichtbar." in response.content.decode()
        action = ModerationAction.objects.get(kind=ActionKind.RESTORE)
        assert action.target == opened and action.reason == "Geprüft"

    def test_a_blocked_authors_debate_is_not_shown_again(self, client, opened, resident, moderator):  # noqa: F811
        block(
            moderator=moderator,
            organisation=opened.project.organisation,
            user=resident,
            reason="Spam",
        )
        client.force_login(moderator)
        response = client.post(f"/debatten/{opened.pk}/moderieren/", {"reason": "Doch"})
        assert response.status_code == 200
        assert "Das Konto ist gesperrt." in response.content.decode()
        assert Debate.objects.get(pk=opened.pk).is_hidden


class TestReportPage:
    def test_report_a_debate(self, client, opened, resident, moderator):  # noqa: F811
        anonymous = client.get(page(opened)).content.decode()
        assert "Debatte melden" not in anonymous
        client.force_login(resident)
        assert "Debatte melden" not in client.get(page(opened)).content.decode()  # own
        reporter = UserFactory()
        client.force_login(reporter)
        assert "Debatte melden" in client.get(page(opened)).content.decode()
        url = f"/melden/debatte/{opened.pk}/"
        form = client.get(url).content.decode()
        assert "Debatte melden" in form and "Billige Uhren?" in form
        response = client.post(url, {"reason": ""})
        assert "Bitte wählen Sie einen Grund." in response.content.decode()
        response = client.post(url, {"reason": "spam"}, follow=True)
        assert response.redirect_chain[-1][0] == page(opened)
        assert "Danke für Ihre Meldung." in response.content.decode()
        assert Report.objects.get().target == opened
        client.force_login(moderator)
        assert "Moderieren (1 offene Meldung)" in client.get(page(opened)).content.decode()

    def test_unknown_and_invisible_debates(self, client, opened):
        from mitmachen.projects.models import Visibility

        client.force_login(UserFactory())
        assert client.get("/melden/debatte/999999/").status_code == 404
        opened.project.visibility = Visibility.DRAFT
        opened.project.save()
        assert client.get(f"/melden/debatte/{opened.pk}/").status_code == 404


class TestStaffPages:
    def test_queue_decision_page_and_log(self, client, opened, moderator):
        services.report_create(reporter=UserFactory(), target=opened, reason="insult")
        client.force_login(moderator)
        queue = client.get("/verwaltung/moderation/").content.decode()
        assert "Gemeldete Beiträge" in queue and "Billige Uhren?" in queue
        assert '<td class="kern-table__cell">Debatte</td>' in queue
        assert f"/verwaltung/moderation/debatten/{opened.pk}/" in queue
        url = f"/verwaltung/moderation/debatten/{opened.pk}/"
        decide = client.get(url).content.decode()
        assert "Debatte moderieren" in decide and "Beleidigung" in decide
        response = client.post(url, {"aktion": "ausblenden", "ausblenden-reason": "Hetze"})
        assert response.status_code == 302
        assert Debate.objects.get(pk=opened.pk).is_hidden
        hidden = client.get("/verwaltung/moderation/?ansicht=ausgeblendet").content.decode()
        assert "Ausgeblendete Beiträge" in hidden and "Billige Uhren?" in hidden
        log = client.get("/verwaltung/moderation/protokoll/").content.decode()
        assert f'href="/verwaltung/moderation/debatten/{opened.pk}/"' in log
        assert "Debatte „Billige Uhren?“" in log
        assert "Hetze" in client.get(url).content.decode()  # the earlier decisions

    def test_decision_page_not_for_other_staff(self, client, opened, manager):  # noqa: F811
        client.force_login(manager)
        url = f"/verwaltung/moderation/debatten/{opened.pk}/"
        assert client.get(url).status_code == 404
        response = client.post(url, {"aktion": "ausblenden", "ausblenden-reason": "x"})
        assert response.status_code == 404
        assert not Debate.objects.get(pk=opened.pk).is_hidden

    def test_block_page_counts_debates(self, client, opened, resident, moderator):  # noqa: F811
        client.force_login(moderator)
        content = client.get(f"/verwaltung/moderation/sperren/{resident.pk}/").content.decode()
        assert "1 Debatte" in content

    def test_other_municipalities_do_not_see_the_debate(self, client, opened):
        from mitmachen.organisations.tests.factories import OrganisationFactory

        services.report_create(reporter=UserFactory(), target=opened, reason="spam")
        elsewhere = MembershipFactory(organisation=OrganisationFactory(), role=Role.MODERATOR)
        client.force_login(elsewhere.user)
        assert "Billige Uhren?" not in client.get("/verwaltung/moderation/").content.decode()
        assert client.get(f"/verwaltung/moderation/debatten/{opened.pk}/").status_code == 404
