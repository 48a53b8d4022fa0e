import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django_tasks.signals import task_enqueued

from mitmachen.accounts.models import User, public_name
from mitmachen.accounts.services import account_delete, personal_data_export
from mitmachen.accounts.tests.factories import PASSWORD, UserFactory
from mitmachen.organisations.models import AccessibilityFeedback
from mitmachen.organisations.tests.factories import DistrictFactory, MembershipFactory
from mitmachen.projects.models import Follow
from mitmachen.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


class TestSignupAndLogin:
    def test_signup_sends_verification_mail_through_the_task_queue(self, client):
        enqueued = []

        def receiver(sender, task_result, **kwargs):
            enqueued.append(task_result)

        task_enqueued.connect(receiver)
        try:
            response = client.post(
                reverse("account_signup"),
                {
                    "email": "Neu@Example.org",
                    "password1": "Fläming-Wald-2035",
                    "password2": "Fläming-Wald-2035",
                },
            )
        finally:
            task_enqueued.disconnect(receiver)
        assert response.status_code == 302
        assert [r.task.name for r in enqueued] == ["send_email"]
        assert enqueued[0].kwargs["to"] == ["neu@example.org"]
        # allauth's context reached the template: site name and address are filled in.
        assert "Mitmachen" in mail.outbox[0].body
        assert "bei 127.0.0.1:8000 für" in mail.outbox[0].body
        assert "Sie" in mail.outbox[0].body and " du " not in mail.outbox[0].body
        assert len(mail.outbox) == 1
        link = re.search(r"https?://\S+/konto/confirm-email/\S+/", mail.outbox[0].body)
        assert link, mail.outbox[0].body
        user = User.objects.get(email="neu@example.org")
        assert not EmailAddress.objects.get(user=user).verified

        # Unverified: login is held back until the address is confirmed.
        client.post(
            reverse("account_login"), {"login": "neu@example.org", "password": "Fläming-Wald-2035"}
        )
        assert "_auth_user_id" not in client.session

        path = link.group(0).split("://", 1)[1].split("/", 1)[1]
        client.post("/" + path)
        assert EmailAddress.objects.get(user=user).verified
        client.post(
            reverse("account_login"), {"login": "neu@example.org", "password": "Fläming-Wald-2035"}
        )
        assert client.session["_auth_user_id"] == str(user.pk)

    def test_signup_errors_are_german(self, client):
        response = client.post(
            reverse("account_signup"), {"email": "kaputt", "password1": "123", "password2": "456"}
        )
        content = response.content.decode()
        assert response.status_code == 200
        assert "gültige E-Mail-Adresse" in content
        assert not User.objects.exists()

    def test_login_is_rate_limited(self, client):
        user = UserFactory()
        for _ in range(5):
            client.post(reverse("account_login"), {"login": user.email, "password": "falsch"})
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": PASSWORD}
        )
        assert "_auth_user_id" not in client.session
        assert response.status_code in (200, 429)
        assert "zu viele" in response.content.decode().lower()

    def test_password_reset_mail(self, client):
        user = UserFactory()
        client.post(reverse("account_reset_password"), {"email": user.email})
        assert len(mail.outbox) == 1
        assert "/konto/password/reset/key/" in mail.outbox[0].body


class TestProfile:
    def test_update_profile(self, client, user):
        district = DistrictFactory(name="Werbig")
        client.force_login(user)
        response = client.post(
            reverse("accounts:profile"),
            {"display_name": "  Renate  ", "home_district": district.pk},
            follow=True,
        )
        assert "Ihr Profil wurde gespeichert." in response.content.decode()
        user.refresh_from_db()
        assert user.display_name == "Renate"
        assert user.home_district == district

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"display_name": "x" * 61}, "höchstens 60 Zeichen"),
            ({"display_name": "ok", "home_district": "999999"}, "gültige Auswahl"),
        ],
    )
    def test_bad_input_changes_nothing(self, client, user, data, message):
        client.force_login(user)
        response = client.post(reverse("accounts:profile"), data)
        assert message in response.content.decode()
        user.refresh_from_db()
        assert user.display_name.startswith("Person")

    def test_pages_need_login(self, client):
        for name in [
            "accounts:profile",
            "accounts:my_data",
            "accounts:my_data_download",
            "accounts:delete",
        ]:
            response = client.get(reverse(name))
            assert response.status_code == 302
            assert "/konto/login/" in response["Location"]


class TestMyData:
    def test_export_contains_everything_about_me(self, client, user):
        project = ProjectFactory(title="Klimawerkstatt")
        Follow.objects.create(user=user, project=project)
        MembershipFactory(user=user, role="moderator")
        client.force_login(user)
        response = client.get(reverse("accounts:my_data_download"))
        assert response["Content-Disposition"].startswith("attachment;")
        data = json.loads(response.content)
        assert data["konto"]["email"] == user.email
        assert data["konto"]["email_adressen"][0]["bestaetigt"] is True
        assert data["abonnierte_beteiligungsprozesse"][0]["projekt"] == "Klimawerkstatt"
        assert data["mitarbeit_in_kommunen"][0]["rolle"] == "Moderation"

    def test_export_holds_nobody_elses_data(self, user):
        other = UserFactory()
        Follow.objects.create(user=other, project=ProjectFactory())
        data = personal_data_export(user=user)
        assert other.email not in json.dumps(data, default=str)
        assert data["abonnierte_beteiligungsprozesse"] == []


class TestDeletion:
    def test_wrong_password_deletes_nothing(self, client, user):
        client.force_login(user)
        response = client.post(reverse("accounts:delete"), {"password": "falsch", "confirm": "on"})
        assert "Das Passwort ist nicht korrekt." in response.content.decode()
        assert User.objects.filter(pk=user.pk).exists()

    def test_without_confirmation_deletes_nothing(self, client, user):
        client.force_login(user)
        client.post(reverse("accounts:delete"), {"password": PASSWORD})
        assert User.objects.filter(pk=user.pk).exists()

    def test_delete_removes_personal_data_and_logs_out(self, client, user):
        Follow.objects.create(user=user, project=ProjectFactory())
        feedback = AccessibilityFeedback.objects.create(
            organisation=ProjectFactory().organisation,
            user=user,
            name="Renate",
            email=user.email,
            message="Kontrast zu schwach",
        )
        client.force_login(user)
        response = client.post(
            reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"}, follow=True
        )
        assert "Ihr Konto und Ihre persönlichen Daten wurden gelöscht." in response.content.decode()
        assert not User.objects.filter(pk=user.pk).exists()
        assert not EmailAddress.objects.filter(email=user.email).exists()
        assert not Follow.objects.exists()
        feedback.refresh_from_db()
        assert (feedback.user, feedback.name, feedback.email) == (None, "", "")
        assert feedback.message == "Kontrast zu schwach"
        assert "_auth_user_id" not in client.session

    def test_deleted_author_shows_as_deleted_account(self, user):
        assert public_name(user) == user.display_name
        account_delete(user=user)
        assert public_name(None) == "gelöschtes Konto"
