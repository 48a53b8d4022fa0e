import pytest
from django.utils import timezone

from mitmachen.accounts.services import account_delete
from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.models import Comment, CommentRating
from mitmachen.comments.selectors import PAGE_SIZE, REPLIES_SHOWN
from mitmachen.comments.services import comment_create, comment_delete, comment_rate
from mitmachen.comments.tests.factories import CommentFactory
from mitmachen.projects.models import Visibility
from mitmachen.proposals.models import Proposal
from mitmachen.proposals.tests.conftest import set_phase
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def write(proposal, author=None, text="Gute Idee!", **kwargs):
    return comment_create(
        author=author or UserFactory(),
        project=proposal.project,
        proposal=proposal,
        text=text,
        **kwargs,
    )


def url(proposal):
    return f"/vorschlaege/{proposal.pk}/kommentare/"


def comment_count(proposal):
    return Proposal.objects.get(pk=proposal.pk).comment_count


class TestThreadPages:
    def test_proposal_thread_shows_two_levels(self, client, proposal):
        alice, bob = UserFactory(display_name="Alice"), UserFactory(display_name="Bob")
        top = write(proposal, alice, "Mehr **Schatten** bitte.")
        reply = write(proposal, bob, "Ja, Bäume!", reply_to=top)
        write(proposal, alice, "Genau.", reply_to=reply)
        content = client.get(url(proposal)).content.decode()
        assert "<strong>Schatten</strong>" in content
        assert "Ja, Bäume!" in content and "Genau." in content
        assert "Antwort an Bob" in content  # reply to a reply
        assert "Antwort an Alice" not in content  # direct replies need no hint
        assert 'lang="de"' in content
        assert "3 Kommentare" in content
        assert f'id="kommentar-{reply.pk}"' in content

    def test_project_thread(self, client, project, proposal):
        comment_create(author=UserFactory(), project=project, text="Wann beginnt der Bau?")
        write(proposal, text="Zum Vorschlag")
        response = client.get(f"/projekte/{project.slug}/kommentare/")
        content = response.content.decode()
        assert response.status_code == 200
        assert "Wann beginnt der Bau?" in content and "Zum Vorschlag" not in content
        assert "1 Kommentar" in content

    def test_user_content_is_sanitised(self, client, proposal):
        write(proposal, text='<script>alert("x")</script> <img src=x onerror=alert(1)>')
        content = client.get(url(proposal)).content.decode()
        assert '<script>alert("x")' not in content and "onerror" not in content

    def test_first_replies_and_a_link_to_the_whole_thread(self, client, proposal):
        top = write(proposal)
        replies = [write(proposal, text=f"Antwort Nummer {n}", reply_to=top) for n in range(5)]
        content = client.get(url(proposal)).content.decode()
        last_shown = REPLIES_SHOWN - 1
        assert f"Antwort Nummer {last_shown}" in content
        assert f"Antwort Nummer {last_shown + 1}" not in content
        assert "alle 5 Antworten anzeigen" in content
        whole = client.get(f"/kommentare/{top.pk}/").content.decode()
        assert all(f"Antwort Nummer {n}" in whole for n in range(5))
        response = client.get(f"/kommentare/{replies[4].pk}/")
        assert response.status_code == 302
        assert response["Location"] == f"/kommentare/{top.pk}/#kommentar-{replies[4].pk}"

    def test_deleted_comment_and_deleted_account(self, client, proposal):
        gone = UserFactory(display_name="Erika")
        top = write(proposal, gone, "Bleibt stehen")
        deleted = write(proposal, text="Geheimer Text", reply_to=top)
        comment_delete(user=deleted.author, comment=deleted)
        account_delete(user=gone)
        content = client.get(url(proposal)).content.decode()
        assert "Geheimer Text" not in content
        assert "Dieser Kommentar wurde gelöscht." in content
        assert "gelöschtes Konto" in content and "Erika" not in content
        assert "Bleibt stehen" in content

    def test_sorting_and_pages(self, client, proposal):
        comments = [CommentFactory(proposal=proposal, text=f"Nummer {n}") for n in range(25)]
        Comment.objects.filter(pk=comments[3].pk).update(up_count=5, down_count=1)
        newest = client.get(url(proposal)).context["thread"]
        assert [e.comment.text for e in newest.entries][:2] == ["Nummer 24", "Nummer 23"]
        assert len(newest.entries) == PAGE_SIZE
        best = client.get(url(proposal) + "?kommentare=beste").context["thread"]
        assert best.entries[0].comment.text == "Nummer 3"
        second = client.get(url(proposal) + "?kseite=2").context["thread"]
        expected = range(24 - PAGE_SIZE, 24 - 2 * PAGE_SIZE, -1)
        assert [e.comment.text for e in second.entries] == [f"Nummer {n}" for n in expected]

    @pytest.mark.parametrize(
        "query", ["kommentare=xyz", "kseite=abc", "kseite=999", "kseite=-1", "kommentare=%00"]
    )
    def test_bad_query_values_never_fail(self, client, proposal, query):
        CommentFactory(proposal=proposal)
        assert client.get(f"{url(proposal)}?{query}").status_code == 200

    def test_htmx_gets_the_fragment(self, client, proposal):
        CommentFactory(proposal=proposal, text="Fragment")
        client.force_login(UserFactory())
        response = client.get(
            url(proposal) + "?kommentare=beste",
            HTTP_HX_CURRENT_URL=f"http://testserver{proposal.get_absolute_url()}",
            **HTMX,
        )
        content = response.content.decode()
        assert "<html" not in content and "Fragment" in content
        assert "HX-Request" in response["Vary"]
        # Forms inside lead back to the page the fragment is shown in, in that order.
        assert f'value="{proposal.get_absolute_url()}?kommentare=beste"' in content

    def test_hidden_projects_hide_their_comments(self, client, project, proposal):
        comment = CommentFactory(proposal=proposal)
        project.visibility = Visibility.DRAFT
        project.save()
        client.force_login(comment.author)
        for path in (
            url(proposal),
            f"/projekte/{project.slug}/kommentare/",
            f"/kommentare/{comment.pk}/",
            f"/kommentare/{comment.pk}/bearbeiten/",
        ):
            assert client.get(path).status_code == 404, path
        assert client.post(url(proposal), {"text": "x"}).status_code == 404
        assert client.post(f"/kommentare/{comment.pk}/bewerten/", {"wert": "1"}).status_code == 404

    def test_unknown_ids_are_404(self, client):
        assert client.get("/vorschlaege/987654/kommentare/").status_code == 404
        assert client.get("/kommentare/987654/").status_code == 404
        assert client.get("/projekte/gibts-nicht/kommentare/").status_code == 404


