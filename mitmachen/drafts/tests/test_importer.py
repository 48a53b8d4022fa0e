import pytest
from django.core.exceptions import ValidationError

from mitmachen.drafts.importer import MAX_PARAGRAPHS, parse_markdown


def test_headings_become_chapters_and_blocks_paragraphs():
    parsed = parse_markdown(
        "Vorab ein Satz.\n\n# Eins\n\nA\nzweite Zeile\n\n- Liste\n- Liste\n\n## Zwei ##\n\nB\n"
    )
    assert [(c.title, c.paragraphs) for c in parsed.chapters] == [
        ("Vorbemerkung", ["Vorab ein Satz."]),
        ("Eins", ["A\nzweite Zeile", "- Liste\n- Liste"]),
        ("Zwei", ["B"]),
    ]
    assert parsed.paragraph_count == 4


def test_a_fenced_block_keeps_its_blank_lines_and_hashes():
    parsed = parse_markdown("# K\n\n```\n# kein Kapitel\n\nnoch im Block\n```\n")
    assert len(parsed.chapters) == 1
    assert parsed.chapters[0].paragraphs == ["```\n# kein Kapitel\n\nnoch im Block\n```"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "keinen Absatz"),
        ("# Nur eine Überschrift\n", "keinen Absatz"),
        ("# K\n\n" + "x" * 20_001, "Absatz 1 ist zu lang"),
        ("# " + "Ü" * 201 + "\n\nText", "Überschrift"),
        ("\n\n".join(["Absatz"] * (MAX_PARAGRAPHS + 1)), "zu viele Absätze"),
        ("x" * 2_000_001, "zu lang"),
    ],
)
def test_bad_texts_are_refused_with_a_reason(text, message):
    with pytest.raises(ValidationError, match=message):
        parse_markdown(text)


def test_control_characters_and_windows_line_ends_are_cleaned():
    parsed = parse_markdown("# K\r\n\r\nA\x00B\r\n")
    assert parsed.chapters[0].paragraphs == ["AB"]


def test_a_closing_sequence_of_hashes_needs_a_space_before_it():
    parsed = parse_markdown("# C#\n\nA\n\n## Zwei ##\n\nB\n\n# Nummer # #\n\nC\n")
    assert [c.title for c in parsed.chapters] == ["C#", "Zwei", "Nummer #"]
