"""Word differences: applying them gives the new text; the old text is kept intact."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mitmachen.drafts import diff

WORDS = st.sampled_from(
    ["Straße", "Bäume", "größer", "über", "der", "die", "2045", "**fett**", "-", "é", "ß"]
)
PUNCT = st.sampled_from([" ", "  ", "\n", ", ", ". ", "; ", "!", "?", "„", "“", "*", "#", "_"])
TEXT = st.lists(st.one_of(WORDS, PUNCT, st.text(max_size=4)), max_size=25).map("".join)


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=200)
@given(TEXT, TEXT)
def test_applying_the_difference_gives_the_new_text(old, new):
    pieces = diff.word_diff(old, new)
    assert diff.apply(pieces) == new
    assert diff.old_text(pieces) == old


def test_a_changed_word_is_deleted_and_inserted():
    pieces = diff.word_diff("bis 2045 klimaneutral", "bis 2040 klimaneutral")
    assert [(p.op, p.text) for p in pieces] == [
        ("equal", "bis "),
        ("delete", "2045"),
        ("insert", "2040"),
        ("equal", " klimaneutral"),
    ]
    assert diff.changed_words(pieces) == 2


def test_the_html_names_the_change_in_words_and_escapes_the_text():
    html = diff.render(diff.word_diff("Ein Satz.", "Ein <script>x</script> Satz."))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert '<ins><span class="kern-sr-only">eingefügt: </span>' in html
    assert "<del>" not in html  # nothing was deleted
