import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.channels import Channel
from mitmachen.drafts import services
from mitmachen.drafts.models import Chapter, Paragraph, ParagraphVote, Suggestion, Weighing
from mitmachen.drafts.tests.conftest import make_draft, paragraph
from mitmachen.notifications.models import Notification
from mitmachen.proposals.tests.conftest import set_phase

pytestmark = pytest.mark.django_db


def counts(p):
    p.refresh_from_db()
    return p.agree_count, p.disagree_count, p.suggestion_count


def test_import_numbers_paragraphs_through_the_whole_text(draft):
    assert list(Chapter.objects.filter(draft=draft).values_list("position", "title")) == [
        (1, "Leitbild"),
        (2, "Mobilität"),
    ]
    rows = Paragraph.objects.filter(draft=draft).order_by("number")
    assert [p.number for p in rows] == [1, 2, 3]
    assert rows[2].chapter.title == "Mobilität"
    assert len({p.key for p in rows}) == 3


def test_votes_count_once_change_and_withdraw(responding, draft, resident):
    p = paragraph(draft, 1)
    assert services.paragraph_vote(user=resident, paragraph=p, value=1) == 1
    assert services.paragraph_vote(user=resident, paragraph=p, value=1) == 1
    assert counts(p) == (1, 0, 0)
    services.paragraph_vote(user=resident, paragraph=p, value=-1)
    assert counts(p) == (0, 1, 0)
    services.paragraph_vote(user=UserFactory(), paragraph=p, value=-1)
    assert counts(p) == (0, 2, 0)
    services.paragraph_vote(user=resident, paragraph=p, value=None)
    assert counts(p) == (0, 1, 0)
    assert ParagraphVote.objects.filter(paragraph=p).count() == 1


def test_voting_follows_the_phase(project, draft, resident):
    set_phase(project, ["comment"])
    with pytest.raises(PermissionDenied, match="In dieser Phase"):
        services.paragraph_vote(user=resident, paragraph=paragraph(draft, 1), value=1)


def test_an_unpublished_draft_takes_no_responses(responding, manager, resident):
    hidden = make_draft(responding, manager, public=False, slug="intern")
    with pytest.raises(PermissionDenied):
        services.paragraph_vote(user=resident, paragraph=paragraph(hidden, 1), value=1)


def test_a_vote_must_be_agree_or_disagree(responding, draft, resident):
    with pytest.raises(ValidationError):
        services.paragraph_vote(user=resident, paragraph=paragraph(draft, 1), value=5)
    assert not ParagraphVote.objects.exists()


def test_a_suggestion_keeps_the_text_it_changes_and_is_counted(responding, draft, resident):
    p = paragraph(draft, 1)
    suggestion = services.suggestion_create(
        by=resident, paragraph=p, text="Die Region will bis 2040 klimaneutral sein."
    )
    assert suggestion.base_text == p.text
    assert suggestion.author == resident and suggestion.channel == Channel.ONLINE
    assert counts(p) == (0, 0, 1)


def test_a_suggestion_equal_to_the_text_is_refused(responding, draft, resident):
    p = paragraph(draft, 1)
    with pytest.raises(ValidationError, match="gleich dem Text"):
        services.suggestion_create(
            by=resident, paragraph=p, text="  " + p.text.replace(" ", "  ") + "\n"
        )
    with pytest.raises(ValidationError, match="zu lang"):
        services.suggestion_create(by=resident, paragraph=p, text="x" * 20_001)
    assert not Suggestion.objects.exists()
    assert counts(p) == (0, 0, 0)


def test_only_staff_enter_offline_suggestions_and_without_a_name(
    responding, draft, resident, manager
):
    p = paragraph(draft, 2)
    with pytest.raises(PermissionDenied):
        services.suggestion_create(
            by=resident, paragraph=p, text="Anders.", channel=Channel.WORKSHOP
        )
    entered = services.suggestion_create(
        by=manager, paragraph=p, text="Anders.", channel=Channel.WORKSHOP
    )
    assert entered.author is None and entered.entered_by == manager


def test_weighing_needs_a_reason_and_tells_the_author(
    responding, draft, resident, manager, django_capture_on_commit_callbacks
):
    suggestion = services.suggestion_create(
        by=resident, paragraph=paragraph(draft, 1), text="Bis 2040."
    )
    with pytest.raises(ValidationError):
        services.suggestion_weigh(
            user=manager, suggestion=suggestion, weighing=Weighing.ADOPTED, reason=" "
        )
    with pytest.raises(PermissionDenied):
        services.suggestion_weigh(
            user=resident, suggestion=suggestion, weighing=Weighing.ADOPTED, reason="Ja."
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.suggestion_weigh(
            user=manager, suggestion=suggestion, weighing=Weighing.ADOPTED, reason="Gute Idee."
        )
    suggestion.refresh_from_db()
    assert suggestion.get_weighing_display() == "übernommen"
    assert suggestion.weighed_by == manager
    note = Notification.objects.get(recipient=resident)
    assert "übernommen" in note.title and note.text == "Gute Idee."
    # The same weighing again changes nothing and tells nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert not services.suggestion_weigh(
            user=manager, suggestion=suggestion, weighing=Weighing.ADOPTED, reason="Gute Idee."
        )
    assert Notification.objects.filter(recipient=resident).count() == 1


def test_the_text_cannot_be_replaced_once_people_responded(responding, draft, resident, manager):
    services.paragraph_vote(user=resident, paragraph=paragraph(draft, 1), value=1)
    with pytest.raises(ValidationError, match="schon Antworten"):
        services.draft_import(user=manager, draft=draft, text="# Neu\n\nGanz neu.")
    assert Paragraph.objects.filter(draft=draft).count() == 3


def test_only_staff_import(draft, resident):
    with pytest.raises(PermissionDenied):
        services.draft_import(user=resident, draft=draft, text="# K\n\nText")
