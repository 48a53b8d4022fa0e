"""Forms of the drafts app. The services validate again and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mitmachen.core.channels import Channel
from mitmachen.drafts.importer import (
    MACROS,
    MAX_DOCX_BYTES,
    MAX_IMPORT_CHARACTERS,
    OLD_WORD,
    parse_docx,
)
from mitmachen.drafts.models import (
    REASON_MAX_LENGTH,
    SUGGESTION_MAX_LENGTH,
    VERSION_NOTE_MAX_LENGTH,
    Weighing,
)

MAX_UPLOAD_BYTES = 4 * MAX_IMPORT_CHARACTERS  # UTF-8: at most four bytes a character


class SuggestionForm(forms.Form):
    """A suggested wording: the paragraph's text, changed; staff also name the channel."""

    text = forms.CharField(
        label=_("Ihre Fassung des Absatzes"),
        max_length=SUGGESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Ändern Sie den Text so, wie er Ihrer Meinung nach lauten sollte. Die Seite zeigt "
            "danach, welche Wörter Sie gestrichen und eingefügt haben."
        ),
        error_messages={
            "required": _("Bitte geben Sie Ihre Fassung des Absatzes ein."),
            "max_length": _("Der Text ist zu lang (höchstens 20.000 Zeichen)."),
        },
    )
    reason = forms.CharField(
        label=_("Begründung"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Die Begründung ist zu lang (höchstens 2.000 Zeichen).")},
    )

    name_in_report = forms.BooleanField(
        label=_("Mein Name darf in der Abwägungstabelle für den Stadtrat stehen."),
        required=False,
        help_text=_("Sonst steht dort nur „Bürgerin/Bürger aus“ Ihrem Ortsteil."),
    )

    def __init__(self, *args: object, staff: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if staff:
            self.fields["channel"] = forms.ChoiceField(
                label=_("Eingegangen über"),
                choices=Channel.choices,
                initial=Channel.ONLINE,
                help_text=_(
                    "„online“: Ihr eigener Vorschlag. Sonst erfassen Sie einen Vorschlag aus "
                    "einem Workshop, vom Marktstand oder aus einem Brief; er erscheint ohne Namen."
                ),
            )


class WeighingForm(forms.Form):
    """The administration's weighing of a suggestion, with its public reason."""

    weighing = forms.ChoiceField(
        label=_("Abwägung"),
        choices=Weighing.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Bitte wählen Sie eine Abwägung."),
            "invalid_choice": _("Bitte wählen Sie eine Abwägung."),
        },
    )
    reason = forms.CharField(
        label=_("Begründung (öffentlich)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Bitte begründen Sie die Abwägung."),
            "max_length": _("Die Begründung ist zu lang (höchstens 2.000 Zeichen)."),
        },
    )


class ImportForm(forms.Form):
    """The draft's text as Markdown: pasted, or a .md/.txt file, or a Word file (.docx)
    that ``parse_docx`` turns into Markdown (``cleaned_data["images"]``: the pictures it
    left out)."""

    text = forms.CharField(
        label=_("Text in Markdown"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Überschriften mit # oder ## werden Kapitel, durch Leerzeilen getrennte Blöcke "
            "werden Absätze."
        ),
    )
    file = forms.FileField(
        label=_("… oder eine Datei: Word (.docx), Markdown (.md) oder Text (.txt, UTF-8)"),
        required=False,
        help_text=_(
            "Aus Word werden die Überschriften 1 und 2 zu Kapiteln, die Absätze zu Absätzen; "
            "Listen, Fett, Kursiv, Links und Tabellen bleiben erhalten, Bilder nicht."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".docx,.md,.markdown,.txt,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
                "text/markdown,text/plain"
            }
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["images"] = 0
        upload = data.get("file")
        if upload is not None:
            name = (upload.name or "").lower()
            if name.endswith((".docm", ".dotm")):
                raise forms.ValidationError(gettext(MACROS))
            if name.endswith(".doc"):
                raise forms.ValidationError(gettext(OLD_WORD))
            if name.endswith(".docx"):
                if upload.size > MAX_DOCX_BYTES:
                    raise forms.ValidationError(_("Die Word-Datei ist zu groß (höchstens 20 MB)."))
                parsed = parse_docx(upload.read())  # a ValidationError with the reason
                data["text"], data["images"] = parsed.markdown, parsed.images
                return data
            if not name.endswith((".md", ".markdown", ".txt")):
                raise forms.ValidationError(
                    _(
                        "Bitte laden Sie eine Word-Datei (.docx), eine Markdown- oder eine "
                        "Textdatei (.md oder .txt) hoch."
                    )
                )
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(_("Die Datei ist zu groß (höchstens 8 MB)."))
            raw = upload.read()
            try:
                data["text"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    _(
                        "Die Datei ist nicht in UTF-8 gespeichert. "
                        "Bitte speichern Sie sie als UTF-8."
                    )
                ) from None
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(
                _("Bitte fügen Sie den Text ein oder wählen Sie eine Datei.")
            )
        return data


class VersionForm(ImportForm):
    """The next version's text, and for readers a short note what changed."""

    note = forms.CharField(
        label=_("Was sich geändert hat (für die Lesenden)"),
        required=False,
        max_length=VERSION_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Die Notiz ist zu lang (höchstens 2.000 Zeichen).")},
    )


class CompareForm(forms.Form):
    """Which two versions to compare (a GET form: works without JavaScript)."""

    von = forms.TypedChoiceField(
        label=_("Ältere Fassung"),
        coerce=int,
        error_messages={
            "required": _("Bitte wählen Sie eine Fassung."),
            "invalid_choice": _("Diese Fassung gibt es nicht."),
        },
    )
    zu = forms.TypedChoiceField(
        label=_("Neuere Fassung"),
        coerce=int,
        error_messages={
            "required": _("Bitte wählen Sie eine Fassung."),
            "invalid_choice": _("Diese Fassung gibt es nicht."),
        },
    )

    def __init__(self, *args: Any, versions: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(n, _("Fassung %(n)d") % {"n": n}) for n in versions]
        for name in ("von", "zu"):
            self.fields[name].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("von") is not None and data.get("von") == data.get("zu"):
            raise forms.ValidationError(_("Bitte wählen Sie zwei verschiedene Fassungen."))
        return data
