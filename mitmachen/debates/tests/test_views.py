"""Debate pages: reading, filtering, commenting with a stance, closing, bad input."""

import csv
import io
import re

import pytest
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.models import Comment
from mitmachen.comments.services import comment_create
from mitmachen.debates.models import Debate
from mitmachen.debates.services import debate_close, debate_create
from mitmachen.moderation.models import Report
from mitmachen.moderation.services import hide
from mitmachen.notifications.models import Notification
from mitmachen.proposals.tests.conftest import set_phase

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def say(debate, stance="for", author=None, text="Meine Meinung", **kwargs):
    return comment_create(
        author=author or UserFactory(),
        project=debate.project,
        debate=debate,
        stance=stance,
        text=text,
        **kwargs,
    )


def page(debate, query=""):
    return f"/debatten/{debate.pk}/{query}"


def post_url(debate):
    return f"/debatten/{debate.pk}/kommentare/"


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


class TestReading:
    def test_debate_page(self, client, debating, debate):
        say(debate, "for", text="Mehr **Platz** für Cafés")
        top = say(debate, "against", text="Lieferverkehr?")
        say(debate, "", reply_to=top, text="Morgens bis 10 Uhr")
        say(debate, "neutral")
        response = client.get(page(debate))
        content = response.content.decode()
        assert response.status_code == 200
        assert "<h1" in content and "Soll die Brandenburger Straße autofrei werden?" in content
        assert "<strong>Fußgängerzone</strong>" in content  # the description, as Markdown
        assert "<strong>Platz</strong>" in content
        assert "Haltung: dafür" in content and "Haltung: dagegen" in content
        assert "Morgens bis 10 Uhr" in content
        # The counts: a table (the accessible equivalent) and a bar hidden from screen readers.
        table = content[content.index('class="kern-table kern-table--small stance-table"') :]
        table = table[: table.index("</table>")]
        rows = re.findall(
            r'<th class="kern-table__cell" scope="row">.*?</svg> (\w+)</th>\s*'
            r"<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+) %</td>",
            table,
        )
        assert rows == [("Dafür", "1", "34"), ("Dagegen", "1", "33"), ("Neutral", "1", "33")]
        assert "3 Kommentare mit Haltung" in table
        assert re.search(r'<svg class="stance-bar"[^>]*aria-hidden="true"', content)
        assert 'x="33.33" y="0" width="33.33"' in content  # decimal points in any language
        assert "4 Kommentare" in content
        assert 'style="' not in content and "<script>" not in content
        assert 'href="/projekte/zukunft/debatten/"' in content

    def test_english_page_keeps_decimal_points(self, client, debating, debate):
        say(debate, "for")
        say(debate, "for")
        say(debate, "against")
        client.cookies["django_language"] = "en"
        content = client.get(page(debate)).content.decode()
        assert 'width="66.67"' in content

    def test_list_shows_open_debates_first_with_counts(self, client, debating, debate, manager):
        say(debate, "against")
        older = debate_create(author=manager, project=debating, question="Ältere Frage?")
        closed = debate_create(author=manager, project=debating, question="Geschlossene Frage?")
        debate_close(user=manager, debate=closed, conclusion="Fazit")
        Debate.objects.filter(pk=older.pk).update(created_at=timezone.now().replace(year=2020))
        content = client.get(f"/projekte/{debating.slug}/debatten/").content.decode()
        positions = [
            content.index(q)
            for q in ("Brandenburger Straße", "Ältere Frage?", "Geschlossene Frage?")
        ]
        assert positions == sorted(positions)
        assert "0 dafür, 1 dagegen, 0 neutral" in content
        assert "3 Debatten" in content

    def test_open_button_only_for_those_who_may(self, client, project, debate, resident):
        set_phase(project, ["comment"])
        url = f"/projekte/{project.slug}/debatten/"
        client.force_login(resident)
        content = client.get(url).content.decode()
        assert "/debatten/neu/" not in content
        assert "In dieser Phase können keine Debatten eröffnet werden." in content
        set_phase(project, ["debate"])
        assert "/debatten/neu/" in client.get(url).content.decode()

    def test_unknown_and_invisible(self, client, project, debate):
        assert client.get("/debatten/999999/").status_code == 404
        project.visibility = "draft"
        project.save()
        assert client.get(page(debate)).status_code == 404
        assert client.get(f"/projekte/{project.slug}/debatten/").status_code == 404
        assert client.get(post_url(debate)).status_code == 404


