"""Admin writes: forged choices of another municipality are refused, fields with side
effects do not change around the services, and accounts are found by e-mail address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.tests.admin_scope import form_data, municipality
from mitmachen.notifications.models import Notification
from mitmachen.organisations.models import District, Membership, Role
from mitmachen.polls.models import Poll, Question
from mitmachen.projects.models import Visibility
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory, TopicFactory
from mitmachen.proposals.models import Proposal, ProposalStatus, ProposalStatusChange

pytestmark = pytest.mark.django_db

REFUSED = "Bitte eine gültige Auswahl treffen."


@pytest.fixture
def towns(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return municipality("a"), municipality("b")


def _project_state(project):
    project.refresh_from_db()
    return (
        project.organisation_id,
        sorted(project.districts.values_list("pk", flat=True)),
        sorted(project.managers.values_list("pk", flat=True)),
        sorted(project.partner_organisations.values_list("pk", flat=True)),
        sorted(project.memberships.values_list("user_id", flat=True)),
    )


def _post_change(client, url, **changes):
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


@pytest.mark.parametrize("person", ["admin", "manager"])
@pytest.mark.parametrize("field", ["districts", "managers", "organisation", "partners"])
def test_forged_choice_of_another_municipality_is_refused(client, towns, person, field):
    a, b = towns
    project = a.projects["public"]
    url = reverse("admin:projects_project_change", args=[project.pk])
    client.force_login(getattr(a, person))
    before = _project_state(project)
    forged = {
        "districts": {
            "districts": [str(d.pk) for d in District.objects.filter(organisation=b.organisation)]
        },
        "managers": {"managers": [str(b.manager.pk)]},
        "organisation": {"organisation": str(b.organisation.pk)},
        "partners": {"partner_organisations": [str(b.organisation.pk)]},
    }[field]
    response = _post_change(client, url, **forged)
    assert response.status_code in (200, 302)
    if field == "districts":
        assert response.status_code == 200
        assert REFUSED in response.content.decode()
    # organisation, partners and managers are read-only here: the forged value is ignored.
    assert _project_state(project) == before


def test_unchanged_project_form_saves(client, towns):
    # The counterpart of the test above: the same form, unforged, goes through.
    a, _b = towns
    project = a.projects["public"]
    url = reverse("admin:projects_project_change", args=[project.pk])
    client.force_login(a.manager)
    before = _project_state(project)
    response = _post_change(client, url, title="Neuer Titel")
    assert response.status_code == 302, response.context and response.context["errors"]
    project.refresh_from_db()
    assert project.title == "Neuer Titel" and _project_state(project) == before


def test_forged_poll_project_phase_and_question_poll_are_refused(client, towns):
    a, b = towns
    client.force_login(a.admin)
    poll = Poll.objects.get(project=a.projects["public"])
    b_poll = Poll.objects.get(project=b.projects["public"])
    url = reverse("admin:polls_poll_change", args=[poll.pk])
    response = _post_change(client, url, phase=str(b_poll.phase_id))
    assert response.status_code == 200 and REFUSED in response.content.decode()
    poll.refresh_from_db()
    assert poll.phase.project_id == a.projects["public"].pk

    add = client.get(reverse("admin:polls_poll_add"))
    data = form_data(add)
    data.update(
        project=str(b.projects["draft"].pk),
        phase=str(b_poll.phase_id),
        title="Fremde Umfrage",
        kind="survey",
        eligibility="registered",
        results_visibility="after_close",
    )
    response = client.post(reverse("admin:polls_poll_add"), data)
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert not Poll.objects.filter(title="Fremde Umfrage").exists()

    question = Question.objects.filter(poll=poll).first()
    url = reverse("admin:polls_question_change", args=[question.pk])
    response = _post_change(client, url, poll=str(b_poll.pk))
    assert response.status_code == 200 and REFUSED in response.content.decode()
    question.refresh_from_db()
    assert question.poll_id == poll.pk


def test_forged_district_organisation_is_refused(client, towns):
    a, b = towns
    client.force_login(a.admin)
    data = form_data(client.get(reverse("admin:organisations_district_add")))
    data.update(organisation=str(b.organisation.pk), name="Fremdort", slug="fremdort")
    response = client.post(reverse("admin:organisations_district_add"), data)
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert not District.objects.filter(slug="fremdort").exists()


def test_proposal_admin_changes_nothing_and_links_to_the_status_page(
    client, towns, django_capture_on_commit_callbacks
):
    a, b = towns
    proposal = Proposal.objects.get(project=a.projects["public"])
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    history = ProposalStatusChange.objects.filter(proposal=proposal).count()
    before = Proposal.objects.filter(pk=proposal.pk).values().get()
    client.force_login(a.admin)
    page = client.get(url).content.decode()
    assert reverse("proposals:status", args=[proposal.pk]) in page
    assert 'name="status"' not in page and 'name="project"' not in page
    response = client.post(
        url,
        {
            "status": ProposalStatus.ACCEPTED,
            "custom_status": "",
            "official_response": "Angenommen",
            "project": str(b.projects["public"].pk),
            "author": str(b.admin.pk),
            "title": "Geändert",
        },
    )
    assert response.status_code == 403
    assert Proposal.objects.filter(pk=proposal.pk).values().get() == before
    assert ProposalStatusChange.objects.filter(proposal=proposal).count() == history
    # The linked status page is the one way: it writes the history and notifies.
    notified = Notification.objects.filter(recipient=proposal.author).count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("proposals:status", args=[proposal.pk]),
            {"status": ProposalStatus.ACCEPTED, "response": "Wir setzen das um."},
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert ProposalStatusChange.objects.filter(proposal=proposal).count() == history + 1
    assert Notification.objects.filter(recipient=proposal.author).count() == notified + 1


def test_moderator_sees_no_status_link(client, towns):
    a, _b = towns
    proposal = Proposal.objects.get(project=a.projects["public"])
    client.force_login(a.moderator)
    page = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk]))
    assert page.status_code == 200
    assert reverse("proposals:status", args=[proposal.pk]) not in page.content.decode()


def _invite(client, project, email):
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = form_data(client.get(url))
    index = int(data["memberships-TOTAL_FORMS"])
    data["memberships-TOTAL_FORMS"] = str(index + 1)
    data[f"memberships-{index}-user"] = email
    data[f"memberships-{index}-project"] = str(project.pk)
    return client.post(url, data)


def test_invitations_are_sent_on_the_site_not_in_the_admin(
    client, towns, mailoutbox, django_capture_on_commit_callbacks
):
    """The admin shows who was invited and can end an invitation; inviting is the set-up's
    invitation page (``projects.invitation_services.project_invite``: it mails the person)."""
    a, _b = towns
    project = ProjectFactory(organisation=a.organisation, visibility=Visibility.PRIVATE)
    project.managers.add(a.manager)
    guest = UserFactory(email="gast@example.org")
    client.force_login(a.manager)
    page = client.get(reverse("admin:projects_project_change", args=[project.pk]))
    assert 'name="memberships-0-user"' not in page.content.decode()

    _invite(client, project, "gast@example.org")
    assert not project.memberships.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dashboard:project_invitations", args=[project.slug]),
            {"emails": "gast@example.org"},
        )
    assert response.status_code in (200, 302)
    assert list(project.memberships.values_list("user", flat=True)) == [guest.pk]
    assert [m.to for m in mailoutbox] == [["gast@example.org"]]
    page = client.get(reverse("admin:projects_project_change", args=[project.pk]))
    assert "gast@example.org" in page.content.decode()


def test_project_managers_are_shown_and_changed_only_on_the_roles_page(client, towns):
    """The managers are assigned through roles.services (checked against the person's
    own role, logged): the admin shows them with a link there and changes none."""
    a, _b = towns
    project = a.projects["public"]
    url = reverse("admin:projects_project_change", args=[project.pk])
    colleague = UserFactory(email="leitung2@example.org", display_name="Zweite Leitung")
    Membership.objects.create(
        user=colleague, organisation=a.organisation, role=Role.PROJECT_MANAGER
    )
    superuser = UserFactory(is_superuser=True, is_staff=True)
    for person in (a.admin, superuser):
        client.force_login(person)
        page = client.get(url).content.decode()
        assert str(a.manager) in page
        assert reverse("dashboard:project_managers", args=[project.slug]) in page
        assert 'name="managers"' not in page
        response = _post_change(client, url, managers=[str(colleague.pk)])
        assert response.status_code == 302
        assert list(project.managers.values_list("pk", flat=True)) == [a.manager.pk]


def test_publishing_without_a_phase_is_refused_in_the_admin_as_on_the_site(client, towns):
    a, _b = towns
    project = ProjectFactory(organisation=a.organisation, visibility=Visibility.DRAFT)
    PhaseFactory(project=project)
    url = reverse("admin:projects_project_change", args=[project.pk])
    client.force_login(a.admin)
    data = form_data(client.get(url))
    data["phases-0-DELETE"] = "on"
    data["visibility"] = Visibility.PUBLIC
    response = client.post(url, data)
    assert response.status_code == 200
    assert "mindestens eine Phase an" in response.content.decode()
    project.refresh_from_db()
    assert project.visibility == Visibility.DRAFT and project.phases.count() == 1
    # Deleting the phase of a draft, or publishing with it, goes through.
    data["visibility"] = Visibility.DRAFT
    assert client.post(url, data).status_code == 302
    assert not project.phases.exists()


def test_staff_roles_are_read_only_in_the_admin(client, towns):
    """Roles are given in the staff workspace (roles.services, with the log); the admin
    shows them to the municipality's staff and the operator, and changes none."""
    a, _b = towns
    colleague = UserFactory(email="kollegin@example.org")
    url = reverse("admin:organisations_organisation_change", args=[a.organisation.pk])
    for person in (a.admin, a.manager, UserFactory(is_superuser=True, is_staff=True)):
        client.force_login(person)
        page = client.get(url).content.decode()
        assert str(a.manager) in page  # shown as text
        assert 'name="memberships-0-user"' not in page
        assert 'name="memberships-0-role"' not in page
    client.force_login(a.admin)
    data = form_data(client.get(url))
    data.update(
        {
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": "kollegin@example.org",
            "memberships-0-role": Role.MODERATOR,
            "memberships-0-organisation": str(a.organisation.pk),
        }
    )
    client.post(url, data)
    assert not Membership.objects.filter(user=colleague).exists()


def test_topics_used_by_another_municipality_stay_untouched(client, towns):
    a, b = towns
    shared = b.projects["public"].topics.get()
    own = TopicFactory(name="Nur bei A")
    a.projects["public"].topics.add(own)
    client.force_login(a.admin)
    response = client.post(
        reverse("admin:projects_topic_change", args=[shared.pk]),
        {"name": "Umbenannt", "slug": shared.slug},
    )
    assert response.status_code == 403
    shared.refresh_from_db()
    assert shared.name != "Umbenannt"
    assert (
        client.post(
            reverse("admin:projects_topic_delete", args=[shared.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    response = client.post(
        reverse("admin:projects_topic_change", args=[own.pk]),
        {"name": "Umbenannt", "slug": own.slug},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "Umbenannt"
