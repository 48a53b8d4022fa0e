"""A suggested wording becomes a measure (``drafts.origin``, issue 11): draft suggestions are
an origin kind of the measures module. Staff make a measure of a suggestion – adopted or
not – in one step from its own page; who sees it as an origin follows the suggestion's own
rule (a hidden one only for staff of its municipality); the paragraph's page says what
became of each suggestion in one query. Drafts imports no measures code (``make lint``);
the tests may."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.channels import Channel
from mitmachen.drafts import services
from mitmachen.drafts.models import Suggestion, Weighing
from mitmachen.drafts.origin import SUGGESTION_ORIGIN
from mitmachen.drafts.tests.conftest import make_draft, paragraph
from mitmachen.measures import services as measures_services
from mitmachen.measures.models import Measure, MeasureOrigin
from mitmachen.measures.tests.factories import GoalFactory
from mitmachen.notifications.models import Notification
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects import origins
from mitmachen.projects.models import Visibility

pytestmark = pytest.mark.django_db

BUTTON = "Maßnahme daraus machen"


@pytest.fixture
def goal(project):
    return GoalFactory(field__organisation=project.organisation, title="Klimaneutral 2045")


@pytest.fixture
def admin(project):
    return MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user


def suggest(draft, by, number=1, text="Die Region will bis 2040 klimaneutral sein."):
    return services.suggestion_create(
        by=by, paragraph=paragraph(draft, number), text=text, reason="Schneller ist besser."
    )


def page(suggestion):
    draft = suggestion.paragraph.draft
    return reverse("drafts:suggestion", args=[draft.project.slug, draft.slug, suggestion.pk])


def hide(suggestion):
    Suggestion.objects.filter(pk=suggestion.pk).update(
        hidden_at=timezone.now(), hidden_reason="Beleidigung"
    )
    suggestion.refresh_from_db()


def visible_pks(user):
    rows = SUGGESTION_ORIGIN.visible(user, SUGGESTION_ORIGIN.rows())
    return set(rows.values_list("pk", flat=True))


def test_suggestions_declare_themselves_as_an_origin():
    kind = origins.kind("aenderungsvorschlag")
    assert kind is SUGGESTION_ORIGIN
    assert kind.model == "drafts.Suggestion" and kind.footer == "draft_suggestion.footer"


def test_who_sees_a_suggestion_as_an_origin(responding, manager, resident, admin):
    draft = make_draft(responding, manager)
    shown = suggest(draft, resident)
    hidden = suggest(draft, UserFactory(), number=2)
    hide(hidden)
    unpublished = suggest(make_draft(responding, manager, slug="intern"), resident)
    unpublished.paragraph.draft.is_public = False
    unpublished.paragraph.draft.save()
    moderator = MembershipFactory(organisation=responding.organisation, role=Role.MODERATOR).user
    stranger = MembershipFactory(organisation=OrganisationFactory(), role=Role.ADMIN).user
    superuser = UserFactory(is_superuser=True)
    expected = {
        "anonymous": (AnonymousUser(), {shown.pk}),
        "resident": (resident, {shown.pk}),
        "author of the hidden one": (hidden.author, {shown.pk}),
        "staff of another municipality": (stranger, {shown.pk}),
        "moderator": (moderator, {shown.pk, hidden.pk}),
        "administration": (admin, {shown.pk, hidden.pk}),
        "project manager": (manager, {shown.pk, hidden.pk}),
        "superuser": (superuser, {shown.pk, hidden.pk}),
    }
    for name, (person, pks) in expected.items():
        assert visible_pks(person) == pks, name


def test_a_private_project_hides_its_suggestions_from_outsiders(responding, manager, resident):
    draft = make_draft(responding, manager)
    suggestion = suggest(draft, resident)
    responding.visibility = Visibility.PRIVATE
    responding.save()
    assert visible_pks(AnonymousUser()) == set()
    assert visible_pks(UserFactory()) == set()
    assert visible_pks(manager) == {suggestion.pk}


@pytest.mark.parametrize("weighing", ["", Weighing.ADOPTED, Weighing.REJECTED])
def test_a_suggestion_adopted_or_not_becomes_a_measure_and_its_author_is_told(
    responding, manager, resident, admin, goal, weighing, django_capture_on_commit_callbacks
):
    draft = make_draft(responding, manager)
    suggestion = suggest(draft, resident)
    if weighing:
        services.suggestion_weigh(
            user=manager, suggestion=suggestion, weighing=weighing, reason="Geprüft."
        )
    with django_capture_on_commit_callbacks(execute=True):
        measure = measures_services.measure_from_origin(user=admin, origin=suggestion, goal=goal)
    assert measure.title == "Die Region will bis 2040 klimaneutral sein."
    assert "Begründung: Schneller ist besser." in measure.description
    assert measure.project_id == responding.pk
    assert MeasureOrigin.objects.get().object_id == suggestion.pk
    told = Notification.objects.filter(kind="measure_from_origin")
    assert list(told.values_list("recipient_id", flat=True)) == [resident.pk]


def test_a_suggestion_from_a_workshop_tells_nobody(
    responding, manager, admin, goal, django_capture_on_commit_callbacks
):
    draft = make_draft(responding, manager)
    offline = services.suggestion_create(
        by=manager,
        paragraph=paragraph(draft, 1),
        text="Bis 2040 klimaneutral.",
        channel=Channel.WORKSHOP,
    )
    with django_capture_on_commit_callbacks(execute=True):
        measures_services.measure_from_origin(user=admin, origin=offline, goal=goal)
    assert not Notification.objects.filter(kind="measure_from_origin").exists()


def test_a_hidden_suggestion_cannot_become_a_measure(responding, manager, resident, admin, goal):
    suggestion = suggest(make_draft(responding, manager), resident)
    hide(suggestion)
    with pytest.raises(PermissionDenied, match="ausgeblendet"):
        measures_services.measure_from_origin(user=admin, origin=suggestion, goal=goal)
    assert not Measure.objects.exists()


@pytest.mark.parametrize("who", ["resident", "moderator", "stranger"])
def test_only_the_municipality_s_administration_makes_measures(
    responding, manager, resident, goal, who
):
    suggestion = suggest(make_draft(responding, manager), resident)
    person = {
        "resident": resident,
        "moderator": MembershipFactory(
            organisation=responding.organisation, role=Role.MODERATOR
        ).user,
        "stranger": MembershipFactory(organisation=OrganisationFactory(), role=Role.ADMIN).user,
    }[who]
    with pytest.raises(PermissionDenied):
        measures_services.measure_from_origin(user=person, origin=suggestion, goal=goal)
    assert not Measure.objects.exists()


def test_one_step_from_the_suggestion_page_then_everyone_sees_what_became_of_it(
    client, responding, manager, resident, admin, goal
):
    draft = make_draft(responding, manager)
    suggestion = suggest(draft, resident)
    client.force_login(admin)
    staff_page = client.get(page(suggestion)).content.decode()
    assert BUTTON in staff_page
    convert = reverse("measures:from_origin", args=["aenderungsvorschlag", suggestion.pk])
    assert f'href="{convert}"' in staff_page
    response = client.post(convert, {"goal": goal.pk, "title": "Klimaplan 2040", "published": "on"})
    measure = Measure.objects.get()
    assert response.status_code == 302 and response.url == measure.get_absolute_url()
    for person in (None, resident):
        client.logout()
        if person is not None:
            client.force_login(person)
        own = client.get(page(suggestion)).content.decode()
        assert "Was daraus wurde" in own and f'href="{measure.get_absolute_url()}"' in own
        assert BUTTON not in own  # residents get no button
        listed = client.get(paragraph(draft, 1).get_absolute_url()).content.decode()
        assert "Daraus wurde die Maßnahme" in listed and "Klimaplan 2040" in listed
        assert "{#" not in own + listed  # no template comment leaks into the page
    # The measure's page names the suggestion and links its page.
    measure_page = client.get(measure.get_absolute_url()).content.decode()
    assert "Änderungsvorschlag zu einem Textentwurf" in measure_page
    assert f'href="{page(suggestion)}"' in measure_page


def test_a_hidden_suggestion_s_page_and_origin_are_for_staff_only(
    client, responding, manager, resident, admin, goal
):
    draft = make_draft(responding, manager)
    suggestion = suggest(draft, resident)
    measure = measures_services.measure_from_origin(user=admin, origin=suggestion, goal=goal)
    hide(suggestion)
    for person in (None, resident, suggestion.author):
        client.logout()
        if person is not None:
            client.force_login(person)
        assert client.get(page(suggestion)).status_code == 404
        measure_page = client.get(measure.get_absolute_url()).content.decode()
        assert page(suggestion) not in measure_page
        assert (
            "Schneller ist besser"
            not in client.get(paragraph(draft, 1).get_absolute_url()).content.decode()
        )
    client.force_login(admin)
    staff_page = client.get(page(suggestion)).content.decode()
    assert "Ausgeblendet" in staff_page and BUTTON not in staff_page  # refused while hidden
    assert page(suggestion) in client.get(measure.get_absolute_url()).content.decode()


def test_the_suggestion_page_refuses_bad_addresses(client, responding, manager, resident):
    draft = make_draft(responding, manager)
    other = make_draft(responding, manager, slug="anderer")
    suggestion = suggest(draft, resident)
    foreign = reverse("drafts:suggestion", args=[responding.slug, other.slug, suggestion.pk])
    assert client.get(foreign).status_code == 404  # another draft's suggestion
    missing = reverse("drafts:suggestion", args=[responding.slug, draft.slug, 999999])
    assert client.get(missing).status_code == 404
    assert client.post(page(suggestion)).status_code == 405
    assert client.get("/massnahmen/aus/aenderungsvorschlag/999999/").status_code in (302, 404)


def test_an_older_version_s_suggestion_says_so(client, responding, manager, resident):
    draft = make_draft(responding, manager)
    suggestion = suggest(draft, resident)
    text = paragraph(draft, 1).text
    services.version_publish(
        user=manager,
        draft=draft,
        text=f"# Leitbild\n\n{text} Neu.\n\n# Mobilität\n\nJedes Dorf im Takt.\n",
        note="",
    )
    own = client.get(page(suggestion)).content.decode()
    assert "zu Fassung 1" in own


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_what_became_of_the_suggestions_takes_queries_that_do_not_grow(
    client, responding, manager, admin
):
    draft = make_draft(responding, manager)
    url = paragraph(draft, 1).get_absolute_url()

    def add(n):
        for i in range(n):
            suggestion = suggest(draft, UserFactory(), text=f"Bis {2030 + i} klimaneutral.")
            measures_services.measure_from_origin(
                user=admin, origin=suggestion, goal=GoalFactory(field__organisation=admin_org)
            )

    admin_org = responding.organisation
    add(1)
    client.force_login(UserFactory())
    client.get(url)  # Django caches content types per process: count with a warm cache
    few = _count(client, url)
    add(9)
    many = _count(client, url)
    assert few == many, (few, many)
    assert client.get(url).content.decode().count("Daraus wurde die Maßnahme") == 10
    suggestion = Suggestion.objects.order_by("pk").first()
    assert suggestion is not None
    client.force_login(admin)
    own = _count(client, page(suggestion))
    assert own <= 12, own  # 11 measured (7 anonymous)


def test_a_long_wording_gives_a_title_cut_after_a_whole_word(responding, manager, resident):
    long = "Leer stehende Läden in der Altstadt sollen wieder genutzt werden. " * 3
    suggestion = suggest(make_draft(responding, manager), resident, text=long)
    title = SUGGESTION_ORIGIN.title(suggestion)
    assert len(title) <= 100 and title.endswith("werden. Leer stehende Läden in der…")
    assert SUGGESTION_ORIGIN.title(suggest(suggestion.paragraph.draft, resident)) == (
        "Die Region will bis 2040 klimaneutral sein."
    )