class TestFilter:
    @pytest.fixture
    def discussed(self, debating, debate):
        for n, stance in enumerate(["for", "for", "against", "neutral", "for"]):
            say(debate, stance, text=f"Beitrag {n} {stance}")
        return debate

    def test_filter_by_stance(self, client, discussed):
        content = client.get(page(discussed, "?haltung=dagegen")).content.decode()
        assert "Beitrag 2 against" in content
        assert "Beitrag 0 for" not in content and "Beitrag 3 neutral" not in content
        assert '<strong aria-current="true">Dagegen (1)</strong>' in content
        assert "?haltung=dafuer#kommentare" in content and ">Dafür (3)</a>" in content
        assert ">Alle (5)</a>" in content
        assert "Gezeigt werden nur Kommentare mit der Haltung „dagegen“" in content
        # The counts on top stay those of the whole debate.
        assert "5 Kommentare mit Haltung" in content

    def test_unknown_stance_shows_all(self, client, discussed):
        content = client.get(page(discussed, "?haltung=vielleicht")).content.decode()
        assert all(f"Beitrag {n}" in content for n in range(5))
        assert '<strong aria-current="true">Alle (5)</strong>' in content

    def test_filter_keeps_sort_and_resets_page(self, client, discussed):
        content = client.get(page(discussed, "?kommentare=beste&kseite=1")).content.decode()
        assert "?kommentare=beste&amp;haltung=dafuer#kommentare" in content

    def test_filter_fragment_for_htmx(self, client, discussed):
        response = client.get(post_url(discussed) + "?haltung=neutral", **HTMX)
        content = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in content and "Beitrag 3 neutral" in content
        assert "Beitrag 2 against" not in content

    def test_filter_with_no_matches(self, client, debating, debate):
        say(debate, "for")
        content = client.get(page(debate, "?haltung=neutral")).content.decode()
        assert "Keine Kommentare mit dieser Haltung." in content


