from django.urls import path

from mitmachen.climate import geojson
from mitmachen.climate.views import campaigns, comparison, downloads, imports, indicators

app_name = "climate"
urlpatterns = [
    path("klima/katalog.jsonld", downloads.catalogue_jsonld, name="catalogue"),
    path("kommunen/<slug:slug>/klima/", indicators.dashboard, name="dashboard"),
    path(
        "kommunen/<slug:slug>/klima/mitmach-daten/<int:pk>/",
        campaigns.campaign_detail,
        name="campaign",
    ),
    path(
        "kommunen/<slug:slug>/klima/mitmach-daten/<int:pk>/daten.csv",
        campaigns.campaign_csv,
        name="campaign_csv",
    ),
    path(
        "kommunen/<slug:slug>/klima/mitmach-daten/<int:pk>/daten.geojson",
        geojson.campaign_geojson,
        name="campaign_geojson",
    ),
    path(
        "kommunen/<slug:slug>/klima/mitmach-daten/<int:pk>/als-indikator/",
        campaigns.campaign_indicator,
        name="campaign_indicator",
    ),
    path(
        "kommunen/<slug:slug>/klima/mitmach-daten/<int:pk>/melden/",
        campaigns.observation_create,
        name="observation_create",
    ),
    path(
        "kommunen/<slug:slug>/klima/beobachtungen/<int:pk>/",
        campaigns.observation_detail,
        name="observation",
    ),
    path(
        "kommunen/<slug:slug>/klima/beobachtungen/<int:pk>/zurueckziehen/",
        campaigns.observation_withdraw,
        name="observation_withdraw",
    ),
    path(
        "kommunen/<slug:slug>/klima/<slug:indicator>/",
        indicators.indicator_detail,
        name="indicator",
    ),
    path(
        "kommunen/<slug:slug>/klima/<slug:indicator>/daten.csv",
        downloads.indicator_csv,
        name="indicator_csv",
    ),
    path(
        "kommunen/<slug:slug>/klima/<slug:indicator>/daten.json",
        downloads.indicator_json,
        name="indicator_json",
    ),
    path(
        "kommunen/<slug:slug>/klima/<slug:indicator>/daten.geojson",
        geojson.indicator_geojson,
        name="indicator_geojson",
    ),
    path(
        "kommunen/<slug:slug>/klima/<slug:indicator>/werte/",
        indicators.indicator_values,
        name="values",
    ),
    path(
        "kommunen/<slug:slug>/klima/<slug:indicator>/import/",
        imports.indicator_import,
        name="import",
    ),
    path(
        "kommunen/<slug:slug>/klima/<slug:indicator>/vergleich/",
        comparison.indicator_comparison,
        name="comparison",
    ),
    path(
        "kommunen/<slug:slug>/klima/<slug:indicator>/karte/",
        comparison.indicator_map,
        name="map",
    ),
    path(
        "kommunen/<slug:slug>/klima/<slug:indicator>/einbetten/",
        indicators.indicator_embed,
        name="embed",
    ),
]
