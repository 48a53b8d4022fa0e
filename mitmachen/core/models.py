"""Shared abstract base models. Core holds no domain models of its own."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds creation and modification timestamps."""

    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        abstract = True


class HideCause(models.TextChoices):
    """Why a contribution is hidden: a moderator decided, enough reports, a blocked author."""

    MODERATOR = "moderator", _("von der Moderation ausgeblendet")
    REPORTS = "reports", _("nach mehreren Meldungen automatisch ausgeblendet")
    BLOCK = "block", _("ausgeblendet, weil das Konto gesperrt ist")


class ModeratedModel(models.Model):
    """State that moderation keeps on a contribution (proposal, comment).

    The state lives on the row itself so that every list filters hidden
    contributions without a join; the ``moderation`` app owns all writes to it and
    keeps the reports and the audit log. ``report_count`` counts open reports and is
    changed only with ``F()`` updates in the transaction that writes the report.
    """

    hidden_at = models.DateTimeField(_("ausgeblendet am"), null=True, blank=True, editable=False)
    hidden_cause = models.CharField(
        _("Grund der Ausblendung"),
        max_length=20,
        choices=HideCause.choices,
        blank=True,
        editable=False,
    )
    hidden_reason = models.CharField(
        _("Begründung der Moderation"), max_length=500, blank=True, editable=False
    )
    report_count = models.PositiveIntegerField(_("offene Meldungen"), default=0, editable=False)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class PageVersion(models.Model):
    """A version counter of cached pages (``core.page_cache``), shared by all processes.

    Used when the cache itself is not shared (no ``REDIS_URL``): every app process reads
    the same counters from the database, so a write in one process invalidates the
    pages cached in all others.
    """

    key = models.CharField(max_length=80, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "page cache version"

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
