"""Factories of the Bürgerhaushalt for read-side tests (they bypass the services)."""

import factory

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.budgets.models import Feasibility, Idea


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Bank am Teich {n}")
    description = "Eine Bank zum Ausruhen."
    estimated_cost = 300
    feasibility = Feasibility.PENDING