class TestWriting:
    def test_comment_without_javascript(self, client, proposal, resident):
        client.force_login(resident)
        response = client.post(
            url(proposal),
            {"text": "Bitte mehr Bänke.", "next": f"{proposal.get_absolute_url()}?kseite=2"},
        )
        comment = Comment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"{proposal.get_absolute_url()}#kommentar-{comment.pk}"
        assert comment.author == resident and comment_count(proposal) == 1
        page = client.get(url(proposal)).content.decode()
        assert "Vielen Dank! Ihr Kommentar ist veröffentlicht." in page

    @pytest.mark.parametrize(
        "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""]
    )
    def test_unsafe_next_falls_back_to_the_proposal(self, client, proposal, next_url):
        client.force_login(UserFactory())
        response = client.post(url(proposal), {"text": "Hallo", "next": next_url})
        assert response["Location"].startswith(f"{proposal.get_absolute_url()}#kommentar-")

    def test_on_the_project(self, client, project):
        client.force_login(UserFactory())
        response = client.post(f"/projekte/{project.slug}/kommentare/", {"text": "Frage"})
        comment = Comment.objects.get()
        assert comment.proposal is None
        assert response["Location"] == f"{project.get_absolute_url()}#kommentar-{comment.pk}"

    def test_replies_without_javascript(self, client, proposal, resident):
        top = write(proposal)
        client.force_login(resident)
        next_url = proposal.get_absolute_url() + "?kommentare=beste"
        response = client.post(
            url(proposal), {"text": "Antwort", "reply_to": top.pk, "next": next_url}
        )
        reply = Comment.objects.get(text="Antwort")
        assert reply.parent == top
        assert response["Location"] == f"{next_url}#kommentar-{reply.pk}"
        for n in range(2):
            write(proposal, reply_to=top)
        response = client.post(
            url(proposal), {"text": "Die vierte", "reply_to": reply.pk, "next": next_url}
        )
        fourth = Comment.objects.get(text="Die vierte")
        assert (fourth.parent, fourth.reply_to) == (top, reply)
        # Not among the three replies shown in the list: to the whole thread instead.
        assert response["Location"] == f"/kommentare/{top.pk}/#kommentar-{fourth.pk}"
        assert comment_count(proposal) == 5

    def test_htmx_reply_beyond_the_first_replies_is_shown_and_focused(self, client, proposal):
        """Audit finding 11: a reply to a comment with replies vanished until "alle anzeigen"."""
        top = write(proposal, text="Oben")
        for n in range(REPLIES_SHOWN + 1):
            write(proposal, text=f"Frühere Antwort {n}", reply_to=top)
        client.force_login(UserFactory())
        response = client.post(
            url(proposal),
            {"text": "Meine neue Antwort", "reply_to": top.pk, "next": proposal.get_absolute_url()},
            **HTMX,
        )
        content = response.content.decode()
        reply = Comment.objects.get(text="Meine neue Antwort")
        assert response.status_code == 200 and "Ihre Antwort ist veröffentlicht." in content
        assert "Meine neue Antwort" in content
        assert f'id="kommentar-{reply.pk}"' in content
        article = content.split(f'<article id="kommentar-{reply.pk}"', 1)[1].split(">", 1)[0]
        assert 'tabindex="-1"' in article and "autofocus" in article
        assert content.count("autofocus") == 1  # only the new reply takes the focus
        assert f"Frühere Antwort {REPLIES_SHOWN}" not in content  # the rest stays a click away
        assert f"alle {REPLIES_SHOWN + 2} Antworten anzeigen" in content

    def test_htmx_reply_whose_comment_left_the_page_goes_to_the_thread(self, client, proposal):
        top = write(proposal, text="Oben")
        for n in range(REPLIES_SHOWN):
            write(proposal, text=f"Frühere Antwort {n}", reply_to=top)
        for n in range(PAGE_SIZE):
            write(proposal, text=f"Neuer oben {n}")  # pushes ``top`` to the second page
        client.force_login(UserFactory())
        response = client.post(
            url(proposal),
            {"text": "Spät", "reply_to": top.pk, "next": proposal.get_absolute_url()},
            **HTMX,
        )
        reply = Comment.objects.get(text="Spät")
        assert response["HX-Redirect"] == f"/kommentare/{top.pk}/#kommentar-{reply.pk}"

    def test_comment_anchors_take_the_focus_without_javascript(self, client, proposal):
        top = write(proposal)
        content = client.get(f"/kommentare/{top.pk}/").content.decode()
        assert f'<article id="kommentar-{top.pk}"' in content
        article = content.split(f'<article id="kommentar-{top.pk}"', 1)[1].split(">", 1)[0]
        assert 'tabindex="-1"' in article and "autofocus" not in article

    def test_htmx_returns_the_list_and_a_status(self, client, proposal):
        client.force_login(UserFactory())
        response = client.post(
            url(proposal), {"text": "Per htmx", "next": proposal.get_absolute_url()}, **HTMX
        )
        content = response.content.decode()
        assert response.status_code == 200 and "<html" not in content
        assert "Per htmx" in content
        assert 'id="kommentare-status"' in content and 'data-hx-swap-oob="true"' in content
        assert "Ihr Kommentar ist veröffentlicht." in content
        assert "1 Kommentar" in content

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"text": ""}, "Bitte schreiben Sie einen Kommentar."),
            ({"text": "   "}, "Bitte schreiben Sie einen Kommentar."),
            ({"text": "x" * 2001}, "höchstens 2000 Zeichen"),
            ({"text": "x", "reply_to": "987654"}, "gehört nicht hierher"),
            ({"text": "x", "reply_to": "abc"}, "gehört nicht hierher"),
            ({"text": "x", "reply_to": "-3"}, "gehört nicht hierher"),
            ({"text": "x", "reply_to": "99999999999999999999999"}, "gehört nicht hierher"),
        ],
    )
    @pytest.mark.parametrize("htmx", [False, True])
    def test_bad_input_stores_nothing(self, client, proposal, data, message, htmx):
        client.force_login(UserFactory())
        response = client.post(url(proposal), data, **(HTMX if htmx else {}))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Comment.objects.exists() and comment_count(proposal) == 0

    @pytest.mark.parametrize("htmx", [False, True])
    def test_reply_to_a_comment_of_another_proposal(self, client, project, proposal, htmx):
        other = write(ProposalFactory(project=project))
        client.force_login(UserFactory())
        response = client.post(
            url(proposal), {"text": "Quer", "reply_to": other.pk}, **(HTMX if htmx else {})
        )
        assert response.status_code == 200
        assert "gehört nicht hierher" in response.content.decode()
        assert Comment.objects.count() == 1 and comment_count(proposal) == 0

    def test_reply_error_without_javascript_keeps_the_text(self, client, proposal):
        top = write(proposal, text="Worauf geantwortet wird")
        client.force_login(UserFactory())
        response = client.post(url(proposal), {"text": "y" * 2001, "reply_to": top.pk})
        content = response.content.decode()
        assert "höchstens 2000 Zeichen" in content
        assert "Worauf geantwortet wird" in content and 'id="antwort-' in content
        assert Comment.objects.count() == 1

    def test_reply_error_with_htmx_opens_the_form_in_place(self, client, proposal):
        top = write(proposal)
        client.force_login(UserFactory())
        response = client.post(url(proposal), {"text": "", "reply_to": top.pk}, **HTMX)
        content = response.content.decode()
        assert '<details class="comment__reply" open>' in content
        assert f'id="antwort-{top.pk}-text-error"' in content

    @pytest.mark.parametrize("htmx", [False, True])
    def test_withdrawn_proposal(self, client, proposal, htmx):
        Proposal.objects.filter(pk=proposal.pk).update(withdrawn_at=timezone.now())
        client.force_login(UserFactory())
        response = client.post(
            url(proposal), {"text": "Zu spät"}, follow=not htmx, **(HTMX if htmx else {})
        )
        assert "zurückgezogen; Kommentare sind nicht mehr möglich" in response.content.decode()
        assert not Comment.objects.exists()

    def test_closed_phase(self, client, proposal):
        set_phase(proposal.project, ["support"])
        client.force_login(UserFactory())
        response = client.post(url(proposal), {"text": "Zu spät"}, follow=True)
        assert "In dieser Phase sind keine Kommentare möglich." in response.content.decode()
        assert not Comment.objects.exists()
        page = client.get(url(proposal)).content.decode()
        assert "Kommentar veröffentlichen" not in page

    def test_anonymous_goes_to_login(self, client, proposal):
        response = client.post(url(proposal), {"text": "Hallo"})
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
        assert not Comment.objects.exists()
        assert "Anmelden, um zu kommentieren" in client.get(url(proposal)).content.decode()