class TestCommenting:
    def test_comment_with_stance_without_javascript(self, client, debating, debate, resident):
        client.force_login(resident)
        response = client.post(
            post_url(debate),
            {
                "stance": "against",
                "text": "Lieferverkehr!",
                "next": page(debate, "?haltung=dafuer"),
            },
        )
        comment = Comment.objects.get(debate=debate)
        assert comment.stance == "against" and comment.author == resident
        # Back to the page, at the new comment, showing all stances.
        assert response["Location"] == f"{page(debate)}#kommentar-{comment.pk}"
        debate.refresh_from_db()
        assert (debate.comment_count, debate.against_count) == (1, 1)

    def test_the_form_asks_for_the_stance(self, client, debating, debate, resident):
        client.force_login(resident)
        content = client.get(page(debate)).content.decode()
        assert '<legend class="kern-label">Ihre Haltung zur Frage</legend>' in content
        assert 'id="neuer-kommentar-stance_0"' in content
        for value, label in [("for", "Dafür"), ("against", "Dagegen"), ("neutral", "Neutral")]:
            assert f'value="{value}"' in content and f">{label}</label>" in content

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (
                {"text": "Ohne Haltung"},
                "Bitte wählen Sie Ihre Haltung: dafür, dagegen oder neutral.",
            ),
            (
                {"text": "Komisch", "stance": "vielleicht"},
                "Bitte wählen Sie Ihre Haltung: dafür, dagegen oder neutral.",
            ),
            ({"text": "", "stance": "for"}, "Bitte schreiben Sie einen Kommentar."),
            ({"text": "x" * 2001, "stance": "for"}, "höchstens 2000 Zeichen"),
        ],
    )
    def test_bad_input_is_explained_and_nothing_stored(
        self, client, debating, debate, resident, data, message
    ):
        client.force_login(resident)
        response = client.post(post_url(debate), {**data, "next": page(debate)})
        content = response.content.decode()
        assert response.status_code == 200
        assert message in content
        assert "Bitte prüfen Sie Ihre Eingaben." in content  # the error summary
        assert not Comment.objects.exists()
        # The text typed is kept.
        if data["text"] and len(data["text"]) < 100:
            assert data["text"] in content

    def test_missing_stance_with_htmx(self, client, debating, debate, resident):
        client.force_login(resident)
        response = client.post(post_url(debate), {"text": "Hm", "next": page(debate)}, **HTMX)
        content = response.content.decode()
        assert "<html" not in content
        assert "Bitte wählen Sie Ihre Haltung" in content and "Hm" in content
        assert not Comment.objects.exists()

    def test_htmx_comment_updates_the_counts_out_of_band(self, client, debating, debate, resident):
        client.force_login(resident)
        response = client.post(
            post_url(debate),
            {"stance": "neutral", "text": "Mal sehen", "next": page(debate)},
            **HTMX,
        )
        content = response.content.decode()
        assert 'id="debatte-haltungen"' in content and 'data-hx-swap-oob="true"' in content
        assert "1 Kommentar mit Haltung" in content
        assert "Vielen Dank! Ihr Kommentar ist veröffentlicht." in content

    def test_reply_without_stance(self, client, debating, debate, resident):
        top = say(debate, "for")
        client.force_login(resident)
        client.post(
            post_url(debate),
            {"reply_to": top.pk, "text": "Warum?", "stance": "against", "next": page(debate)},
        )
        reply = Comment.objects.get(parent=top)
        assert reply.stance == "" and reply.debate == debate  # a stance sent along is ignored
        debate.refresh_from_db()
        assert (debate.comment_count, debate.for_count, debate.against_count) == (2, 1, 0)

    def test_anonymous_visitors_are_asked_to_sign_in(self, client, debating, debate):
        content = client.get(page(debate)).content.decode()
        assert "Anmelden, um zu kommentieren" in content
        response = client.post(post_url(debate), {"stance": "for", "text": "Ich"})
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
        assert not Comment.objects.exists()

    def test_comment_phase_needed(self, client, project, debate, resident):
        set_phase(project, ["debate"])
        client.force_login(resident)
        content = client.get(page(debate)).content.decode()
        assert "In dieser Phase sind keine Kommentare möglich." in content
        response = client.post(post_url(debate), {"stance": "for", "text": "Ich"}, follow=True)
        assert "In dieser Phase sind keine Kommentare möglich." in response.content.decode()
        assert not Comment.objects.exists()


