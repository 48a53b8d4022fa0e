"""Bad input over HTTP (issue 11, "Rules that must hold"): a 5 MB paragraph – as a suggested
wording, a reason, a comment on a paragraph, an imported text – and script in the fields.
Each gets a clear German message, stores nothing and is never a 500; no script from user
content reaches a page unescaped."""

import pytest
from django.urls import reverse

from mitmachen.comments.models import Comment
from mitmachen.drafts.models import Draft, Paragraph, Suggestion
from mitmachen.drafts.tests.conftest import paragraph

pytestmark = pytest.mark.django_db

FIVE_MB = "Klimaschutz " * (5 * 1024 * 1024 // 12)
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_a_5_mb_suggestion_or_reason_is_refused_in_german(client, responding, draft, resident):
    p = paragraph(draft, 1)
    client.force_login(resident)
    for data in ({"text": FIVE_MB, "reason": ""}, {"text": "Kürzer.", "reason": FIVE_MB}):
        response = client.post(p.get_absolute_url(), data)
        content = response.content.decode()
        assert response.status_code == 400, response.status_code  # refused, never a 500
        assert 'id="form-errors"' in content and "höchstens" in content
    assert not Suggestion.objects.exists()
    assert Paragraph.objects.get(pk=p.pk).suggestion_count == 0


def test_a_5_mb_comment_on_a_paragraph_is_refused_in_german(client, responding, draft, resident):
    p = paragraph(draft, 1)
    client.force_login(resident)
    response = client.post(reverse("comments:paragraph", args=[p.pk]), {"text": FIVE_MB})
    assert response.status_code in (200, 400) and "höchstens" in response.content.decode()
    assert not Comment.objects.exists()
    assert Paragraph.objects.get(pk=p.pk).comment_count == 0


def test_a_5_mb_paragraph_in_an_import_is_refused_and_stores_nothing(client, project, manager):
    draft = Draft.objects.create(project=project, title="Leer", slug="leer")
    client.force_login(manager)
    url = reverse("drafts:import", args=[project.slug, draft.slug])
    response = client.post(url, {"text": f"# Kapitel\n\n{FIVE_MB}", "bestaetigt": "ja"})
    content = response.content.decode()
    assert response.status_code == 400 and 'id="form-errors"' in content
    assert "zu lang" in content
    assert not Paragraph.objects.filter(draft=draft).exists()


def test_script_in_a_suggestion_is_shown_as_text(client, responding, draft, resident):
    p = paragraph(draft, 1)
    client.force_login(resident)
    response = client.post(p.get_absolute_url(), {"text": f"{p.text} {SCRIPT}", "reason": SCRIPT})
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    for url in (
        p.get_absolute_url(),
        reverse("drafts:suggestion", args=[responding.slug, draft.slug, suggestion.pk]),
        reverse("drafts:weighing", args=[responding.slug, draft.slug]),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;alert" in page, url
