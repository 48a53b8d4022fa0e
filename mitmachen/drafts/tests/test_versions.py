"""Versions of a draft: which paragraph of the new text is which old one, publishing a
version, reading and comparing versions, and the page of adopted suggestions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.channels import Channel
from mitmachen.drafts import services, versions
from mitmachen.drafts.models import Paragraph, ParagraphVote, Suggestion, Version, Weighing
from mitmachen.drafts.tests.conftest import TEXT, make_draft
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
)

# TEXT's paragraphs, in order:
ONE = "Die Region will bis 2045 klimaneutral sein."
TWO = "Klimaschutz soll sich lohnen."
THREE = "Jedes Dorf soll im Stundentakt erreichbar sein."

SECOND = f"""# Leitbild

Die Region will bis 2040 klimaneutral sein.

{THREE}

# Mobilität

Radwege verbinden alle Ortsteile mit dem Bahnhof.
"""


def at(draft, version, number):
    return Paragraph.objects.select_related("draft__project").get(
        draft=draft, version=version, number=number
    )


# Matching ----------------------------------------------------------------------------


def test_match_finds_unchanged_changed_moved_new_and_deleted():
    old = [ONE, TWO, THREE, "Ein Satz, der wegfällt, weil er überholt ist."]
    new = [THREE, "Die Region will bis 2040 klimaneutral sein.", TWO, "Ganz neu."]
    result = versions.match(old, new)
    pairs = {(p.old, p.new): p for p in result.pairs}
    assert set(pairs) == {(0, 1), (1, 2), (2, 0)}
    assert pairs[(0, 1)].changed and not pairs[(0, 1)].moved
    assert not pairs[(1, 2)].changed and not pairs[(1, 2)].moved
    assert pairs[(2, 0)].moved and not pairs[(2, 0)].changed
    assert result.deleted == [3] and result.added == [3]


def test_match_ignores_whitespace_and_refuses_dissimilar_texts():
    result = versions.match(["Ein  Text\nmit Umbruch."], ["Ein Text mit Umbruch."])
    assert [(p.old, p.new, p.changed) for p in result.pairs] == [(0, 0, False)]
    result = versions.match(["Ganz etwas anderes hier."], ["Völlig neuer Inhalt dort!"])
    assert result.pairs == [] and result.deleted == [0] and result.added == [0]


def test_match_takes_the_most_similar_candidate():
    old = ["Radwege bis 2030 in allen Ortsteilen bauen."]
    new = [
        "Busse fahren bis 2030 in allen Ortsteilen.",
        "Radwege bis 2035 in allen Ortsteilen bauen.",
    ]
    assert [(p.old, p.new) for p in versions.match(old, new).pairs] == [(0, 1)]


def test_the_work_limit_examines_neighbours_first(monkeypatch):
    old = ["Alpha beta gamma delta.", "Eins zwei drei vier."]
    new = ["Eins zwei drei fünf.", "Alpha beta gamma epsilon."]
    swapped = versions.match(old, new)
    assert {(p.old, p.new, p.moved) for p in swapped.pairs} == {(0, 1, True), (1, 0, False)} or {
        (p.old, p.new, p.moved) for p in swapped.pairs
    } == {(0, 1, False), (1, 0, True)}
    # Each pair compares 10 words; with room for the two neighbours only, the swapped
    # and changed paragraphs are not found again.
    monkeypatch.setattr(versions, "WORK_LIMIT", 20)
    limited = versions.match(old, new)
    assert limited.pairs == [] and limited.deleted == [0, 1] and limited.added == [0, 1]


words = st.sampled_from(
    ["Straße", "Bürger", "Radweg", "Ähre", "öffentlich", "**fett**", "2045", "Bus", "- Liste"]
)
paragraphs = st.lists(words, min_size=1, max_size=8).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(paragraphs, max_size=12), st.lists(paragraphs, max_size=12))
def test_match_uses_every_paragraph_at_most_once(old, new):
    result = versions.match(old, new)
    olds = [p.old for p in result.pairs] + result.deleted
    news = [p.new for p in result.pairs] + result.added
    assert sorted(olds) == list(range(len(old)))
    assert sorted(news) == list(range(len(new)))
    for pair in result.pairs:
        assert pair.changed == (
            versions.normalise(old[pair.old]) != versions.normalise(new[pair.new])
        )
        if pair.changed:
            assert versions.similarity(old[pair.old], new[pair.new]) >= versions.THRESHOLD


@settings(max_examples=100, deadline=None)
@given(st.lists(paragraphs, max_size=12), st.data())
def test_an_unchanged_text_matches_itself(old, data):
    result = versions.match(old, old)
    assert [(p.old, p.new, p.changed, p.moved) for p in result.pairs] == [
        (i, i, False, False) for i in range(len(old))
    ]
    # A paragraph whose text occurs once in both versions keeps its identity, wherever
    # the others go.
    new = data.draw(st.permutations(old))
    for pair in versions.match(old, new).pairs:
        if old.count(old[pair.old]) == 1:
            assert new[pair.new] == old[pair.old]


@settings(max_examples=200, deadline=None)
@given(paragraphs, paragraphs, st.sampled_from([" ", "\n", "  "]))
def test_the_version_diff_yields_the_new_text_and_hides_mere_line_breaks(old, new, space):
    from mitmachen.drafts import diff

    pieces = versions.text_diff(old, new.replace(" ", space))
    assert diff.apply(pieces) == new.replace(" ", space)
    if versions.normalise(old) == versions.normalise(new):
        assert [p.op for p in pieces] == ["equal"]


# Publishing ---------------------------------------------------------------------------


def test_a_new_version_keeps_the_keys_of_matched_paragraphs(responding, draft, resident, manager):
    first = [at(draft, 1, n) for n in (1, 2, 3)]
    services.paragraph_vote(user=resident, paragraph=first[0], value=1)
    services.suggestion_create(by=resident, paragraph=first[0], text=ONE.replace("45", "40"))
    version = services.version_publish(user=manager, draft=draft, text=SECOND, note="Ziel 2040.")
    draft.refresh_from_db()
    assert draft.version == 2 and version.number == 2 and version.note == "Ziel 2040."
    new = list(Paragraph.objects.filter(draft=draft, version=2).order_by("number"))
    assert [p.key for p in new[:2]] == [first[0].key, first[2].key]
    assert new[2].key not in {p.key for p in first}
    # Votes and suggestions stay with version 1; the new version starts without.
    assert ParagraphVote.objects.get().paragraph_id == first[0].pk
    assert Suggestion.objects.get().paragraph_id == first[0].pk
    assert (new[0].agree_count, new[0].suggestion_count) == (0, 0)
    assert Paragraph.objects.filter(draft=draft, version=1).count() == 3


def test_only_project_staff_publish_versions(responding, draft, resident):
    other_town = MembershipFactory(
        organisation=OrganisationFactory(), role=Role.PROJECT_MANAGER
    ).user
    for user in (resident, other_town):
        with pytest.raises(PermissionDenied):
            services.version_publish(user=user, draft=draft, text=SECOND)
    assert not Version.objects.filter(number=2).exists()


def test_publishing_refuses_the_same_text_and_a_draft_without_text(project, draft, manager):
    with pytest.raises(ValidationError, match="gleich der aktuellen Fassung"):
        services.version_publish(user=manager, draft=draft, text=TEXT.replace("\n\n", "\n\n\n"))
    from mitmachen.drafts.models import Draft

    empty = Draft.objects.create(project=project, title="Leer", slug="leer")
    with pytest.raises(ValidationError, match="noch keinen Text"):
        services.version_publish(user=manager, draft=empty, text=SECOND)
    with pytest.raises(ValidationError):
        services.version_publish(user=manager, draft=draft, text="x" * 30_000)
    assert not Version.objects.filter(number=2).exists()


def test_after_a_second_version_the_first_cannot_be_replaced(draft, manager):
    services.version_publish(user=manager, draft=draft, text=SECOND)
    with pytest.raises(ValidationError, match="schon mehrere Fassungen"):
        services.draft_import(user=manager, draft=draft, text=TEXT)


def test_an_older_version_takes_no_new_responses(responding, draft, resident, manager):
    services.version_publish(user=manager, draft=draft, text=SECOND)
    draft.refresh_from_db()
    old = at(draft, 1, 1)
    with pytest.raises(ValidationError, match="Fassung 1"):
        services.paragraph_vote(user=resident, paragraph=old, value=1)
    with pytest.raises(ValidationError, match="aktuelle Fassung 2"):
        services.suggestion_create(by=resident, paragraph=old, text="Anders.")
    assert not ParagraphVote.objects.exists() and not Suggestion.objects.exists()


# Pages --------------------------------------------------------------------------------


def test_staff_preview_then_publish_a_version(client, responding, draft, resident, manager):
    url = reverse("drafts:version_new", args=[responding.slug, draft.slug])
    client.force_login(resident)
    assert client.get(url).status_code == 404
    client.force_login(manager)
    page = client.post(url, {"text": SECOND, "note": "Ziel 2040."}).content.decode()
    assert "1 unverändert, 1 geändert, 0 verschoben, 1 neu, 1 gestrichen." in page
    assert "eingefügt: </span>2040" in page and not Version.objects.filter(number=2).exists()
    response = client.post(url, {"text": SECOND, "note": "Ziel 2040.", "bestaetigt": "ja"})
    assert response.status_code == 302 and "?von=1&zu=2" in response["Location"]
    assert Version.objects.filter(draft=draft, number=2).exists()
    bad = client.post(url, {"text": "", "note": "x"})
    assert bad.status_code == 400 and "Bitte fügen Sie den Text ein" in bad.content.decode()


def test_readers_see_the_current_version_and_can_open_the_older(
    client, responding, draft, resident, manager
):
    first = at(draft, 1, 1)
    suggestion = services.suggestion_create(by=resident, paragraph=first, text="Bis 2040.")
    services.version_publish(user=manager, draft=draft, text=SECOND)
    draft.refresh_from_db()
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "bis 2040 klimaneutral" in page and "Fassung 2" in page and "Radwege" in page
    old = client.get(draft.get_absolute_url() + "?fassung=1").content.decode()
    assert "Sie lesen die ältere Fassung 1." in old and TWO in old and "Radwege" not in old
    # The permalink leads to the paragraph's newest text; the suggestion made on
    # version 1 is listed there "zu Fassung 1".
    current = client.get(at(draft, 2, 1).get_absolute_url()).content.decode()
    assert "bis 2040 klimaneutral" in current and "zu Fassung 1" in current
    assert f'id="vorschlag-{suggestion.pk}"' in current
    # A paragraph that version 2 dropped is still there, in version 1.
    dropped = client.get(at(draft, 1, 2).get_absolute_url())
    assert dropped.status_code == 200 and "älteren Fassung 1" in dropped.content.decode()
    client.force_login(resident)
    response = client.post(at(draft, 1, 2).get_absolute_url(), {"text": "Anders."}, follow=True)
    assert "aktuelle Fassung" in response.content.decode()
    assert Suggestion.objects.count() == 1


def test_compare_any_two_versions_without_javascript(client, responding, draft, manager):
    services.version_publish(user=manager, draft=draft, text=SECOND, note="Ziel 2040.")
    draft.refresh_from_db()
    third = SECOND.replace("Radwege verbinden", "Sichere Radwege verbinden")
    services.version_publish(user=manager, draft=draft, text=third)
    url = reverse("drafts:compare", args=[responding.slug, draft.slug])
    page = client.get(url).content.decode()  # the last two versions by default
    assert "Fassung 2 und Fassung 3" in page and "eingefügt: </span>Sichere " in page
    page = client.get(url, {"von": 1, "zu": 3}).content.decode()
    assert "Fassung 1 und Fassung 3" in page
    assert "2 unverändert" not in page
    assert "1 unverändert, 1 geändert, 0 verschoben, 1 neu, 1 gestrichen." in page
    assert "Bisher Absatz 2: gestrichen" in page and TWO in page
    single = make_draft(responding, manager, slug="einzeln")
    single_url = reverse("drafts:compare", args=[responding.slug, single.slug])
    assert "nur eine Fassung" in client.get(single_url, {"von": 1, "zu": 1}).content.decode()
    for bad in ({"von": 2, "zu": 2}, {"von": 9, "zu": 1}, {"von": "x"}):
        response = client.get(url, bad)
        assert response.status_code == 400 and 'id="form-errors"' in response.content.decode()


def test_compare_shows_moved_paragraphs(client, responding, draft, manager):
    moved = f"# Leitbild\n\n{THREE}\n\n{ONE}\n\n{TWO}\n"
    services.version_publish(user=manager, draft=draft, text=moved)
    page = client.get(reverse("drafts:compare", args=[responding.slug, draft.slug])).content
    assert "Absatz 1: verschoben, bisher Absatz 3" in page.decode()


def text_of(paragraphs, *, changed=False):
    return "# Kapitel\n\n" + "\n\n".join(
        f"Absatz {i} mit **Text** über die Straße{' (neu)' if changed and i % 3 == 0 else ''}."
        for i in range(paragraphs)
    )


def test_compare_queries_do_not_grow_with_the_text(client, responding, manager):
    counts = []
    for size, slug in ((30, "klein"), (300, "gross")):
        draft = make_draft(responding, manager, text_of(size), slug=slug)
        services.version_publish(user=manager, draft=draft, text=text_of(size, changed=True))
        url = reverse("drafts:compare", args=[responding.slug, slug])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"von": 1, "zu": 2})
        assert response.status_code == 200
        assert response.content.decode().count('class="version-entry"') == size // 3
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[1] <= 10, counts


def test_what_changed_through_participation(client, responding, draft, manager):
    lübnitz = DistrictFactory(organisation=responding.organisation, name="Lübnitz")
    named = UserFactory(display_name="Renate Rose")
    unnamed = UserFactory(display_name="Karl Geheim", home_district=lübnitz)
    adopted = services.suggestion_create(
        by=named,
        paragraph=at(draft, 1, 1),
        text="Die Region will bis 2040 klimaneutral sein.",
        name_in_report=True,
    )
    partly = services.suggestion_create(
        by=unnamed, paragraph=at(draft, 1, 3), text=f"{THREE} Auch am Wochenende."
    )
    market = services.suggestion_create(
        by=manager, paragraph=at(draft, 1, 2), text="Anders.", channel=Channel.MARKET_STAND
    )
    rejected = services.suggestion_create(by=unnamed, paragraph=at(draft, 1, 1), text="Nie.")
    for suggestion, weighing in (
        (adopted, Weighing.ADOPTED),
        (partly, Weighing.PARTLY),
        (market, Weighing.ADOPTED),
        (rejected, Weighing.REJECTED),
    ):
        services.suggestion_weigh(
            user=manager, suggestion=suggestion, weighing=weighing, reason="R"
        )
    url = reverse("drafts:changes", args=[responding.slug, draft.slug])
    before = client.get(url).content.decode()
    assert "wird in die nächste Fassung aufgenommen" in before
    services.version_publish(user=manager, draft=draft, text=SECOND)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert len(queries) <= 8, len(queries)
    assert "Vorgeschlagen von: Renate Rose" in page
    assert "Vorgeschlagen von: Bürgerin/Bürger aus Lübnitz" in page and "Karl" not in page
    assert "Vorgeschlagen von: ein Beitrag aus: Marktstand" in page
    assert "gestrichen: </span>2045" in page and "eingefügt: </span>2040" in page
    assert "Der Absatz ist in Fassung 2 gestrichen." in page  # the market stand's paragraph
    assert "Der Text des Absatzes ist gleich geblieben." in page  # partly: not in the text
    assert page.count('class="version-entry"') == 3 and "Nie." not in page
