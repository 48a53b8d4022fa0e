"""Draft texts (Textentwürfe) read and answered paragraph by paragraph.

A ``Draft`` of a project (the INSEK 2035+, a climate agenda) has chapters, and each
chapter numbered paragraphs of Markdown. Every paragraph keeps a stable ``key``: its
permalink (``#absatz-<key>``) and its identity when the text is re-imported.
Residents agree or disagree with a paragraph (one ``ParagraphVote`` per person and
paragraph, a database constraint) and suggest a wording (``Suggestion``), which others
support (one ``SuggestionSupport`` per person, a database constraint); staff weigh each
suggestion publicly (the German planning practice of the Abwägung).

A draft has numbered versions (Fassungen). Chapters and paragraphs belong to one
version (``version``, the number); ``Draft.version`` is the current one, which readers
see and answer. A paragraph keeps its ``key`` from version to version as long as
``drafts.versions.match`` finds it again in the new text, so votes and suggestions stay
attached to the version they were made on ("zu Fassung 1") while the permalink leads to
the paragraph's newest text.

Residents also comment on a paragraph with the comments app (``Comment.paragraph``, a
registered comment target: ``drafts.comment_target``); the comments stay with the
paragraph row of the version they were made on.

The counters on ``Paragraph`` (agree, disagree, visible suggestions, visible comments)
are kept in the same transaction as the rows they count (``F()`` updates in
``drafts.services`` and ``drafts.comment_target``), so the reading page shows them
without counting.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mitmachen.accounts.models import public_name
from mitmachen.comments.models import Comment
from mitmachen.core import background_files
from mitmachen.core.background_files import BackgroundFile, FileState
from mitmachen.core.channels import Channel
from mitmachen.core.models import ModeratedModel, TimeStampedModel
from mitmachen.core.uploads import RandomName
from mitmachen.projects.models import Project

# The phase action that lets residents respond to a draft (declared in ``drafts.module``).
COMMENT_TEXT = "comment_text"
# The kinds of notification drafts sends (declared in ``drafts.module``).
SUGGESTION_WEIGHED = "suggestion_weighed"
COMMENT_WEIGHED = "comment_weighed"

PARAGRAPH_MAX_LENGTH = 20_000
SUGGESTION_MAX_LENGTH = 20_000
REASON_MAX_LENGTH = 2_000
TITLE_MAX_LENGTH = 200
VERSION_NOTE_MAX_LENGTH = 2_000


def new_key() -> str:
    """A short random identity for a paragraph (its permalink)."""
    return secrets.token_hex(4)


class Draft(TimeStampedModel):
    """A text of a project that residents read and answer paragraph by paragraph.

    Staff prepare it unpublished (``is_public`` False: only staff see it) and publish it
    when the phase starts. Residents respond while the project's current phase allows
    ``COMMENT_TEXT``.
    """

    project = models.ForeignKey(
        Project,
        verbose_name=_("Beteiligungsprozess"),
        on_delete=models.CASCADE,
        related_name="drafts",
    )
    title = models.CharField(_("Titel"), max_length=TITLE_MAX_LENGTH)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=80)
    intro = models.TextField(
        _("Einleitung"),
        blank=True,
        max_length=5000,
        validators=[MaxLengthValidator(5000)],
        help_text=_("Markdown. Steht über dem Inhaltsverzeichnis."),
    )
    is_public = models.BooleanField(
        _("veröffentlicht"),
        default=False,
        help_text=_("Unveröffentlichte Entwürfe sehen nur die Mitarbeitenden."),
    )
    version = models.PositiveIntegerField(_("aktuelle Fassung"), default=1, editable=False)

    class Meta:
        verbose_name = _("Textentwurf")
        verbose_name_plural = _("Textentwürfe")
        ordering = ["project", "title"]
        constraints = [
            models.UniqueConstraint(fields=["project", "slug"], name="draft_slug_per_project")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("drafts:detail", args=[self.project.slug, self.slug])


class Version(TimeStampedModel):
    """A published version (Fassung) of a draft: its number, when, and what changed.

    The chapters and paragraphs of version ``number`` carry ``version=number``.
    """

    draft = models.ForeignKey(
        Draft, verbose_name=_("Textentwurf"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("Fassung"))
    note = models.TextField(
        _("Was sich geändert hat"),
        blank=True,
        max_length=VERSION_NOTE_MAX_LENGTH,
        validators=[MaxLengthValidator(VERSION_NOTE_MAX_LENGTH)],
    )

    class Meta:
        verbose_name = _("Fassung")
        verbose_name_plural = _("Fassungen")
        ordering = ["draft", "number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="version_number_per_draft")
        ]

    def __str__(self) -> str:
        return f"{self.draft} – " + str(_("Fassung %(n)d") % {"n": self.number})


class Chapter(models.Model):
    """A chapter of a draft: a heading and the paragraphs under it, in order."""

    draft = models.ForeignKey(
        Draft, verbose_name=_("Textentwurf"), on_delete=models.CASCADE, related_name="chapters"
    )
    version = models.PositiveIntegerField(_("Fassung"), default=1, editable=False)
    position = models.PositiveIntegerField(_("Position"))
    title = models.CharField(_("Überschrift"), max_length=TITLE_MAX_LENGTH)

    class Meta:
        verbose_name = _("Kapitel")
        verbose_name_plural = _("Kapitel")
        ordering = ["draft", "version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "version", "position"], name="chapter_position_per_version"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def anchor(self) -> str:
        return f"kapitel-{self.position}"


class Paragraph(models.Model):
    """One paragraph of a draft, numbered through the whole text (``number``).

    ``key`` is its stable identity and permalink; ``draft`` is denormalised from the
    chapter for the reading page's single query and the counters' project.
    """

    draft = models.ForeignKey(
        Draft, verbose_name=_("Textentwurf"), on_delete=models.CASCADE, related_name="paragraphs"
    )
    chapter = models.ForeignKey(
        Chapter, verbose_name=_("Kapitel"), on_delete=models.CASCADE, related_name="paragraphs"
    )
    version = models.PositiveIntegerField(_("Fassung"), default=1, editable=False)
    number = models.PositiveIntegerField(_("Nummer"))
    key = models.CharField(_("Kennung"), max_length=16, default=new_key, editable=False)
    text = models.TextField(
        _("Text"),
        max_length=PARAGRAPH_MAX_LENGTH,
        validators=[MaxLengthValidator(PARAGRAPH_MAX_LENGTH)],
        help_text=_("Markdown."),
    )
    agree_count = models.PositiveIntegerField(_("Zustimmungen"), default=0, editable=False)
    disagree_count = models.PositiveIntegerField(_("Ablehnungen"), default=0, editable=False)
    suggestion_count = models.PositiveIntegerField(
        _("Änderungsvorschläge"), default=0, editable=False
    )
    # Visible comments (the comments app, replies included), kept by
    # ``drafts.comment_target.shift_comment_counts`` in the comment's transaction.
    comment_count = models.PositiveIntegerField(_("Kommentare"), default=0, editable=False)

    class Meta:
        verbose_name = _("Absatz")
        verbose_name_plural = _("Absätze")
        ordering = ["draft", "version", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "version", "number"], name="paragraph_number_per_version"
            ),
            models.UniqueConstraint(
                fields=["draft", "version", "key"], name="paragraph_key_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draft} § {self.number}"

    def get_absolute_url(self) -> str:
        """The permalink; a paragraph of an older version adds ``?fassung=<n>``."""
        url = reverse("drafts:paragraph", args=[self.draft.project.slug, self.draft.slug, self.key])
        if self.version != self.draft.version:
            url += f"?fassung={self.version}"
        return url

    @property
    def anchor(self) -> str:
        return f"absatz-{self.key}"

    # What the comments app reads of a comment target (``comments.targets.Commentable``).
    @property
    def project_id(self) -> int:
        return self.draft.project_id

    @property
    def project(self) -> Project:
        return self.draft.project


class Vote(models.IntegerChoices):
    AGREE = 1, _("Zustimmung")
    DISAGREE = -1, _("Ablehnung")


class ParagraphVote(TimeStampedModel):
    """A person agrees (+1) or disagrees (-1) with a paragraph: at most once (database
    constraint), changeable while the phase runs."""

    paragraph = models.ForeignKey(
        Paragraph, verbose_name=_("Absatz"), on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="paragraph_votes",
    )
    value = models.SmallIntegerField(_("Bewertung"), choices=Vote.choices)

    class Meta:
        verbose_name = _("Bewertung eines Absatzes")
        verbose_name_plural = _("Bewertungen von Absätzen")
        constraints = [
            models.UniqueConstraint(fields=["paragraph", "user"], name="one_vote_per_paragraph"),
            models.CheckConstraint(
                condition=Q(value__in=[1, -1]), name="paragraph_vote_agree_or_disagree"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paragraph}: {self.get_value_display()}"


class Weighing(models.TextChoices):
    """The administration's weighing (Abwägung) of a contribution."""

    ADOPTED = "adopted", _("übernommen")
    PARTLY = "partly", _("teilweise übernommen")
    REJECTED = "rejected", _("nicht übernommen")
    NOTED = "noted", _("zur Kenntnis genommen")


