import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mitmachen.accounts.services import account_delete
from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.models import Comment
from mitmachen.comments.services import comment_create, comment_delete
from mitmachen.moderation.services import hide
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def read(response):
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


@pytest.fixture
def staff(project):
    return MembershipFactory(organisation=project.organisation, role=Role.PROJECT_MANAGER).user


def url(project):
    return f"/verwaltung/projekte/{project.slug}/kommentare.csv"


def test_export_holds_every_comment_with_its_state(client, project, proposal, staff):
    moderator = MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user
    writer = UserFactory(display_name="Renate")
    top = comment_create(author=writer, project=project, proposal=proposal, text="Mehr Bänke")
    reply = comment_create(
        author=UserFactory(), project=project, proposal=proposal, reply_to=top, text="=HYPERLINK()"
    )
    gone = comment_create(author=UserFactory(), project=project, text="Zum Projekt")
    comment_delete(user=gone.author, comment=gone)
    hide(moderator=moderator, target=reply, reason="Spam")
    leaver = UserFactory()
    comment_create(author=leaver, project=project, proposal=proposal, text="Tschüss")
    account_delete(user=leaver)
    client.force_login(staff)
    response = client.get(url(project))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read(response)
    assert [int(r["id"]) for r in rows] == list(
        Comment.objects.filter(project=project).order_by("pk").values_list("pk", flat=True)
    )
    by_text = {r["text"]: r for r in rows}
    assert by_text["Mehr Bänke"]["verfasst_von"] == "Renate"
    assert by_text["Mehr Bänke"]["vorschlag"] == proposal.title
    # A formula is defused for spreadsheets; hidden comments are marked.
    assert by_text["'=HYPERLINK()"]["zustand"] == "ausgeblendet"
    assert by_text["'=HYPERLINK()"]["antwort_zu_kommentar"] == str(top.pk)
    assert by_text[""]["zustand"] == "gelöscht"
    assert by_text["Tschüss"]["verfasst_von"] == "gelöschtes Konto"


def test_formula_cells_are_defused():
    from mitmachen.core.csv_export import safe_cell

    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "  =1", "＝1", "\t=1"):
        assert safe_cell(dangerous).startswith("'"), dangerous
    assert safe_cell("Mehr Bänke") == "Mehr Bänke"
    assert safe_cell(42) == 42


def test_only_staff_of_the_municipality(client, project):
    assert client.get(url(project)).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url(project)).status_code == 404
    client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)
    assert client.get(url(project)).status_code == 404
    assert client.get("/verwaltung/projekte/gibt-es-nicht/kommentare.csv").status_code == 404


def test_query_count_does_not_grow(client, project, proposal, staff):
    client.force_login(staff)
    counts = []
    for total in (10, 300):
        while Comment.objects.count() < total:
            comment_create(author=UserFactory(), project=project, proposal=proposal, text="Ja")
        with CaptureQueriesContext(connection) as queries:
            rows = read(client.get(url(project)))
        assert len(rows) == total
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
