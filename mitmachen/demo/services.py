"""Loads the demo region (Bad Belzig and Wiesenburg/Mark) through the regular services.

Idempotent: everything is matched by slug or e-mail and created only when it is
missing, so running it twice changes nothing.
"""

from __future__ import annotations

import io
import json
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from mitmachen.accounts.models import User
from mitmachen.comments.models import Comment
from mitmachen.comments.services import comment_create, comment_rate
from mitmachen.demo import data, projects_data, proposals_data
from mitmachen.demo.debates_data import seed_debates
from mitmachen.demo.polls_data import seed_polls
from mitmachen.moderation.models import Report
from mitmachen.moderation.services import hide, report_create
from mitmachen.notifications.services import without_mail
from mitmachen.organisations.models import District, Membership, Organisation
from mitmachen.organisations.services import districts_import
from mitmachen.projects import modules
from mitmachen.projects.models import Phase, Project, ProjectMembership, Topic
from mitmachen.proposals.models import CustomStatus, Proposal
from mitmachen.proposals.services import (
    OfflineOrigin,
    proposal_create,
    proposal_follow,
    status_set,
    support_add,
)

DISTRICTS_FILE = Path(__file__).with_name("districts.geojson")
# Demo moderation (invented): the advertisement is reported by three supporters and hidden
# by the moderator; one comment carries an open report that the moderator has yet to check.
SPAM_REPORTERS = (21, 22, 23)
SPAM_HIDE_REASON = (
    "Werbung für Produkte und Dienstleistungen ist auf der Plattform nicht erlaubt "
    "(Nutzungsregeln, Nr. 3)."
)
OPEN_REPORT = (
    "Mobil heißt leider auch: nachts weg. Lieber fest und gut geplant.",
    24,
    "other",
    "Ich finde den Ton gegenüber der Verfasserin unfreundlich.",
)
# Proposals the demo resident follows, so her notifications page has something to show.
RESIDENT_FOLLOWS = {"sitzbaenke-schatten-marktplatz", "fahrradbuegel-bahnhof"}
# A status the INSEK project adds to the standard ones, and a proposal that has it.
DEMO_CUSTOM_STATUS = {
    "project": "insek-bad-belzig-2035",
    "name": "An den Ortsbeirat weitergeleitet",
    "base": "in_review",
    "description": "Der Ortsbeirat berät den Vorschlag in seiner nächsten Sitzung.",
}
CUSTOM_STATUS_RESPONSES = {
    "bauplaetze-ragoesen": (
        "Der Vorschlag betrifft Flächen im Ortsteil Ragösen. Wir haben ihn an den "
        "Ortsbeirat weitergeleitet, der am nächsten Sitzungstermin darüber berät."
    ),
}

# Demo discussion (invented): (proposal key, supporter number or None for the resident,
# text, replies as (supporter number, text, rating of the top comment by that supporter)).
DEMO_COMMENTS: list[tuple[str, int, str, list[tuple[int | None, str, int]]]] = [
    (
        "sitzbaenke-schatten-marktplatz",
        3,
        "Unbedingt mit Rückenlehne! Die Bänke am Busbahnhof sind für Ältere kaum nutzbar.",
        [(7, "Und bitte nicht direkt neben die Parkplätze, da ist es zu laut.", 1)],
    ),
    (
        "sitzbaenke-schatten-marktplatz",
        12,
        "Am Markttag stehen dort die Stände. Vielleicht mobile Bänke, die man umstellen kann?",
        [
            (None, "Gute Idee – ich habe das im Vorschlag ergänzt.", 1),
            (15, "Mobil heißt leider auch: nachts weg. Lieber fest und gut geplant.", -1),
        ],
    ),
    (
        "fahrradbuegel-bahnhof",
        5,
        "Bitte auch überdacht, sonst sind die Sättel morgens nass.",
        [],
    ),
    (
        "feierabendmarkt",
        9,
        "Donnerstag passt gut, da ist am Bahnhof am meisten los.",
        [(10, "Dann aber bitte mit Fahrradständern in der Nähe.", 1)],
    ),
]