class Suggestion(ModeratedModel, TimeStampedModel):
    """A suggested wording (Änderungsvorschlag) for a paragraph, with its reason.

    Shown as a word-level difference to the paragraph's text. Entered online by the
    author, or by staff from a workshop or a letter (``channel``, ``entered_by``). Staff
    weigh it (``weighing`` with a public ``weighing_reason``); the author is told.
    """

    paragraph = models.ForeignKey(
        Paragraph,
        verbose_name=_("Absatz"),
        on_delete=models.CASCADE,
        related_name="suggestions",
    )
    project = models.ForeignKey(
        Project, verbose_name=_("Beteiligungsprozess"), on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Verfasst von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="draft_suggestions",
    )
    channel = models.CharField(
        _("Kanal"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(
        _("Vorgeschlagene Fassung"),
        max_length=SUGGESTION_MAX_LENGTH,
        validators=[MaxLengthValidator(SUGGESTION_MAX_LENGTH)],
    )
    reason = models.TextField(
        _("Begründung"),
        blank=True,
        max_length=REASON_MAX_LENGTH,
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
    )
    name_in_report = models.BooleanField(
        _("Name in der Abwägungstabelle"),
        default=False,
        help_text=_(
            "Die Person hat zugestimmt, dass ihr Name in der Abwägungstabelle für den "
            "Stadtrat steht; sonst steht dort „Bürgerin/Bürger aus <Ortsteil>“."
        ),
    )
    base_text = models.TextField(
        _("Fassung des Absatzes beim Vorschlag"),
        help_text=_("Der Text, auf den sich der Vorschlag bezieht (für den Vergleich)."),
    )
    weighing = models.CharField(_("Abwägung"), max_length=20, choices=Weighing.choices, blank=True)
    weighing_reason = models.TextField(
        _("Begründung der Abwägung"),
        blank=True,
        max_length=REASON_MAX_LENGTH,
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
    )
    weighed_at = models.DateTimeField(_("abgewogen am"), null=True, blank=True)
    weighed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("abgewogen von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    support_count = models.PositiveIntegerField(_("Unterstützungen"), default=0, editable=False)

    class Meta:
        verbose_name = _("Änderungsvorschlag")
        verbose_name_plural = _("Änderungsvorschläge")
        ordering = ["paragraph", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weighing="") | ~Q(weighing_reason=""),
                name="suggestion_weighing_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["paragraph", "hidden_at"])]

    def __str__(self) -> str:
        return f"{self.paragraph}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return f"{self.paragraph.get_absolute_url()}#vorschlag-{self.pk}"

    def public_author(self) -> str:
        """Who made it, as the pages say it: the name (or "gelöschtes Konto"), or the
        channel of a suggestion staff entered from a workshop or a letter."""
        if self.channel != Channel.ONLINE:
            return str(_("Beitrag aus: %(channel)s") % {"channel": self.get_channel_display()})
        return public_name(self.author)


class SuggestionSupport(TimeStampedModel):
    """A person supports someone else's suggested wording: at most once (database
    constraint); ``Suggestion.support_count`` moves with it."""

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("Änderungsvorschlag"),
        on_delete=models.CASCADE,
        related_name="supports",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="suggestion_supports",
    )

    class Meta:
        verbose_name = _("Unterstützung eines Änderungsvorschlags")
        verbose_name_plural = _("Unterstützungen von Änderungsvorschlägen")
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "user"], name="one_support_per_suggestion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.suggestion}: {self.user_id}"


class CommentWeighing(TimeStampedModel):
    """The administration's weighing of a comment on a paragraph (or a reply that is a
    contribution): one per comment (database constraint ``one_weighing_per_comment``),
    always with its public reason (``comment_weighing_has_reason``), as for suggestions.

    The comments app knows nothing of it: drafts stores it beside the comment, writes it
    through ``drafts.services.comment_weigh`` and shows it under the comment through the
    paragraph's comment-target registration (``drafts.comment_target``). A weighing of a
    hidden or deleted comment stays stored and is shown to staff only.
    """

    comment = models.ForeignKey(
        Comment,
        verbose_name=_("Kommentar"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    weighing = models.CharField(_("Abwägung"), max_length=20, choices=Weighing.choices)
    reason = models.TextField(
        _("Begründung der Abwägung"),
        max_length=REASON_MAX_LENGTH,
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
    )
    weighed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("abgewogen von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Abwägung eines Kommentars")
        verbose_name_plural = _("Abwägungen von Kommentaren")
        constraints = [
            models.UniqueConstraint(fields=["comment"], name="one_weighing_per_comment"),
            models.CheckConstraint(
                condition=Q(weighing__in=Weighing.values) & ~Q(reason=""),
                name="comment_weighing_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.comment_id}: {self.get_weighing_display()}"


# The states of a table's files: the core's (``core.background_files``).
TableState = FileState


class WeighingTableFile(BackgroundFile):
    """The Abwägungstabelle of a draft as files for the council: a PDF and an XLSX file,
    made in the background (``core.background_files``, ``drafts.table_services``,
    ``drafts.tasks``) from the data as it stood at ``data_as_of``, when the draft's
    current version was ``version``.

    One is in the making per draft at a time (database constraint
    ``one_weighing_table_in_the_making``: a second click finds the first). It names the
    member of staff who asked for it (``requested_by``: in their "Meine Daten", emptied
    when their account goes); the files name residents where they consented, as the
    table does, so a newer table replaces the older ones (``newest_only``) and a
    resident's account deletion deletes the tables that name them. The files have random
    names and are downloaded only through the permission-checked view.
    """

    subject_field = "draft"
    newest_only = True

    draft = models.ForeignKey(
        Draft,
        verbose_name=_("Textentwurf"),
        on_delete=models.CASCADE,
        related_name="table_files",
    )
    version = models.PositiveIntegerField(_("Fassung"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angefordert von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pdf = models.FileField(_("PDF"), upload_to=RandomName("weighing-tables/%Y/"), blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to=RandomName("weighing-tables/%Y/"), blank=True)

    class Meta(BackgroundFile.Meta):
        verbose_name = _("Abwägungstabelle als Datei")
        verbose_name_plural = _("Abwägungstabellen als Dateien")
        constraints = background_files.constraints(
            subject="draft",
            in_the_making="one_weighing_table_in_the_making",
            progress="weighing_table_progress_percent",
            files_when_done="weighing_table_files_when_done",
        )

    def __str__(self) -> str:
        return f"{self.draft} ({self.requested_at:%d.%m.%Y %H:%M})"
