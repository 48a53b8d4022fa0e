from django.urls import path

from mitmachen.processtemplates import views

app_name = "processtemplates"
urlpatterns = [
    path("vorlagen/", views.library, name="library"),
    path("vorlagen/<int:pk>/", views.detail, name="detail"),
    path("vorlagen/<int:pk>/vorlage.json", views.download, name="download"),
    path("verwaltung/vorlagen/import/", views.import_template, name="import"),
    path("verwaltung/projekte/<slug:slug>/vorlage/", views.export_page, name="export"),
    path("verwaltung/projekte/<slug:slug>/vorlage.json", views.export_file, name="export_file"),
    path(
        "verwaltung/projekte/<slug:slug>/vorlage/nicht-mehr-teilen/",
        views.unshare,
        name="unshare",
    ),
]