# Demo responses of the administration (invented), applied in order per proposal.
DEMO_RESPONSES = {
    "sitzbaenke-schatten-marktplatz": [
        (
            "in_review",
            "Vielen Dank für die vielen Unterstützungen! Das Quorum ist erreicht. Das "
            "Bauamt prüft bis Ende des Monats, wo am Marktplatz Bänke und Bäume "
            "Platz finden, ohne Markttage und Feuerwehrzufahrt zu behindern.",
        ),
    ],
    "fahrradbuegel-bahnhof": [
        (
            "accepted",
            "Die Stadt stellt im Frühjahr 20 zusätzliche Fahrradbügel am Bahnhof auf. "
            "Die Mittel stammen aus dem Programm „Meine Stadt der Zukunft“.",
        ),
    ],
    "oeffentliche-toilette-altstadt": [
        (
            "in_review",
            "Wir prüfen zwei Standorte: am Marktplatz und an der Burg Eisenhardt.",
        ),
        (
            "rejected",
            "Ein Neubau ist in diesem Jahr nicht finanzierbar. Stattdessen öffnen "
            "Rathaus und Tourist-Information ihre Toiletten zu den Öffnungszeiten "
            "für alle; ein Hinweisschild folgt.",
        ),
    ],
}
ORGANISATION_FIELDS = [
    "name",
    "short_name",
    "description",
    "primary_color",
    "contact_email",
    "contact_phone",
    "address",
    "website",
    "is_operator",
    "imprint",
    "privacy",
    "accessibility",
    "accessibility_created",
    "accessibility_reviewed",
    "accessibility_easy",
    "enforcement_name",
]


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)

    def add(self, kind: str, name: str) -> None:
        self.created.append(f"{kind}: {name}")


def _day_start(offset_days: int) -> datetime:
    day = timezone.localdate() + timedelta(days=offset_days)
    return timezone.make_aware(datetime.combine(day, time.min))


def _illustration(seed: str, colour: str) -> ContentFile[bytes]:
    """A simple generated landscape illustration (no external assets, no text)."""
    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    width, height = 960, 400
    image = Image.new("RGB", (width, height), "#dfe9f0")
    draw = ImageDraw.Draw(image)
    base = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for layer in range(4):
        shade = tuple(min(255, c + (3 - layer) * 40) for c in base)
        y0 = 170 + layer * 45
        points = [(0, height)]
        for x in range(0, width + 80, 80):
            points.append((x, y0 + rng.randint(-30, 30)))
        points.append((width, height))
        draw.polygon(points, fill=shade)
    for _ in range(6):
        x = rng.randint(40, width - 80)
        y = rng.randint(230, 330)
        draw.rectangle([x, y, x + 40, y + 34], fill="#f7f3e8")
        draw.polygon([(x - 6, y), (x + 20, y - 22), (x + 46, y)], fill="#9b3b2e")
    draw.ellipse([800, 40, 870, 110], fill="#f4c542")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{seed}.png")


def seed_demo() -> SeedReport:
    # The demo region shows notifications in the app, but sends no e-mails to its
    # invented accounts. The flag is read when the notifications are written, after the
    # transaction commits, so it wraps the transaction.
    with without_mail():
        return _seed_demo()


