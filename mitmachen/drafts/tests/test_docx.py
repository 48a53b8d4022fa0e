"""The Word import: what a .docx becomes (chapters, paragraphs, lists, emphasis), and
every kind of file it refuses with a German reason, storing nothing.

The .docx files are built here with python-docx; the broken ones by hand with zipfile.
"""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from xml.sax.saxutils import escape

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mitmachen.core.markdown import render_markdown
from mitmachen.drafts import importer
from mitmachen.drafts.importer import parse_docx, parse_markdown
from mitmachen.drafts.models import Draft

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def body(xml: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<w:document xmlns:w="{W}"><w:body>{xml}</w:body></w:document>'
    )


def paragraph_xml(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def hand_made(
    parts: dict[str, bytes | str] | None = None, *, main: str = DOCX_MAIN, document: bool = True
) -> bytes:
    """A minimal .docx built with zipfile, with ``parts`` added or replaced."""
    files: dict[str, bytes | str] = {
        "[Content_Types].xml": CONTENT_TYPES.format(main=main),
        "_rels/.rels": RELS,
    }
    if document:
        files["word/document.xml"] = body(paragraph_xml("Ein Absatz."))
    files.update(parts or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def word(build) -> bytes:
    """A .docx made by python-docx; ``build(document)`` writes its content."""
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def chapters_of(data: bytes) -> list[tuple[str, list[str]]]:
    parsed = parse_markdown(parse_docx(data).markdown)
    return [(chapter.title, chapter.paragraphs) for chapter in parsed.chapters]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def shown_text(markdown: str) -> str:
    """What a reader sees of the rendered Markdown, whitespace collapsed."""
    parser = _Text()
    parser.feed(str(render_markdown(markdown)))
    return " ".join("".join(parser.parts).split())


# --- what a Word document becomes ----------------------------------------------------


def test_headings_lists_emphasis_tables_and_links_are_kept():
    def build(d):
        d.add_paragraph("Einleitung vor der ersten Überschrift.")
        d.add_heading("Leitlinien", 1)
        p = d.add_paragraph("Bad Belzig soll ")
        p.add_run("lebendig").bold = True
        p.add_run(" und ")
        p.add_run("grün ").italic = True
        p.add_run("sein.")
        d.add_paragraph("Marktplatz", style="List Bullet")
        d.add_paragraph("Bahnhof", style="List Bullet")
        d.add_heading("Vitale Innenstadt", 2)
        d.add_heading("Unterpunkt", 3)
        d.add_paragraph("Erstens", style="List Number")
        d.add_paragraph("Zweitens", style="List Number")
        table = d.add_table(rows=2, cols=2)
        for (row, col), text in {
            (0, 0): "Ziel",
            (0, 1): "Jahr",
            (1, 0): "Radweg",
            (1, 1): "2030",
        }.items():
            table.cell(row, col).text = text
        p = d.add_paragraph("Zeile eins")
        p.add_run().add_break()
        p.add_run("Zeile zwei")

    assert chapters_of(word(build)) == [
        ("Vorbemerkung", ["Einleitung vor der ersten Überschrift."]),
        (
            "Leitlinien",
            ["Bad Belzig soll **lebendig** und *grün* sein.", "- Marktplatz\n- Bahnhof"],
        ),
        (
            "Vitale Innenstadt",
            [
                "**Unterpunkt**",
                "1. Erstens\n2. Zweitens",
                "| Ziel | Jahr |\n| --- | --- |\n| Radweg | 2030 |",
                "Zeile eins\nZeile zwei",
            ],
        ),
    ]


def test_a_link_is_kept_and_a_javascript_link_becomes_text():
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/hyperlink" Target="https://www.bad-belzig.de/insek (neu)" '
        'TargetMode="External"/>'
        '<Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/hyperlink" Target="javascript:alert(1)" TargetMode="External"/>'
        "</Relationships>"
    )
    r = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    xml = (
        f'<w:p {r}><w:r><w:t xml:space="preserve">Mehr </w:t></w:r>'
        f'<w:hyperlink r:id="rId5"><w:r><w:t>im INSEK</w:t></w:r></w:hyperlink>'
        f'<w:r><w:t xml:space="preserve"> und </w:t></w:r>'
        f'<w:hyperlink r:id="rId6"><w:r><w:t>hier</w:t></w:r></w:hyperlink></w:p>'
    )
    data = hand_made({"word/document.xml": body(xml), "word/_rels/document.xml.rels": rels})
    markdown = parse_docx(data).markdown
    assert markdown == "Mehr [im INSEK](https://www.bad-belzig.de/insek%20%28neu%29) und hier\n"
    rendered = str(render_markdown(markdown))
    assert 'href="https://www.bad-belzig.de/insek%20%28neu%29"' in rendered
    assert "javascript" not in rendered


def test_review_comments_and_images_are_left_out():
    def build(d):
        p = d.add_paragraph("Der Marktplatz wird zum Treffpunkt.")
        d.add_comment(p.runs, text="Intern: noch mit dem Bauamt klären", author="Amt")

    parsed = parse_docx(word(build))
    assert parsed.markdown == "Der Marktplatz wird zum Treffpunkt.\n"
    assert "Bauamt" not in parsed.markdown


def test_html_and_markdown_typed_in_word_stay_text():
    text = "<script>alert(1)</script> # 1. *nicht fett* [x](javascript:y) &amp; | a_b_c \\"
    data = word(lambda d: d.add_paragraph(text))
    markdown = parse_docx(data).markdown
    rendered = str(render_markdown(markdown))
    assert "<script" not in rendered and "<em>" not in rendered and "<a" not in rendered
    assert shown_text(markdown) == text


def test_lines_that_would_start_markdown_blocks_stay_text():
    lines = [
        "# kein Kapitel",
        "- keine Liste",
        "3. keine Nummer",
        "> kein Zitat",
        "~~~",
        "===",
        "---",
        "+ plus",
    ]

    def build(d):
        p = d.add_paragraph(lines[0])
        for line in lines[1:]:
            p.add_run().add_break()
            p.add_run(line)

    chapters = chapters_of(word(build))
    assert len(chapters) == 1 and len(chapters[0][1]) == 1
    rendered = str(render_markdown(chapters[0][1][0]))
    assert re.findall(r"<(\w+)", rendered) == ["p"]
    assert shown_text(chapters[0][1][0]) == " ".join(lines)


BLOCKS = st.lists(
    st.tuples(
        st.sampled_from(["Heading 1", "Heading 2", "Heading 3", "Normal", "List Bullet"]),
        st.text(alphabet="aäöüßAZ 09.,-*_#[]<>&|!", min_size=1, max_size=20).filter(
            lambda s: any(c.isalnum() for c in s)
        ),
    ),
    min_size=1,
    max_size=12,
)


def expected_outline(blocks: list[tuple[str, str]]) -> list[tuple[str, int]]:
    """Heading 1 and 2 open a chapter; everything else is a block of the current one
    (consecutive list items are one block); chapters without a block are left out."""
    chapters: list[list] = []
    previous = None
    for style, text in blocks:
        if style in ("Heading 1", "Heading 2"):
            chapters.append([" ".join(text.split()), 0])
            previous = style
            continue
        if not chapters:
            chapters.append(["Vorbemerkung", 0])
        if not (style == "List Bullet" and previous == "List Bullet"):
            chapters[-1][1] += 1
        previous = style
    return [(title, count) for title, count in chapters if count]


STYLE_IDS = {"Heading 1": "Heading1", "Heading 2": "Heading2", "Heading 3": "Heading3"}
NUMBERING = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{W}">'
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>'
    '<w:lvlText w:val="•"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
)
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/numbering" Target="numbering.xml"/></Relationships>'
)


