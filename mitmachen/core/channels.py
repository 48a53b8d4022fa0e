"""Where a contribution came from. Shared by every kind of contribution."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Offline input is first-class: every contribution records its channel."""

    ONLINE = "online", _("online")
    WORKSHOP = "workshop", _("Workshop")
    MARKET_STAND = "market_stand", _("Marktstand")
    MITMACHMOBIL = "mitmachmobil", _("Mitmachmobil")
    OFFICE = "office", _("Projektbüro")
    LETTER = "letter", _("Brief")
    PHONE = "phone", _("Telefon")
    CITY_WALK = "city_walk", _("Stadtspaziergang")