class TestEditAndDelete:
    def test_edit_without_javascript(self, client, proposal):
        comment = write(proposal, text="Alt")
        client.force_login(comment.author)
        edit = f"/kommentare/{comment.pk}/bearbeiten/"
        page = client.get(f"{edit}?next={proposal.get_absolute_url()}").content.decode()
        assert "Alt</textarea>" in page
        response = client.post(edit, {"text": "Neu", "next": proposal.get_absolute_url()})
        assert response["Location"] == f"{proposal.get_absolute_url()}#kommentar-{comment.pk}"
        comment.refresh_from_db()
        assert comment.text == "Neu" and comment.edited_at is not None
        assert "bearbeitet" in client.get(url(proposal)).content.decode()

    def test_edit_with_htmx(self, client, proposal):
        comment = write(proposal, text="Alt")
        client.force_login(comment.author)
        edit = f"/kommentare/{comment.pk}/bearbeiten/"
        form = client.get(edit, **HTMX).content.decode()
        assert "<html" not in form and f'id="kommentar-{comment.pk}"' in form
        response = client.post(edit, {"text": "Neu per htmx"}, **HTMX)
        content = response.content.decode()
        assert "Neu per htmx" in content and "Ihre Änderungen sind gespeichert." in content
        assert "<html" not in content

    @pytest.mark.parametrize("text", ["", "x" * 2001])
    def test_bad_edit_changes_nothing(self, client, proposal, text):
        comment = write(proposal, text="Alt")
        client.force_login(comment.author)
        response = client.post(f"/kommentare/{comment.pk}/bearbeiten/", {"text": text})
        assert response.status_code == 200 and "Bitte prüfen Sie Ihre Eingaben." in (
            response.content.decode()
        )
        assert Comment.objects.get(pk=comment.pk).text == "Alt"

    def test_other_peoples_comments_are_404(self, client, proposal):
        comment = write(proposal, text="Meins")
        client.force_login(UserFactory())
        for path in (
            f"/kommentare/{comment.pk}/bearbeiten/",
            f"/kommentare/{comment.pk}/loeschen/",
        ):
            assert client.get(path).status_code == 404
            assert client.post(path, {"text": "Fremd"}).status_code == 404
        comment.refresh_from_db()
        assert comment.text == "Meins" and not comment.is_deleted

    def test_anonymous_edit_goes_to_login(self, client, proposal):
        comment = write(proposal)
        response = client.post(f"/kommentare/{comment.pk}/bearbeiten/", {"text": "x"})
        assert response.status_code == 302 and "/konto/login/" in response["Location"]

    def test_no_editing_after_the_phase(self, client, proposal):
        comment = write(proposal, text="Alt")
        set_phase(proposal.project, ["comment"], running=False)
        client.force_login(comment.author)
        response = client.post(
            f"/kommentare/{comment.pk}/bearbeiten/", {"text": "Neu"}, follow=True
        )
        assert "Dieser Kommentar kann nicht mehr bearbeitet werden." in response.content.decode()
        assert Comment.objects.get(pk=comment.pk).text == "Alt"

    def test_delete_with_confirmation(self, client, proposal):
        comment = write(proposal, text="Weg damit")
        client.force_login(comment.author)
        delete = f"/kommentare/{comment.pk}/loeschen/"
        assert "Weg damit" in client.get(delete).content.decode()
        response = client.post(delete, {"next": url(proposal)}, follow=True)
        assert "Der Kommentar wurde gelöscht." in response.content.decode()
        comment.refresh_from_db()
        assert comment.is_deleted and comment_count(proposal) == 0
        again = client.post(delete, follow=True)
        assert "bereits gelöscht" in again.content.decode()
        assert comment_count(proposal) == 0

    def test_delete_with_htmx(self, client, proposal):
        comment = write(proposal, text="Weg damit")
        client.force_login(comment.author)
        response = client.post(f"/kommentare/{comment.pk}/loeschen/", **HTMX)
        content = response.content.decode()
        assert "Dieser Kommentar wurde gelöscht." in content and "Weg damit" not in content