def quick_word(blocks: list[tuple[str, str]]) -> bytes:
    """The blocks as a small hand-made .docx (python-docx's template carries 800 KB of
    styles that mammoth parses every time; the hypothesis test builds hundreds)."""
    xml = []
    for style, text in blocks:
        if style == "List Bullet":
            props = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
        else:
            props = f'<w:pStyle w:val="{STYLE_IDS[style]}"/>' if style in STYLE_IDS else ""
        xml.append(
            f'<w:p><w:pPr>{props}</w:pPr><w:r><w:t xml:space="preserve">{escape(text)}'
            "</w:t></w:r></w:p>"
        )
    return hand_made(
        {
            "word/document.xml": body("".join(xml)),
            "word/numbering.xml": NUMBERING,
            "word/_rels/document.xml.rels": DOCUMENT_RELS,
        }
    )


def test_the_quick_documents_read_like_word_documents():
    """The hand-made files of the hypothesis test below read as python-docx's do."""
    blocks = [
        ("Normal", "Vorab."),
        ("Heading 1", "Leitlinien"),
        ("Heading 3", "Klein"),
        ("List Bullet", "Eins"),
        ("List Bullet", "Zwei"),
        ("Heading 2", "C#"),
        ("Normal", "Text"),
    ]

    def build(d):
        for style, text in blocks:
            d.add_paragraph(text, style=style)

    assert parse_docx(quick_word(blocks)).markdown == parse_docx(word(build)).markdown
    assert chapters_of(quick_word(blocks)) == [
        ("Vorbemerkung", ["Vorab."]),
        ("Leitlinien", ["**Klein**", "- Eins\n- Zwei"]),
        ("C#", ["Text"]),
    ]


