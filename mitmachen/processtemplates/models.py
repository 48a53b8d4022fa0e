"""Processes a municipality shares with other towns (the public template library)."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mitmachen.core.channels import Channel
from mitmachen.core.models import TimeStampedModel
from mitmachen.organisations.models import Organisation
from mitmachen.projects.models import Project

METHOD_MAX_LENGTH = 5000


class SharedTemplate(TimeStampedModel):
    """A process a municipality shares in the library ("So haben wir's gemacht").

    ``document`` is the template file as it was exported when staff shared (or shared
    again): what others download and import. ``method`` is the municipality's own account
    of how it went; ``channels`` the ways people took part (``core.channels.Channel``
    keys); ``duration_days`` and ``figures`` are computed from the project when shared –
    the figures are counts only, with fewer than five people shown as "weniger als 5".
    A project is shared at most once; deleting it keeps the entry (with its snapshot),
    deleting the municipality removes it. No person is stored.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Kommune"),
        on_delete=models.CASCADE,
        related_name="shared_templates",
    )
    project = models.OneToOneField(
        Project,
        verbose_name=_("Beteiligungsprozess"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shared_template",
    )
    title = models.CharField(_("Titel"), max_length=120)
    method = models.TextField(
        _("So haben wir's gemacht"),
        max_length=METHOD_MAX_LENGTH,
        validators=[MaxLengthValidator(METHOD_MAX_LENGTH)],
    )
    channels = models.JSONField(_("Beteiligungswege"), default=list, blank=True)
    duration_days = models.PositiveIntegerField(_("Dauer in Tagen"))
    figures = models.JSONField(_("Beteiligung in Zahlen"), default=dict, blank=True)
    document = models.JSONField(_("Vorlage"))

    class Meta:
        verbose_name = _("geteilte Prozessvorlage")
        verbose_name_plural = _("geteilte Prozessvorlagen")
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("processtemplates:detail", args=[self.pk])

    def channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels[key]) for key in self.channels if key in labels]

    def figure_rows(self) -> list[tuple[str, str]]:
        """The figures for a table: label and the number, or "weniger als 5"."""
        return [
            (label, str(value) if value is not None else str(_("weniger als 5")))
            for label, value in self.figures.items()
        ]
