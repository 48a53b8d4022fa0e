import pytest
from django.urls import reverse

from mitmachen.budgets.models import Budget, BudgetGroup
from mitmachen.budgets.tests.factories import IdeaFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_staff_add_a_budget_and_a_group_through_the_services(client, project, region):
    admin = MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        reverse("admin:budgets_budget_add"),
        {
            "project": project.pk,
            "title": "  Haushalt  2028 ",
            "description": "",
            "result_rule": "greedy",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    budget = Budget.objects.get()
    assert budget.title == "Haushalt 2028" and budget.result_rule_set_by == admin
    response = client.post(
        reverse("admin:budgets_budgetgroup_add"),
        {
            "budget": budget.pk,
            "name": "Ost",
            "amount": "5000",
            "ballot_rule": "approval",
            "max_choices": "2",
            "districts": [region["east"].pk],
            "order": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    group = BudgetGroup.objects.get()
    assert list(group.districts.all()) == [region["east"]] and group.max_choices == 2
    IdeaFactory(budget=budget, project=project, group=group)
    delete = reverse("admin:budgets_budgetgroup_delete", args=[group.pk])
    assert client.get(delete).status_code == 403  # it has an idea
