import pytest

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.drafts import services
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
