"""The administration's weighing of comments on paragraphs (``CommentWeighing``): who may
weigh, what the pages show (also after moderation), bad input, the Abwägungstabelle,
"Meine Daten" and bounded queries."""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments import services as comments
from mitmachen.core.channels import Channel
from mitmachen.core.permissions import decide
from mitmachen.drafts import report, services
from mitmachen.drafts.models import COMMENT_WEIGHED, CommentWeighing, Weighing
from mitmachen.drafts.tests.conftest import make_draft, paragraph, table_pdf
from mitmachen.moderation import services as moderation
from mitmachen.notifications.models import Notification
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
)
from mitmachen.proposals.tests.conftest import set_phase

pytestmark = pytest.mark.django_db


def write(user, p, text="Guter Absatz.", **kwargs):
    return comments.comment_create(
        author=user, project=p.draft.project, target=p, text=text, **kwargs
    )


def weigh_url(draft, comment):
    return reverse("drafts:weigh_comment", args=[draft.project.slug, draft.slug, comment.pk])


def page_of(client, p):
    return client.get(reverse("comments:paragraph", args=[p.pk])).content.decode()


@pytest.fixture
def moderator(project):
    return MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user


@pytest.fixture
def comment(responding, draft, resident):
    return write(resident, paragraph(draft, 1), "Bitte auch die Dörfer nennen.")


def test_permission_matrix(client, project, manager, draft, resident, moderator, comment):
    """Anonymous, resident, the author, moderator, project manager, the municipality's
    administrator, other municipality's staff × the phase open / over: only who may change
    the project weighs – in any phase (the weighing often comes after it)."""
    other_staff = MembershipFactory(organisation=OrganisationFactory(), role=Role.ADMIN).user
    admin = MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user
    people = {
        "anonymous": AnonymousUser(),
        "resident": UserFactory(),
        "author": resident,
        "moderator": moderator,
        "project manager": manager,
        "administrator": admin,
        "other municipality": other_staff,
    }
    allowed = {"project manager", "administrator"}
    for running in (True, False):
        set_phase(project, ["comment_text"], running=running)
        for who, user in people.items():
            if user.is_authenticated:
                user = type(user).objects.get(pk=user.pk)  # no remembered roles
            decision = decide(user, "drafts.manage_draft", draft)
            assert decision.allowed == (who in allowed), (who, running)
            if who not in allowed:
                assert decision.reason == "Nur die Verwaltung des Projekts kann das."
                with pytest.raises(PermissionDenied):
                    services.comment_weigh(
                        user=user, comment=comment, weighing=Weighing.NOTED, reason="Gelesen."
                    )
            # The page: anonymous people are asked to sign in, others who may not see 404.
            client.logout()
            if user.is_authenticated:
                client.force_login(user)
            status = client.get(weigh_url(draft, comment)).status_code
            expected = 200 if who in allowed else 302 if who == "anonymous" else 404
            assert status == expected, (who, running, status)
            posted = client.post(
                weigh_url(draft, comment), {"weighing": Weighing.NOTED, "reason": f"{who}"}
            )
            assert posted.status_code in ((302,) if who in allowed else (302, 404)), who
    # Only the two who may weigh did; the last one's weighing stands, once.
    row = CommentWeighing.objects.get()
    assert row.reason == "administrator" and row.weighed_by == admin


def test_weighing_is_public_under_the_comment_and_the_author_is_told(
    client, draft, manager, resident, comment, django_capture_on_commit_callbacks
):
    p = paragraph(draft, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.comment_weigh(
            user=manager, comment=comment, weighing=Weighing.ADOPTED, reason="Wird ergänzt."
        )
    page = page_of(client, p)
    assert "Abwägung der Verwaltung: übernommen" in page and "Wird ergänzt." in page
    assert weigh_url(draft, comment) not in page  # no staff link for the public
    note = Notification.objects.get(recipient=resident)
    assert note.kind == COMMENT_WEIGHED
    assert note.title == "Ihr Kommentar wurde abgewogen: übernommen"
    assert note.url == comment.get_absolute_url()
    # The thread page of the comment shows it too.
    thread = client.get(reverse("comments:thread", args=[comment.pk])).content.decode()
    assert "Wird ergänzt." in thread
    # A change is one weighing still, and the author hears of it; the same again: nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.comment_weigh(
            user=manager, comment=comment, weighing=Weighing.PARTLY, reason="Zum Teil."
        )
        assert not services.comment_weigh(
            user=manager, comment=comment, weighing=Weighing.PARTLY, reason="Zum Teil."
        )
    assert CommentWeighing.objects.get().weighing == Weighing.PARTLY
    assert Notification.objects.filter(recipient=resident).count() == 2


