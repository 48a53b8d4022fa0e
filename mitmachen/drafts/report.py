"""The Abwägungstabelle: every contribution to a draft with the administration's weighing.

German councils receive this table with a plan: per paragraph, each contribution (its
text, channel and date, and who made it – by name only where the person agreed,
otherwise "Bürgerin/Bürger aus <Ortsteil>") and how many support it, the paragraph's
votes, and the weighing with its reason. Contributions are the suggested wordings and
the comments on the paragraph (replies too, except those of the municipality's staff: they
are the administration answering); a comment's author is named where they ticked the
consent when writing it (``Comment.name_in_report``, asked through the paragraph's
comment-target registration), like a suggestion's. One selector builds the rows (five
queries whatever the size; four without comments); the page, the XLSX file and the PDF
are three renderings of the same rows.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from mitmachen.comments.models import Comment
from mitmachen.core.channels import Channel
from mitmachen.core.csv_export import xlsx_cell
from mitmachen.drafts import diff
from mitmachen.drafts.models import CommentWeighing, Draft, Paragraph, Suggestion
from mitmachen.drafts.services import staff_authors


@dataclass
class Contribution:
    suggestion: Suggestion
    who: str
    channel: str
    date: datetime
    # The suggested wording as a word difference to the text it was made on.
    pieces: list[diff.Piece]


@dataclass
class CommentContribution:
    comment: Comment
    who: str
    channel: str
    date: datetime
    weighing: CommentWeighing | None

    @property
    def kind(self) -> str:
        if self.comment.parent_id is not None:
            return _("Antwort auf einen Kommentar")
        return _("Kommentar")


@dataclass
class Row:
    paragraph: Paragraph
    contributions: list[Contribution] = field(default_factory=list)
    comments: list[CommentContribution] = field(default_factory=list)


def comment_who(comment: Comment) -> str:
    """How the table names the person behind a comment: by name only with their consent."""
    if comment.channel != Channel.ONLINE:
        return _("ein Beitrag aus: %(channel)s") % {"channel": comment.get_channel_display()}
    author = comment.author
    if author is None:
        return _("gelöschtes Konto")
    if comment.name_in_report:
        return author.public_name
    if author.home_district is not None:
        return _("Bürgerin/Bürger aus %(district)s") % {"district": author.home_district.name}
    return _("Bürgerin/Bürger")


def who(suggestion: Suggestion) -> str:
    """How the table names the person behind a contribution."""
    if suggestion.channel != Channel.ONLINE:
        return _("ein Beitrag aus: %(channel)s") % {"channel": suggestion.get_channel_display()}
    author = suggestion.author
    if author is None:
        return _("gelöschtes Konto")
    if suggestion.name_in_report:
        return author.public_name
    if author.home_district is not None:
        return _("Bürgerin/Bürger aus %(district)s") % {"district": author.home_district.name}
    return _("Bürgerin/Bürger")


def rows(draft: Draft) -> list[Row]:
    """Every paragraph of the current version with its visible contributions, in the
    order of the text; before them, the paragraphs of older versions that received
    contributions (version by version)."""
    table = []
    by_paragraph: dict[int, Row] = {}
    paragraphs = Paragraph.objects.filter(
        Q(version=draft.version) | Q(suggestion_count__gt=0) | Q(comment_count__gt=0),
        draft=draft,
    ).select_related("chapter")
    for paragraph in paragraphs:
        paragraph.draft = draft
        by_paragraph[paragraph.pk] = row = Row(paragraph)
        table.append(row)
    suggestions = (
        Suggestion.objects.filter(paragraph__draft=draft, hidden_at__isnull=True)
        .select_related("author__home_district")
        .order_by("created_at", "pk")
    )
    for suggestion in suggestions:
        by_paragraph[suggestion.paragraph_id].contributions.append(
            Contribution(
                suggestion,
                who(suggestion),
                suggestion.get_channel_display(),
                timezone.localtime(suggestion.created_at),
                diff.word_diff(suggestion.base_text, suggestion.text),
            )
        )
    _add_comments(draft, by_paragraph)
    table.sort(key=lambda row: (row.paragraph.version, row.paragraph.number))
    return table


def _add_comments(draft: Draft, by_paragraph: dict[int, Row]) -> None:
    """The visible comments of the draft's paragraphs that are contributions, each thread
    in order (the comment, then its replies), with their weighing (three queries)."""
    comments = list(
        Comment.objects.filter(
            paragraph__draft=draft, deleted_at__isnull=True, hidden_at__isnull=True
        )
        .select_related("author__home_district")
        .order_by("created_at", "pk")
    )
    staff = staff_authors(draft.project.organisation_id, {c.author_id for c in comments})
    weighings = {
        row.comment_id: row
        for row in CommentWeighing.objects.filter(comment__paragraph__draft=draft)
    }
    started = {c.pk: (c.created_at, c.pk) for c in comments if c.parent_id is None}
    comments.sort(
        key=lambda c: (
            started.get(c.parent_id or c.pk, (c.created_at, c.pk)),
            c.parent_id is not None,
            c.created_at,
            c.pk,
        )
    )
    for comment in comments:
        row = by_paragraph.get(comment.paragraph_id or 0)
        if row is None or (comment.author_id is not None and comment.author_id in staff):
            continue
        row.comments.append(
            CommentContribution(
                comment,
                comment_who(comment),
                comment.get_channel_display(),
                timezone.localtime(comment.created_at),
                weighings.get(comment.pk),
            )
        )


HEADER = (
    "Absatz",
    "Kapitel",
    "Text des Absatzes",
    "Zustimmungen",
    "Ablehnungen",
    "Beitrag",
    "Begründung des Beitrags",
    "Von",
    "Kanal",
    "Datum",
    "Abwägung",
    "Begründung der Abwägung",
    "Fassung",
    "Unterstützungen",
    "Art des Beitrags",
)


def xlsx(draft: Draft, table: list[Row]) -> bytes:
    """The table as an XLSX file: one line per contribution (a paragraph without any
    contribution gets a line of its own), cells defused against formulas."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Abwägungstabelle"
    sheet.append([xlsx_cell(draft.title)])
    sheet.append(
        [xlsx_cell(_("Stand: %(date)s") % {"date": timezone.localdate().strftime("%d.%m.%Y")})]
    )
    sheet.append([])
    sheet.append(list(HEADER))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in table:
        p = row.paragraph
        base = [p.number, p.chapter.title, p.text, p.agree_count, p.disagree_count]
        if not row.contributions and not row.comments:
            sheet.append([xlsx_cell(v) for v in base] + [""] * 7 + [p.version, "", ""])
        for c in row.contributions:
            s = c.suggestion
            sheet.append(
                [xlsx_cell(v) for v in base]
                + [
                    xlsx_cell(s.text),
                    xlsx_cell(s.reason),
                    xlsx_cell(c.who),
                    xlsx_cell(c.channel),
                    c.date.replace(tzinfo=None),
                    xlsx_cell(s.get_weighing_display() or _("noch nicht abgewogen")),
                    xlsx_cell(s.weighing_reason),
                    p.version,
                    s.support_count,
                    _("Änderungsvorschlag"),
                ]
            )
        for comment in row.comments:
            weighing = comment.weighing
            sheet.append(
                [xlsx_cell(v) for v in base]
                + [
                    xlsx_cell(comment.comment.text),
                    "",
                    xlsx_cell(comment.who),
                    xlsx_cell(comment.channel),
                    comment.date.replace(tzinfo=None),
                    xlsx_cell(
                        weighing.get_weighing_display() if weighing else _("noch nicht abgewogen")
                    ),
                    xlsx_cell(weighing.reason if weighing else ""),
                    p.version,
                    "",
                    xlsx_cell(comment.kind),
                ]
            )
    for letter, width in zip(
        "ABCDEFGHIJKLMNO",
        (8, 20, 50, 12, 12, 50, 40, 24, 14, 18, 20, 50, 9, 14, 22),
        strict=True,
    ):
        sheet.column_dimensions[letter].width = width
    for line in sheet.iter_rows(min_row=5):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        line[9].number_format = "DD.MM.YYYY HH:MM"
    sheet.freeze_panes = "A5"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    """The PDF is made from our own HTML only: nothing is fetched, from anywhere."""
    raise ValueError(f"The Abwägungstabelle fetches nothing ({url}).")


