"""A saved or deleted account renews the person's cached entry (``core.person_cache``):
the entry holds the account itself, so a new name, a password (which must sign out the
other sessions), a deactivation or staff flags show on the person's next request."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from mitmachen.core import person_cache


@receiver(post_save, sender="accounts.User", dispatch_uid="person-cache-user-saved")
@receiver(post_delete, sender="accounts.User", dispatch_uid="person-cache-user-deleted")
def _account_changed(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    person_cache.touch_on_commit([instance.pk])
