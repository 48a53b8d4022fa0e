"""The demo drafts (mitmachen/drafts/demo.py) on top of the demo region."""

import pytest

from mitmachen.comments.models import Comment
from mitmachen.drafts.demo import COMMENTS, SLUG
from mitmachen.drafts.models import Draft, Paragraph

pytestmark = pytest.mark.django_db


def test_the_open_agenda_has_comments_with_replies_online_and_from_a_workshop(client, demo_rows):
    draft = Draft.objects.get(slug=SLUG)
    comments = Comment.objects.filter(paragraph__draft=draft)
    replies = sum(len(replies) for *_rest, replies in COMMENTS)
    assert comments.count() == len(COMMENTS) + replies
    assert comments.filter(parent__isnull=False).count() == replies
    assert comments.filter(channel="workshop", author__isnull=True).count() == 1
    # The margin counts them, and the reading page links them.
    for number, *_rest, thread in COMMENTS:
        paragraph = Paragraph.objects.get(draft=draft, version=draft.version, number=number)
        assert paragraph.comment_count == 1 + len(thread)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "2 Kommentare" in page
    assert "erfunden" in page


def test_the_insek_comments_are_weighed_and_in_the_table(client, demo_rows):
    from django.urls import reverse

    from mitmachen.drafts import report
    from mitmachen.drafts.demo import INSEK_COMMENTS, INSEK_SLUG
    from mitmachen.drafts.models import CommentWeighing

    draft = Draft.objects.select_related("project").get(slug=INSEK_SLUG)
    comments = Comment.objects.filter(paragraph__draft=draft)
    # On version 1, where they were written; all but the administration's answer weighed.
    assert set(comments.values_list("paragraph__version", flat=True)) == {1}
    contributions = sum(1 + sum(1 for r in replies if r[2]) for *_rest, replies in INSEK_COMMENTS)
    assert CommentWeighing.objects.filter(comment__paragraph__draft=draft).count() == contributions
    assert comments.count() == contributions + 1
    in_table = [c for row in report.rows(draft) for c in row.comments]
    assert len(in_table) == contributions and all(c.weighing for c in in_table)
    assert {c.who for c in in_table} >= {"ein Beitrag aus: Workshop"}
    first = comments.filter(parent__isnull=True).order_by("pk").first()
    page = client.get(reverse("comments:paragraph", args=[first.paragraph_id])).content.decode()
    assert "Abwägung der Verwaltung: teilweise übernommen" in page