def test_staff_see_the_link_to_weigh_but_not_on_their_own_answers(
    client, draft, manager, resident, comment
):
    p = paragraph(draft, 1)
    answer = write(manager, p, "Danke, wir prüfen das.", reply_to=comment)
    reply = write(UserFactory(), p, "Sehe ich auch so.", reply_to=comment)
    client.force_login(manager)
    page = page_of(client, p)
    assert weigh_url(draft, comment) in page and weigh_url(draft, reply) in page
    assert weigh_url(draft, answer) not in page
    with pytest.raises(ValidationError, match="Antwort der Verwaltung"):
        services.comment_weigh(user=manager, comment=answer, weighing="noted", reason="x")
    response = client.post(weigh_url(draft, answer), {"weighing": "noted", "reason": "x"})
    assert response.status_code == 400 and "Antwort der Verwaltung" in response.content.decode()
    assert not CommentWeighing.objects.exists()


def test_a_hidden_comments_weighing_is_not_shown_publicly(
    client, draft, manager, moderator, comment
):
    p = paragraph(draft, 1)
    services.comment_weigh(
        user=manager, comment=comment, weighing=Weighing.REJECTED, reason="Geheimgrund."
    )
    moderation.hide(moderator=moderator, target=comment, reason="Beleidigung")
    assert "Geheimgrund." not in page_of(client, p)
    assert (
        "Geheimgrund."
        not in client.get(reverse("comments:thread", args=[comment.pk])).content.decode()
    )
    table = report.rows(draft)
    assert table[0].comments == []
    # Staff see the hidden comment with its weighing; it cannot be weighed again.
    client.force_login(manager)
    assert "Geheimgrund." in page_of(client, p)
    comment.refresh_from_db()
    with pytest.raises(ValidationError, match="ausgeblendet"):
        services.comment_weigh(user=manager, comment=comment, weighing="noted", reason="x")


BAD = [
    ({}, "Bitte wählen Sie eine Abwägung."),
    ({"weighing": "adopted"}, "Bitte begründen Sie die Abwägung."),
    ({"weighing": "adopted", "reason": "   "}, "Bitte begründen Sie die Abwägung."),
    ({"weighing": "vielleicht", "reason": "Gut."}, "Bitte wählen Sie eine Abwägung."),
    ({"weighing": "adopted", "reason": "x" * 2001}, "höchstens 2.000 Zeichen"),
    ({"weighing": ["adopted", "noted"], "reason": "Gut."}, None),
]


@pytest.mark.parametrize("data,message", BAD)
def test_bad_input_changes_nothing_and_says_why(client, draft, manager, comment, data, message):
    client.force_login(manager)
    response = client.post(weigh_url(draft, comment), data)
    if message is None:  # two values: the last one counts, as for every form
        assert response.status_code == 302
        return
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'id="form-errors" autofocus' in page and "<title>Fehler:" in page
    assert not CommentWeighing.objects.exists()
    assert not Notification.objects.exists()


def test_bad_targets_are_refused(client, responding, draft, manager, resident, comment):
    client.force_login(manager)
    # A comment of another draft, or on no paragraph at all, or that does not exist: 404.
    other = make_draft(responding, manager, slug="anderer")
    elsewhere = write(resident, paragraph(other, 1))
    set_phase(responding, ["comment_text", "comment"])
    on_project = comments.comment_create(author=resident, project=responding, text="Allgemein.")
    for pk in (elsewhere.pk, on_project.pk, 999_999):
        url = reverse("drafts:weigh_comment", args=[responding.slug, draft.slug, pk])
        assert client.post(url, {"weighing": "noted", "reason": "x"}).status_code == 404
    with pytest.raises(ValidationError):
        services.comment_weigh(user=manager, comment=on_project, weighing="noted", reason="x")
    # A deleted comment: refused with the reason, nothing stored.
    comments.comment_delete(user=resident, comment=comment)
    comment.refresh_from_db()
    response = client.post(weigh_url(draft, comment), {"weighing": "noted", "reason": "x"})
    assert response.status_code == 400 and "gelöscht" in response.content.decode()
    # Script in the reason is stored as text and shown escaped.
    fresh = write(resident, paragraph(draft, 2), "Noch einer.")
    client.post(
        weigh_url(draft, fresh), {"weighing": "noted", "reason": "<script>alert(1)</script>"}
    )
    page = page_of(client, paragraph(draft, 2))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert CommentWeighing.objects.count() == 1


