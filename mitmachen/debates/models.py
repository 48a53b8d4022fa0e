"""Debates (Debatten): a question to a project's participants, answered with a stance."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mitmachen.accounts.models import public_name
from mitmachen.comments.stances import SLUG_OF_STANCE, Stance
from mitmachen.core.models import ModeratedModel, TimeStampedModel
from mitmachen.projects.models import Project

# The kinds of notification debates sends (declared in ``debates.module``).
DEBATE_CLOSED = "debate_closed"

# The phase action that lets residents open debates (declared in ``debates.module``).
DEBATE = "debate"
QUESTION_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 5000


# The counter column of each stance (``comments.stances.Stance``) on ``Debate``.
STANCE_COUNTERS = {
    Stance.FOR.value: "for_count",
    Stance.AGAINST.value: "against_count",
    Stance.NEUTRAL.value: "neutral_count",
}


class DebateQuerySet(models.QuerySet["Debate"]):
    def for_listing(self) -> DebateQuerySet:
        """What a debate in a list shows (the counts are columns), in one query."""
        return self.select_related("author", "closed_by")

    def not_hidden(self) -> DebateQuerySet:
        return self.filter(hidden_at__isnull=True)

    def open(self) -> DebateQuerySet:
        return self.filter(closed_at__isnull=True)

    def closed(self) -> DebateQuerySet:
        return self.filter(closed_at__isnull=False)


class Debate(ModeratedModel, TimeStampedModel):
    """A question put to a project's participants; comments answer it with a stance.

    Staff who may change the project open debates while the project is not finished;
    residents open them when the current phase allows "debate". Commenting follows
    the phase's "comment" action. Top-level comments take a stance (for, against,
    neutral); replies discuss without one.

    ``comment_count`` (visible comments, replies included) and the three stance
    counters (visible top-level comments) are kept in the same transaction as the rows
    they count (``F()`` updates): the comment and moderation services call the debate's
    comment target (``debates.comment_target``, registered with ``comments.targets``),
    so lists and the page show them without counting.

    Staff close a debate with a written ``conclusion`` (Markdown), shown above
    everything else; a closed debate takes no comments until it is reopened. The
    conclusion is kept when a debate is reopened, so closing again starts from it.
    Moderators can hide a debate (``ModeratedModel``); ``opened_by_staff`` records
    whether its author opened it as staff of the project.
    """

    project = models.ForeignKey(
        Project,
        verbose_name=_("Beteiligungsprozess"),
        on_delete=models.CASCADE,
        related_name="debates",
    )
    question = models.CharField(
        _("Frage"),
        max_length=QUESTION_MAX_LENGTH,
        help_text=_("Eine Frage, die man mit dafür oder dagegen beantworten kann."),
    )
    description = models.TextField(
        _("Erläuterung"),
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
        help_text=_("Hintergrund zur Frage. Höchstens 5.000 Zeichen; Markdown."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eröffnet von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="debates",
    )
    opened_by_staff = models.BooleanField(_("von der Verwaltung eröffnet"), default=False)
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("abgeschlossen von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    conclusion = models.TextField(
        _("Fazit der Verwaltung"),
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
    )
    comment_count = models.PositiveIntegerField(_("Kommentare"), default=0, editable=False)
    for_count = models.PositiveIntegerField(_("dafür"), default=0, editable=False)
    against_count = models.PositiveIntegerField(_("dagegen"), default=0, editable=False)
    neutral_count = models.PositiveIntegerField(_("neutral"), default=0, editable=False)

    objects = DebateQuerySet.as_manager()

    class Meta:
        verbose_name = _("Debatte")
        verbose_name_plural = _("Debatten")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Closed only with a conclusion.
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(conclusion=""),
                name="debate_closed_with_conclusion",
            ),
        ]
        indexes = [models.Index(fields=["project", "-created_at"])]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("debates:detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str | Promise] = {}
        if not self.question.strip():
            errors["question"] = _("Bitte formulieren Sie eine Frage.")
        if self.closed_at is not None and not self.conclusion.strip():
            errors["conclusion"] = _("Bitte schreiben Sie ein Fazit.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def stance_total(self) -> int:
        return self.for_count + self.against_count + self.neutral_count

    def stance_counts(self) -> dict[str, int]:
        """The count of each stance (``Stance`` value): its visible top-level comments."""
        return {stance: getattr(self, counter) for stance, counter in STANCE_COUNTERS.items()}

    def stance_rows(self) -> list[dict[str, Any]]:
        """The stance counts with their shares, for the summary table and bar.

        Percentages are whole numbers that add up to 100 (largest remainder); ``x`` and
        ``width`` place each stance's part of the bar on a 0–100 scale (strings with a
        decimal point, whatever the page's language).
        """
        total = self.stance_total
        counts = [(stance, getattr(self, STANCE_COUNTERS[stance.value])) for stance in Stance]
        shares = [count * 100 / total if total else 0.0 for _stance, count in counts]
        percents = [int(share) for share in shares]
        by_remainder = sorted(
            range(len(shares)), key=lambda i: shares[i] - percents[i], reverse=True
        )
        for i in by_remainder[: (100 - sum(percents)) if total else 0]:
            percents[i] += 1
        rows, x = [], 0.0
        for (stance, count), share, percent in zip(counts, shares, percents, strict=True):
            rows.append(
                {
                    "value": stance.value,
                    "slug": SLUG_OF_STANCE[stance.value],
                    "label": stance.label,
                    "count": count,
                    "percent": percent,
                    "x": f"{x:.2f}",
                    "width": f"{share:.2f}",
                }
            )
            x += share
        return rows

    def public_author(self) -> str:
        """Who opened it, as the page says it ("gelöschtes Konto" for deleted accounts)."""
        return public_name(self.author)