@transaction.atomic
def _seed_demo() -> SeedReport:
    report = SeedReport()
    organisations: dict[str, Organisation] = {}
    for spec in data.ORGANISATIONS:
        organisation = Organisation.objects.filter(slug=spec["slug"]).first()
        if organisation is None:
            organisation = Organisation(
                slug=spec["slug"], **{k: spec[k] for k in ORGANISATION_FIELDS}
            )
            organisation.full_clean()
            organisation.save()
            report.add("Kommune", organisation.name)
        organisations[spec["slug"]] = organisation

    collection = json.loads(DISTRICTS_FILE.read_text(encoding="utf-8"))
    for slug, organisation in organisations.items():
        features = [f for f in collection["features"] if f["properties"]["municipality"] == slug]
        result = districts_import(
            organisation=organisation,
            collection={"type": "FeatureCollection", "features": features},
        )
        if result.rejected:
            raise ValueError(f"Demo districts rejected: {result.rejected}")
        for name in result.created:
            report.add("Ortsteil", name)
    districts = {d.slug: d for d in District.objects.all()}

    topics: dict[str, Topic] = {}
    for spec in data.TOPICS:
        topic, created = Topic.objects.get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "description": spec["description"]}
        )
        topics[spec["slug"]] = topic
        if created:
            report.add("Thema", topic.name)

    for spec in projects_data.PROJECTS:
        if Project.objects.filter(slug=spec["slug"]).exists():
            continue
        organisation = organisations[spec["organisation"]]
        project = Project(
            slug=spec["slug"],
            title=spec["title"],
            organisation=organisation,
            summary=spec["summary"],
            description=spec["description"],
            easy_language=spec.get("easy_language", ""),
            image_alt=spec["image_alt"],
            visibility=spec["visibility"],
            support_quorum=spec.get("support_quorum"),
        )
        project.image = _illustration(spec["slug"], organisation.primary_color)
        project.full_clean()
        project.save()
        project.partner_organisations.set(organisations[s] for s in spec.get("partners", []))
        project.topics.set(topics[s] for s in spec["topics"])
        project.districts.set(districts[s] for s in spec["districts"])
        for phase_spec in spec["phases"]:
            phase = Phase(
                project=project,
                name=phase_spec["name"],
                description=phase_spec["description"],
                start=_day_start(phase_spec["start"]),
                end=_day_start(phase_spec["end"]),
                actions=phase_spec["actions"],
            )
            phase.full_clean()
            phase.save()
        report.add("Beteiligungsprozess", project.title)

    for spec in data.DEMO_USERS:
        user = User.objects.filter(email=spec["email"]).first()
        if user is not None:
            continue
        user = User.objects.create_user(
            email=spec["email"],
            password=data.DEMO_PASSWORD,
            display_name=spec["display_name"],
            is_superuser=spec.get("is_superuser", False),
            is_staff=spec.get("is_superuser", False),
            home_district=districts.get(spec.get("home_district") or ""),
        )
        _verify_email(user)
        for org_slug, role in spec.get("memberships", []):
            Membership.objects.get_or_create(
                user=user, organisation=organisations[org_slug], defaults={"role": role}
            )
        for project_slug in spec.get("manages", []):
            Project.objects.get(slug=project_slug).managers.add(user)
        for project_slug in spec.get("private_projects", []):
            ProjectMembership.objects.get_or_create(
                user=user, project=Project.objects.get(slug=project_slug)
            )
        report.add("Konto", user.email)
    _seed_proposals(report)
    # Modules added through the contract bring their own demo content.
    for module in modules.registered():
        if module.demo is not None:
            module.demo(report)
    return report


