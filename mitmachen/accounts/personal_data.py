"""Contribution of the accounts app to "Meine Daten"."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from mitmachen.accounts.models import User
from mitmachen.core.registry import register


@register("konto")
def export_account(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "anzeigename": user.display_name,
        "wohnort_ortsteil": user.home_district.name if user.home_district else None,
        "registriert_am": user.date_joined.isoformat(),
        "letzte_anmeldung": user.last_login.isoformat() if user.last_login else None,
        "email_zu_abonnements": user.follow_mail,
        "email_adressen": [
            {"email": a.email, "bestaetigt": a.verified, "primaer": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
    }
