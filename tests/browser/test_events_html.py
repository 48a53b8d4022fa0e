"""The events' pages are valid HTML (the Nu Html Checker, as in test_html_validity.py):
calendar (list, month, a bad month), the "Nächste Termine" sections, an event
(anonymous with the guest form, its error state, signed in, staff), a guest's personal
page, the attendee list with answers, the check-in page, a date of a series and the
registration form with questions (and its error state), the calendar's map, a city walk
with its route and a project office's page."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from test_html_validity import Pages, _client, run_vnu

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(tmp_path: Path) -> Pages:
    return Pages(tmp_path)


def test_event_pages_are_valid_html(pages: Pages, demo_rows: None) -> None:
    from mitmachen.events.demo import WORKSHOP_TITLE
    from mitmachen.events.models import Event, Kind
    from mitmachen.events.services import guest_register

    # The next one: the demo also has two past Werkstatttreffen of that title (recorded
    # afterwards with their documentation), which are not the full one with a waitlist.
    full = Event.objects.filter(title=WORKSHOP_TITLE).upcoming().order_by("starts_at").first()
    assert full is not None and full.capacity == 3, full
    walk = Event.objects.get(kind=Kind.CITY_WALK)
    month = full.starts_at.strftime("%Y-%m")
    anonymous = _client()
    pages.get(anonymous, "calendar", "/veranstaltungen/")
    pages.get(anonymous, "calendar filtered", f"/veranstaltungen/?ortsteil={walk.district_id}")
    pages.get(anonymous, "month", f"/veranstaltungen/?ansicht=monat&monat={month}")
    pages.get(anonymous, "bad month", "/veranstaltungen/?ansicht=monat&monat=quatsch")
    pages.get(anonymous, "calendar map", "/veranstaltungen/?ansicht=karte")
    pages.get(anonymous, "city walk with its route", walk.get_absolute_url())
    from mitmachen.events.models import Office

    office = Office.objects.filter(name__startswith="Projektbüro Bad Belzig").get()
    pages.get(anonymous, "project office", office.get_absolute_url())
    pages.get(anonymous, "home with next events", "/")
    pages.get(anonymous, "project with next events", "/projekte/klimawerkstatt-flaeming/")
    pages.get(anonymous, "Ortsteil with next events", "/kommunen/bad-belzig/ortsteile/bad-belzig/")
    pages.get(anonymous, "municipality with next events", "/kommunen/wiesenburg-mark/")
    from django.contrib.auth import get_user_model

    from mitmachen.events.models import Frequency, Question
    from mitmachen.events.services import series_create

    admin = get_user_model().objects.get(email="admin@example.org")
    question = Question.objects.create(
        event=walk, text="Essen?", kind="auswahl", options="vegan\nmit Fleisch", required=True
    )
    series_create(
        user=admin,
        first=walk,
        frequency=Frequency.WEEKLY,
        until=(walk.starts_at + timedelta(days=14)).date(),
    )
    pages.get(anonymous, "event with guest form", walk.get_absolute_url())
    pages.post(
        anonymous,
        "guest form, bad address",
        f"/veranstaltungen/{walk.pk}/als-gast/",
        {"guest_name": "Gerda", "guest_email": "keine"},
    )
    guest = guest_register(
        event=walk,
        name="Gerda",
        email="gerda@example.org",
        site_url="http://testserver/",
        answers={f"frage_{question.pk}": "vegan"},
    )
    pages.get(anonymous, "guest page", f"/veranstaltungen/anmeldung/{guest.token}/")
    resident = _client("bewohnerin@example.org")
    pages.get(resident, "full event, registered", full.get_absolute_url())
    pages.get(resident, "event with questions, signed in", walk.get_absolute_url())
    pages.post(
        resident,
        "questions, not answered",
        f"/veranstaltungen/{walk.pk}/anmelden/",
        {f"frage_{question.pk}": ""},
    )
    staff = _client("admin@example.org")
    pages.get(staff, "event, staff", full.get_absolute_url())
    pages.get(staff, "attendees", f"/veranstaltungen/{walk.pk}/teilnehmende/")
    pages.get(staff, "attendees, full", f"/veranstaltungen/{full.pk}/teilnehmende/")
    pages.get(staff, "check-in", f"/veranstaltungen/{full.pk}/einlass/")
    pages.get(staff, "check-in, search", f"/veranstaltungen/{full.pk}/einlass/?suche=a")

    errors = run_vnu(pages.files())
    lines = [
        f"{pages.labels.get(Path(m.get('url', '?')).name, '?')}: line {m.get('lastLine')}: "
        f"{m.get('message')} – {m.get('extract', '')!r}"
        for m in errors
    ]
    assert not lines, "\n".join(lines)
