"""Accounts: a person who takes part, logs in with an e-mail address."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

DELETED_ACCOUNT_NAME = _("gelöschtes Konto")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class FollowMail(models.TextChoices):
    """How a person hears about the projects they follow (besides the notification in the
    platform, which they always get)."""

    NONE = "none", _("Nur in der Plattform, keine E-Mail")
    IMMEDIATE = "immediate", _("Sofort per E-Mail")
    WEEKLY = "weekly", _("Wöchentliche Zusammenfassung per E-Mail")


class User(AbstractUser):
    """A person with an account. Logs in with the e-mail address; shows a display name.

    Contributions reference users with ``on_delete=SET_NULL`` so that deleting an
    account removes the person but keeps their public contributions, shown as
    "gelöschtes Konto".
    """

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    display_name = models.CharField(
        _("Anzeigename"),
        max_length=60,
        blank=True,
        help_text=_("So erscheinen Sie öffentlich bei Ihren Beiträgen."),
    )
    home_district = models.ForeignKey(
        "organisations.District",
        verbose_name=_("Wohnort (Ortsteil)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
        help_text=_("Freiwillig. Hilft, Beteiligungen in Ihrer Nähe zu zeigen."),
    )

    is_verified_resident = models.BooleanField(
        _("Wohnsitz bestätigt"),
        default=False,
        help_text=_(
            "Die Verwaltung hat bestätigt, dass die Person in der Region wohnt "
            "(z. B. im Bürgerbüro). Manche Beteiligungen sind nur dann möglich."
        ),
    )

    follow_mail = models.CharField(
        _("E-Mail zu abonnierten Beteiligungsprozessen"),
        max_length=10,
        choices=FollowMail.choices,
        default=FollowMail.NONE,
        help_text=_(
            "Neue Phasen, Umfragen, Debatten, Ergebnisse und Rückmeldungen der Verwaltung "
            "in Beteiligungsprozessen, denen die Person folgt."
        ),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    # E-mail login: this manager replaces AbstractUser's username-based one, whose
    # create_user() takes a username first.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("Konto")
        verbose_name_plural = _("Konten")

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        if self.display_name:
            return self.display_name
        return str(_("Teilnehmende Person"))


def public_name(user: User | None) -> str:
    """The name shown next to a contribution; ``None`` means the account was deleted."""
    if user is None:
        return str(DELETED_ACCOUNT_NAME)
    return user.public_name
