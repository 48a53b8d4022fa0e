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
