"""Comments on proposals, debates and projects, with two-level threads and ratings.

Proposals and projects lie below comments in the layers; debates lie above and are a
registered comment target (``comments.targets``): ``Comment.debate`` is a foreign key to
``"debates.Debate"`` given by name, and all behaviour for that target comes from its
registration. A debate's top-level comments take a stance (``comments.stances``). The
paragraphs of drafts (``Comment.paragraph``, to ``"drafts.Paragraph"``) are a registered
target the same way, without stances.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mitmachen.accounts.models import public_name
from mitmachen.comments import targets
from mitmachen.comments.stances import (  # noqa: F401 - STANCE_SLUGS: shared from here
    SLUG_OF_STANCE,
    STANCE_REQUIRED,
    STANCE_SLUGS,
    Stance,
)
from mitmachen.core.channels import Channel
from mitmachen.core.models import ModeratedModel, TimeStampedModel
from mitmachen.projects.models import Project
from mitmachen.proposals.models import Proposal

# The kinds of notification comments sends (declared in ``comments.module``).
NEW_COMMENT = "new_comment"

# The phase action that lets residents comment (declared in ``comments.module``).
COMMENT = "comment"
MAX_LENGTH = 2000


class CommentQuerySet(models.QuerySet["Comment"]):
    def on(
        self,
        *,
        project: Project,
        proposal: Proposal | None = None,
        debate: targets.Commentable | None = None,
        target: targets.Commentable | None = None,
    ) -> CommentQuerySet:
        """Comments of one target: a proposal, a registered target (``target``, a debate or
        a draft paragraph; ``debate`` is its older name), or the project itself (none)."""
        obj = target if target is not None else debate
        if obj is not None:
            return self.filter(**targets.key_of(obj))
        if proposal is not None:
            return self.filter(proposal=proposal)
        return self.filter(
            project=project,
            proposal__isnull=True,
            **{f"{key}__isnull": True for key in targets.KEYS},
        )

    def top_level(self) -> CommentQuerySet:
        return self.filter(parent__isnull=True)

    def visible(self) -> CommentQuerySet:
        """Neither deleted nor hidden by moderation (both keep their place in a thread)."""
        return self.filter(deleted_at__isnull=True, hidden_at__isnull=True)

    def for_display(self) -> CommentQuerySet:
        """What a comment in a thread shows, in one query."""
        return self.select_related("author", "reply_to__author")

    def sorted_by(self, sort: str) -> CommentQuerySet:
        """``beste``: most agreement (up − down) first; otherwise the newest first."""
        if sort == "beste":
            return self.order_by((F("up_count") - F("down_count")).desc(), "-created_at", "-pk")
        return self.order_by("-created_at", "-pk")


class Comment(ModeratedModel, TimeStampedModel):
    """A contribution to the discussion of a proposal, a debate, or a project itself.

    ``project`` is always set (denormalised from the proposal or debate) so a
    project's discussions can be read and scoped without a join. At most one of
    ``proposal`` and ``debate`` is set; neither for comments on the project itself.

    In a debate, every top-level comment takes a ``stance`` (for, against, neutral);
    replies take none. The database enforces both (``comment_stance_only_in_debates``).

    Threads have two levels: ``parent`` is always the top-level comment, and
    ``reply_to`` the comment actually answered (the parent itself or another reply
    in the same thread), so a reply to a reply shows "Antwort an …".

    Deleting is soft: ``deleted_at`` is set and the text blanked, and the comment
    keeps its place in the thread. ``up_count``/``down_count`` and the parent's
    ``reply_count`` are kept in the same transaction as the rows they count (see
    services), so threads sort and show counts without counting.
    """

    project = models.ForeignKey(
        Project,
        verbose_name=_("Beteiligungsprozess"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("Vorschlag"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    # A registered comment target (``comments.targets``), named so comments imports
    # nothing of debates; the registration says what commenting on it means.
    debate = models.ForeignKey(
        "debates.Debate",
        verbose_name=_("Debatte"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    # The draft paragraph commented on (``drafts.Paragraph``, a registered target like
    # the debate; a paragraph row belongs to one version of its draft).
    paragraph = models.ForeignKey(
        "drafts.Paragraph",
        verbose_name=_("Absatz eines Textentwurfs"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    stance = models.CharField(
        _("Haltung"),
        max_length=10,
        choices=Stance.choices,
        blank=True,
        help_text=_("Nur bei Kommentaren der ersten Ebene in Debatten."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Kommentar, zu dem die Antwort gehört"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    reply_to = models.ForeignKey(
        "self",
        verbose_name=_("Antwort auf"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="answers",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verfasst von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    text = models.TextField(
        _("Kommentar"),
        blank=True,  # blank only once deleted; clean() insists on text otherwise
        max_length=MAX_LENGTH,
        validators=[MaxLengthValidator(MAX_LENGTH)],
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
    # Consent to be named where the target's owner lists contributions by name (drafts:
    # the Abwägungstabelle for the council); asked only where the target registration
    # has ``name_consent``, never for comments entered by staff.
    name_in_report = models.BooleanField(
        _("Name darf genannt werden"),
        default=False,
        help_text=_(
            "Die Person hat zugestimmt, dass ihr Name bei diesem Kommentar in der "
            "Auswertung für den Stadtrat steht."
        ),
    )
    edited_at = models.DateTimeField(_("bearbeitet am"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("gelöscht am"), null=True, blank=True)
    up_count = models.PositiveIntegerField(_("Zustimmung"), default=0, editable=False)
    down_count = models.PositiveIntegerField(_("Ablehnung"), default=0, editable=False)
    reply_count = models.PositiveIntegerField(
        _("Antworten"),
        default=0,
        editable=False,
        help_text=_("Nur bei Kommentaren der ersten Ebene; gelöschte Antworten zählen mit."),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reply_to__isnull=True) | Q(parent__isnull=False),
                name="comment_reply_has_parent",
            ),
            # At most one target: a proposal, a debate or a draft paragraph.
            models.CheckConstraint(
                condition=(
                    Q(debate__isnull=True, paragraph__isnull=True)
                    | Q(proposal__isnull=True, paragraph__isnull=True)
                    | Q(proposal__isnull=True, debate__isnull=True)
                ),
                name="comment_on_one_target",
            ),
            # A stance exactly on the top-level comments of a debate.
            models.CheckConstraint(
                condition=(
                    Q(debate__isnull=False, parent__isnull=True, stance__in=Stance.values)
                    | (Q(stance="") & (Q(debate__isnull=True) | Q(parent__isnull=False)))
                ),
                name="comment_stance_only_in_debates",
            ),
        ]
        indexes = [
            models.Index(fields=["proposal", "parent", "-created_at"]),
            models.Index(fields=["debate", "parent", "-created_at"]),
            models.Index(fields=["debate", "stance", "-created_at"]),
            models.Index(fields=["paragraph", "parent", "-created_at"]),
            models.Index(fields=["project", "proposal", "parent", "-created_at"]),
            models.Index(fields=["parent", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.public_author()}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        """The page that shows this comment's whole thread, at the comment."""
        return f"{reverse('comments:thread', args=[self.parent_id or self.pk])}#kommentar-{self.pk}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str | Promise] = {}
        if not self.is_deleted and not self.text.strip():
            errors["text"] = _("Bitte schreiben Sie einen Kommentar.")
        if self.proposal is not None and self.proposal.project_id != self.project_id:
            errors["proposal"] = _("Der Vorschlag gehört nicht zu diesem Beteiligungsprozess.")
        target = targets.of_comment(self)
        if target is not None and target.obj.project_id != self.project_id:
            errors[target.kind.field] = target.kind.foreign_project
        keys = [f"{key}_id" for key in ("proposal", *targets.KEYS)]
        set_keys = [key for key in keys if getattr(self, key) is not None]
        if len(set_keys) > 1:
            errors[set_keys[-1][: -len("_id")]] = _(
                "Ein Kommentar gehört zu einem Vorschlag oder einer Debatte."
            )
        for field in ("parent", "reply_to"):
            other = getattr(self, field)
            if other is not None and (
                other.project_id != self.project_id
                or any(getattr(other, key) != getattr(self, key) for key in keys)
            ):
                errors[field] = _("Der Kommentar, auf den Sie antworten, gehört nicht hierher.")
        if self.parent is not None and self.parent.parent_id is not None:
            errors["parent"] = _("Antworten gehören immer zum Kommentar der ersten Ebene.")
        if self.debate_id is None and self.stance:
            errors["stance"] = _("Eine Haltung gibt es nur bei Kommentaren in Debatten.")
        elif self.parent_id is not None and self.stance:
            errors["stance"] = _("Antworten haben keine eigene Haltung.")
        elif self.debate_id is not None and self.parent_id is None:
            if self.stance not in Stance.values:
                errors["stance"] = STANCE_REQUIRED
        if self.reply_to is not None and "reply_to" not in errors:
            # The answered comment is the top-level comment or another reply of its thread.
            if (self.reply_to.parent_id or self.reply_to.pk) != self.parent_id:
                errors["reply_to"] = _("Die Antwort gehört nicht zu diesem Gespräch.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def name_consent(self) -> Any:
        """The registered target (``targets.CommentTarget``) of this comment if it asks
        for consent to be named, else None; loads nothing."""
        from mitmachen.comments import targets  # targets reads this model

        return targets.name_consent_of(self)

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def answers_a_reply(self) -> bool:
        """A reply to another reply: shown with "Antwort an …"."""
        return self.reply_to_id is not None and self.reply_to_id != self.parent_id

    @property
    def stance_slug(self) -> str:
        """The stance as it appears in addresses (``dafuer``), empty without one."""
        return SLUG_OF_STANCE.get(self.stance, "")

    @property
    def score(self) -> int:
        return self.up_count - self.down_count

    def public_author(self) -> str:
        """Who wrote it, as the page says it ("gelöschtes Konto" for deleted accounts)."""
        if self.author_id is not None or self.channel == Channel.ONLINE:
            return public_name(self.author)
        return str(_("einer Teilnehmerin oder einem Teilnehmer"))


class RatingValue(models.IntegerChoices):
    UP = 1, _("Zustimmung")
    DOWN = -1, _("Ablehnung")


class CommentRating(TimeStampedModel):
    """One person's agreement (+1) or disagreement (−1) with a comment.

    At most one per person and comment, enforced by the database. The user link is
    set to NULL when the account is deleted: the rating keeps counting, but no longer
    says by whom.
    """

    comment = models.ForeignKey(
        Comment, verbose_name=_("Kommentar"), on_delete=models.CASCADE, related_name="ratings"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="comment_ratings",
    )
    value = models.SmallIntegerField(_("Bewertung"), choices=RatingValue.choices)

    class Meta:
        verbose_name = _("Kommentarbewertung")
        verbose_name_plural = _("Kommentarbewertungen")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_rating_per_person"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="rating_value_up_or_down"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.comment_id}: {self.value:+d}"
