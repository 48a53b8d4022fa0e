from django.urls import path

from mitmachen.events import (
    attendee_views,
    documentation_views,
    feed_views,
    guest_views,
    office_views,
    past_views,
    tour_views,
    views,
)

app_name = "events"
urlpatterns = [
    path("veranstaltungen/", views.calendar, name="calendar"),
    path("veranstaltungen/kalender.ics", feed_views.feed_all, name="feed"),
    path("veranstaltungen/projekt/<slug:slug>.ics", feed_views.feed_project, name="feed_project"),
    path(
        "veranstaltungen/ortsteil/<slug:slug>/<slug:district_slug>.ics",
        feed_views.feed_district,
        name="feed_district",
    ),
    path("veranstaltungen/<int:pk>/", views.event_detail, name="detail"),
    path("veranstaltungen/nachtragen/", past_views.record_past, name="record_past"),
    path("veranstaltungen/mitmachmobil/<int:pk>/", tour_views.tour_detail, name="tour"),
    path("veranstaltungen/mitmachmobil/<int:pk>.ics", tour_views.feed_tour, name="feed_tour"),
    path("veranstaltungen/projektbuero/<int:pk>/", office_views.office_detail, name="office"),
    path("veranstaltungen/<int:pk>/termin.ics", feed_views.feed_event, name="feed_event"),
    path("veranstaltungen/<int:pk>/anmelden/", views.register, name="register"),
    path("veranstaltungen/<int:pk>/abmelden/", views.cancel, name="cancel"),
    path("veranstaltungen/<int:pk>/als-gast/", guest_views.guest_register, name="guest_register"),
    path("veranstaltungen/anmeldung/<str:token>/", guest_views.guest_page, name="guest"),
    path(
        "veranstaltungen/anmeldung/<str:token>/bestaetigen/",
        guest_views.guest_confirm,
        name="guest_confirm",
    ),
    path(
        "veranstaltungen/anmeldung/<str:token>/stornieren/",
        guest_views.guest_cancel,
        name="guest_cancel",
    ),
    path("veranstaltungen/<int:pk>/teilnehmende/", attendee_views.attendees, name="attendees"),
    path(
        "veranstaltungen/<int:pk>/teilnehmende.csv",
        attendee_views.attendees_csv,
        name="attendees_csv",
    ),
    path("veranstaltungen/<int:pk>/einlass/", attendee_views.check_in, name="check_in"),
    path(
        "veranstaltungen/<int:pk>/dokumentation/",
        documentation_views.documentation,
        name="documentation",
    ),
    path(
        "veranstaltungen/<int:pk>/beitraege/verknuepfen/",
        documentation_views.contribution_link,
        name="contribution_link",
    ),
    path(
        "veranstaltungen/<int:pk>/beitraege/<int:link_pk>/loesen/",
        documentation_views.contribution_unlink,
        name="contribution_unlink",
    ),
    path(
        "veranstaltungen/<int:pk>/einlass/<int:registration_pk>/",
        attendee_views.check_in_set,
        name="check_in_set",
    ),
]
