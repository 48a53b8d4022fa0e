import factory

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "status_changed"
    title = factory.Sequence(lambda n: f"Rückmeldung zu Ihrem Vorschlag {n}")
    text = "Die Verwaltung hat geantwortet."
    url = factory.Sequence(lambda n: f"/vorschlaege/{n + 1}/")
