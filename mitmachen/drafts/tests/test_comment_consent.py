"""Consent to be named in the Abwägungstabelle when commenting on a paragraph: asked on
the paragraph's comment forms only (the comment-target registration's ``name_consent``),
stored on the comment, read by the table, shown in "Meine Daten", and no name after the
account is deleted."""

import io
import re

import pytest
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from mitmachen.accounts.services import account_delete
from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments import services as comments
from mitmachen.comments.models import Comment
from mitmachen.comments.personal_data import export_comments
from mitmachen.core.channels import Channel
from mitmachen.drafts import report
from mitmachen.drafts.models import WeighingTableFile
from mitmachen.drafts.tests.conftest import paragraph, table_files, table_pdf
from mitmachen.organisations.tests.factories import DistrictFactory
from mitmachen.proposals.tests.conftest import set_phase
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

LABEL = "Mein Name darf in der Abwägungstabelle für den Stadtrat stehen."


def page_url(p):
    return reverse("comments:paragraph", args=[p.pk])


def who_in_table(draft, comment):
    for row in report.rows(draft):
        for entry in row.comments:
            if entry.comment.pk == comment.pk:
                return entry.who
    raise AssertionError("comment not in the table")


def test_the_paragraph_asks_and_the_table_names_only_with_consent(
    client, responding, draft, resident
):
    resident.home_district = DistrictFactory(organisation=responding.organisation, name="Lübnitz")
    resident.save()
    p = paragraph(draft, 1)
    client.force_login(resident)
    page = client.get(page_url(p)).content.decode()
    assert LABEL in page and 'id="neuer-kommentar-name_in_report"' in page
    client.post(page_url(p), {"text": "Mit Namen.", "name_in_report": "on"})
    client.post(page_url(p), {"text": "Ohne Namen."})
    named = Comment.objects.get(text="Mit Namen.")
    anonymous = Comment.objects.get(text="Ohne Namen.")
    assert named.name_in_report and not anonymous.name_in_report
    # A reply asks too (the reply form under each comment) and stores its own answer.
    page = client.get(page_url(p)).content.decode()
    assert f'id="antwort-{named.pk}-name_in_report"' in page
    client.post(
        page_url(p), {"text": "Antwort mit Namen.", "reply_to": named.pk, "name_in_report": "on"}
    )
    reply = Comment.objects.get(text="Antwort mit Namen.")
    assert reply.name_in_report and reply.parent_id == named.pk
    assert who_in_table(draft, named) == "Renate"
    assert who_in_table(draft, reply) == "Renate"
    assert who_in_table(draft, anonymous) == "Bürgerin/Bürger aus Lübnitz"
    rows = report.rows(draft)
    book = load_workbook(io.BytesIO(report.xlsx(draft, rows)))
    names = {line[5].value: line[7].value for line in book.active.iter_rows(min_row=5)}
    assert names["Mit Namen."] == "Renate" and names["Ohne Namen."] == "Bürgerin/Bürger aus Lübnitz"


def test_deleting_the_account_removes_the_name(client, responding, draft, resident, manager, media):
    """Also from the stored files: the table made before names the person; it goes with
    its files when the account goes, and a new one names no one."""
    p = paragraph(draft, 1)
    named = comments.comment_create(
        author=resident,
        project=responding,
        target=p,
        text="Mit Namen.",
        name_in_report=True,
    )
    assert who_in_table(draft, named) == "Renate"
    before = table_files(draft, manager)
    with before.pdf.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
        assert "Renate" in " ".join(page.extract_text() for page in pages)
    stored = [media / before.pdf.name, media / before.xlsx.name]
    assert all(path.exists() for path in stored)
    with TestCase.captureOnCommitCallbacks(execute=True):
        account_delete(user=resident)
    assert not WeighingTableFile.objects.filter(pk=before.pk).exists()
    assert not any(path.exists() for path in stored)
    named.refresh_from_db()
    assert who_in_table(draft, named) == "gelöschtes Konto"
    pdf = table_pdf(draft, manager)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Mit Namen." in text and "Renate" not in text


def test_targets_that_do_not_ask_store_no_consent(client, responding, draft, resident, manager):
    """The project's own comments and a proposal's ask nothing; a forged field changes
    nothing; input entered by staff never names anyone."""
    set_phase(responding, ["comment_text", "comment"])
    client.force_login(resident)
    project_page = reverse("comments:project", args=[responding.slug])
    assert LABEL not in client.get(project_page).content.decode()
    assert "name_in_report" not in client.get(project_page).content.decode()
    proposal = ProposalFactory(project=responding)
    direct = comments.comment_create(
        author=resident, project=responding, proposal=proposal, text="Ja.", name_in_report=True
    )
    assert not direct.name_in_report
    offline = comments.comment_create(
        author=None,
        project=responding,
        target=paragraph(draft, 1),
        text="Vom Markt.",
        offline_channel=Channel.MARKET_STAND,
        entered_by=manager,
        name_in_report=True,
    )
    assert not offline.name_in_report
    assert who_in_table(draft, offline) == "ein Beitrag aus: Marktstand"


def test_without_javascript_a_failed_reply_keeps_the_choice(client, responding, draft, resident):
    p = paragraph(draft, 1)
    top = comments.comment_create(author=UserFactory(), project=responding, target=p, text="Hm.")
    client.force_login(resident)
    response = client.post(page_url(p), {"text": "", "reply_to": top.pk, "name_in_report": "on"})
    page = response.content.decode()
    assert response.status_code == 200 and "Bitte schreiben Sie einen Kommentar." in page
    assert re.search(
        f'<input type="checkbox" name="name_in_report"[^>]*'
        f'id="antwort-{top.pk}-name_in_report"[^>]* checked>',
        page,
    )
    assert Comment.objects.count() == 1


def test_my_data_shows_the_consent(responding, draft, resident):
    set_phase(responding, ["comment_text", "comment"])
    p = paragraph(draft, 1)
    comments.comment_create(
        author=resident, project=responding, target=p, text="Mit Namen.", name_in_report=True
    )
    comments.comment_create(author=resident, project=responding, text="Zum Projekt.")
    exported = {row["text"]: row["name_in_der_auswertung"] for row in export_comments(resident)}
    assert exported == {"Mit Namen.": True, "Zum Projekt.": None}
