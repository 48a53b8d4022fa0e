"""Issue 18, findings 16, 17 and 21: Leichte Sprache, Gebärdensprache, the statement, contact links.

BITV 2.0 § 4 asks public bodies to explain the site's content, its navigation and the
accessibility statement in Leichte Sprache and in Deutsche Gebärdensprache, linked
from every page. The statement needs its date and the enforcement body's contact.
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mitmachen.organisations import sign_language
from mitmachen.organisations.admin import OrganisationAdminForm
from mitmachen.organisations.phone import tel_uri
from mitmachen.organisations.tests.factories import OrganisationFactory
from mitmachen.projects.models import Visibility
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 64
VTT = b"WEBVTT\n\n00:00.000 --> 00:04.000\nWillkommen bei Mitmachen.\n"


class Headings(HTMLParser):
    """Collects the heading levels inside <main>."""

    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.in_main = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "main":
            self.in_main = True
        elif self.in_main and re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.in_main = False


def heading_levels(html: str) -> list[int]:
    parser = Headings()
    parser.feed(html)
    return parser.levels


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def statement_org(db):
    return OrganisationFactory(
        is_operator=True,
        name="Stadt Beispielstadt",
        contact_email="rathaus@example.org",
        contact_phone="033841 0123-45",
        imprint="## Angaben gemäß § 5 DDG\n\nText\n\n## Kontakt\n\nText",
        privacy="## 1. Verantwortlicher\n\nText\n\n### Unterpunkt\n\nText",
        accessibility="Einleitung\n\n## Stand der Vereinbarkeit\n\nText",
        accessibility_created=date(2026, 11, 22),
        accessibility_reviewed=date(2026, 12, 6),
        accessibility_easy="Die **Karten** sind noch schwierig.",
        enforcement_name="Landesbeauftragte für die Belange der Menschen mit Behinderungen",
        enforcement_address="Musterstraße 1\n14467 Potsdam",
        enforcement_email="stelle@example.org",
        enforcement_phone="0331 866-0",
        enforcement_url="https://example.org/durchsetzung",
    )


# --- Finding 21: heading levels on the legal pages ---------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/kommunen/{slug}/impressum/",
        "/kommunen/{slug}/barrierefreiheit/",
    ],
)
def test_legal_pages_do_not_skip_heading_levels(client, statement_org, url):
    html = client.get(url.format(slug=statement_org.slug)).content.decode()
    levels = heading_levels(html)
    assert levels[0] == 1
    assert levels[1] == 2, levels
    for previous, current in itertools.pairwise(levels):
        assert current <= previous + 1, f"h{previous} followed by h{current}: {levels}"


# --- Finding 17: date, enforcement body, contact links, feedback labels ------------


def test_statement_shows_dates_and_enforcement_body(client, statement_org):
    html = client.get("/barrierefreiheit/").content.decode()
    assert '<time datetime="2026-11-22">22. November 2026</time>' in html
    assert '<time datetime="2026-12-06">6. Dezember 2026</time>' in html
    assert "Landesbeauftragte für die Belange der Menschen mit Behinderungen" in html
    assert "Musterstraße 1<br>14467 Potsdam" in html
    assert 'href="mailto:stelle@example.org"' in html
    assert 'href="tel:+493318660"' in html
    assert 'href="https://example.org/durchsetzung"' in html


def test_statement_without_dates_or_body_says_so_and_shows_no_empty_fields(client):
    organisation = OrganisationFactory(is_operator=True)
    html = client.get("/barrierefreiheit/").content.decode()
    assert "noch nicht angegeben" in html
    assert "None" not in html
    assert "Erstellt am" not in html
    # Only the name given (as in the demo): the name, no empty contact rows.
    organisation.enforcement_name = "Landesbeauftragte"
    organisation.save()
    html = client.get("/barrierefreiheit/").content.decode()
    assert "Landesbeauftragte" in html
    assert "Kontaktdaten der Stelle sind hier noch nicht hinterlegt" in html
    assert 'href="mailto:"' not in html
    assert 'href=""' not in html


def test_review_before_creation_is_refused_in_german():
    organisation = OrganisationFactory.build(
        accessibility_created=date(2026, 12, 6), accessibility_reviewed=date(2026, 1, 1)
    )
    with pytest.raises(Exception) as info:
        organisation.full_clean()
    assert "Überprüfung kann nicht vor der Erstellung" in str(info.value)


def test_municipality_page_links_e_mail_and_phone(client, statement_org):
    html = client.get(statement_org.get_absolute_url()).content.decode()
    assert '<a class="kern-link" href="mailto:rathaus@example.org">' in html
    assert '<a class="kern-link" href="tel:+4933841012345">033841 0123-45</a>' in html


def test_legal_pages_link_e_mail_and_phone_of_the_municipality(client, statement_org):
    html = client.get("/barrierefreiheit/").content.decode()
    assert 'href="mailto:rathaus@example.org"' in html
    assert 'href="tel:+4933841012345"' in html


@pytest.mark.parametrize(
    ("number", "uri"),
    [
        ("033841 0123-45", "tel:+4933841012345"),
        ("+49 (0)331 866-0", "tel:+493318660"),
        ("+49 331 866-0", "tel:+493318660"),
        ("0049 331 8660", "tel:+493318660"),
        ("112", "tel:112"),
        ("auf Anfrage", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_tel_uri(number, uri):
    assert tel_uri(number) == uri


def test_feedback_form_says_freiwillig_once_per_optional_field(client, statement_org):
    html = client.get("/barrierefreiheit/").content.decode()
    assert "(freiwillig) (freiwillig)" not in html
    assert "(freiwillig)</span>" in html
    assert html.count("(freiwillig)") == 3


# --- Finding 16: Leichte Sprache ---------------------------------------------------


EASY_PAGES = [
    ("/leichte-sprache/", "Was ist Mitmachen?"),
    ("/leichte-sprache/mitmachen/", "So machen Sie mit"),
    ("/leichte-sprache/registrieren/", "So melden Sie sich an"),
    ("/leichte-sprache/barrierefreiheit/", "Erklärung zur Barriere·freiheit"),
]


@pytest.mark.parametrize(("url", "heading"), EASY_PAGES)
def test_easy_language_pages_are_german_in_the_english_interface(
    client, statement_org, url, heading
):
    response = english(client).get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en"' in html
    assert '<div class="easy-language" lang="de">' in html
    assert f"Leichte Sprache: {heading}" in html


def test_easy_language_pages_work_before_any_municipality_exists(client):
    for url, heading in EASY_PAGES[:3]:
        response = client.get(url)
        assert response.status_code == 200
        assert f"Leichte Sprache: {heading}" in response.content.decode()


def test_unknown_easy_language_page_is_404(client, statement_org):
    assert client.get("/leichte-sprache/gibt-es-nicht/").status_code == 404


def test_easy_language_statement_reflects_the_municipality(client, statement_org):
    other = OrganisationFactory(name="Gemeinde Anderswo")
    html = english(client).get("/leichte-sprache/barrierefreiheit/").content.decode()
    assert "Diese Internet·seite gehört: Stadt Beispielstadt." in html
    assert "am 22. November 2026 geschrieben" in html  # German month in the English UI
    assert "zuletzt am 6. Dezember 2026 geprüft" in html
    assert "Die <strong>Karten</strong> sind noch schwierig." in html
    assert "Landesbeauftragte für die Belange der Menschen mit Behinderungen" in html
    assert 'href="tel:+493318660"' in html
    html = client.get(
        reverse("organisations:easy_language_accessibility", args=[other.slug])
    ).content.decode()
    assert "Diese Internet·seite gehört: Gemeinde Anderswo." in html
    assert "Das Datum steht hier noch nicht." in html
    assert "Wir haben die Stelle für Beschwerden hier noch nicht eingetragen." in html
    assert "Diesen Teil gibt es noch nicht in Leichter Sprache." in html


def test_easy_language_index_lists_projects_with_a_summary_visible_to_the_person(
    client, statement_org
):
    public = ProjectFactory(organisation=statement_org, title="Neuer Spielplatz")
    public.easy_language = "Wir bauen einen Spiel·platz."
    public.save()
    draft = ProjectFactory(
        organisation=statement_org, title="Geheimer Entwurf", visibility=Visibility.DRAFT
    )
    draft.easy_language = "Geheim."
    draft.save()
    html = client.get("/leichte-sprache/").content.decode()
    assert f'href="{public.get_absolute_url()}#leichte-sprache"' in html
    assert "Geheimer Entwurf" not in html


@pytest.mark.parametrize("url", ["/", "/projekte/", "/impressum/", "/kommunen/"])
def test_every_page_links_leichte_sprache_and_gebaerdensprache_in_the_header(
    client, statement_org, url
):
    html = english(client).get(url).content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert 'href="/leichte-sprache/" lang="de"' in header
    assert ">Leichte Sprache</a>" in header
    assert 'href="/gebaerdensprache/" lang="de"' in header
    assert ">Gebärdensprache</a>" in header


def test_project_page_offers_its_easy_language_summary(client, statement_org):
    project = ProjectFactory(organisation=statement_org)
    PhaseFactory(project=project)
    project.easy_language = (
        "Die Stadt baut einen **Spiel·platz**.\n\n## Was Sie tun können\n\n"
        "Sagen Sie Ihre Meinung.<script>alert(1)</script>"
    )
    project.save()
    html = english(client).get(project.get_absolute_url()).content.decode()
    assert '<a class="kern-link" href="#leichte-sprache" lang="de">In Leichter Sprache</a>' in html
    section = html[html.index('id="leichte-sprache"') :]
    section = section[: section.index("</section>")]
    assert 'lang="de"' in section
    assert "<strong>Spiel·platz</strong>" in section
    assert "<h3>Was Sie tun können</h3>" in section  # under the section's own h2
    assert "<script" not in section


def test_project_page_without_summary_has_no_link(client, statement_org):
    project = ProjectFactory(organisation=statement_org)
    PhaseFactory(project=project)
    html = client.get(project.get_absolute_url()).content.decode()
    assert "#leichte-sprache" not in html


def test_staff_edit_the_summary_in_the_admin(admin_client, statement_org):
    project = ProjectFactory(organisation=statement_org)
    html = admin_client.get(
        reverse("admin:projects_project_change", args=[project.pk])
    ).content.decode()
    assert 'name="easy_language"' in html


# --- Finding 16: Deutsche Gebärdensprache ------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def admin_form(organisation, files, **data):
    fields = {
        "name": organisation.name,
        "slug": organisation.slug,
        "primary_color": "#004b76",
        "sign_language_transcript": "Willkommen bei Mitmachen.",
        **data,
    }
    return OrganisationAdminForm(data=fields, files=files, instance=organisation)


def test_sign_language_page_without_video_says_it_is_in_preparation(client, statement_org):
    response = client.get("/gebaerdensprache/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Das Video ist in Vorbereitung" in html
    assert "<video" not in html
    assert 'href="mailto:rathaus@example.org"' in html
    assert 'href="tel:+4933841012345"' in html
    html = english(client).get("/gebaerdensprache/").content.decode()
    assert "The video is in preparation" in html


def test_uploaded_video_is_shown_with_captions_and_transcript(client, statement_org, media_root):
    form = admin_form(
        statement_org,
        {
            "sign_language_video": SimpleUploadedFile("dgs.mp4", MP4, "video/mp4"),
            "sign_language_captions": SimpleUploadedFile("dgs.vtt", VTT, "text/vtt"),
        },
        sign_language_transcript="## Begrüßung\n\nWillkommen bei Mitmachen.",
    )
    assert form.is_valid(), form.errors
    form.save()
    organisation = form.instance
    html = client.get(f"/kommunen/{organisation.slug}/gebaerdensprache/").content.decode()
    assert "<video controls" in html
    assert f'<source src="/media/{organisation.sign_language_video.name}" type="video/mp4">' in html
    captions_url = f"/kommunen/{organisation.slug}/gebaerdensprache/untertitel.vtt"
    assert f'<track kind="captions" srclang="de" label="Deutsch" src="{captions_url}"' in html
    assert "<h3>Begrüßung</h3>" in html
    assert "in Vorbereitung" not in html
    captions = client.get(captions_url)
    assert captions["Content-Type"] == "text/vtt; charset=utf-8"
    assert b"".join(captions.streaming_content).startswith(b"WEBVTT")
    # The operator's page (header link) shows the same video.
    assert "<video controls" in client.get("/gebaerdensprache/").content.decode()


def test_captions_of_a_municipality_without_captions_are_404(client, statement_org):
    url = f"/kommunen/{statement_org.slug}/gebaerdensprache/untertitel.vtt"
    assert client.get(url).status_code == 404
    assert client.get("/kommunen/gibt-es-nicht/gebaerdensprache/").status_code == 404


@pytest.mark.parametrize(
    ("files", "field", "message"),
    [
        ({"sign_language_video": ("dgs.mp4", b"kein Video")}, "sign_language_video", "kein Video"),
        ({"sign_language_video": ("dgs.mp4", WEBM)}, "sign_language_video", "Endung passt nicht"),
        ({"sign_language_video": ("dgs.avi", MP4)}, "sign_language_video", "MP4 oder WebM"),
        (
            {"sign_language_captions": ("dgs.vtt", b"00:00.000 --> 00:01.000\nHallo\n")},
            "sign_language_captions",
            "mit „WEBVTT“ beginnen",
        ),
        (
            {"sign_language_captions": ("dgs.vtt", b"WEBVTTX\n")},
            "sign_language_captions",
            "mit „WEBVTT“ beginnen",
        ),
        ({"sign_language_captions": ("dgs.srt", VTT)}, "sign_language_captions", "(.vtt)"),
        (
            {"sign_language_captions": ("dgs.vtt", b"WEBVTT\n\xff\xfe")},
            "sign_language_captions",
            "UTF-8",
        ),
        (
            {"sign_language_video": ("dgs.webm", WEBM)},
            "sign_language_captions",
            "auch die Untertitel",
        ),
    ],
)
def test_bad_uploads_are_refused_in_german_and_store_nothing(
    statement_org, media_root, files, field, message
):
    uploads = {name: SimpleUploadedFile(*spec) for name, spec in files.items()}
    form = admin_form(statement_org, uploads)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])
    statement_org.refresh_from_db()
    assert not statement_org.sign_language_video
    assert not statement_org.sign_language_captions
    assert not any(media_root.rglob("*.*"))


def test_oversized_files_are_refused(statement_org, media_root, monkeypatch):
    monkeypatch.setattr(sign_language, "MAX_VIDEO_BYTES", len(MP4) - 1)
    monkeypatch.setattr(sign_language, "MAX_CAPTIONS_BYTES", len(VTT) - 1)
    form = admin_form(
        statement_org,
        {
            "sign_language_video": SimpleUploadedFile("dgs.mp4", MP4),
            "sign_language_captions": SimpleUploadedFile("dgs.vtt", VTT),
        },
    )
    assert not form.is_valid()
    assert "größer als 200 MB" in " ".join(form.errors["sign_language_video"])
    assert "größer als 1 MB" in " ".join(form.errors["sign_language_captions"])


def test_video_needs_a_transcript(statement_org, media_root):
    form = admin_form(
        statement_org,
        {
            "sign_language_video": SimpleUploadedFile("dgs.webm", WEBM),
            "sign_language_captions": SimpleUploadedFile("dgs.vtt", b"\xef\xbb\xbf" + VTT),
        },
        sign_language_transcript="",
    )
    assert not form.is_valid()
    assert "Abschrift" in " ".join(form.errors["sign_language_transcript"])


def test_staff_maintain_statement_and_sign_language_in_the_admin(admin_client, statement_org):
    html = admin_client.get(
        reverse("admin:organisations_organisation_change", args=[statement_org.pk])
    ).content.decode()
    assert 'enctype="multipart/form-data"' in html
    for name in (
        "accessibility_created",
        "accessibility_reviewed",
        "accessibility_easy",
        "enforcement_name",
        "enforcement_address",
        "enforcement_email",
        "enforcement_phone",
        "enforcement_url",
        "sign_language_video",
        "sign_language_captions",
        "sign_language_transcript",
    ):
        assert f'name="{name}"' in html, name
