"""The Abwägungstabelle: who is named, what is in it, and its page, XLSX and PDF."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.channels import Channel
from mitmachen.drafts import report, services
from mitmachen.drafts.models import Weighing
from mitmachen.drafts.tests.conftest import make_draft, paragraph, table_pdf
from mitmachen.organisations.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def weighed(responding, draft, manager):
    """Three contributions to paragraph 1: named, unnamed from an Ortsteil, a workshop."""
    lübnitz = DistrictFactory(organisation=responding.organisation, name="Lübnitz")
    named = UserFactory(display_name="Renate Rose")
    unnamed = UserFactory(display_name="Karl Geheim", home_district=lübnitz)
    p = paragraph(draft, 1)
    first = services.suggestion_create(
        by=named, paragraph=p, text='=HYPERLINK("x") bis 2040', name_in_report=True
    )
    services.suggestion_create(by=unnamed, paragraph=p, text="Bis 2035.", reason="Schneller")
    services.suggestion_create(
        by=manager, paragraph=p, text="Bis 2045, aber prüfen.", channel=Channel.MARKET_STAND
    )
    services.suggestion_weigh(
        user=manager, suggestion=first, weighing=Weighing.PARTLY, reason="Teilweise."
    )
    return draft


def test_people_are_named_only_with_their_consent(weighed):
    rows = report.rows(weighed)
    assert [r.paragraph.number for r in rows] == [1, 2, 3]
    names = [c.who for c in rows[0].contributions]
    assert names == ["Renate Rose", "Bürgerin/Bürger aus Lübnitz", "ein Beitrag aus: Marktstand"]
    assert rows[1].contributions == []


def test_hidden_contributions_are_left_out(weighed):
    from mitmachen.drafts.models import Suggestion

    Suggestion.objects.filter(text="Bis 2035.").update(hidden_at="2026-01-01T00:00:00Z")
    assert len(report.rows(weighed)[0].contributions) == 2


def test_rows_take_four_queries_whatever_the_size(responding, manager):
    """Paragraphs, suggestions, comments, weighings (and with comments one more: staff
    among their authors, ``test_comment_weighing``)."""
    big = make_draft(responding, manager, "\n\n".join(f"Absatz {i}" for i in range(120)))
    for number in range(1, 40):
        services.suggestion_create(
            by=UserFactory(), paragraph=paragraph(big, number), text=f"Anders {number}"
        )
    with CaptureQueriesContext(connection) as queries:
        rows = report.rows(big)
    assert len(rows) == 120 and len(queries) == 4


def test_xlsx_has_a_line_per_contribution_and_no_formula(weighed):
    book = load_workbook(io.BytesIO(report.xlsx(weighed, report.rows(weighed))))
    sheet = book["Abwägungstabelle"]
    assert sheet["A1"].value == "Klimaagenda"
    header = [c.value for c in sheet[4]]
    assert header[:3] == ["Absatz", "Kapitel", "Text des Absatzes"]
    lines = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    # Paragraph 1 has three contributions, paragraphs 2 and 3 a line each without one.
    assert [line[0] for line in lines] == [1, 1, 1, 2, 3]
    assert lines[0][5] == '\'=HYPERLINK("x") bis 2040'  # defused
    assert lines[0][7] == "Renate Rose" and lines[0][10] == "teilweise übernommen"
    assert lines[1][7] == "Bürgerin/Bürger aus Lübnitz" and lines[1][10] == "noch nicht abgewogen"


def test_the_page(client, weighed, manager):
    """The public page; the way to the files only for staff (``test_table_files``)."""
    slug, draft = weighed.project.slug, weighed.slug
    page = client.get(reverse("drafts:weighing", args=[slug, draft])).content.decode()
    assert "Bürgerin/Bürger aus Lübnitz" in page and "Karl Geheim" not in page
    assert "teilweise übernommen" in page
    files = reverse("drafts:weighing_files", args=[slug, draft])
    assert files not in page
    client.force_login(manager)
    assert files in client.get(reverse("drafts:weighing", args=[slug, draft])).content.decode()


def test_the_pdf_is_tagged_titled_and_has_a_text_layer(weighed, manager, media):
    reader = PdfReader(io.BytesIO(table_pdf(weighed, manager)))
    assert reader.metadata is not None
    assert reader.metadata.title == "Abwägungstabelle: Klimaagenda"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged (PDF/UA)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Bürgerin/Bürger aus Lübnitz" in text and "Karl Geheim" not in text
    assert "teilweise übernommen" in text and "Absatz 3 (Mobilität)" in text


def test_an_unpublished_draft_has_no_public_table(client, project, manager):
    hidden = make_draft(project, manager, public=False, slug="intern")
    assert (
        client.get(reverse("drafts:weighing", args=[project.slug, hidden.slug])).status_code == 404
    )
    client.force_login(UserFactory())
    for name in ("drafts:weighing", "drafts:weighing_files"):
        assert client.get(reverse(name, args=[project.slug, hidden.slug])).status_code == 404


def test_kept_page_references_follow_every_added_page():
    """``report._page_references`` (pydyf's property, kept between pages) gives what pydyf
    computes, also after pages are added; the PDF uses it."""
    import pydyf  # type: ignore[import-untyped]

    original = pydyf.PDF.page_references.fget
    if original is report._page_references:  # patched by an earlier PDF in this process
        original = None
    pdf = pydyf.PDF()

    def expected():
        return tuple(f"{n} 0 R".encode("ascii") for n in pdf.pages["Kids"][::3])

    assert report._page_references(pdf) == expected() == ()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert report._page_references(pdf) == expected()
        if original is not None:
            assert original(pdf) == expected()
    assert len(report._page_references(pdf)) == 3
    report._keep_page_references()
    assert pydyf.PDF.page_references.fget is report._page_references
