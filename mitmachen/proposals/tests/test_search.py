import pytest

from mitmachen.proposals.models import Proposal
from mitmachen.proposals.selectors import search, shuffled, similar
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposals(project):
    return [
        ProposalFactory(
            project=project,
            title="Mehr Fahrradbügel am Bahnhof",
            text="Morgens sind alle Bügel belegt.",
        ),
        ProposalFactory(
            project=project,
            title="Schatten auf dem Marktplatz",
            text="Bäume pflanzen und Bänke aufstellen.",
        ),
        ProposalFactory(
            project=project,
            title="Rufbus nach Lüsse",
            text="Der Bus fährt abends nicht mehr zum Bahnhof.",
        ),
    ]


def titles(queryset):
    return [p.title for p in queryset]


def test_search_finds_words_in_title_and_text(project, proposals):
    everything = Proposal.objects.filter(project=project)
    assert titles(search(everything, "Marktplatz")) == ["Schatten auf dem Marktplatz"]
    assert set(titles(search(everything, "bahnhof"))) == {
        "Mehr Fahrradbügel am Bahnhof",
        "Rufbus nach Lüsse",
    }
    assert titles(search(everything, "Bahnhof Rufbus")) == ["Rufbus nach Lüsse"]
    assert titles(search(everything, "Seilbahn")) == []
    assert len(titles(search(everything, "  "))) == 3


def test_search_ranks_title_matches_first_on_postgres(project, proposals):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("ranking is a PostgreSQL feature")
    everything = Proposal.objects.filter(project=project)
    # German stemming: "Bäume" finds "Bäume", "Busse" stems like "Bus".
    assert titles(search(everything, "Bahnhof"))[0] == "Mehr Fahrradbügel am Bahnhof"
    assert "Schatten auf dem Marktplatz" in titles(search(everything, "Baum"))


def test_shuffled_is_stable_per_seed_and_a_permutation(project):
    for _ in range(30):
        ProposalFactory(project=project)
    everything = Proposal.objects.filter(project=project)
    first, again = titles(shuffled(everything, 42)), titles(shuffled(everything, 42))
    other = titles(shuffled(everything, 4711))
    assert first == again
    assert sorted(first) == sorted(titles(everything))
    assert first != other


def test_similar_proposals(project, proposals):
    found = similar(project.pk, "Fahrradbügel am Bahnhof fehlen")
    assert found and found[0].title == "Mehr Fahrradbügel am Bahnhof"
    assert similar(project.pk, "Seilbahn zum Hagelberg") == []
    assert similar(project.pk, "") == []


def test_random_sort_view_sets_a_seed_cookie_only_when_chosen(client, project, proposals):
    url = f"/projekte/{project.slug}/vorschlaege/"
    assert "mm_reihenfolge" not in client.get(url).cookies
    first = client.get(f"{url}?sortierung=zufall")
    seed = first.cookies["mm_reihenfolge"].value
    again = client.get(f"{url}?sortierung=zufall")
    assert [p.pk for p in first.context["page"]] == [p.pk for p in again.context["page"]]
    assert seed.isdigit()
    client.cookies["mm_reihenfolge"] = "kaputt"
    assert client.get(f"{url}?sortierung=zufall").status_code == 200


def test_create_shows_similar_first_then_publishes_on_confirmation(client, project, proposals):
    from mitmachen.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    url = f"/projekte/{project.slug}/vorschlaege/neu/"
    data = {"title": "Fahrradbügel am Bahnhof", "text": "Es gibt zu wenige."}
    response = client.post(url, data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Gibt es Ihren Vorschlag schon?" in content
    assert "Mehr Fahrradbügel am Bahnhof" in content
    assert Proposal.objects.count() == 3
    response = client.post(url, data | {"trotzdem": "1"})
    assert response.status_code == 302
    assert Proposal.objects.count() == 4


def test_similar_fragment(client, project, proposals):
    url = f"/projekte/{project.slug}/vorschlaege/aehnliche/"
    assert "Mehr Fahrradbügel" in client.get(url, {"title": "Fahrradbügel"}).content.decode()
    assert "<li>" not in client.get(url, {"title": "abc"}).content.decode()
    assert client.get(url, {"title": "x" * 5000}).status_code == 200
