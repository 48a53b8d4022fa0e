"""Demo legal texts (Impressum, Datenschutz, Barrierefreiheit) for the demo municipalities.

Invented for the demo installation; a real municipality replaces them in the admin.
"""

from __future__ import annotations

from textwrap import dedent

from mitmachen.organisations.phone import tel_uri


def md(text: str) -> str:
    """Remove the source indentation of a Markdown block."""
    return dedent(text).strip() + "\n"


DEMO_NOTICE = (
    "**Hinweis:** Dies ist eine Demo-Installation der Beteiligungsplattform Mitmachen. "
    "Projekte, Beiträge, Personen, Kontaktdaten und Ortsteilgrenzen sind erfunden oder nur "
    "angenähert. Es handelt sich nicht um ein Angebot der Stadt Bad Belzig oder der Gemeinde "
    "Wiesenburg/Mark."
)


_IMPRINT = md("""
        ## Angaben gemäß § 5 DDG

        {header}

        Die {name} ist eine Körperschaft des öffentlichen Rechts. Sie wird vertreten durch
        {represented_by}.

        ## Kontakt

        - E-Mail: {email_link}
        - Telefon: {phone_link}

        ## Aufsichtsbehörde

        Kommunalaufsicht: Landrat des Landkreises Potsdam-Mittelmark als allgemeine untere
        Landesbehörde.

        ## Verantwortlich für den Inhalt

        Verantwortlich für redaktionelle Inhalte ist die Stelle für Bürgerbeteiligung der
        {name} (Anschrift wie oben). Beiträge von Bürgerinnen und Bürgern geben deren eigene
        Meinung wieder; sie werden nach den Beteiligungsregeln moderiert.

        ## Software

        Diese Plattform nutzt *Mitmachen*, freie Software unter der Lizenz
        AGPL-3.0-or-later.

        {notice}
    """)


_PRIVACY = md("""
        ## 1. Verantwortlicher

        {header}

        Die behördliche Datenschutzbeauftragte erreichen Sie unter der oben genannten Anschrift
        mit dem Zusatz „Datenschutzbeauftragte“ oder per E-Mail an {dpo_email_link}.

        ## 2. Zwecke der Verarbeitung

        Wir verarbeiten personenbezogene Daten nur, soweit dies für die Beteiligung nötig ist:

        - **Benutzerkonto:** E-Mail-Adresse, Anzeigename und – freiwillig – Ihr Ortsteil, damit
          Sie Beiträge schreiben, Vorschläge unterstützen und abstimmen können.
        - **Beiträge:** Kommentare, Vorschläge, Stimmen und Antworten in Projekten. Beiträge
          erscheinen öffentlich mit Ihrem Anzeigenamen, in nicht öffentlichen Projekten nur
          für die eingeladenen Personen.
        - **Moderation und Benachrichtigungen:** Meldungen und Moderationsentscheidungen;
          E-Mails zu Ihrem Konto und – wenn Sie das wünschen – zu Projekten, denen Sie folgen.
        - **Rückmeldungen zur Barrierefreiheit:** Ihre Nachricht und, falls angegeben, Name
          und E-Mail-Adresse, um Ihnen zu antworten.
        - **Betrieb und Sicherheit:** technisch notwendige Protokolldaten des Servers (zum
          Beispiel Zeitpunkt und aufgerufene Seite), um Störungen und Angriffe zu erkennen.

        ## 3. Rechtsgrundlagen

        Die Verarbeitung erfolgt zur Wahrnehmung einer Aufgabe im öffentlichen Interesse nach
        Art. 6 Abs. 1 lit. e DSGVO in Verbindung mit dem Brandenburgischen Datenschutzgesetz
        (BbgDSG) und der Kommunalverfassung des Landes Brandenburg, die die Beteiligung der
        Einwohnerinnen und Einwohner vorsieht. Freiwillige Angaben und Benachrichtigungen
        beruhen auf Ihrer Einwilligung nach Art. 6 Abs. 1 lit. a DSGVO, die Sie jederzeit
        widerrufen können.

        ## 4. Speicherdauer

        Kontodaten speichern wir, bis Sie Ihr Konto löschen. Ihre Beiträge bleiben danach ohne
        Bezug zu Ihrer Person erhalten, damit Diskussionen verständlich bleiben. Protokolldaten
        des Servers werden nach spätestens 14 Tagen gelöscht. Rückmeldungen zur
        Barrierefreiheit löschen wir, sobald sie bearbeitet sind und für die Nachweise nach
        dem Barrierefreiheitsrecht nicht mehr gebraucht werden.

        ## 5. Keine Dienste Dritter, kein Tracking

        Diese Plattform bindet keine Dienste Dritter ein: keine Analyse- oder Trackingdienste,
        keine Werbung, keine Schriften und keine Karten von fremden Servern. Karten und
        Ortsteilgrenzen werden von unserem eigenen Server ausgeliefert. Wir setzen nur
        technisch notwendige Cookies für die Anmeldung, den Schutz von Formularen und die
        von Ihnen gewählte Sprache.

        ## 6. Ihre Rechte

        Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16 DSGVO),
        Löschung (Art. 17 DSGVO), Einschränkung der Verarbeitung (Art. 18 DSGVO),
        Datenübertragbarkeit, soweit anwendbar (Art. 20 DSGVO), und Widerspruch gegen die
        Verarbeitung (Art. 21 DSGVO). Unter „Meine Daten“ in Ihrem Konto können Sie Ihre
        Daten jederzeit herunterladen oder Ihr Konto löschen.

        ## 7. Beschwerderecht

        Sie können sich bei der Aufsichtsbehörde beschweren: Die Landesbeauftragte für den
        Datenschutz und für das Recht auf Akteneinsicht Brandenburg,
        Stahnsdorfer Damm 77, 14532 Kleinmachnow.

        {notice}
    """)


