import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from mitmachen.core.documents import validate_pdf

SCRIPT = "app.alert('boese')"
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def js_action(code=SCRIPT):
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(code),
        }
    )


def active_pdf():
    """A valid two-page PDF full of active content, with an HTML page appended."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_blank_page(width=200, height=200)
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(js_action())
    writer._root_object[NameObject("/AA")] = DictionaryObject(
        {NameObject("/WC"): js_action("app.alert('zu')")}
    )
    writer.add_attachment("seite.html", HTML)  # /Names /EmbeddedFiles
    writer._root_object["/Names"].get_object()[NameObject("/JavaScript")] = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("start"), js_action()])}
    )
    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): js_action("app.alert('O')")})
    writer.add_annotation(0, Link(rect=(10, 10, 50, 50), url="https://example.org/plan"))
    writer.add_annotation(0, Link(rect=(60, 10, 90, 50), url="javascript:alert(1)"))
    launch = Link(rect=(100, 10, 150, 50), url="https://example.org/")
    launch[NameObject("/A")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
        }
    )
    writer.add_annotation(1, launch)
    attachment = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): ArrayObject([]),
        }
    )
    writer.add_annotation(1, attachment)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue() + HTML


def test_the_test_pdf_really_is_active():
    data = active_pdf()
    for needle in (b"/OpenAction", b"/JavaScript", b"/Launch", b"/EmbeddedFiles", b"<script>"):
        assert needle in data
    assert len(PdfReader(io.BytesIO(data)).pages) == 2


def test_scripts_embedded_files_and_appended_bytes_are_removed():
    content, pages = validate_pdf(SimpleUploadedFile("plan.pdf", active_pdf()))
    stored = content.read()
    assert pages == 2
    for needle in (
        b"/OpenAction",
        b"/AA",
        b"/JavaScript",
        b"/JS",
        b"app.alert",
        b"/Launch",
        b"cmd.exe",
        b"/EmbeddedFile",
        b"/FileAttachment",
        b"seite.html",
        b"<script",
        b"<html",
        b"javascript:",
    ):
        assert needle not in stored, needle
    assert stored.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(stored))
    assert len(reader.pages) == 2
    # An ordinary web link stays usable.
    links = [a.get_object().get("/A", {}).get("/URI") for a in reader.pages[0]["/Annots"]]
    assert "https://example.org/plan" in links


def test_a_plain_pdf_stays_a_pdf_with_its_pages():
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=300, height=400)
    buffer = io.BytesIO()
    writer.write(buffer)
    content, pages = validate_pdf(SimpleUploadedFile("a.pdf", buffer.getvalue()))
    assert pages == 3
    assert len(PdfReader(io.BytesIO(content.read())).pages) == 3


@pytest.mark.parametrize("data", [b"%PDF-1.7\n" + HTML, HTML + b"%PDF-1.4"])
def test_html_dressed_as_pdf_is_refused(data):
    with pytest.raises(ValidationError):
        validate_pdf(SimpleUploadedFile("x.pdf", data))