class TestRating:
    def test_rate_change_and_remove_without_javascript(self, client, proposal):
        comment = write(proposal)
        client.force_login(UserFactory())
        rate = f"/kommentare/{comment.pk}/bewerten/"
        response = client.post(rate, {"wert": "1", "next": url(proposal)})
        assert response["Location"] == f"{url(proposal)}#kommentar-{comment.pk}"
        client.post(rate, {"wert": "-1"})
        comment.refresh_from_db()
        assert (comment.up_count, comment.down_count) == (0, 1)
        response = client.post(rate, {"wert": "0"}, follow=True)
        assert "Ihre Bewertung ist zurückgenommen." in response.content.decode()
        comment.refresh_from_db()
        assert (comment.up_count, comment.down_count) == (0, 0)

    def test_htmx_returns_the_buttons_and_a_status(self, client, proposal):
        comment = write(proposal)
        client.force_login(UserFactory())
        response = client.post(f"/kommentare/{comment.pk}/bewerten/", {"wert": "1"}, **HTMX)
        content = response.content.decode()
        assert "<html" not in content and f'id="bewertung-{comment.pk}"' in content
        assert 'aria-pressed="true"' in content and "Zustimmen (1)" in content
        assert 'value="0"' in content  # pressing again takes the rating back
        assert "Sie stimmen diesem Kommentar zu." in content

    @pytest.mark.parametrize("value", ["2", "-2", "abc", "", "1.0", None])
    @pytest.mark.parametrize("htmx", [False, True])
    def test_bad_values_store_nothing(self, client, proposal, value, htmx):
        comment = write(proposal)
        client.force_login(UserFactory())
        data = {} if value is None else {"wert": value}
        response = client.post(
            f"/kommentare/{comment.pk}/bewerten/",
            data,
            follow=not htmx,
            **(HTMX if htmx else {}),
        )
        assert response.status_code == 200
        assert "Ungültige Bewertung." in response.content.decode()
        assert not CommentRating.objects.exists()

    def test_own_comment(self, client, proposal):
        comment = write(proposal)
        client.force_login(comment.author)
        response = client.post(f"/kommentare/{comment.pk}/bewerten/", {"wert": "1"}, follow=True)
        assert "Eigene Kommentare können Sie nicht bewerten." in response.content.decode()
        assert not CommentRating.objects.exists()

    def test_anonymous_goes_to_login(self, client, proposal):
        comment = write(proposal)
        response = client.post(f"/kommentare/{comment.pk}/bewerten/", {"wert": "1"})
        assert "/konto/login/" in response["Location"]

    def test_own_ratings_are_shown(self, client, proposal):
        comment = write(proposal)
        user = UserFactory()
        comment_rate(user=user, comment=comment, value=-1)
        client.force_login(user)
        thread = client.get(url(proposal)).context["thread"]
        assert thread.entries[0].rating == -1