class TestClosing:
    def test_close_with_conclusion_on_top(
        self, client, debating, debate, manager, resident, django_capture_on_commit_callbacks
    ):
        say(debate, "for", author=resident)
        client.force_login(manager)
        assert client.get(f"/debatten/{debate.pk}/abschliessen/").status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/debatten/{debate.pk}/abschliessen/",
                {"conclusion": "Die Stadt testet im Sommer eine **Fußgängerzone**."},
                follow=True,
            )
        content = response.content.decode()
        assert "Die Debatte ist abgeschlossen; das Fazit steht oben auf der Seite." in content
        assert "Fazit der Verwaltung" in content
        assert "Abgeschlossen am" in content and "von Paula" in content
        # On top: before the description, the counts and the comments.
        conclusion = content.index('class="debate-conclusion"')
        assert conclusion < content.index("Worum es geht") < content.index('id="kommentare"')
        assert "Neue Kommentare sind nicht mehr möglich." in content
        assert 'name="stance"' not in content  # no comment form
        assert Notification.objects.filter(recipient=resident, kind="debate_closed").exists()

    def test_close_without_conclusion(self, client, debate, manager):
        client.force_login(manager)
        for data in ({}, {"conclusion": "   "}):
            response = client.post(f"/debatten/{debate.pk}/abschliessen/", data)
            content = response.content.decode()
            assert response.status_code == 200
            assert "Bitte schreiben Sie ein Fazit." in content
            assert "Bitte prüfen Sie Ihre Eingaben." in content
        debate.refresh_from_db()
        assert not debate.is_closed

    def test_only_staff_see_the_close_page(self, client, debating, debate, resident, moderator):
        for user in (resident, moderator):
            client.force_login(user)
            assert client.get(f"/debatten/{debate.pk}/abschliessen/").status_code == 404
            assert (
                client.post(
                    f"/debatten/{debate.pk}/abschliessen/", {"conclusion": "Ha"}
                ).status_code
                == 404
            )
        debate.refresh_from_db()
        assert not debate.is_closed

    def test_comment_after_close_is_refused_in_german(
        self, client, debating, debate, manager, resident
    ):
        top = say(debate, "for")
        client.force_login(resident)
        page_before = client.get(page(debate))  # the form was on the page …
        assert 'name="stance"' in page_before.content.decode()
        debate_close(user=manager, debate=debate, conclusion="Fazit")  # … then staff closed
        expected = "Diese Debatte ist abgeschlossen; neue Kommentare sind nicht mehr möglich."
        for data in (
            {"stance": "for", "text": "Zu spät"},
            {"text": "Ohne Haltung, zu spät"},
            {"reply_to": top.pk, "text": "Antwort, zu spät"},
        ):
            response = client.post(post_url(debate), {**data, "next": page(debate)}, follow=True)
            assert response.status_code == 200
            assert expected in messages_of(response)
            fragment = client.post(post_url(debate), data, **HTMX).content.decode()
            assert expected in fragment and "<html" not in fragment
        assert Comment.objects.filter(debate=debate).count() == 1

    def test_anonymous_visitors_are_told_it_is_closed(self, client, debating, debate, manager):
        debate_close(user=manager, debate=debate, conclusion="Fazit")
        content = client.get(page(debate)).content.decode()
        assert "Anmelden, um zu kommentieren" not in content
        assert (
            "Diese Debatte ist abgeschlossen; neue Kommentare sind nicht mehr möglich." in content
        )

    def test_a_hidden_debate_cannot_be_closed(self, client, debating, debate, manager, moderator):
        hide(moderator=moderator, target=debate, reason="Persönliche Daten")
        client.force_login(manager)
        assert "Mit Fazit abschließen" not in client.get(page(debate)).content.decode()
        expected = (
            "Diese Debatte ist ausgeblendet und kann nicht abgeschlossen werden. "
            "Die Moderation kann sie wieder anzeigen."
        )
        for response in (
            client.get(f"/debatten/{debate.pk}/abschliessen/", follow=True),
            client.post(
                f"/debatten/{debate.pk}/abschliessen/", {"conclusion": "Fazit"}, follow=True
            ),
        ):
            assert response.redirect_chain[-1][0] == page(debate)
            assert expected in messages_of(response)
        assert not Debate.objects.get(pk=debate.pk).is_closed
        assert not Notification.objects.filter(kind="debate_closed").exists()

    def test_reopen(self, client, debating, debate, manager, resident):
        debate_close(user=manager, debate=debate, conclusion="Fazit")
        client.force_login(resident)
        assert client.post(f"/debatten/{debate.pk}/wieder-oeffnen/").status_code == 404
        client.force_login(manager)
        content = client.get(page(debate)).content.decode()
        assert "Wieder für Kommentare öffnen" in content
        response = client.post(f"/debatten/{debate.pk}/wieder-oeffnen/", follow=True)
        assert "Die Debatte ist wieder offen für Kommentare." in response.content.decode()
        debate.refresh_from_db()
        assert not debate.is_closed


