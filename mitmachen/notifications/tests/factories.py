import factory

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.notifications.models import Kind, Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Kind.STATUS_CHANGED
    title = factory.Sequence(lambda n: f"Rückmeldung zu Ihrem Vorschlag {n}")
    text = "Die Verwaltung hat geantwortet."
    url = factory.Sequence(lambda n: f"/vorschlaege/{n + 1}/")
