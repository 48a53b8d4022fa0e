import pytest
from django.test import TestCase

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.drafts import services, table_services
from mitmachen.drafts.models import COMMENT_TEXT, Draft, Paragraph
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.proposals.tests.conftest import project, region, set_phase  # noqa: F401

TEXT = """# Leitbild

Die Region will bis 2045 klimaneutral sein.

Klimaschutz soll sich lohnen.

# Mobilität

Jedes Dorf soll im Stundentakt erreichbar sein.
"""


@pytest.fixture
def manager(project):  # noqa: F811 - the imported fixture
    user = MembershipFactory(
        organisation=project.organisation, role=Role.PROJECT_MANAGER, user__display_name="Paula"
    ).user
    project.managers.add(user)
    return user


@pytest.fixture
def resident(db):
    return UserFactory(display_name="Renate")


@pytest.fixture
def responding(project):  # noqa: F811
    """The project's current phase lets residents respond to drafts."""
    set_phase(project, [COMMENT_TEXT])
    return project


def make_draft(project, manager, text=TEXT, *, public=True, slug="entwurf"):  # noqa: F811
    draft = Draft.objects.create(project=project, title="Klimaagenda", slug=slug, is_public=public)
    services.draft_import(user=manager, draft=draft, text=text)
    return draft


@pytest.fixture
def draft(project, manager):  # noqa: F811
    return make_draft(project, manager)


def paragraph(draft, number):
    found = Paragraph.objects.select_related("draft__project").get(draft=draft, number=number)
    return found


@pytest.fixture
def media(settings, tmp_path):
    """The Abwägungstabelle's files go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def table_files(draft, user):
    """Ask for the draft's Abwägungstabelle as files, as staff do; the task runs at once
    in tests (the immediate backend, once the request's transaction commits)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        table = table_services.weighing_table_request(user=user, draft=draft)
    table.refresh_from_db()
    return table


def table_pdf(draft, user):
    """The PDF of a newly made table (bytes)."""
    table = table_files(draft, user)
    assert table.done, table.message
    with table.pdf.open("rb") as handle:
        return handle.read()