def test_the_database_keeps_one_weighing_with_a_reason(manager, comment):
    CommentWeighing.objects.create(comment=comment, weighing="noted", reason="Gelesen.")
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentWeighing.objects.create(comment=comment, weighing="adopted", reason="Doch.")
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentWeighing.objects.filter(comment=comment).update(reason="")
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentWeighing.objects.filter(comment=comment).update(weighing="")


def test_without_javascript_staff_weigh_and_return(client, draft, manager, comment):
    client.force_login(manager)
    table = reverse("drafts:weighing", args=[draft.project.slug, draft.slug])
    page = client.get(table).content.decode()
    assert weigh_url(draft, comment) in page and "noch nicht abgewogen" in page
    form = client.get(weigh_url(draft, comment) + f"?next={table}").content.decode()
    assert "Bitte auch die Dörfer nennen." in form and f'name="next" value="{table}"' in form
    response = client.post(
        weigh_url(draft, comment),
        {"weighing": "partly", "reason": "Teilweise.", "next": table + "#x"},
    )
    assert response.status_code == 302 and response["Location"] == table + "#x"
    # A foreign return address falls back to the comment.
    response = client.post(
        weigh_url(draft, comment),
        {"weighing": "noted", "reason": "Gelesen.", "next": "https://example.org/"},
    )
    assert response["Location"] == comment.get_absolute_url()
    assert "zur Kenntnis genommen" in client.get(table).content.decode()


def test_the_table_lists_comments_without_names(
    client, responding, draft, manager, resident, media
):
    lübnitz = DistrictFactory(organisation=responding.organisation, name="Lübnitz")
    named = UserFactory(display_name="Karl Geheim", home_district=lübnitz)
    p = paragraph(draft, 2)
    top = write(named, p, "=SUMME(A1) Mehr Busse.")
    reply = write(UserFactory(display_name="Zweite Person"), p, "Genau.", reply_to=top)
    write(manager, p, "Danke!", reply_to=top)  # the administration answering: no contribution
    offline = comments.comment_create(
        author=None,
        project=responding,
        target=p,
        text="Vom Markt.",
        offline_channel=Channel.MARKET_STAND,
        entered_by=manager,
    )
    services.comment_weigh(user=manager, comment=top, weighing="adopted", reason="Kommt.")
    rows = report.rows(draft)
    entries = rows[1].comments
    assert [c.comment.pk for c in entries] == [top.pk, reply.pk, offline.pk]
    assert [c.who for c in entries] == [
        "Bürgerin/Bürger aus Lübnitz",
        "Bürgerin/Bürger",
        "ein Beitrag aus: Marktstand",
    ]
    assert entries[0].weighing.reason == "Kommt." and entries[1].weighing is None
    book = load_workbook(io.BytesIO(report.xlsx(draft, rows)))
    lines = [[c.value for c in line] for line in book["Abwägungstabelle"].iter_rows(min_row=5)]
    mine = [line for line in lines if line[0] == 2]
    assert [line[14] for line in mine] == ["Kommentar", "Antwort auf einen Kommentar", "Kommentar"]
    assert mine[0][5] == "'=SUMME(A1) Mehr Busse." and mine[0][7] == "Bürgerin/Bürger aus Lübnitz"
    assert mine[0][10] == "übernommen" and mine[0][11] == "Kommt."
    assert mine[1][10] == "noch nicht abgewogen"
    pdf = table_pdf(draft, manager)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Mehr Busse." in text and "Kommt." in text and "Vom Markt." in text
    assert "Karl Geheim" not in text and "Danke!" not in text
    page = client.get(reverse("drafts:weighing", args=[responding.slug, draft.slug]))
    assert "Kommentare zu Absatz 2 und ihre Abwägung" in page.content.decode()
    assert "Karl Geheim" not in page.content.decode()


def test_my_data_has_the_weighings_of_my_comments_and_deletion(manager, resident, comment):
    from mitmachen.accounts.services import account_delete
    from mitmachen.drafts.personal_data import export_drafts

    services.comment_weigh(user=manager, comment=comment, weighing="noted", reason="Gelesen.")
    exported = export_drafts(resident)["abwaegungen_ihrer_kommentare"]
    assert exported == [
        {
            "textentwurf": "Klimaagenda",
            "absatz": 1,
            "fassung": 1,
            "kommentar": "Bitte auch die Dörfer nennen.",
            "abwaegung": "zur Kenntnis genommen",
            "begruendung_der_abwaegung": "Gelesen.",
            "am": CommentWeighing.objects.get().updated_at.isoformat(),
        }
    ]
    # The staff member who weighed leaves no trace; the weighing stays, without them.
    account_delete(user=manager)
    assert CommentWeighing.objects.get().weighed_by is None


