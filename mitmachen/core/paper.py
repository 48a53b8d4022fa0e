"""What every stack of paper forms has, whatever the forms are (polls' questionnaires,
budgets' ballots): where and when it was collected, who entered it, when.

The modules add what differs in meaning: what the stack belongs to, and the second
person's check (in polls ``checked_by``, informational and undone by any later edit; in
budgets ``confirmed_by``, the condition for the ballots to count, final, replaced only by
a correction).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAPER_PLACE_MAX_LENGTH = 160


def paper_place_field(help_text: StrOrPromise) -> models.CharField[str, str]:
    """The place or occasion of a stack, with an example fitting the module's forms."""
    return models.CharField(
        _("Ort oder Anlass"),
        max_length=PAPER_PLACE_MAX_LENGTH,
        blank=True,
        help_text=help_text,
    )


class PaperBatchBase(models.Model):
    """A stack of paper forms entered by one member of staff (add ``place`` with
    ``paper_place_field``). Newest first."""

    collected_on = models.DateField(_("gesammelt am"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]