def _page_references(pdf: Any) -> tuple[bytes, ...]:
    """``pydyf.PDF.page_references``, kept until a page is added.

    pydyf 0.13 builds the tuple of every page's reference anew on each access, and
    WeasyPrint's tagging (PDF/UA) asks for it once per tagged box: for the table of a
    300-paragraph draft with 5,000 comments (about 100,000 boxes on 600 pages) that was
    60 million strings and a fifth of the time. Pages are only ever appended to
    ``Kids``, so its length tells whether the kept tuple is still whole.
    """
    kids = pdf.pages["Kids"]
    kept = pdf.__dict__.get("_mitmachen_page_references")
    if kept is None or kept[0] != len(kids):
        kept = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_mitmachen_page_references"] = kept
    return kept[1]


def _keep_page_references() -> None:
    import pydyf  # type: ignore[import-untyped]

    if pydyf.PDF.page_references.fget is not _page_references:
        pydyf.PDF.page_references = property(_page_references)


def pdf(
    draft: Draft, table: list[Row], laid_out: Callable[[], None] | None = None
) -> tuple[bytes, int]:
    """The table as a tagged PDF (PDF/UA) with a title and a real text layer, A4 landscape,
    and its number of pages. ``laid_out`` is called between the two long steps (laying
    out the pages, then writing the tagged PDF), for the progress shown to staff."""
    from weasyprint import HTML  # imported here: it loads Pango, which only this needs

    _keep_page_references()

    html = render_to_string(
        "drafts/weighing_table_print.html",
        {"draft": draft, "project": draft.project, "table": table, "today": timezone.localdate()},
    )
    # HTML.write_pdf() is render() and then Document.write_pdf() with the same options.
    document = HTML(string=html, url_fetcher=_no_fetch).render(pdf_variant="pdf/ua-1")
    if laid_out is not None:
        laid_out()
    result = document.write_pdf(pdf_variant="pdf/ua-1")
    assert result is not None
    return result, len(document.pages)
