"""Keep ``User.is_staff`` in line with staff roles, so staff can open the admin."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from mitmachen.organisations.models import Membership


@receiver(post_save, sender=Membership)
def grant_staff(sender: type, instance: Membership, **kwargs: Any) -> None:
    user = instance.user
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


@receiver(post_delete, sender=Membership)
def revoke_staff(sender: type, instance: Membership, **kwargs: Any) -> None:
    user_model = type(instance.user)
    user = user_model.objects.filter(pk=instance.user_id).first()
    if user is None or user.is_superuser:
        return
    if not Membership.objects.filter(user=user).exists() and user.is_staff:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
