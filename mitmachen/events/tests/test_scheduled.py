"""The scheduled commands: reminders the day before (once each) and deleting guest
registrations some days after the event."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.events.models import Answer, Question, Registration, Status
from mitmachen.events.services import (
    _remind,
    event_save,
    guest_confirm,
    guest_register,
    guests_delete,
    registration_register,
    reminders_send,
)
from mitmachen.events.tests.factories import EventFactory
from mitmachen.notifications.models import Notification

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2030, 5, 13, 10, 0, tzinfo=BERLIN)  # a Monday morning


@pytest.fixture
def tomorrow(region):
    """Tuesday 18:00, two places: Anna and a guest have them, Bernd waits."""
    start = datetime(2030, 5, 14, 18, tzinfo=BERLIN)
    event = EventFactory(
        organisation=region["organisation"],
        title="Werkstatttreffen",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration_enabled=True,
        capacity=2,
    )
    anna = registration_register(user=UserFactory(display_name="Anna"), event=event)
    guest = guest_register(
        event=event, name="Gerda", email="gerda@example.org", site_url="https://x.example/"
    )
    guest_confirm(token=guest.token)
    bernd = registration_register(user=UserFactory(display_name="Bernd"), event=event)
    mail.outbox.clear()
    return {"event": event, "anna": anna, "guest": guest, "bernd": bernd}


def test_people_with_a_place_are_reminded_once(tomorrow, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(now=NOW) == 2
    (note,) = Notification.objects.filter(kind="event_reminder")
    assert note.recipient == tomorrow["anna"].user
    assert note.title == "Morgen: Werkstatttreffen"
    assert "14.05.2030, 18:00 Uhr, Rathaus, Saal 1" in note.text
    guest_mail = [m for m in mail.outbox if m.to == ["gerda@example.org"]]
    assert [m.subject for m in guest_mail] == ["Morgen: Werkstatttreffen"]
    assert "/veranstaltungen/anmeldung/" in guest_mail[0].body
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(now=NOW + timedelta(hours=1)) == 0
    assert len(mail.outbox) == sent
    assert Notification.objects.filter(kind="event_reminder").count() == 1
    assert not Registration.objects.get(pk=tomorrow["bernd"].pk).reminded_at  # waitlist


def test_the_flag_is_claimed_in_the_database_not_in_memory(tomorrow):
    """Two runs that read the same row before either wrote (overlapping cron runs):
    the conditional UPDATE lets only the first send."""
    stale = Registration.objects.select_related("event", "user").get(pk=tomorrow["anna"].pk)
    also_stale = Registration.objects.select_related("event", "user").get(pk=stale.pk)
    assert _remind(stale, now=NOW, site_url="https://x.example/") is True
    assert _remind(also_stale, now=NOW, site_url="https://x.example/") is False
    assert Notification.objects.filter(kind="event_reminder").count() == 1


def test_not_today_not_the_day_after_not_cancelled_not_drafts(tomorrow, region):
    assert reminders_send(now=NOW - timedelta(days=1)) == 0  # two days before
    assert reminders_send(now=NOW + timedelta(days=1)) == 0  # on the day
    event = tomorrow["event"]
    event.status, event.status_note = Status.CANCELLED, "Fällt aus."
    event.save()
    assert reminders_send(now=NOW) == 0
    event.status, event.is_published = Status.PLANNED, False
    event.save()
    assert reminders_send(now=NOW) == 0


def test_a_moved_date_is_reminded_again(tomorrow, organiser):
    assert reminders_send(now=NOW) == 2
    event = tomorrow["event"]
    event.starts_at += timedelta(days=7)
    event.ends_at += timedelta(days=7)
    event_save(user=organiser, event=event)
    assert reminders_send(now=NOW + timedelta(days=7)) == 2


def test_the_command_runs(tomorrow, capsys):
    call_command("send_event_reminders")
    assert "reminder(s)" in capsys.readouterr().out


def test_guest_registrations_go_30_days_after_the_event(region):
    start = timezone.now() - timedelta(days=40)
    old = EventFactory(organisation=region["organisation"], registration_enabled=True)
    Question.objects.create(event=old, text="Essen?")
    recent = EventFactory(organisation=region["organisation"], registration_enabled=True)
    for event in (old, recent):
        guest = guest_register(
            event=event, name="Gast", email="gast@example.org", site_url="https://x.example/"
        )
        guest_confirm(token=guest.token)
        registration_register(user=UserFactory(), event=event)
    Answer.objects.create(
        registration=guest_register(
            event=old, name="Zweiter", email="zwei@example.org", site_url="https://x.example/"
        ),
        question=old.questions.get(),
        value="vegan",
    )
    type(old).objects.filter(pk=old.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    type(old).objects.filter(pk=recent.pk).update(
        starts_at=timezone.now() - timedelta(days=20),
        ends_at=timezone.now() - timedelta(days=20) + timedelta(hours=2),
    )
    assert guests_delete() == 2  # the confirmed and the unconfirmed guest of the old event
    assert not Answer.objects.exists()
    left = Registration.objects.all()
    assert sorted((r.event_id, r.is_guest) for r in left) == sorted(
        [(old.pk, False), (recent.pk, False), (recent.pk, True)]
    )
    assert guests_delete(days=10) == 1
    call_command("delete_event_guests", "--days", "0")
    assert not Registration.objects.filter(user__isnull=True).exists()
