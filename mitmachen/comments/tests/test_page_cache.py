"""Every write on comments and debates shows at once on the cached anonymous pages.

Saved or deleted rows make their project's pages stale through the modules'
declarations (``comments/module.py``, ``debates/module.py``); the services' ``UPDATE``s
(edit, delete, switching a rating, editing, closing, reopening a debate) call
``projects.modules.changed``. Each test fails when its declaration or call goes missing.
"""

import pytest

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments import services
from mitmachen.comments.models import RatingValue
from mitmachen.debates import services as debate_services
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def open_project():
    project = ProjectFactory(slug="debatten-und-kommentare")
    PhaseFactory(project=project, actions=["comment", "debate"])
    return project


@pytest.fixture
def author():
    return UserFactory()


@pytest.fixture
def admin(open_project):
    return MembershipFactory(organisation=open_project.organisation, role=Role.ADMIN).user


@pytest.fixture
def comment(open_project, author, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.comment_create(
            author=author, project=open_project, text="Mehr Schatten am Spielplatz."
        )


def test_a_new_comment(fresh_page, open_project, author):
    url = open_project.get_absolute_url()
    page = fresh_page(
        url,
        lambda: services.comment_create(
            author=author, project=open_project, text="Ein neuer Gedanke zum Markt."
        ),
    )
    assert "Ein neuer Gedanke zum Markt." in page


def test_an_edited_and_a_deleted_comment(fresh_page, open_project, author, comment):
    url = open_project.get_absolute_url()
    page = fresh_page(
        url, lambda: services.comment_update(user=author, comment=comment, text="Mehr Bäume.")
    )
    assert "Mehr Bäume." in page
    page = fresh_page(url, lambda: services.comment_delete(user=author, comment=comment))
    assert "Mehr Bäume." not in page


def test_a_rating_given_switched_and_taken_back(fresh_page, open_project, comment):
    url = open_project.get_absolute_url()
    rater = UserFactory()
    fresh_page(
        url, lambda: services.comment_rate(user=rater, comment=comment, value=RatingValue.UP)
    )
    fresh_page(
        url, lambda: services.comment_rate(user=rater, comment=comment, value=RatingValue.DOWN)
    )
    fresh_page(url, lambda: services.comment_rate(user=rater, comment=comment, value=0))


def test_a_debate_opened_edited_closed_and_reopened(fresh_page, open_project, admin):
    url = f"/projekte/{open_project.slug}/debatten/"
    holder = {}

    def create():
        holder["debate"] = debate_services.debate_create(
            author=admin, project=open_project, question="Soll der Markt autofrei werden?"
        )

    assert "Soll der Markt autofrei werden?" in fresh_page(url, create)
    debate = holder["debate"]
    page = fresh_page(
        url,
        lambda: debate_services.debate_update(
            user=admin, debate=debate, question="Soll der Marktplatz autofrei werden?"
        ),
    )
    assert "Soll der Marktplatz autofrei werden?" in page
    fresh_page(
        url,
        lambda: debate_services.debate_close(
            user=admin, debate=debate, conclusion="Der Rat entscheidet im Mai."
        ),
    )
    fresh_page(url, lambda: debate_services.debate_reopen(user=admin, debate=debate))
