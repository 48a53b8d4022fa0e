"""A comment's stance: the position a top-level comment takes on its target's question.

Stances belong to comments. A target takes them when its registration says so
(``CommentTarget.stance_counts``, see ``comments.targets``); today that is a debate,
and the database ties a stance to the top-level comments of a debate
(``comment_stance_only_in_debates``). The target keeps the counts per stance.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stance(models.TextChoices):
    """The position a top-level comment takes on the question of its target (a debate)."""

    FOR = "for", _("dafür")
    AGAINST = "against", _("dagegen")
    NEUTRAL = "neutral", _("neutral")


STANCE_REQUIRED = _("Bitte wählen Sie Ihre Haltung: dafür, dagegen oder neutral.")
# The stance in addresses (``?haltung=dafuer``): German, ASCII only.
STANCE_SLUGS = {"dafuer": Stance.FOR, "dagegen": Stance.AGAINST, "neutral": Stance.NEUTRAL}
SLUG_OF_STANCE = {stance.value: slug for slug, stance in STANCE_SLUGS.items()}
