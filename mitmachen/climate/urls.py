from django.urls import path

from mitmachen.climate import geojson, views

app_name = "climate"
urlpatterns = [
    path("klima/katalog.jsonld", views.catalogue_jsonld, name="catalogue"),
    path("kommunen/<slug:slug>/klima/", views.dashboard, name="dashboard"),
    path(
        "kommunen/<slug:slug>/klima/mitmach-daten/<int:pk>/",
        views.campaign_detail,
        name="campaign",
    ),
    path(
        "kommunen/<slug:slug>/klima/mitmach-daten/<int:pk>/daten.csv",
        views.campaign_csv,
        name="campaign_csv",
    ),
    path(
        "kommunen/<slug:slug>/klima/mitmach-daten/<int:pk>/daten.geojson",
        geojson.campaign_geojson,
        name="campaign_geojson",
    ),
    path(
        "kommunen/<slug:slug>/klima/mitmach-daten/<int:pk>/als-indikator/",
        views.campaign_indicator,
        name="campaign_indicator",
    ),
    path(
        "kommunen/<slug:slug>/klima/mitmach-daten/<int:pk>/melden/",
        views.observation_create,
        name="observation_create",
    ),
    path(
        "kommunen/<slug:slug>/klima/beobachtungen/<int:pk>/",
        views.observation_detail,
        name="observation",
    ),
    path(
        "kommunen/<slug:slug>/klima/beobachtungen/<int:pk>/zurueckziehen/",
        views.observation_withdraw,
        name="observation_withdraw",
    ),
    path("kommunen/<slug:slug>/klima/<slug:indicator>/", views.indicator_detail, name="indicator"),
    path(
        "kommunen/<slug:slug>/klima/<slug:indicator>/daten.csv",
        views.indicator_csv,
        name="indicator_csv",
    ),
    path(
        "kommunen/<slug:slug>/klima/<slug:indicator>/daten.json",
        views.indicator_json,
        name="indicator_json",
    ),
    path(
        "kommunen/<slug:slug>/klima/<slug:indicator>/daten.geojson",
        geojson.indicator_geojson,
        name="indicator_geojson",
    ),
    path(
        "kommunen/<slug:slug>/klima/<slug:indicator>/werte/",
        views.indicator_values,
        name="values",
    ),
    path(
        "kommunen/<slug:slug>/klima/<slug:indicator>/import/",
        views.indicator_import,
        name="import",
    ),
    path(
        "kommunen/<slug:slug>/klima/<slug:indicator>/vergleich/",
        views.indicator_comparison,
        name="comparison",
    ),
    path(
        "kommunen/<slug:slug>/klima/<slug:indicator>/karte/",
        views.indicator_map,
        name="map",
    ),
    path(
        "kommunen/<slug:slug>/klima/<slug:indicator>/einbetten/",
        views.indicator_embed,
        name="embed",
    ),
]
