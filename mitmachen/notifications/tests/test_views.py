import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.notifications.context_processors import unread
from mitmachen.notifications.models import Notification
from mitmachen.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db
LIST = "/benachrichtigungen/"


def make(recipient, count, **kwargs):
    """``count`` notifications for ``recipient``, one minute apart (the last is newest)."""
    start = timezone.now() - timedelta(days=1)
    made = NotificationFactory.create_batch(count, recipient=recipient, **kwargs)
    for i, n in enumerate(made):
        Notification.objects.filter(pk=n.pk).update(created_at=start + timedelta(minutes=i))
    return made


def unread_ids(user):
    return set(
        Notification.objects.filter(recipient=user, read_at__isnull=True).values_list(
            "pk", flat=True
        )
    )


class TestList:
    def test_anonymous_visitors_are_sent_to_login(self, client):
        response = client.get(LIST)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/?next=/benachrichtigungen/")

    def test_newest_first_and_unread_marked(self, client, user):
        old, new = make(user, 2)
        Notification.objects.filter(pk=old.pk).update(read_at=timezone.now())
        NotificationFactory(title="Nicht meine")
        client.force_login(user)
        response = client.get(LIST)
        assert response.status_code == 200
        assert [n.pk for n in response.context["page"].object_list] == [new.pk, old.pk]
        html = response.content.decode()
        assert "Nicht meine" not in html
        assert html.index(new.title) < html.index(old.title)
        item = re.search(
            rf'<li id="benachrichtigung-{new.pk}" class="notification notification--unread">'
            r"(.*?)</li>",
            html,
            re.S,
        )
        assert item and "ungelesen" in item.group(1)
        assert f'action="/benachrichtigungen/{new.pk}/oeffnen/"' in item.group(1)
        read_item = re.search(
            rf'<li id="benachrichtigung-{old.pk}" class="notification">(.*?)</li>', html, re.S
        )
        assert read_item and "ungelesen" not in read_item.group(1)
        assert f'href="{old.url}"' in read_item.group(1)
        assert "Sie haben 1 ungelesene Benachrichtigung." in html
        assert "Alle als gelesen markieren" in html
        # The page shows nothing on GET: still unread.
        assert unread_ids(user) == {new.pk}

    def test_empty_state(self, client, user):
        client.force_login(user)
        html = client.get(LIST).content.decode()
        assert "Sie haben keine Benachrichtigungen." in html
        assert "Alle als gelesen markieren" not in html

    def test_no_mark_all_button_when_all_are_read(self, client, user):
        make(user, 2, read_at=timezone.now())
        client.force_login(user)
        html = client.get(LIST).content.decode()
        assert "Sie haben alle Benachrichtigungen gelesen." in html
        assert "Alle als gelesen markieren" not in html

    @pytest.mark.parametrize(
        ("seite", "expected"),
        [("", 1), ("2", 2), ("3", 3), ("99", 3), ("0", 1), ("-4", 1), ("abc", 1)],
    )
    def test_pages_of_30_and_nearest_page_for_out_of_range(self, client, user, seite, expected):
        make(user, 65)
        client.force_login(user)
        response = client.get(LIST, {"seite": seite})
        assert response.status_code == 200
        page = response.context["page"]
        assert page.number == expected
        assert len(page.object_list) == {1: 30, 2: 30, 3: 5}[expected]

    def test_query_count_does_not_grow(self, client, user):
        client.force_login(user)
        counts = []
        for total in (5, 60):
            make(user, total - Notification.objects.filter(recipient=user).count())
            Notification.objects.filter(
                recipient=user, pk__in=Notification.objects.filter(recipient=user).values("pk")[:2]
            ).update(read_at=timezone.now())
            with CaptureQueriesContext(connection) as queries:
                response = client.get(LIST)
            assert response.status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], counts
        notification_queries = [q for q in queries if "notifications_notification" in q["sql"]]
        # count for the pages, the page itself, the unread count for header and summary
        assert len(notification_queries) == 3, notification_queries


