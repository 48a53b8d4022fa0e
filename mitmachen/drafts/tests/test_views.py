import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.services import comment_create
from mitmachen.drafts import services
from mitmachen.drafts.models import ParagraphVote, Suggestion
from mitmachen.drafts.tests.conftest import make_draft, paragraph

pytestmark = pytest.mark.django_db


def text_of(paragraphs, chapters=3):
    per = paragraphs // chapters
    return "\n\n".join(
        f"# Kapitel {c}\n\n" + "\n\n".join(f"Absatz {c}.{i} mit **Text**." for i in range(per))
        for c in range(chapters)
    )


def test_reading_page_shows_contents_numbers_and_counts(client, responding, draft, resident):
    services.paragraph_vote(user=resident, paragraph=paragraph(draft, 1), value=1)
    content = client.get(draft.get_absolute_url()).content.decode()
    assert 'href="#kapitel-1"' in content and "Mobilität" in content
    assert f'id="{paragraph(draft, 3).anchor}"' in content
    assert "1 Zustimmung, 0 Ablehnungen" in content
    assert "Melden Sie sich an" in content
    # The project page lists the draft.
    assert "Klimaagenda" in client.get(responding.get_absolute_url()).content.decode()


def test_an_unpublished_draft_is_only_for_staff(client, project, manager, resident):
    hidden = make_draft(project, manager, public=False, slug="intern")
    assert client.get(hidden.get_absolute_url()).status_code == 404
    client.force_login(resident)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert "Klimaagenda" not in client.get(project.get_absolute_url()).content.decode()
    client.force_login(manager)
    assert "Unveröffentlicht" in client.get(hidden.get_absolute_url()).content.decode()


def test_vote_form_without_javascript(client, responding, draft, resident):
    p = paragraph(draft, 2)
    client.force_login(resident)
    url = reverse("drafts:vote", args=[responding.slug, draft.slug, p.key])
    response = client.post(url, {"bewertung": "zustimmen", "zurueck": "text"})
    assert response.status_code == 302
    assert response["Location"] == f"{draft.get_absolute_url()}#{p.anchor}"
    assert ParagraphVote.objects.get().value == 1
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Sie stimmen zu." in page
    client.post(url, {"bewertung": "zuruecknehmen"})
    assert not ParagraphVote.objects.exists()
    response = client.post(url, {"bewertung": "vielleicht"}, follow=True)
    assert "Bitte wählen Sie Zustimmung oder Ablehnung." in response.content.decode()


def test_vote_needs_an_account(client, responding, draft):
    p = paragraph(draft, 1)
    url = reverse("drafts:vote", args=[responding.slug, draft.slug, p.key])
    assert client.post(url, {"bewertung": "zustimmen"}).status_code == 302
    assert not ParagraphVote.objects.exists()


def test_vote_refused_in_the_wrong_phase_says_why(client, project, draft, resident):
    p = paragraph(draft, 1)
    client.force_login(resident)
    url = reverse("drafts:vote", args=[project.slug, draft.slug, p.key])
    response = client.post(url, {"bewertung": "zustimmen"}, follow=True)
    assert "In dieser Phase kann der Entwurf nicht kommentiert werden." in response.content.decode()
    assert not ParagraphVote.objects.exists()


def test_suggest_a_wording_and_see_the_difference(client, responding, draft, resident):
    p = paragraph(draft, 1)
    client.force_login(resident)
    response = client.post(
        p.get_absolute_url(),
        {"text": "Die Region will bis 2040 klimaneutral sein.", "reason": "Schneller."},
    )
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"#vorschlag-{suggestion.pk}"
    )
    page = client.get(p.get_absolute_url()).content.decode()
    assert "gestrichen: </span>2045" in page and "eingefügt: </span>2040" in page


def test_a_failed_suggestion_shows_the_error_summary_and_stores_nothing(
    client, responding, draft, resident
):
    p = paragraph(draft, 1)
    client.force_login(resident)
    response = client.post(p.get_absolute_url(), {"text": p.text, "reason": ""})
    content = response.content.decode()
    assert 'id="form-errors"' in content and "gleich dem Text" in content
    assert not Suggestion.objects.exists()


