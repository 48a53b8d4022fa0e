"""Who may work on a municipality's climate data (``climate.manage_data``, asked of the
municipality): superusers, and the municipality's administrators and project managers.
Moderators and residents read the data like everybody else; reading needs no permission
(unpublished indicators only show to those who may manage them)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mitmachen.climate.models import Campaign
from mitmachen.core.permissions import Check, Rule, add_rule
from mitmachen.organisations.models import Organisation, Role
from mitmachen.projects.models import Visibility
from mitmachen.projects.permissions import is_blocked_in, staff_roles

DATA_ROLES = (Role.ADMIN, Role.PROJECT_MANAGER)


def is_signed_in(user: Any, organisation: Organisation) -> bool:
    return bool(user.is_authenticated)


def works_on_data(user: Any, organisation: Organisation) -> bool:
    if user.is_superuser:
        return True
    return bool(staff_roles(user).get(organisation.pk, set()) & set(DATA_ROLES))


add_rule(
    "climate.manage_data",
    Rule(
        Check(is_signed_in, _("Bitte melden Sie sich an.")),
        Check(
            works_on_data,
            _("Klimadaten pflegen nur die Administration und die Projektleitungen der Kommune."),
        ),
    ),
)


# Mitmach-Daten: contributing an observation to a campaign (asked of the campaign). Who
# may see a campaign follows its project (``projects.view_project``); staff open
# campaigns with ``climate.manage_data`` of the project's municipality.


def sees_campaign(user: Any, campaign: Campaign) -> bool:
    return bool(user.has_perm("projects.view_project", campaign.project))


def _published(user: Any, campaign: Campaign) -> bool:
    return campaign.project.visibility != Visibility.DRAFT


def _started(user: Any, campaign: Campaign) -> bool:
    return campaign.starts_on <= timezone.localdate()


def _not_ended(user: Any, campaign: Campaign) -> bool:
    return timezone.localdate() <= campaign.ends_on


def _not_blocked(user: Any, campaign: Campaign) -> bool:
    return not is_blocked_in(user, campaign.project.organisation_id)


add_rule(
    "climate.contribute",
    Rule(
        Check(
            lambda user, campaign: bool(user.is_authenticated),
            _("Bitte melden Sie sich an, um eine Beobachtung zu melden."),
        ),
        Check(sees_campaign, _("Diese Kampagne gibt es nicht.")),
        Check(_published, _("Die Kampagne ist noch nicht veröffentlicht.")),
        Check(
            _started,
            lambda user, campaign: (
                gettext("Die Kampagne beginnt am %(day)s.")
                % {"day": date_format(campaign.starts_on, "SHORT_DATE_FORMAT")}
            ),
        ),
        Check(
            _not_ended,
            lambda user, campaign: (
                gettext("Die Kampagne ist am %(day)s zu Ende gegangen.")
                % {"day": date_format(campaign.ends_on, "SHORT_DATE_FORMAT")}
            ),
        ),
        Check(_not_blocked, _("Ihr Konto ist für Beteiligungen in dieser Kommune gesperrt.")),
    ),
)