@example(blocks=[("Heading 1", "Kapitel"), ("Heading 3", "&#0")])  # found by hypothesis
@example(blocks=[("Heading 1", "Kapitel"), ("Normal", "A &amp B &copy C &#169; D")])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BLOCKS)
def test_heading_1_and_2_become_chapters_and_the_rest_their_paragraphs(blocks):
    """Hypothesis: for any sequence of headings, paragraphs and list items, the chapters
    are the Heading 1/2 titles in order, and every other text is shown as typed."""
    data = quick_word(blocks)
    if not expected_outline(blocks):
        with pytest.raises(ValidationError):
            chapters_of(data)
        return
    chapters = chapters_of(data)
    assert [(title, len(paragraphs)) for title, paragraphs in chapters] == expected_outline(blocks)
    shown = " ".join(shown_text(p) for _title, paragraphs in chapters for p in paragraphs)
    assert shown == " ".join(
        " ".join(text.split()) for style, text in blocks if style not in ("Heading 1", "Heading 2")
    )


# --- what is refused -----------------------------------------------------------------


def bomb(size: int = 50 * 1024 * 1024) -> bytes:
    """A .docx whose document.xml unpacks from about 50 KB to ``size`` bytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=DOCX_MAIN))
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w") as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                part.write(chunk)
    return buffer.getvalue()


def encrypted_entry() -> bytes:
    """A zip whose directory marks document.xml as encrypted (traditional PKWARE)."""
    data = bytearray(hand_made())
    central = data.find(b"PK\x01\x02")
    while central != -1:
        data[central + 8] |= 0x1  # general purpose flag, bit 0: encrypted
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def lying_about_its_size() -> bytes:
    """document.xml declares fewer bytes than it unpacks to: unpacking stops at the
    declared size, and the checksum fails."""
    long_text = body(paragraph_xml("Lang " * 20_000))
    data = bytearray(hand_made({"word/document.xml": long_text}))
    name = b"word/document.xml"
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.find(signature)
        while start != -1:
            name_offset = 30 if signature == b"PK\x03\x04" else 46
            if data[start + name_offset : start + name_offset + len(name)] == name:
                data[start + size_offset : start + size_offset + 4] = (1000).to_bytes(4, "little")
            start = data.find(signature, start + 4)
    return bytes(data)


REFUSED = {
    "text renamed": (b"# Nur Markdown\n\nText", "keine Word-Datei"),
    "pdf renamed": (b"%PDF-1.7\n...", "keine Word-Datei"),
    "truncated zip": (b"PK\x03\x04" + b"\0" * 40, "keine Word-Datei"),
    "zip without document.xml": (hand_made(document=False), "keine Word-Datei"),
    "spreadsheet renamed": (
        hand_made(
            {"xl/workbook.xml": "<workbook/>"},
            main="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        ),
        "keine Word-Datei",
    ),
    "docm content type": (hand_made(main=DOCM_MAIN), "Makros"),
    "vbaProject.bin": (hand_made({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}), "Makros"),
    "old .doc": (importer.OLE_MAGIC + b"\0" * 512, "alten Word-Format"),
    "password protected": (
        importer.OLE_MAGIC + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le"),
        "Kennwort",
    ),
    "encrypted zip entry": (encrypted_entry(), "Kennwort"),
    "entity expansion": (
        hand_made(
            {
                "word/document.xml": body(
                    paragraph_xml("&lol9;"),
                    prolog='<!DOCTYPE w:document [<!ENTITY lol "lol"><!ENTITY lol9 "&lol;&lol;">]>',
                )
            }
        ),
        "keine Word-Datei",
    ),
    "size lie": (lying_about_its_size(), "beschädigt"),
    "broken xml": (hand_made({"word/document.xml": "<w:document><w:body>"}), "beschädigt"),
    "empty document": (hand_made({"word/document.xml": body("<w:p/>")}), "keinen Text"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_bad_files_are_refused_with_a_reason(case):
    data, reason = REFUSED[case]
    with pytest.raises(ValidationError, match=reason):
        parse_docx(data)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch):
    data = bomb()
    assert len(data) < 200_000  # 50 MB of zeros pack to about 50 KB
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *args, **kw: opened.append(args))
    with pytest.raises(ValidationError, match="entpackt zu groß"):
        parse_docx(data)
    assert not opened  # the directory alone decided


def test_the_sum_of_the_parts_is_limited_too(monkeypatch):
    """Parts that pack normally but together unpack to more than the limit."""
    import os

    data = word(lambda d: d.add_paragraph("Text"))
    noise = os.urandom(300_000)  # does not pack: ratio 1
    data = hand_made({"word/media/a.bin": noise, "word/media/b.bin": noise})
    monkeypatch.setattr(importer, "MAX_DOCX_UNPACKED", 500_000)
    with pytest.raises(ValidationError, match="entpackt zu groß"):
        parse_docx(data)


def test_too_large_a_file_is_refused():
    with pytest.raises(ValidationError, match="zu groß"):
        parse_docx(b"PK\x03\x04" + b"\0" * importer.MAX_DOCX_BYTES)


# --- the import page -----------------------------------------------------------------


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def test_a_word_file_is_previewed_and_stored_once_confirmed(client, project, manager):
    def build(d):
        d.add_heading("Leitlinien", 1)
        d.add_paragraph("Bad Belzig wächst behutsam.")
        d.add_heading("Mobilität", 2)
        d.add_paragraph("Busse fahren stündlich.", style="List Bullet")

    draft = Draft.objects.create(project=project, title="Neu", slug="neu")
    url = reverse("drafts:import", args=[project.slug, draft.slug])
    client.force_login(manager)
    response = client.post(url, {"file": upload("Entwurf.docx", word(build))})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 Kapitel mit zusammen 2 Absätzen." in page
    assert not draft.paragraphs.exists()
    # The preview carries the Markdown on; confirming stores it.
    text = response.context["text"]
    assert text == (
        "# Leitlinien\n\nBad Belzig wächst behutsam.\n\n# Mobilität\n\n- Busse fahren stündlich.\n"
    )
    response = client.post(url, {"text": text, "bestaetigt": "ja"})
    assert response.status_code == 302
    stored = list(draft.paragraphs.order_by("number").values_list("chapter__title", "text"))
    assert stored == [
        ("Leitlinien", "Bad Belzig wächst behutsam."),
        ("Mobilität", "- Busse fahren stündlich."),
    ]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("Entwurf.docx", b"kein zip", "keine Word-Datei"),
        ("Entwurf.docm", hand_made(main=DOCM_MAIN), "Makros"),
        ("Entwurf.docx", hand_made(main=DOCM_MAIN), "Makros"),
        ("Entwurf.doc", importer.OLE_MAGIC, "alten Word-Format"),
        ("Entwurf.docx", hand_made({"word/document.xml": body("")}), "keinen Text"),
    ],
)
def test_the_page_refuses_bad_word_files_and_stores_nothing(
    client, project, manager, name, data, reason
):
    draft = Draft.objects.create(project=project, title="Neu", slug="neu")
    client.force_login(manager)
    response = client.post(
        reverse("drafts:import", args=[project.slug, draft.slug]), {"file": upload(name, data)}
    )
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not draft.paragraphs.exists() and not draft.chapters.exists()


def test_the_page_refuses_a_zip_bomb(client, project, manager):
    draft = Draft.objects.create(project=project, title="Neu", slug="neu")
    client.force_login(manager)
    response = client.post(
        reverse("drafts:import", args=[project.slug, draft.slug]),
        {"file": upload("Entwurf.docx", bomb())},
    )
    assert response.status_code == 400 and "entpackt zu groß" in response.content.decode()
    assert not draft.paragraphs.exists()


def test_nested_lists_and_footnotes():
    numbering = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{W}">'
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/>'
        '</w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/numbering" Target="numbering.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/footnotes" Target="footnotes.xml"/></Relationships>'
    )
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W}">'
        '<w:footnote w:id="1"><w:p><w:r><w:t>Beschluss vom 4. März 2026.</w:t></w:r></w:p>'
        "</w:footnote></w:footnotes>"
    )

    def item(level: int, text: str) -> str:
        return (
            f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr>'
            f"</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
        )

    xml = (
        "<w:p><w:r><w:t>Das INSEK gilt bis 2035.</w:t></w:r>"
        '<w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
        + item(0, "Innenstadt")
        + item(1, "Marktplatz")
        + item(1, "Wochenmarkt")
        + item(0, "Mobilität")
    )
    data = hand_made(
        {
            "word/document.xml": body(xml),
            "word/numbering.xml": numbering,
            "word/footnotes.xml": footnotes,
            "word/_rels/document.xml.rels": rels,
        }
    )
    assert chapters_of(data) == [
        (
            "Vorbemerkung",
            [
                "Das INSEK gilt bis 2035.\\[1\\]",
                "1. Innenstadt\n    - Marktplatz\n    - Wochenmarkt\n2. Mobilität",
            ],
        ),
        ("Anmerkungen", ["1. Beschluss vom 4. März 2026."]),
    ]
    rendered = str(render_markdown(chapters_of(data)[0][1][1]))
    assert "<ol>\n<li>Innenstadt<ul>" in rendered.replace("\n<ul>", "<ul>")


def test_a_new_version_can_come_from_word_too(client, project, manager):
    from mitmachen.drafts.tests.conftest import make_draft

    draft = make_draft(project, manager)  # "Leitbild" (2 paragraphs), "Mobilität" (1)

    def build(d):
        d.add_heading("Leitbild", 1)
        d.add_paragraph("Die Region will bis 2040 klimaneutral sein.")
        d.add_paragraph("Klimaschutz soll sich lohnen.")
        d.add_heading("Mobilität", 1)
        d.add_paragraph("Jedes Dorf soll im Stundentakt erreichbar sein.")

    client.force_login(manager)
    url = reverse("drafts:version_new", args=[project.slug, draft.slug])
    response = client.post(url, {"file": upload("Fassung 2.docx", word(build))})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview["paragraphs"] == 3
    assert preview["counts"] == {"unchanged": 2, "changed": 1, "moved": 0, "added": 0}
    assert draft.versions.count() == 1  # nothing published before the confirmation
