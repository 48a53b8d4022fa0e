"""What was handed in at an event: the links from an event to contributions collected
there (an offline proposal, a comment, a stack of paper questionnaires)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mitmachen.events.models.events import Event


class EventContribution(models.Model):
    """A contribution of another module collected at ``event``: the row's content type
    and id, its kind declared by its module (``projects.contributions.CollectedKind``), so
    events imports none of those modules. A contribution was collected at one event at
    most (unique). Written only by ``services.contribution_link`` (from the offline entry
    services, through ``projects.contributions.record``, or by staff afterwards); the link
    goes when its contribution is deleted (``signals``) or its event. ``linked_by``: the
    member of staff who made it ("Meine Daten"; the account's deletion empties it)."""

    event = models.ForeignKey(
        Event,
        verbose_name=_("Veranstaltung"),
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("Art"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("Nummer"))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verknüpft von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("verknüpft am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Beitrag einer Veranstaltung")
        verbose_name_plural = _("Beiträge von Veranstaltungen")
        ordering = ["linked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_event_per_contribution"
            )
        ]
        indexes = [models.Index(fields=["event", "content_type"])]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} @ {self.event_id}"
