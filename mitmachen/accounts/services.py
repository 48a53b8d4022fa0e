"""Writes and exports for accounts. Views, commands and the admin call these."""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from mitmachen.accounts.models import DELETED_ACCOUNT_NAME, FollowMail, User
from mitmachen.core.registry import erasers, exporters
from mitmachen.core.task_results import task_results_delete_mentioning
from mitmachen.organisations.models import District

logger = logging.getLogger(__name__)


def profile_update(*, user: User, display_name: str, home_district: District | None) -> User:
    """Change the public name and the (optional) home Ortsteil."""
    user.display_name = display_name.strip()
    user.home_district = home_district
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "home_district"])
    return user


def follow_mail_set(*, user: User, follow_mail: str) -> bool:
    """Choose how the person hears about followed projects by e-mail (``FollowMail``):
    not at all, at once, or in a weekly summary. Returns False if nothing changed."""
    if follow_mail not in FollowMail.values:
        raise ValueError(f"Unknown follow mail setting {follow_mail!r}.")
    if user.follow_mail == follow_mail:
        return False
    user.follow_mail = follow_mail
    user.save(update_fields=["follow_mail"])
    return True


def personal_data_export(*, user: User) -> dict[str, Any]:
    """Everything stored about ``user``, as JSON-serialisable data (Art. 15 and 20 GDPR)."""
    data: dict[str, Any] = {
        "plattform": "Mitmachen",
        "erstellt_am": timezone.now().isoformat(),
    }
    for section, exporter in exporters().items():
        data[section] = exporter(user)
    return data


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account and all personal data.

    Public contributions reference the user with ``SET_NULL`` and remain, shown as
    "gelöschtes Konto"; everything else about the person cascades away. What apps
    keep outside the cascade (a copy of the name in a log, feedback sent with a
    name) is removed by the erasers they register in ``personal_data.py``. Stored
    background tasks that mention any of the person's addresses (sent mails with
    confirmation links) are deleted, and the admin's history of the account no longer
    shows its name or address.
    """
    user_id = user.pk
    addresses = {user.email.lower()} | {
        address.lower()
        for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    for eraser in erasers().values():
        eraser(user)
    deleted_name = str(DELETED_ACCOUNT_NAME)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user_id)
    ).update(object_repr=deleted_name, change_message="")
    for address in sorted(a for a in addresses if a):
        LogEntry.objects.filter(object_repr__icontains=address).update(object_repr=deleted_name)
        task_results_delete_mentioning(text=address)
    user.delete()
    logger.info("Account %s deleted at the person's request.", user_id)
