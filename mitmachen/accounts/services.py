"""Writes and exports for accounts. Views, commands and the admin call these."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from mitmachen.accounts.models import User
from mitmachen.accounts.registry import exporters
from mitmachen.organisations.models import AccessibilityFeedback, District

logger = logging.getLogger(__name__)


def profile_update(*, user: User, display_name: str, home_district: District | None) -> User:
    """Change the public name and the (optional) home Ortsteil."""
    user.display_name = display_name.strip()
    user.home_district = home_district
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "home_district"])
    return user


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
    "gelöschtes Konto"; everything else about the person cascades away.
    """
    user_id = user.pk
    # Feedback messages stay for the municipality's records, without who sent them.
    AccessibilityFeedback.objects.filter(user=user).update(name="", email="", user=None)
    user.delete()
    logger.info("Account %s deleted at the person's request.", user_id)