def _seed_proposals(report: SeedReport) -> None:
    """Proposals with supports, through the same services the site uses."""
    supporters = []
    for number in range(1, proposals_data.DEMO_SUPPORTER_COUNT + 1):
        user, created = User.objects.get_or_create(
            email=f"unterstuetzer{number}@example.org",
            defaults={"display_name": f"Unterstützer {number}"},
        )
        if created:
            user.set_unusable_password()  # demo supporters never log in
            user.save(update_fields=["password"])
        supporters.append(user)
    staff = User.objects.get(email=data.DEMO_USERS[0]["email"])
    resident = User.objects.get(email=data.DEMO_USERS[3]["email"])
    spammer, created = User.objects.get_or_create(
        email=proposals_data.DEMO_SPAMMER["email"],
        defaults={"display_name": proposals_data.DEMO_SPAMMER["display_name"]},
    )
    if created:
        spammer.set_unusable_password()
        spammer.save(update_fields=["password"])
    custom_status, _created = CustomStatus.objects.get_or_create(
        project=Project.objects.get(slug=DEMO_CUSTOM_STATUS["project"]),
        name=DEMO_CUSTOM_STATUS["name"],
        defaults={
            "base": DEMO_CUSTOM_STATUS["base"],
            "description": DEMO_CUSTOM_STATUS["description"],
        },
    )
    for spec in proposals_data.PROPOSALS:
        project = Project.objects.get(slug=spec["project"])
        if Proposal.objects.filter(project=project, title=spec["title"]).exists():
            continue
        author = User.objects.get(email=spec["author"]) if spec["author"] else None
        offline = None
        if spec["channel"] != "online":
            origin = spec["offline"]
            offline = OfflineOrigin(
                channel=spec["channel"],
                submitted_on=timezone.localdate() + timedelta(days=origin["date_offset"]),
                place=origin["place"],
                name=origin["name"],
                consent=origin["consent"],
            )
        lon, lat = spec["point"] if spec["point"] else (None, None)
        proposal = proposal_create(
            author=author,
            project=project,
            title=spec["title"],
            text=spec["text"],
            topic=Topic.objects.get(slug=spec["topic"]) if spec["topic"] else None,
            district=District.objects.filter(slug=spec["district"]).first()
            if spec["district"]
            else None,
            lon=lon,
            lat=lat,
            place_description=spec["place"],
            offline=offline,
            entered_by=staff if offline else None,
        )
        submitted = timezone.now() - timedelta(days=spec["age_days"])
        Proposal.objects.filter(pk=proposal.pk).update(created_at=submitted, updated_at=submitted)
        if spec["key"] in RESIDENT_FOLLOWS:
            proposal_follow(user=resident, proposal=proposal)
        for supporter in supporters[: spec["supporters"]]:
            support_add(user=supporter, proposal=proposal, notify=False)
        _seed_comments(spec["key"], proposal, supporters)
        for status, response in DEMO_RESPONSES.get(spec["key"], []):
            # Authors and followers get their notifications, as on the live site.
            status_set(user=staff, proposal=proposal, status=status, response=response)
        if spec["key"] in CUSTOM_STATUS_RESPONSES:
            status_set(
                user=staff,
                proposal=proposal,
                custom_status=custom_status,
                response=CUSTOM_STATUS_RESPONSES[spec["key"]],
            )
        if spec["key"] == "hidden-spam":
            _seed_spam_moderation(proposal, supporters)
        report.add("Vorschlag", proposal.title)
    _seed_open_report(supporters)
    zukunft = Project.objects.get(slug="meine-stadt-der-zukunft")
    existing = set(zukunft.debates.values_list("pk", flat=True))
    debates = seed_debates(
        project=zukunft,
        staff=User.objects.get(email=data.DEMO_USERS[1]["email"]),
        residents=[resident, *supporters[:15]],
    )
    for debate in debates:
        if debate.pk not in existing:
            report.add("Debatte", debate.question)
    for poll in seed_polls(
        staff=User.objects.get(email=data.DEMO_USERS[1]["email"]),
        checker=staff,
        residents=supporters,
    ):
        report.add(poll.get_kind_display(), poll.title)


def _seed_spam_moderation(proposal: Proposal, supporters: list[User]) -> None:
    """Three reports, then the moderator's decision (hidden even if auto-hide is off)."""
    moderator = User.objects.get(email=data.DEMO_USERS[2]["email"])
    for number in SPAM_REPORTERS:
        report_create(reporter=supporters[number - 1], target=proposal, reason="spam")
    proposal.refresh_from_db()
    hide(moderator=moderator, target=proposal, reason=SPAM_HIDE_REASON)


def _seed_open_report(supporters: list[User]) -> None:
    text, number, reason, explanation = OPEN_REPORT
    comment = Comment.objects.filter(text=text).first()
    reporter = supporters[number - 1]
    if comment is None or Report.objects.about(comment).filter(reporter=reporter).exists():
        return
    report_create(reporter=reporter, target=comment, reason=reason, text=explanation)


def _seed_comments(key: str, proposal: Proposal, supporters: list[User]) -> None:
    resident = User.objects.get(email=data.DEMO_USERS[3]["email"])

    def person(number: int | None) -> User:
        return resident if number is None else supporters[number - 1]

    for comment_key, number, text, replies in DEMO_COMMENTS:
        if comment_key != key or not proposal.project.allows("comment"):
            continue
        top = comment_create(
            author=person(number), project=proposal.project, proposal=proposal, text=text
        )
        for reply_number, reply_text, rating in replies:
            comment_create(
                author=person(reply_number),
                project=proposal.project,
                proposal=proposal,
                reply_to=top,
                text=reply_text,
            )
            if person(reply_number) != top.author:
                comment_rate(user=person(reply_number), comment=top, value=rating)


def _verify_email(user: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def demo_logins() -> list[dict[str, Any]]:
    return [
        {"email": spec["email"], "password": data.DEMO_PASSWORD, "name": spec["display_name"]}
        for spec in data.DEMO_USERS
    ]