def _weighed_draft(responding, manager, size):
    big = make_draft(
        responding, manager, "\n\n".join(f"Absatz {i}" for i in range(size)), slug=f"d{size}"
    )
    for number in range(1, size + 1, 3):
        p = paragraph(big, number)
        top = write(UserFactory(), p, f"Kommentar {number}")
        write(UserFactory(), p, "Antwort.", reply_to=top)
        services.comment_weigh(user=manager, comment=top, weighing="noted", reason="Gelesen.")
    return big


def test_queries_do_not_grow_with_the_text_and_the_weighings(client, responding, manager):
    """30 vs 300 paragraphs, a weighed comment with a reply on every third."""
    counts = []
    for size in (30, 300):
        big = _weighed_draft(responding, manager, size)
        with CaptureQueriesContext(connection) as queries:
            rows = report.rows(big)
        assert sum(len(r.comments) for r in rows) == 2 * len(range(1, size + 1, 3))
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 5, counts


@pytest.mark.parametrize("who", ["anonymous", "resident", "staff"])
def test_comments_page_queries_do_not_grow_with_the_weighings(
    client, responding, draft, manager, who
):
    few, many = paragraph(draft, 1), paragraph(draft, 2)
    one = write(UserFactory(), few, "Eins.")
    write(UserFactory(), few, "Antwort.", reply_to=one)
    services.comment_weigh(user=manager, comment=one, weighing="noted", reason="Ok.")
    for n in range(12):
        top = write(UserFactory(), many, f"Kommentar {n}")
        write(UserFactory(), many, f"Antwort {n}", reply_to=top)
        services.comment_weigh(user=manager, comment=top, weighing="noted", reason="Ok.")
    if who != "anonymous":
        client.force_login(manager if who == "staff" else UserFactory())
    counts = []
    for p in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("comments:paragraph", args=[p.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 20, counts


def test_the_pdf_pages_read_well_as_pictures(client, responding, draft, manager, tmp_path, media):
    """The PDF with comments and their weighing, rendered to pictures by pdftoppm (poppler,
    installed by ``make test``): one picture per page, each with ink on it, nothing beyond
    the page's margins (a strip at the right edge stays white), A4 landscape."""
    import shutil
    import subprocess

    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is missing: make test installs it")
    for number in (1, 2, 3):
        p = paragraph(draft, number)
        for n in range(4):
            top = write(
                UserFactory(),
                p,
                f"Kommentar {n} zu Absatz {number}: Straßenbäume, Übergänge und Fußwege "
                + "sehr lang " * 30,
            )
            write(UserFactory(), p, "Ich stimme zu.", reply_to=top)
            services.comment_weigh(
                user=manager,
                comment=top,
                weighing=Weighing.values[n % 4],
                reason="Begründung der Verwaltung mit Umlauten: Ökologie, Gemüse, Straße. " * 3,
            )
    content = table_pdf(draft, manager)
    pdf = tmp_path / "abwaegung.pdf"
    pdf.write_bytes(content)
    pages = len(PdfReader(io.BytesIO(content)).pages)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "s")], check=True)
    pictures = sorted(tmp_path.glob("s-*.png"))
    assert len(pictures) == pages >= 2
    shots = Path("/tmp/shots")
    shots.mkdir(parents=True, exist_ok=True)
    for number, picture in enumerate(pictures, start=1):
        shutil.copy(picture, shots / f"drafts-weighing-pdf-{number}.png")
        image = Image.open(picture).convert("L")
        width, height = image.size
        assert width > height  # landscape
        assert image.getextrema()[0] < 100, picture.name  # text on the page
        right_margin = image.crop((width - 12, 0, width, height))
        assert right_margin.getextrema()[0] > 240, picture.name  # nothing runs off the page


def test_the_cached_thread_shows_the_weigh_link_only_to_who_may_weigh(
    client, settings, project, manager, moderator, comment
):
    """The comment thread is rendered once per viewer class (``comments.fragments``): an
    administrator (may weigh) and a moderator (may not) of the same municipality load the
    paragraph's comments in turn, and only the administrator gets the link."""
    settings.PAGE_CACHE_SECONDS = 60
    admin = MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user
    p = comment.paragraph
    for _ in range(2):
        for user, sees_link in ((moderator, False), (admin, True), (manager, True)):
            client.force_login(user)
            assert ("Abwägen" in page_of(client, p)) is sees_link, user
