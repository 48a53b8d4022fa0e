import json

import pytest
from django.apps import apps
from django.core.management import call_command
from shapely.geometry import Point, shape

from mitmachen.accounts.models import User
from mitmachen.demo.services import DISTRICTS_FILE
from mitmachen.organisations.models import District, Organisation
from mitmachen.organisations.services import district_for_point
from mitmachen.projects.models import Phase, Project, ProjectState, Visibility

pytestmark = pytest.mark.django_db

BAD_BELZIG = {
    "Bad Belzig",
    "Bergholz",
    "Borne",
    "Dippmannsdorf",
    "Fredersdorf",
    "Groß Briesen",
    "Hagelberg",
    "Kuhlowitz",
    "Lübnitz",
    "Lüsse",
    "Lütte",
    "Neschholz",
    "Ragösen",
    "Schwanebeck",
    "Werbig",
}
WIESENBURG = {
    "Benken",
    "Grubo",
    "Jeserig/Fläming",
    "Jeserigerhütten",
    "Klepzig",
    "Lehnsdorf",
    "Medewitz",
    "Mützdorf",
    "Neuehütten",
    "Reetz",
    "Reetzerhütten",
    "Reppinichen",
    "Schlamau",
    "Schmerwitz",
    "Wiesenburg",
}


def snapshot():
    """What a second seed must leave as it is: the rows of every model, and when the
    region's main rows were last changed."""
    return {
        "rows": {
            model._meta.label: model._default_manager.count()
            for model in apps.get_models(include_auto_created=True)
        },
        "orgs": list(Organisation.objects.values_list("slug", "updated_at")),
        "districts": list(District.objects.values_list("slug", "updated_at")),
        "projects": list(Project.objects.values_list("slug", "updated_at")),
        "phases": list(Phase.objects.values_list("pk", "start", "end")),
        "users": list(User.objects.values_list("email", "password")),
    }


def test_seed_creates_the_region(demo_rows):
    # demo_rows is the copy of a seed_demo() run (tests/browser/test_demo_snapshot.py
    # checks that the copy equals a fresh seed).
    bad_belzig = Organisation.objects.get(slug="bad-belzig")
    wiesenburg = Organisation.objects.get(slug="wiesenburg-mark")
    assert set(bad_belzig.districts.values_list("name", flat=True)) == BAD_BELZIG
    assert set(wiesenburg.districts.values_list("name", flat=True)) == WIESENBURG
    assert District.objects.filter(is_demo_boundary=False).count() == 0
    titles = set(Project.objects.values_list("title", flat=True))
    assert {
        "INSEK Bad Belzig 2035+",
        "Meine Stadt der Zukunft",
        "Klimawerkstatt Fläming",
        "Zukunftsschusterei – Smart City Bad Belzig & Wiesenburg/Mark",
    } <= titles
    zukunft = Project.objects.get(slug="meine-stadt-der-zukunft")
    assert {"Vitale Innenstadt", "Lokale Mobilität", "Zukunftsfähige Wohnquartiere"} <= set(
        zukunft.topics.values_list("name", flat=True)
    )
    states = {p.state() for p in Project.objects.prefetch_related("phases")}
    assert states == {ProjectState.RUNNING, ProjectState.UPCOMING, ProjectState.FINISHED}
    assert set(Project.objects.values_list("visibility", flat=True)) == set(Visibility.values)
    assert Organisation.objects.filter(is_operator=True).count() == 1
    for email in ["admin@example.org", "moderation@example.org", "bewohnerin@example.org"]:
        assert User.objects.get(email=email).check_password("mitmachen-demo")


def test_seeding_again_changes_nothing_in_any_module(
    demo_rows, capsys, django_capture_on_commit_callbacks
):
    """Every module's demo hook included: no second row of any model (no second report,
    decision, notification, ballot …), nothing touched."""
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    out = capsys.readouterr().out
    assert "nichts geändert" in out
    assert "admin@example.org" in out and "mitmachen-demo" in out
    after = snapshot()
    changed = {
        label: (n, after["rows"][label])
        for label, n in before["rows"].items()
        if after["rows"][label] != n
    }
    assert not changed
    assert after == before


def test_every_village_centre_lies_in_its_own_district(demo_rows):
    features = json.loads(DISTRICTS_FILE.read_text())["features"]
    for feature in features:
        lon, lat = feature["properties"]["centre"]
        found = district_for_point(lon=lon, lat=lat)
        assert found is not None and found.name == feature["properties"]["name"]
        assert shape(feature["geometry"]).contains(Point(lon, lat))