@pytest.mark.django_db(transaction=True)
def test_the_notification_has_the_conclusion_just_written(client, project, manager, resident):
    """As in production (no ATOMIC_REQUESTS): the notification is written when the
    close commits, and carries that close's conclusion, also after a reopen."""
    set_phase(project, ["debate", "comment"])
    debate = debate_create(author=manager, project=project, question="Rufbus am Wochenende?")
    say(debate, "for", author=resident)
    client.force_login(manager)
    close, reopen = f"/debatten/{debate.pk}/abschliessen/", f"/debatten/{debate.pk}/wieder-oeffnen/"
    told = Notification.objects.filter(recipient=resident, kind="debate_closed")
    assert client.post(close, {"conclusion": "Der Rufbus fährt ab Mai."}).status_code == 302
    assert [n.text for n in told.all()] == ["Fazit der Verwaltung: Der Rufbus fährt ab Mai."]
    assert client.post(reopen).status_code == 302
    assert client.post(close, {"conclusion": "Doch erst ab Juni."}).status_code == 302
    assert sorted(n.text for n in told.all()) == [
        "Fazit der Verwaltung: Der Rufbus fährt ab Mai.",
        "Fazit der Verwaltung: Doch erst ab Juni.",
    ]


class TestOpeningAndEditing:
    def test_resident_opens_a_debate(self, client, debating, resident):
        client.force_login(resident)
        url = f"/projekte/{debating.slug}/debatten/neu/"
        assert client.get(url).status_code == 200
        response = client.post(url, {"question": "Rufbus für Lübnitz?", "description": ""})
        debate = Debate.objects.get()
        assert response["Location"] == debate.get_absolute_url()
        assert debate.author == resident and not debate.opened_by_staff

    def test_bad_input(self, client, debating, resident):
        client.force_login(resident)
        url = f"/projekte/{debating.slug}/debatten/neu/"
        for data, message in [
            ({"question": ""}, "Bitte formulieren Sie eine Frage."),
            ({"question": "   "}, "Bitte formulieren Sie eine Frage."),
            ({"question": "x" * 201}, "Die Frage ist zu lang (höchstens 200 Zeichen)."),
        ]:
            content = client.post(url, data).content.decode()
            assert message in content and "Bitte prüfen Sie Ihre Eingaben." in content
        assert not Debate.objects.exists()

    def test_not_in_this_phase(self, client, project, resident):
        set_phase(project, ["comment"])
        client.force_login(resident)
        url = f"/projekte/{project.slug}/debatten/neu/"
        response = client.post(url, {"question": "Rufbus?"}, follow=True)
        assert "In dieser Phase können keine Debatten eröffnet werden." in messages_of(response)
        assert not Debate.objects.exists()
        assert client.get(url).status_code == 302

    def test_staff_open_in_any_phase_and_anonymous_must_sign_in(self, client, project, manager):
        set_phase(project, ["support"])
        url = f"/projekte/{project.slug}/debatten/neu/"
        assert "/konto/login/" in client.get(url)["Location"]
        client.force_login(manager)
        client.post(url, {"question": "Autofreie Innenstadt?", "description": "Ja oder nein"})
        assert Debate.objects.get().opened_by_staff

    def test_edit(self, client, debating, debate, manager, resident):
        url = f"/debatten/{debate.pk}/bearbeiten/"
        client.force_login(resident)
        assert client.get(url).status_code == 302
        client.force_login(manager)
        assert client.get(url).status_code == 200
        client.post(url, {"question": "Soll die Straße autofrei werden?", "description": "Neu"})
        debate.refresh_from_db()
        assert debate.question == "Soll die Straße autofrei werden?"
        content = client.post(url, {"question": ""}).content.decode()
        assert "Bitte formulieren Sie eine Frage." in content


