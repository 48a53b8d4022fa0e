"""Who may see and run measures: roles × draft/published measure."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from mitmachen.core.permissions import decide
from mitmachen.measures.models import Measure
from mitmachen.measures.tests.factories import MeasureFactory
from mitmachen.projects.models import Visibility

#          role              view public, view draft, manage
MATRIX = [
    ("anonymous", True, False, False),
    ("resident", True, False, False),
    ("moderator", True, True, False),
    ("manager", True, True, True),
    ("admin", True, True, True),
    ("stranger_staff", True, False, False),
    ("superuser", True, True, True),
]


@pytest.mark.parametrize(("role", "sees_public", "sees_draft", "manages"), MATRIX)
def test_matrix(request, goal, role, sees_public, sees_draft, manages, fresh):
    user = AnonymousUser() if role == "anonymous" else fresh(request.getfixturevalue(role))
    public = MeasureFactory(goal=goal, published=True)
    draft = MeasureFactory(goal=goal, published=False)
    assert rules.has_perm("measures.view_measure", user, public) is sees_public
    assert rules.has_perm("measures.view_measure", user, draft) is sees_draft
    assert rules.has_perm("measures.manage_measure", user, public) is manages
    # Lists follow the same rule.
    listed = set(Measure.objects.visible_to(user).values_list("pk", flat=True))
    assert listed == {
        pk for pk, shown in ((public.pk, sees_public), (draft.pk, sees_draft)) if shown
    }


def test_a_measure_of_a_draft_project_stays_hidden_from_residents(goal, project, resident, admin):
    project.visibility = Visibility.DRAFT
    project.save()
    measure = MeasureFactory(goal=goal, project=project)
    assert not rules.has_perm("measures.view_measure", resident, measure)
    assert not Measure.objects.visible_to(resident).exists()
    assert rules.has_perm("measures.view_measure", admin, measure)


def test_following_needs_an_account_and_says_why(goal):
    measure = MeasureFactory(goal=goal)
    decision = decide(AnonymousUser(), "measures.follow_measure", measure)
    assert not decision
    assert "melden Sie sich an" in decision.reason
