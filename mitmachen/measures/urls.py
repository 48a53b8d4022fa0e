from django.urls import path

from mitmachen.measures import feeds, map_views, origin_views, views

app_name = "measures"
urlpatterns = [
    path("kommunen/<slug:slug>/umsetzung/", views.overview, name="overview"),
    path("kommunen/<slug:slug>/umsetzung/karte/", map_views.measure_map_page, name="map"),
    path("kommunen/<slug:slug>/umsetzung/neuigkeiten.xml", feeds.OrganisationFeed(), name="feed"),
    path("kommunen/<slug:slug>/umsetzung/massnahmen.csv", views.export_csv, name="export_csv"),
    path("kommunen/<slug:slug>/umsetzung/massnahmen.xlsx", views.export_xlsx, name="export_xlsx"),
    path("kommunen/<slug:slug>/umsetzung/massnahmen.json", views.export_json, name="export_json"),
    path("kommunen/<slug:slug>/umsetzung/import/", views.import_upload, name="import"),
    path(
        "kommunen/<slug:slug>/umsetzung/import/<int:pk>/",
        views.import_status,
        name="import_status",
    ),
    path("massnahmen/<int:pk>/", views.measure_detail, name="detail"),
    path("massnahmen/<int:pk>/folgen/", views.measure_follow, name="follow"),
    path("massnahmen/<int:pk>/neuigkeit/", views.update_create, name="update"),
    path("massnahmen/neuigkeiten/<int:pk>/loeschen/", views.update_delete, name="update_delete"),
    path("massnahmen/neuigkeiten/<int:pk>/bearbeiten/", views.update_edit, name="update_edit"),
    path("massnahmen/<int:pk>/neuigkeiten.xml", feeds.MeasureFeed(), name="measure_feed"),
    path("vorschlaege/<int:pk>/massnahme/", views.from_proposal, name="from_proposal"),
    path("massnahmen/aus/<str:key>/<int:pk>/", origin_views.from_origin, name="from_origin"),
    path(
        "massnahmen/herkunft/<int:pk>/entfernen/",
        origin_views.origin_remove,
        name="origin_remove",
    ),
]