class TestCommentFeaturesInDebates:
    """Replies, ratings, edit, delete, report, hide and export work on debate comments."""

    def test_whole_thread_page(self, client, debating, debate):
        top = say(debate, "against")
        for n in range(4):
            say(debate, "", reply_to=top, text=f"Antwort {n}")
        content = client.get(page(debate)).content.decode()
        assert "alle 4 Antworten anzeigen" in content
        whole = client.get(f"/kommentare/{top.pk}/").content.decode()
        assert all(f"Antwort {n}" in whole for n in range(4))
        assert f'href="{debate.get_absolute_url()}"' in whole  # breadcrumb to the debate
        standalone = client.get(post_url(debate)).content.decode()
        assert "Kommentare zur Debatte" in standalone

    def test_pagination(self, client, debating, debate):
        for n in range(12):
            say(debate, "for" if n % 2 else "against", text=f"Nummer {n}")
        content = client.get(page(debate, "?haltung=dafuer")).content.decode()
        assert "Seite 1 von 1" not in content  # 6 for-comments fit on one page
        content = client.get(page(debate, "?kseite=2")).content.decode()
        assert "Seite 2 von 2" in content and "Nummer 0" in content

    def test_rate_edit_delete(self, client, debating, debate, resident):
        own = say(debate, "neutral", author=resident, text="Erst so")
        other = say(debate, "for")
        client.force_login(resident)
        client.post(f"/kommentare/{other.pk}/bewerten/", {"wert": "1"})
        other.refresh_from_db()
        assert other.up_count == 1
        client.post(f"/kommentare/{own.pk}/bearbeiten/", {"text": "Dann so"})
        own.refresh_from_db()
        assert own.text == "Dann so" and own.stance == "neutral"
        client.post(f"/kommentare/{own.pk}/loeschen/")
        debate.refresh_from_db()
        assert (debate.comment_count, debate.neutral_count, debate.for_count) == (1, 0, 1)

    def test_report_and_moderation_hide(self, client, debating, debate, resident, moderator):
        bad = say(debate, "against", text="Beleidigung")
        client.force_login(resident)
        client.post(f"/melden/kommentar/{bad.pk}/", {"reason": "insult"})
        assert Report.objects.about(bad).exists()
        client.force_login(moderator)
        decide = client.get(f"/verwaltung/moderation/kommentare/{bad.pk}/").content.decode()
        assert debate.question in decide
        queue = client.get("/verwaltung/moderation/").content.decode()
        assert debate.question in queue
        client.post(
            f"/verwaltung/moderation/kommentare/{bad.pk}/",
            {"aktion": "ausblenden", "ausblenden-reason": "Beleidigung"},
        )
        debate.refresh_from_db()
        assert (debate.comment_count, debate.against_count) == (0, 0)
        client.logout()
        content = client.get(page(debate)).content.decode()
        assert "Dieser Kommentar wurde von der Moderation ausgeblendet." in content

    def test_csv_export(self, client, debating, debate, manager):
        say(debate, "against", text="Dagegen!")
        comment_create(author=UserFactory(), project=debating, text="Zum Projekt")
        client.force_login(manager)
        response = client.get(f"/verwaltung/projekte/{debating.slug}/kommentare.csv")
        body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
        rows = {r["text"]: r for r in csv.DictReader(io.StringIO(body))}
        assert rows["Dagegen!"]["debatte"] == debate.question
        assert rows["Dagegen!"]["haltung"] == "dagegen"
        assert rows["Dagegen!"]["debatte_id"] == str(debate.pk)
        assert rows["Zum Projekt"]["debatte"] == "" and rows["Zum Projekt"]["haltung"] == ""

    def test_project_thread_leaves_debate_comments_out(self, client, debating, debate):
        say(debate, "for", text="In der Debatte")
        comment_create(author=UserFactory(), project=debating, text="Zum Projekt selbst")
        content = client.get(f"/projekte/{debating.slug}/kommentare/").content.decode()
        assert "Zum Projekt selbst" in content and "In der Debatte" not in content
        assert "1 Kommentar" in content


def test_anonymous_pages_are_cached_and_fresh_after_writes(
    client, debating, debate, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    url = page(debate)
    assert client.get(url)["X-Mitmachen-Cache"] == "miss"
    assert client.get(url)["X-Mitmachen-Cache"] == "hit"
    listing = f"/projekte/{debating.slug}/debatten/"
    assert client.get(listing)["X-Mitmachen-Cache"] == "miss"
    with django_capture_on_commit_callbacks(execute=True):
        say(debate, "for", text="Neu und gleich sichtbar")
    response = client.get(url)
    assert response["X-Mitmachen-Cache"] == "miss"
    assert "Neu und gleich sichtbar" in response.content.decode()
    assert "1 Kommentar" in client.get(listing).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        hide(moderator=UserFactory(is_superuser=True), target=debate, reason="Prüfung")
    assert "Ausgeblendete Debatte" in client.get(url).content.decode()