class TestMarkRead:
    def test_mark_all_read(self, client, user):
        make(user, 3)
        theirs = NotificationFactory()
        client.force_login(user)
        response = client.post("/benachrichtigungen/alle-gelesen/", {"seite": "2"})
        assert response.status_code == 302
        assert response["Location"] == "/benachrichtigungen/?seite=2"
        assert unread_ids(user) == set()
        assert unread_ids(theirs.recipient) == {theirs.pk}
        html = client.get(response["Location"]).content.decode()
        assert "Alle Benachrichtigungen sind als gelesen markiert." in html

    def test_mark_one_read(self, client, user):
        first, second = make(user, 2)
        client.force_login(user)
        response = client.post(f"/benachrichtigungen/{first.pk}/gelesen/")
        assert response.status_code == 302
        assert response["Location"] == f"/benachrichtigungen/#benachrichtigung-{first.pk}"
        assert unread_ids(user) == {second.pk}

    @pytest.mark.parametrize("action", ["gelesen", "oeffnen"])
    def test_someone_elses_notification_is_not_found(self, client, user, action):
        theirs = NotificationFactory()
        client.force_login(user)
        response = client.post(f"/benachrichtigungen/{theirs.pk}/{action}/")
        assert response.status_code == 404
        assert unread_ids(theirs.recipient) == {theirs.pk}

    @pytest.mark.parametrize(
        "path",
        [
            "/benachrichtigungen/alle-gelesen/",
            "/benachrichtigungen/{pk}/gelesen/",
            "/benachrichtigungen/{pk}/oeffnen/",
        ],
    )
    def test_get_changes_nothing(self, client, user, path):
        (n,) = make(user, 1)
        client.force_login(user)
        assert client.get(path.format(pk=n.pk)).status_code == 405
        assert unread_ids(user) == {n.pk}

    def test_anonymous_post_changes_nothing(self, client):
        n = NotificationFactory()
        response = client.post(f"/benachrichtigungen/{n.pk}/gelesen/")
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
        assert unread_ids(n.recipient) == {n.pk}


class TestOpen:
    def test_marks_read_and_goes_to_the_target(self, client, user):
        (n,) = make(user, 1, url="/vorschlaege/7/#kommentar-3")
        client.force_login(user)
        response = client.post(f"/benachrichtigungen/{n.pk}/oeffnen/")
        assert response.status_code == 302
        assert response["Location"] == "/vorschlaege/7/#kommentar-3"
        assert unread_ids(user) == set()

    @pytest.mark.parametrize(
        "url",
        ["//evil.example/", "/\\evil.example", "https://evil.example/", "javascript:alert(1)"],
    )
    def test_refuses_other_hosts(self, client, user, url):
        n = NotificationFactory(recipient=user)
        # A crafted row: written around the model validation and the service.
        Notification.objects.filter(pk=n.pk).update(url=url)
        client.force_login(user)
        response = client.post(f"/benachrichtigungen/{n.pk}/oeffnen/", {"seite": "1"})
        assert response.status_code == 302
        assert response["Location"] == f"/benachrichtigungen/#benachrichtigung-{n.pk}"
        html = client.get(response["Location"]).content.decode()
        assert "nicht verfügbar" in html
        assert "evil.example" not in html
        assert "javascript:" not in html


class TestHeader:
    def test_signed_in_header_shows_link_with_unread_count(self, client, user):
        make(user, 3)
        client.force_login(user)
        html = client.get("/").content.decode()
        assert re.search(
            r'<a class="kern-link" href="/benachrichtigungen/">Benachrichtigungen <span[^>]*>'
            r'<span[^>]*>3<span class="kern-sr-only"> ungelesen</span>',
            html,
        ), html
        html = client.get(LIST).content.decode()
        assert '<a class="kern-link" href="/benachrichtigungen/" aria-current="page">' in html

    def test_no_count_when_all_read(self, client, user):
        make(user, 1, read_at=timezone.now())
        client.force_login(user)
        html = client.get("/").content.decode()
        assert '<a class="kern-link" href="/benachrichtigungen/">Benachrichtigungen</a>' in html

    def test_anonymous_header_has_no_link_and_no_query(self, client):
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/").content.decode()
        assert "/benachrichtigungen/" not in html
        assert not [q for q in queries if "notifications_notification" in q["sql"]]

    def test_signed_in_page_costs_one_query(self, client, user):
        make(user, 2)
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        assert len([q for q in queries if "notifications_notification" in q["sql"]]) == 1


class TestContextProcessor:
    def test_lazy_and_free_for_anonymous(self, django_assert_num_queries):
        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        with django_assert_num_queries(0):
            context = unread(request)
            assert context["notifications_unread"]() == 0

    def test_one_query_per_request_for_signed_in(self, django_assert_num_queries, user):
        make(user, 4)
        request = RequestFactory().get("/")
        request.user = user
        with django_assert_num_queries(0):
            context = unread(request)  # not used yet: nothing asked
        with django_assert_num_queries(1):
            assert context["notifications_unread"]() == 4
            assert context["notifications_unread"]() == 4
            assert unread(request)["notifications_unread"]() == 4


def test_admin_is_for_operators_only(client):
    n = NotificationFactory(title="Im Admin")
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/notifications/notification/").status_code == 403
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/notifications/notification/")
    assert response.status_code == 200
    assert "Im Admin" in response.content.decode()
    assert client.get(f"/admin/notifications/notification/{n.pk}/change/").status_code == 200
    assert client.get("/admin/notifications/notification/add/").status_code == 403
