from __future__ import annotations

from typing import Any, cast

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from mitmachen.accounts.models import FollowMail, User
from mitmachen.organisations.models import District


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Anzeigename"),
        max_length=60,
        required=False,
        help_text=_("So erscheinen Sie öffentlich bei Ihren Beiträgen. Höchstens 60 Zeichen."),
    )
    home_district = forms.ModelChoiceField(
        label=_("Wohnort (Ortsteil)"),
        queryset=District.objects.select_related("organisation").order_by(
            "organisation__name", "name"
        ),
        required=False,
        empty_label=_("– keine Angabe –"),
        help_text=_("Freiwillig. Hilft, Beteiligungen in Ihrer Nähe zu zeigen."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A per-field label function; fields are typed as plain Field, so mypy does not know it.
        self.fields["home_district"].label_from_instance = lambda d: (  # type: ignore[attr-defined]
            f"{d.name} ({d.organisation.short_name or d.organisation.name})"
        )


class UnfollowForm(forms.Form):
    """One "Nicht mehr folgen" button on "Meine Abonnements": which kind, which thing."""

    art = forms.ChoiceField(choices=())
    id = forms.IntegerField(min_value=1, max_value=2**63 - 1)

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["art"]).choices = [(kind, kind) for kind in kinds]


class FollowMailForm(forms.Form):
    """On "Meine Abonnements": how the person hears about followed projects by e-mail."""

    follow_mail = forms.ChoiceField(
        label=_("Wie möchten Sie von Neuem erfahren?"),
        choices=FollowMail.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Bitte wählen Sie eine der Möglichkeiten."),
            "invalid_choice": _("Bitte wählen Sie eine der angebotenen Möglichkeiten."),
        },
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Ihr Passwort zur Bestätigung"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("Ja, ich möchte mein Konto endgültig löschen."), required=True
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Das Passwort ist nicht korrekt."))
        return password


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, which says when the two passwords differ.

    allauth compares them only after the first one passed the strength rules, so a
    short password and a typo in the second field showed only the strength errors.
    """

    def clean(self) -> dict[str, Any]:
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            # Added before allauth's own check, which then stays silent: one message.
            self.add_error(
                "password2",
                _(
                    "Die beiden Passwörter stimmen nicht überein. "
                    "Bitte geben Sie zweimal dasselbe Passwort ein."
                ),
            )
        return super().clean()