def test_demo_proposals_cover_channels_quorum_and_responses(demo_rows):
    from django.db.models import Count

    from mitmachen.core.channels import Channel
    from mitmachen.proposals.models import Proposal, ProposalStatus

    assert set(Proposal.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert Proposal.objects.filter(
        status=ProposalStatus.IN_REVIEW, quorum_reached_at__isnull=False
    ).exists()
    assert Proposal.objects.filter(status=ProposalStatus.REJECTED).get().status_changes.count() == 2
    assert Proposal.objects.values("district").distinct().count() >= 8
    for proposal in Proposal.objects.annotate(n=Count("supports")):
        assert proposal.n == proposal.support_count


def test_demo_moderation_custom_status_and_notifications(demo_rows):
    from mitmachen.moderation.models import ActionKind, ModerationAction, Report
    from mitmachen.notifications.models import Notification
    from mitmachen.proposals.models import Proposal

    spam = Proposal.objects.get(title__startswith="!!! NUR HEUTE")
    assert spam.is_hidden and spam.hidden_cause == "moderator"
    assert Report.objects.about(spam).count() == 3
    assert set(ModerationAction.objects.values_list("kind", flat=True)) >= {ActionKind.HIDE}
    open_reports = Report.objects.filter(resolved_at__isnull=True)
    assert open_reports.count() == 1 and open_reports.get().target_kind == "comment"
    custom = Proposal.objects.get(custom_status__isnull=False)
    assert custom.status_label == "An den Ortsbeirat weitergeleitet"
    resident = User.objects.get(email="bewohnerin@example.org")
    assert Notification.objects.filter(recipient=resident).exists()


def test_demo_polls_closed_running_and_finished_vote(demo_rows):
    from mitmachen.polls import selectors, services
    from mitmachen.polls.models import Answer, Correction, PaperBatch, Poll, Response, TextReview

    innenstadt = Poll.objects.get(
        title="Vitale Innenstadt", project__slug="meine-stadt-der-zukunft"
    )
    assert innenstadt.is_closed() and innenstadt.results_are_public()
    responses = Response.objects.filter(poll=innenstadt)
    assert 250 <= responses.count() <= 400
    assert set(responses.values_list("channel", flat=True)) == {
        "online",
        "market_stand",
        "workshop",
    }
    # Online answers lie inside the survey's phase, as if given while it ran.
    online = responses.filter(channel="online")
    assert not online.filter(created_at__lt=innenstadt.phase.start).exists()
    assert not online.filter(created_at__gt=innenstadt.phase.end).exists()
    batches = PaperBatch.objects.filter(poll=innenstadt)
    assert batches.filter(checked_at__isnull=False).count() == 1
    checked = batches.get(checked_at__isnull=False)
    assert checked.checked_by != checked.entered_by
    assert Correction.objects.filter(poll=innenstadt).count() == 1
    reviews = set(
        Answer.objects.filter(response__poll=innenstadt, text__gt="").values_list(
            "review", flat=True
        )
    )
    assert reviews == {TextReview.APPROVED, TextReview.REJECTED, TextReview.PENDING}
    results = selectors.results(innenstadt, services.questions_of(innenstadt), public=True)
    assert results.total == responses.count()

    mobility = Poll.objects.get(title="Lokale Mobilität")
    assert mobility.is_open() and mobility.allow_changes
    assert Response.objects.filter(poll=mobility, participation__user__isnull=False).count() == 64

    naming = Poll.objects.get(title="Wie soll das soziokulturelle Zentrum heißen?")
    assert naming.kind == "vote" and naming.is_closed() and naming.project.state() == "finished"
    assert Response.objects.filter(poll=naming).count() > 300
    first = services.questions_of(naming)[0]
    assert all(option.image and option.image_alt for option in first.options.all())


def test_demo_accessibility_statement_leichte_sprache_and_contact_links(client, demo_rows):
    """Issue 18: statement dates and enforcement body, Leichte Sprache, contact as links."""
    for organisation in Organisation.objects.all():
        assert organisation.accessibility_created is not None
        assert organisation.accessibility_reviewed >= organisation.accessibility_created
        assert organisation.enforcement_name.startswith(
            "Landesbeauftragte für die Belange der Menschen mit Behinderungen"
        )
        # The demo cannot check the body's contact data, so it invents none.
        assert not organisation.enforcement_address
        assert not organisation.enforcement_email
        assert not organisation.enforcement_phone
        assert not organisation.enforcement_url
        assert "erfunden" in organisation.accessibility_easy
    easy = Project.objects.exclude(easy_language="")
    assert easy.count() >= 2
    assert all("erfunden" in project.easy_language for project in easy)

    html = client.get("/barrierefreiheit/").content.decode()
    assert "Landesbeauftragte für die Belange der Menschen mit Behinderungen" in html
    assert "Zuletzt überprüft am" in html
    assert "Kontaktdaten der Stelle sind hier noch nicht hinterlegt" in html
    for url in ("/impressum/", "/datenschutz/", "/barrierefreiheit/"):
        html = client.get(url).content.decode()
        assert 'href="mailto:beteiligung.bad-belzig@example.org"' in html, url
    assert 'href="tel:+4933841012345"' in client.get("/impressum/").content.decode()
    project = easy.first()
    html = client.get(project.get_absolute_url()).content.decode()
    assert 'href="#leichte-sprache" lang="de"' in html