def test_personal_data_export(proposal):
    from mitmachen.accounts.services import personal_data_export

    user = UserFactory()
    comment = write(proposal, user, "Mein Beitrag")
    comment_rate(user=user, comment=write(proposal), value=1)
    data = personal_data_export(user=user)
    assert data["kommentare"][0]["text"] == "Mein Beitrag"
    assert data["kommentare"][0]["zu"] == proposal.title
    assert data["kommentarbewertungen"][0]["bewertung"] == "Zustimmung"
    assert comment.pk


def test_admin_is_scoped_and_read_only(client, proposal):
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory

    comment = write(proposal, text="Im Admin")
    other = CommentFactory(text="Andere Kommune")
    staff = MembershipFactory(organisation=proposal.project.organisation, role=Role.ADMIN).user
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    listing = client.get("/admin/comments/comment/").content.decode()
    assert "Im Admin" in listing and "Andere Kommune" not in listing
    assert client.get(f"/admin/comments/comment/{comment.pk}/change/").status_code == 200
    assert client.get(f"/admin/comments/comment/{other.pk}/change/").status_code in (302, 403, 404)
    assert client.get("/admin/comments/comment/add/").status_code == 403
    assert client.get(f"/admin/comments/comment/{comment.pk}/delete/").status_code == 403


def test_written_out_reply_fields_match_the_form_rendering():
    """The empty reply form of ``{% reply_box %}`` is a fast copy of the Django form rendering."""
    import re

    from django.template import engines

    from mitmachen.comments.forms import CommentForm
    from mitmachen.comments.selectors import Entry

    class Fake:
        pk = 42
        name_consent = None

    form = CommentForm.for_reply(42)
    django_rendering = (
        engines["django"]
        .from_string('{{ f.reply_to }}{% include "includes/field.html" with field=f.text %}')
        .render({"f": form})
    )
    box = (
        engines["django"]
        .from_string("{% load comment_boxes %}{% reply_box entry %}")
        .render({"entry": Entry(comment=Fake(), can_reply=True), "return_url": "/"})
    )
    written_out = box.split('name="next" value="/">', 1)[1].split("<button", 1)[0]

    def norm(html: str) -> str:
        return re.sub(r"\s+", " ", html).replace("> <", "><").strip()

    assert norm(written_out) == norm(django_rendering)
