from hypothesis import given
from hypothesis import strategies as st

from mitmachen.core.markdown import render_markdown


def test_renders_markdown_with_shifted_headings():
    html = render_markdown("# Titel\n\n## Abschnitt\n\nText mit **fett**.")
    assert "<h2>Titel</h2>" in html
    assert "<h3>Abschnitt</h3>" in html
    assert "<strong>fett</strong>" in html
    assert "<h1" not in html


def test_top_level_puts_the_highest_heading_at_that_level():
    # Legal texts written with "##" sections sit directly under the page's <h1>.
    text = "Einleitung\n\n## Kontakt\n\n### Telefon\n\n## Aufsicht"
    html = render_markdown(text, top=2)
    assert "<h2>Kontakt</h2>" in html
    assert "<h3>Telefon</h3>" in html
    assert "<h2>Aufsicht</h2>" in html
    assert "<h2>Titel</h2>" in render_markdown("# Titel", top=2)
    assert "<h3>Titel</h3>" in render_markdown("#### Titel", top=3)
    assert render_markdown("Nur Text", top=2) == "<p>Nur Text</p>"
    # Without it, headings move down one level as before.
    assert "<h3>Kontakt</h3>" in render_markdown("## Kontakt")


def test_strips_scripts_and_event_handlers():
    html = render_markdown(
        "<script>alert(1)</script><img src=x onerror=alert(2)>"
        '[klick](javascript:alert(3)) <a href="https://example.org" onclick="x()">ok</a>'
    )
    assert "<script" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "javascript:" not in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_empty_input():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


@given(st.text(max_size=300))
def test_never_emits_script_tags(text):
    html = render_markdown(text + "<script>x</script>")
    assert "<script" not in html.lower()
