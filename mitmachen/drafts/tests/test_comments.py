"""Comments with replies on a draft's paragraphs (the comments app, ``drafts.comment_target``)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments import services as comments
from mitmachen.comments.models import COMMENT, Comment
from mitmachen.comments.permissions import Discussion
from mitmachen.core.permissions import decide
from mitmachen.drafts import services
from mitmachen.drafts.models import Paragraph
from mitmachen.drafts.tests.conftest import TEXT, make_draft, paragraph
from mitmachen.moderation import services as moderation
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.proposals.tests.conftest import set_phase

pytestmark = pytest.mark.django_db
WRITE = "comments.write_comment"


@pytest.fixture
def moderator(project):
    return MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user


def count(p):
    return Paragraph.objects.get(pk=p.pk).comment_count


def write(user, p, text="Guter Absatz.", **kwargs):
    return comments.comment_create(
        author=user, project=p.draft.project, target=p, text=text, **kwargs
    )


def test_permission_matrix(project, manager, draft, resident):
    """Anonymous, resident, blocked resident, staff × phase (drafts' action, comments'
    action, none): only the phase that allows commenting the text opens it."""
    blocked = UserFactory()
    moderation.block(
        moderator=MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user,
        organisation=project.organisation,
        user=blocked,
        reason="Spam",
    )
    from django.contrib.auth.models import AnonymousUser

    people = {"anonym": AnonymousUser(), "resident": resident, "blocked": blocked, "staff": manager}
    first = paragraph(draft, 1)
    seen = {}
    for phase, actions in {"text": ["comment_text"], "comment": [COMMENT], "none": []}.items():
        set_phase(project, actions)
        project.refresh_from_db()
        for who, user in people.items():
            seen[(phase, who)] = decide(user, WRITE, Discussion(project, debate=first)).allowed
    assert seen == {
        ("text", "anonym"): False,
        ("text", "resident"): True,
        ("text", "blocked"): False,
        ("text", "staff"): True,
        # The comments app's own phase action does not open a draft.
        ("comment", "anonym"): False,
        ("comment", "resident"): False,
        ("comment", "blocked"): False,
        ("comment", "staff"): False,
        ("none", "anonym"): False,
        ("none", "resident"): False,
        ("none", "blocked"): False,
        ("none", "staff"): False,
    }
    set_phase(project, ["comment_text"])
    project.refresh_from_db()
    assert decide(blocked, WRITE, Discussion(project, debate=first)).reason == (
        "Ihr Konto ist für Beteiligungen in dieser Kommune gesperrt."
    )
    set_phase(project, [])
    project.refresh_from_db()
    with pytest.raises(PermissionDenied, match="In dieser Phase sind keine Kommentare möglich"):
        write(resident, paragraph(draft, 1))
    assert not Comment.objects.exists() and count(first) == 0


def test_a_comment_and_a_reply_count_on_their_paragraph(responding, draft, resident):
    first = paragraph(draft, 1)
    top = write(resident, first)
    other = UserFactory()
    write(other, first, "Sehe ich anders.", reply_to=top)
    assert count(first) == 2 and count(paragraph(draft, 2)) == 0
    assert Comment.objects.get(pk=top.pk).paragraph_id == first.pk
    assert comments.comment_delete(user=resident, comment=top)
    assert count(first) == 1


def test_hidden_by_moderation_lowers_the_count_and_restoring_raises_it(
    responding, draft, resident, moderator
):
    first = paragraph(draft, 1)
    comment = write(resident, first)
    assert moderation.hide(moderator=moderator, target=comment, reason="Beleidigend")
    assert count(first) == 0
    assert moderation.restore(moderator=moderator, target=comment, reason="Doch in Ordnung")
    assert count(first) == 1
    moderation.block(
        moderator=moderator, organisation=responding.organisation, user=resident, reason="Spam"
    )
    assert count(first) == 0


def test_an_older_version_keeps_its_comments_and_takes_no_new_ones(
    client, responding, manager, draft, resident
):
    old = paragraph(draft, 1)
    write(resident, old, "Zum ersten Text.")
    services.version_publish(user=manager, draft=draft, text=TEXT + "\nEin neuer Absatz.\n")
    draft.refresh_from_db()
    old = Paragraph.objects.select_related("draft__project").get(pk=old.pk)
    with pytest.raises(PermissionDenied, match="gehört zu Fassung 1"):
        write(resident, old, "Noch einer.")
    assert count(old) == 1
    new = Paragraph.objects.get(draft=draft, version=2, key=old.key)
    assert new.comment_count == 0
    page = client.get(new.get_absolute_url()).content.decode()
    assert "1 Kommentar zu Fassung 1" in page
    assert reverse("comments:paragraph", args=[old.pk]) in page


def test_a_paragraph_of_another_project_or_a_proposal_is_refused(
    responding, draft, resident, manager
):
    from mitmachen.projects.tests.factories import ProjectFactory

    other = ProjectFactory(organisation=responding.organisation)
    with pytest.raises(ValidationError):
        comments.comment_create(
            author=resident, project=other, target=paragraph(draft, 1), text="Falsch."
        )
    assert not Comment.objects.exists()


def test_reading_page_links_counts_and_most_discussed(client, responding, draft, resident):
    first = paragraph(draft, 2)
    for n in range(3):
        write(resident, first, f"Kommentar {n}")
    page = client.get(draft.get_absolute_url()).content.decode()
    url = reverse("comments:paragraph", args=[first.pk])
    assert f'href="{url}">3 Kommentare<span class="kern-sr-only"> zu Absatz 2</span>' in page
    discussed = client.get(draft.get_absolute_url() + "?ansicht=meistdiskutiert")
    text = discussed.content.decode()
    assert "Absatz 2 (Leitbild)" in text and "3 Kommentare" in text


def test_comment_a_paragraph_without_javascript(client, responding, draft, resident):
    first = paragraph(draft, 1)
    url = reverse("comments:paragraph", args=[first.pk])
    page = client.get(url).content.decode()
    assert "Kommentare zu" in page and "Absatz 1 – Klimaagenda" in page
    client.force_login(resident)
    response = client.post(url, {"text": "Bitte konkreter.", "next": url})
    assert response.status_code == 302
    assert count(first) == 1
    page = client.get(url).content.decode()
    assert "Bitte konkreter." in page
    # An empty comment: a German message, nothing stored.
    response = client.post(url, {"text": "  ", "next": url})
    assert response.status_code == 200 and "Bitte" in response.content.decode()
    assert count(first) == 1


def test_unpublished_draft_comments_are_for_staff_only(client, project, manager, resident):
    draft = make_draft(project, manager, public=False, slug="intern")
    url = reverse("comments:paragraph", args=[paragraph(draft, 1).pk])
    client.force_login(resident)
    assert client.get(url).status_code == 404
    client.force_login(manager)
    assert client.get(url).status_code == 200


def test_import_refused_once_there_are_comments(responding, draft, resident, manager):
    write(resident, paragraph(draft, 1))
    with pytest.raises(ValidationError):
        services.draft_import(user=manager, draft=draft, text=TEXT)
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("signed_in", [False, True])
def test_comments_page_queries_do_not_grow_with_the_comments(
    client, responding, draft, resident, signed_in
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few, many = paragraph(draft, 1), paragraph(draft, 2)
    write(resident, few, "Antwort.", reply_to=write(UserFactory(), few, "Eins."))
    for n in range(25):
        top = write(UserFactory(), many, f"Kommentar {n}")
        write(resident, many, f"Antwort {n}", reply_to=top)
    if signed_in:
        client.force_login(UserFactory())
    counts = []
    for p in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("comments:paragraph", args=[p.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 16, counts


def test_my_data_lists_paragraph_comments_and_deletion_keeps_them_nameless(
    responding, draft, resident
):
    from mitmachen.comments.personal_data import export_comments

    first = paragraph(draft, 1)
    comment = write(resident, first, "Mein Kommentar.")
    exported = export_comments(resident)
    assert [(row["text"], row["zu"]) for row in exported] == [
        ("Mein Kommentar.", "Absatz 1 – Klimaagenda")
    ]
    resident.delete()
    comment.refresh_from_db()
    assert comment.author_id is None and comment.public_author() == "gelöschtes Konto"
    assert count(first) == 1