def test_staff_weigh_on_the_paragraph_page(client, responding, draft, resident, manager):
    suggestion = services.suggestion_create(by=resident, paragraph=paragraph(draft, 1), text="B")
    url = reverse("drafts:weigh", args=[responding.slug, draft.slug, suggestion.pk])
    client.force_login(resident)
    prefix = f"abwaegung-{suggestion.pk}"
    data = {f"{prefix}-weighing": "adopted", f"{prefix}-reason": "Übernommen, danke."}
    assert client.post(url, data).status_code == 404
    client.force_login(manager)
    response = client.post(url, {**data, f"{prefix}-reason": ""})
    assert response.status_code == 400 and 'id="form-errors"' in response.content.decode()
    response = client.post(url, data)
    assert response.status_code == 302
    page = client.get(suggestion.paragraph.get_absolute_url()).content.decode()
    assert "Abwägung der Verwaltung: übernommen" in page


def test_import_shows_a_preview_and_stores_only_when_confirmed(client, project, manager):
    from mitmachen.drafts.models import Draft

    draft = Draft.objects.create(project=project, title="Neu", slug="neu")
    url = reverse("drafts:import", args=[project.slug, draft.slug])
    client.force_login(manager)
    text = "# Eins\n\nErster Absatz.\n\n# Zwei\n\nZweiter Absatz."
    response = client.post(url, {"text": text})
    assert "2 Kapitel mit zusammen 2 Absätzen." in response.content.decode()
    assert not draft.paragraphs.exists()
    response = client.post(url, {"text": text, "bestaetigt": "ja"})
    assert response.status_code == 302 and draft.paragraphs.count() == 2
    response = client.post(url, {"text": ""})
    assert (
        response.status_code == 400 and "Bitte fügen Sie den Text ein" in response.content.decode()
    )


def test_import_refuses_a_file_that_is_not_text(client, project, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mitmachen.drafts.models import Draft

    draft = Draft.objects.create(project=project, title="Neu", slug="neu")
    client.force_login(manager)
    url = reverse("drafts:import", args=[project.slug, draft.slug])
    word = SimpleUploadedFile("entwurf.docx", b"PK\x03\x04...")
    assert "keine Word-Datei" in client.post(url, {"file": word}).content.decode()
    pdf = SimpleUploadedFile("entwurf.pdf", b"%PDF-1.7")
    assert "Markdown- oder eine Textdatei" in client.post(url, {"file": pdf}).content.decode()
    latin = SimpleUploadedFile("entwurf.md", "# Straße\n\nÄ".encode("latin-1"))
    assert "nicht in UTF-8" in client.post(url, {"file": latin}).content.decode()
    assert not draft.paragraphs.exists()


def test_residents_cannot_open_the_import(client, project, manager, resident):
    draft = make_draft(project, manager)
    client.force_login(resident)
    assert client.get(reverse("drafts:import", args=[project.slug, draft.slug])).status_code == 404


@pytest.mark.parametrize("signed_in", [False, True])
def test_reading_page_queries_do_not_grow_with_the_text(client, responding, manager, signed_in):
    small = make_draft(responding, manager, text_of(30), slug="klein")
    large = make_draft(responding, manager, text_of(300), slug="gross")
    voter = UserFactory()
    for draft in (small, large):
        for number in (1, 2, 3):
            services.paragraph_vote(user=voter, paragraph=paragraph(draft, number), value=1)
        # Comments on a tenth of the paragraphs (the margin shows their counters).
        for number in range(1, draft.paragraphs.count() + 1, 10):
            comment_create(
                author=voter,
                project=responding,
                target=paragraph(draft, number),
                text=f"Kommentar zu {number}",
            )
    if signed_in:
        client.force_login(voter)
    counts = []
    for draft in (small, large):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(draft.get_absolute_url())
        assert page.status_code == 200 and "1 Kommentar<span" in page.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 14, counts
