from django.urls import path

from mitmachen.proposals import setup_views, views

app_name = "proposals"
urlpatterns = [
    path("projekte/<slug:slug>/vorschlaege/", views.proposal_list, name="list"),
    path("projekte/<slug:slug>/vorschlaege/neu/", views.proposal_create, name="create"),
    path("projekte/<slug:slug>/vorschlaege/aehnliche/", views.proposal_similar, name="similar"),
    path("projekte/<slug:slug>/vorschlaege/karte/", views.proposal_map, name="map"),
    path("projekte/<slug:slug>/vorschlaege.geojson", views.proposal_geojson, name="geojson"),
    path(
        "projekte/<slug:slug>/vorschlaege/erfassen/",
        views.proposal_offline_create,
        name="offline_create",
    ),
    path("vorschlaege/<int:pk>/", views.proposal_detail, name="detail"),
    path("vorschlaege/<int:pk>/bearbeiten/", views.proposal_edit, name="edit"),
    path("vorschlaege/<int:pk>/zurueckziehen/", views.proposal_withdraw, name="withdraw"),
    path("vorschlaege/<int:pk>/unterstuetzen/", views.proposal_support, name="support"),
    path("vorschlaege/<int:pk>/status/", views.proposal_status, name="status"),
    path("vorschlaege/<int:pk>/folgen/", views.proposal_follow, name="follow"),
    # The project set-up's proposal settings (setup_views).
    path(
        "verwaltung/projekte/<slug:slug>/vorschlaege/",
        setup_views.proposal_settings,
        name="setup",
    ),
]
