"""The overview, a measure's page and the origin box on a proposal's page cost the same
number of queries with few and with many measures (and Ortsteile, milestones, updates)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mitmachen.measures.models import Measure, MeasureUpdate, Milestone
from mitmachen.measures.selectors import TREE_ORDER
from mitmachen.measures.tests.factories import FieldOfActionFactory, GoalFactory, default_status
from mitmachen.proposals.models import ProposalStatus
from mitmachen.proposals.tests.factories import ProposalFactory


def grow(organisation, districts, project, total):
    """``total`` measures over 3 fields × 2 goals, each in both Ortsteile."""
    goals = [
        GoalFactory(field=FieldOfActionFactory(organisation=organisation))
        for _ in range(3)
        for _ in range(2)
    ]
    status = default_status("in_progress")
    measures = Measure.objects.bulk_create(
        Measure(
            organisation=organisation,
            goal=goals[n % len(goals)],
            project=project if n % 2 else None,
            title=f"Maßnahme {n}",
            status=status,
            progress=n % 101,
            published=True,
        )
        for n in range(total)
    )
    through = Measure.districts.through
    through.objects.bulk_create(
        through(measure_id=m.pk, district_id=d.pk) for m in measures for d in districts
    )
    return measures


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_overview_queries_do_not_grow(client, region, project, resident, signed_in):
    organisation = region["organisation"]
    districts = [region["west"], region["east"]]
    if signed_in:
        client.force_login(resident)
    url = reverse("measures:overview", args=[organisation.slug])
    grow(organisation, districts, project, 10)
    few = count(client, url)
    filtered_few = count(client, url + "?status=in_progress&ortsteil=west")
    Measure.objects.all().delete()
    grow(organisation, districts, project, 500)
    assert count(client, url) == few
    assert count(client, url + "?status=in_progress&ortsteil=west") == filtered_few
    assert few <= 15


def test_measure_page_queries_do_not_grow(
    client, region, project, manager, django_assert_max_num_queries
):
    organisation = region["organisation"]
    measure = grow(organisation, [region["west"], region["east"]], project, 1)[0]

    def add(n):
        Milestone.objects.bulk_create(
            Milestone(measure=measure, title=f"M{n}-{i}") for i in range(n)
        )
        MeasureUpdate.objects.bulk_create(
            MeasureUpdate(
                measure=measure, author=manager, text=f"U{n}-{i}", status=default_status()
            )
            for i in range(n)
        )
        measure.proposals.add(*[ProposalFactory(project=project, author=manager) for _ in range(n)])

    client.force_login(manager)  # staff: the update form and its statuses too
    add(2)
    few = count(client, measure.get_absolute_url())
    add(30)
    assert count(client, measure.get_absolute_url()) == few
    with django_assert_max_num_queries(25):
        client.get(measure.get_absolute_url())


def test_origin_box_on_the_proposal_page_does_not_grow(client, region, project, resident):
    organisation = region["organisation"]
    client.force_login(resident)  # signed in: never a cached page
    proposal = ProposalFactory(project=project, status=ProposalStatus.ACCEPTED)
    measures = grow(organisation, [region["west"]], project, 30)
    measures[0].proposals.add(proposal)
    one = count(client, proposal.get_absolute_url())
    for m in measures[1:]:
        m.proposals.add(proposal)
    many = client.get(proposal.get_absolute_url()).content.decode()
    assert many.count("Daraus wurde die Maßnahme") == 30
    assert count(client, proposal.get_absolute_url()) == one


def test_project_and_district_sections_cost_a_fixed_number_of_queries(
    client, region, project, resident
):
    organisation = region["organisation"]
    client.force_login(resident)
    grow(organisation, [region["west"]], project, 2)
    urls = [project.get_absolute_url(), region["west"].get_absolute_url()]
    few = [count(client, url) for url in urls]
    grow(organisation, [region["west"]], project, 40)
    assert [count(client, url) for url in urls] == few


def test_overview_is_paged_in_tree_order(client, region, project):
    organisation = region["organisation"]
    grow(organisation, [region["west"]], project, 120)
    url = reverse("measures:overview", args=[organisation.slug])
    pages = [client.get(url, {"seite": n}).content.decode() for n in (1, 2, 3)]
    assert [p.count('class="measure-card"') for p in pages] == [50, 50, 20]
    assert "120 Maßnahmen gefunden" in pages[0]
    assert "Maßnahmen 101 bis 120" in pages[2]
    # Every measure is listed once, fields and goals in the order of the tree.
    titles = [t for p in pages for t in re.findall(r">(Maßnahme \d+)</a>", p)]
    assert sorted(titles) == sorted(f"Maßnahme {n}" for n in range(120))
    expected = list(Measure.objects.order_by(*TREE_ORDER).values_list("title", flat=True))
    assert titles == expected
    # The filters stay in the links to the other pages.
    filtered = client.get(url, {"ortsteil": "west"}).content.decode()
    assert "ortsteil=west&amp;seite=2" in filtered or "seite=2&amp;ortsteil=west" in filtered


def _updates_with_files(measure, author, n):
    """``n`` updates, each with an image and a document row (the files are not read:
    the pages and feeds only name them; a feed asks storage for an image's size)."""
    from mitmachen.measures.models import MeasureUpdateDocument, MeasureUpdateImage

    updates = MeasureUpdate.objects.bulk_create(
        MeasureUpdate(measure=measure, author=author, text=f"U{i}") for i in range(n)
    )
    MeasureUpdateImage.objects.bulk_create(
        MeasureUpdateImage(update=u, image=f"x/{u.pk}.png", alt_text="Bild", width=2, height=1)
        for u in updates
    )
    MeasureUpdateDocument.objects.bulk_create(
        MeasureUpdateDocument(update=u, file=f"x/{u.pk}.pdf", title="Plan", kind="pdf", size=9)
        for u in updates
    )


def test_measure_page_and_feeds_with_images_and_documents_do_not_grow(
    client, region, project, manager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    organisation = region["organisation"]
    measure = grow(organisation, [region["west"]], project, 1)[0]
    urls = [
        measure.get_absolute_url(),
        reverse("measures:measure_feed", args=[measure.pk]),
        reverse("measures:feed", args=[organisation.slug]),
    ]
    _updates_with_files(measure, manager, 2)
    for url in urls:  # the first feed looks up the site once per process (cached after)
        client.get(url)
    few = [count(client, url) for url in urls]
    _updates_with_files(measure, manager, 40)
    assert [count(client, url) for url in urls] == few
    assert max(few) <= 12
    page = client.get(urls[0]).content.decode()
    assert page.count('alt="Bild"') == 42 and page.count(">Plan</a>") == 42