_ACCESSIBILITY = md("""
        Die {name} ist bemüht, ihre Beteiligungsplattform im Einklang mit dem
        Brandenburgischen Behindertengleichstellungsgesetz (BbgBGG) und der
        Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) barrierefrei zugänglich zu
        machen. Diese Erklärung gilt für alle Seiten dieser Plattform.

        ## Stand der Vereinbarkeit mit den Anforderungen

        Die Plattform ist mit den Anforderungen der BITV 2.0 (EN 301 549, WCAG 2.1 Stufe AA)
        **teilweise vereinbar**. Die unten genannten Inhalte sind nicht vollständig
        barrierefrei.

        ## Nicht barrierefreie Inhalte

        - **Karten der Ortsteile:** Die Kartenansicht ist mit Tastatur und Screenreader nur
          eingeschränkt bedienbar. Alle Ortsteile stehen zusätzlich als Liste zur Verfügung;
          den Ortsteil eines Beitrags können Sie auch ohne Karte aus einer Liste wählen. Die
          angezeigten Grenzen sind ungefähre Demo-Grenzen, keine amtlichen Grenzen.
        - **Hochgeladene Dokumente:** Von Dritten bereitgestellte PDF-Dateien, zum Beispiel
          Gutachten oder Pläne, sind nicht immer barrierefrei. Auf Anfrage stellen wir die
          Inhalte in einer zugänglichen Form bereit.
        - **Bilder in Beiträgen:** Bilder, die Bürgerinnen und Bürger hochladen, haben nicht
          immer einen aussagekräftigen Alternativtext.

        ## Erstellung dieser Erklärung

        Diese Erklärung beruht auf einer Selbstbewertung mit automatischen Prüfwerkzeugen und
        manuellen Tests mit Tastatur und Screenreader. Sie wird bei jeder größeren Änderung der
        Plattform überprüft.

        ## Feedback und Kontakt

        Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Dann schreiben Sie uns über
        das **Formular auf dieser Seite**, per E-Mail an {email_link} oder rufen Sie uns an
        ({phone_link}). Wir antworten in der Regel innerhalb von zwei Wochen.

        Das Datum dieser Erklärung und die Stelle für das Durchsetzungsverfahren stehen
        unter diesem Text.

        {notice}
    """)


def _mail_link(email: str) -> str:
    return f"[{email}](mailto:{email})"


def legal_texts(name: str, address: str, email: str, phone: str) -> dict[str, str]:
    """Impressum, Datenschutzerklärung and Erklärung zur Barrierefreiheit of a municipality.

    E-mail addresses and telephone numbers are links (``mailto:``, ``tel:``), so they
    open the mail program or dial on a phone.
    """
    lines = f"{name}\n{address}".replace("\n", "  \n")  # Markdown hard line breaks
    phone_link = f"[{phone}]({tel_uri(phone)})" if tel_uri(phone) else phone
    common = {
        "name": name,
        "email_link": _mail_link(email),
        "phone_link": phone_link,
        "notice": DEMO_NOTICE,
    }
    return {
        "imprint": _IMPRINT.format(
            header=lines, represented_by="die Bürgermeisterin bzw. den Bürgermeister", **common
        ),
        "privacy": _PRIVACY.format(
            header=f"{lines}  \nE-Mail: {_mail_link(email)}",
            dpo_email_link=_mail_link(email.replace("beteiligung", "datenschutz")),
            **common,
        ),
        "accessibility": _ACCESSIBILITY.format(**common),
    }
