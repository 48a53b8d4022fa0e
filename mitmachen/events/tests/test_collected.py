""" "Was hier eingebracht wurde": contributions handed in offline are linked to the event
where they were collected – when staff enter them (the field "Veranstaltung" of the
offline forms of proposals and paper questionnaires) or afterwards on the event's
documentation page – and the event page counts and lists them as far as the viewer may
see them."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.services import account_delete
from mitmachen.comments.tests.factories import CommentFactory
from mitmachen.core.channels import Channel
from mitmachen.core.registry import exporters
from mitmachen.events.models import EventContribution, Status
from mitmachen.events.services import contribution_link, contribution_unlink
from mitmachen.events.tests.factories import EventFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.polls import services as polls_services
from mitmachen.polls.models import PaperBatch
from mitmachen.polls.tests.factories import PollFactory, every_kind, full_answers
from mitmachen.projects import contributions
from mitmachen.projects.tests.factories import ProjectFactory
from mitmachen.proposals import services as proposals_services
from mitmachen.proposals.models import Proposal
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

PROPOSALS = contributions.kind("vorschlag")
COMMENTS = contributions.kind("kommentar")
BATCHES = contributions.kind("papierboegen")


def _ago(days, hours=0):
    return timezone.now() - timedelta(days=days, hours=hours)


def _event(organisation, *, days_ago=3, title="Werkstatt Marktplatz", **fields):
    start = _ago(days_ago)
    return EventFactory(
        organisation=organisation, starts_at=start, ends_at=start + timedelta(hours=2),
        title=title, **fields,
    )  # fmt: skip


@pytest.fixture
def staff(region):
    return MembershipFactory(organisation=region["organisation"], role=Role.ADMIN).user


@pytest.fixture
def meeting(region, project):
    return _event(region["organisation"], projects=[project], title="Werkstatt im Rathaus")


@pytest.fixture
def foreign():
    """An event of another municipality, on the same day."""
    return _event(OrganisationFactory(slug="anderswo"), title="Treffen in Anderswo")


def _offline_proposal(project, *, days_ago=1, **fields):
    return ProposalFactory(
        project=project,
        author=None,
        channel=Channel.WORKSHOP,
        submitted_on=timezone.localdate() - timedelta(days=days_ago),
        offline_place="Werkstatt",
        **fields,
    )


def _offline_form(**extra):
    return {
        "channel": "workshop",
        "submitted_on": timezone.localdate().isoformat(),
        "offline_place": "Ratssaal",
        "title": "Mehr Fahrradbügel",
        "text": "Am Bahnhof fehlen sie.",
    } | extra


def _offline_url(project):
    return f"/projekte/{project.slug}/vorschlaege/erfassen/"


# --- The field "Veranstaltung" of the offline forms ------------------------------------


def test_the_offline_form_offers_the_municipalitys_events_around_the_day(
    client, region, project, staff, meeting, foreign
):
    old = _event(region["organisation"], days_ago=90, title="Werkstatt vor drei Monaten")
    ahead = EventFactory(organisation=region["organisation"], title="Werkstatt nächste Woche")
    cancelled = _event(region["organisation"], title="Abgesagte Werkstatt", status=Status.CANCELLED)
    client.force_login(staff)
    page = client.get(_offline_url(project)).content.decode()
    assert 'name="event"' in page and "Werkstatt im Rathaus" in page
    for other in (foreign, old, ahead, cancelled):
        assert other.title not in page
    # The choices follow the day entered: 90 days back, the old meeting is offered.
    day = (timezone.localdate() - timedelta(days=89)).isoformat()
    page = client.post(_offline_url(project), _offline_form(submitted_on=day, title="")).content
    assert "Werkstatt vor drei Monaten" in page.decode()
    assert "Werkstatt im Rathaus" not in page.decode()


def test_a_proposal_entered_with_its_event_is_linked_and_shown(
    client, project, staff, meeting, resident
):
    client.force_login(staff)
    response = client.post(_offline_url(project), _offline_form(event=str(meeting.pk)))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    link = EventContribution.objects.get()
    assert (link.event, link.object_id, link.linked_by) == (meeting, proposal.pk, staff)
    assert link.content_type == ContentType.objects.get_for_model(Proposal)
    client.force_login(resident)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Was hier eingebracht wurde" in page and "1 Vorschlag" in page
    assert f'href="{proposal.get_absolute_url()}"' in page


def test_batch_entry_keeps_the_event_for_the_next_proposal(client, project, staff, meeting):
    client.force_login(staff)
    response = client.post(_offline_url(project), _offline_form(event=str(meeting.pk), weiter="1"))
    assert f"veranstaltung={meeting.pk}" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert f'<option value="{meeting.pk}" selected>' in page


def test_a_foreign_or_forged_event_is_refused_and_nothing_stored(client, project, staff, foreign):
    client.force_login(staff)
    for forged in (str(foreign.pk), "999999", "abc"):
        page = client.post(_offline_url(project), _offline_form(event=forged)).content.decode()
        assert "Bitte wählen Sie eine Veranstaltung aus der Liste" in page
        assert 'id="form-errors"' in page
    assert not Proposal.objects.exists() and not EventContribution.objects.exists()


def test_the_service_refuses_a_foreign_event_too_and_stores_nothing(project, staff, foreign):
    origin = proposals_services.OfflineOrigin(
        channel=Channel.WORKSHOP,
        submitted_on=timezone.localdate(),
        place="Werkstatt",
        event_id=foreign.pk,
    )
    with pytest.raises(ValidationError, match="anderen Kommune"):
        proposals_services.proposal_create(
            author=None, project=project, title="T", text="X", offline=origin, entered_by=staff
        )
    assert not Proposal.objects.exists() and not EventContribution.objects.exists()


def test_without_a_linking_module_the_field_is_absent(client, project, staff, monkeypatch):
    monkeypatch.setattr(contributions, "_hooks", {})
    client.force_login(staff)
    page = client.get(_offline_url(project)).content.decode()
    assert 'name="event"' not in page
    with pytest.raises(ValidationError):
        contributions.record(row=_offline_proposal(project), event_id=1, user=staff)


def test_a_paper_batch_entered_with_its_event_counts_its_questionnaires(
    client, region, project, staff, meeting, resident
):
    poll = PollFactory(project=project, title="Vitale Innenstadt")
    questions = every_kind(poll)
    client.force_login(staff)
    url = reverse("polls:batch_create", args=[poll.pk])
    page = client.get(url).content.decode()
    assert 'name="event"' in page and meeting.title in page
    response = client.post(
        url,
        {
            "channel": "workshop",
            "place": "Rathaus",
            "collected_on": timezone.localdate().isoformat(),
            "event": str(meeting.pk),
        },
    )
    assert response.status_code == 302
    batch = PaperBatch.objects.get()
    for _n in range(3):
        polls_services.paper_response_create(
            user=staff, batch=batch, data=full_answers(questions, region["west"])
        )
    assert EventContribution.objects.get().object_id == batch.pk
    client.force_login(resident)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "3 ausgefüllte Papierfragebögen" in page
    assert f'href="{poll.get_absolute_url()}"' in page


def test_a_paper_batch_with_a_foreign_event_is_not_stored(client, project, staff, foreign):
    poll = PollFactory(project=project)
    client.force_login(staff)
    response = client.post(
        reverse("polls:batch_create", args=[poll.pk]),
        {
            "channel": "workshop",
            "collected_on": timezone.localdate().isoformat(),
            "event": str(foreign.pk),
        },
    )
    assert response.status_code == 400
    assert "Bitte wählen Sie eine Veranstaltung aus der Liste" in response.content.decode()
    assert not PaperBatch.objects.exists()
    # The service checks it again, in its transaction.
    with pytest.raises(ValidationError, match="anderen Kommune"):
        polls_services.batch_create(
            user=staff,
            poll=poll,
            data=polls_services.BatchData(
                channel="workshop", collected_on=timezone.localdate(), event_id=foreign.pk
            ),
        )
    assert not PaperBatch.objects.exists()


# --- The link's rules -------------------------------------------------------------------


def test_the_service_rules(project, staff, meeting, resident):
    online = ProposalFactory(project=project)
    with pytest.raises(ValidationError, match="Nur offline"):
        contribution_link(user=staff, event=meeting, row=online, kind=PROPOSALS)
    before = _offline_proposal(project, days_ago=10)
    with pytest.raises(ValidationError, match="vor dem Tag"):
        contribution_link(user=staff, event=meeting, row=before, kind=PROPOSALS)
    row = _offline_proposal(project)
    with pytest.raises(ValidationError, match="nur die Mitarbeitenden"):
        contribution_link(user=resident, event=meeting, row=row, kind=PROPOSALS)
    upcoming = EventFactory(organisation=project.organisation)
    with pytest.raises(ValidationError, match="noch nicht begonnen"):
        contribution_link(user=staff, event=upcoming, row=row, kind=PROPOSALS)
    contribution_link(user=staff, event=meeting, row=row, kind=PROPOSALS)
    other = _event(project.organisation, days_ago=2)
    with pytest.raises(ValidationError, match="schon mit einer Veranstaltung"):
        contribution_link(user=staff, event=other, row=row, kind=PROPOSALS)
    assert EventContribution.objects.count() == 1


# --- The event page ---------------------------------------------------------------------


def _link(event, row, kind, user):
    contribution_link(user=user, event=event, row=row, kind=kind)
    return row


def test_counts_are_exact_and_residents_see_no_hidden_or_deleted_rows(
    client, project, staff, meeting, resident
):
    shown = [_link(meeting, _offline_proposal(project), PROPOSALS, staff) for _n in range(2)]
    hidden = _link(meeting, _offline_proposal(project, title="Ausgeblendet"), PROPOSALS, staff)
    hidden.hidden_at = timezone.now()
    hidden.save()
    comment = CommentFactory(
        project=project, author=None, channel=Channel.WORKSHOP, text="Notiert am Flipchart"
    )
    _link(meeting, comment, COMMENTS, staff)
    gone = CommentFactory(project=project, author=None, channel=Channel.WORKSHOP, text="Weg")
    _link(meeting, gone, COMMENTS, staff)
    gone.deleted_at = timezone.now()
    gone.save()
    client.force_login(resident)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "2 Vorschläge" in page and "1 Kommentar<" in page
    assert "Ausgeblendet" not in page and "Weg<" not in page
    for proposal in shown:
        assert f'href="{proposal.get_absolute_url()}"' in page
    client.force_login(staff)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "3 Vorschläge" in page and "Ausgeblendet" in page and "ausgeblendet" in page


def test_the_section_is_absent_without_links_and_for_private_projects(
    client, region, meeting, staff
):
    assert (
        "Was hier eingebracht wurde" not in client.get(meeting.get_absolute_url()).content.decode()
    )
    private = ProjectFactory(organisation=region["organisation"], visibility="private")
    _link(meeting, _offline_proposal(private), PROPOSALS, staff)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Was hier eingebracht wurde" not in page


def _page_queries(client, event):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(event.get_absolute_url()).status_code == 200
    return len(queries)


def test_the_event_page_reads_in_a_fixed_number_of_queries(
    client, region, project, staff, resident, django_assert_max_num_queries
):
    small = _event(region["organisation"], title="Klein")
    large = _event(region["organisation"], title="Groß")
    poll = PollFactory(project=project)
    for event, count in ((small, 2), (large, 50)):
        for _n in range(count):
            _link(event, _offline_proposal(project), PROPOSALS, staff)
            comment = CommentFactory(project=project, author=None, channel=Channel.LETTER)
            _link(event, comment, COMMENTS, staff)
        batch = PaperBatch.objects.create(
            poll=poll, channel="workshop", collected_on=timezone.localdate(), entered_by=staff
        )
        _link(event, batch, BATCHES, staff)
    for person in (resident, staff):
        client.force_login(person)
        _page_queries(client, small)  # warm the content types and the person's cache
        assert _page_queries(client, small) == _page_queries(client, large)
        with django_assert_max_num_queries(25):
            client.get(large.get_absolute_url())
    page = client.get(large.get_absolute_url()).content.decode()
    assert "50 Vorschläge" in page and "50 Kommentare" in page


# --- Linking afterwards, unlinking --------------------------------------------------------


def _documentation(event):
    return reverse("events:documentation", args=[event.pk])


def test_staff_link_afterwards_and_unlink_without_javascript(
    client, region, project, staff, meeting
):
    row = _offline_proposal(project, title="Nachgetragen")
    online = ProposalFactory(project=project, title="Online eingereicht")
    elsewhere = _offline_proposal(
        ProjectFactory(organisation=OrganisationFactory(slug="fremd")), title="Fremd"
    )
    client.force_login(staff)
    page = client.get(_documentation(meeting)).content.decode()
    assert "Nachgetragen" in page
    assert "Online eingereicht" not in page and "Fremd" not in page
    url = reverse("events:contribution_link", args=[meeting.pk])
    for forged in (f"vorschlag:{online.pk}", f"vorschlag:{elsewhere.pk}", "vorschlag:x", ""):
        response = client.post(url, {"contribution": forged})
        assert response.status_code == 400
        assert 'id="form-errors"' in response.content.decode()
    assert not EventContribution.objects.exists()
    response = client.post(url, {"contribution": f"vorschlag:{row.pk}"})
    assert response.status_code == 302
    link = EventContribution.objects.get()
    assert (link.object_id, link.linked_by) == (row.pk, staff)
    page = client.get(_documentation(meeting)).content.decode()
    assert "Verknüpfung entfernen" in page
    unlink = reverse("events:contribution_unlink", args=[meeting.pk, link.pk])
    assert client.post(unlink).status_code == 302
    assert not EventContribution.objects.exists()
    assert Proposal.objects.filter(pk=row.pk).exists()


def test_residents_cannot_link_or_unlink(client, project, staff, meeting, resident):
    row = _link(meeting, _offline_proposal(project), PROPOSALS, staff)
    link = EventContribution.objects.get()
    client.force_login(resident)
    assert (
        client.post(
            reverse("events:contribution_link", args=[meeting.pk]), {"contribution": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("events:contribution_unlink", args=[meeting.pk, link.pk])).status_code
        == 403
    )
    with pytest.raises(ValidationError):
        contribution_unlink(user=resident, link=link)
    assert EventContribution.objects.get().object_id == row.pk


# --- Deletion and "Meine Daten" -----------------------------------------------------------


def test_a_deleted_contribution_takes_its_link_along(project, staff, meeting):
    proposal = _link(meeting, _offline_proposal(project), PROPOSALS, staff)
    comment = _link(
        meeting,
        CommentFactory(project=project, author=None, channel=Channel.LETTER),
        COMMENTS,
        staff,
    )
    proposal.delete()
    assert list(EventContribution.objects.values_list("object_id", flat=True)) == [comment.pk]
    for _n in range(5):
        _link(meeting, _offline_proposal(project), PROPOSALS, staff)
    # A cascade from the project: one query per kind for the links, not one per row.
    with CaptureQueriesContext(connection) as queries:
        project.delete()
    touching = [q for q in queries if "events_eventcontribution" in q["sql"]]
    assert len(touching) == len(contributions.kinds())
    assert not EventContribution.objects.exists()


def test_an_authors_deleted_account_keeps_the_contribution_and_its_link(
    project, staff, meeting, resident
):
    """Comments outlive their author's account (``SET_NULL``), so the link stays: it holds
    nothing of the author. A contribution deleted with an account would take its link
    along (the deletion test above)."""
    comment = CommentFactory(project=project, author=resident, channel=Channel.WORKSHOP)
    _link(meeting, comment, COMMENTS, staff)
    account_delete(user=resident)
    comment.refresh_from_db()
    assert comment.author_id is None
    assert EventContribution.objects.get().object_id == comment.pk


def test_the_linking_staff_member_sees_the_links_and_is_forgotten_on_deletion(
    project, staff, meeting
):
    _link(meeting, _offline_proposal(project), PROPOSALS, staff)
    exported = exporters()["veranstaltungen_verknuepfte_beitraege"](staff)
    assert exported[0]["veranstaltung"] == meeting.title and exported[0]["art"] == "proposal"
    account_delete(user=staff)
    link = EventContribution.objects.get()
    assert link.linked_by is None
