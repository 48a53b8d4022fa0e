from django.urls import path

from mitmachen.dashboard import setup_views, statistics_views, views

app_name = "dashboard"
urlpatterns = [
    path("", views.my_projects, name="my_projects"),
    # Setting up a project (setup_views): "neu" is no project's address (the form refuses it).
    path("projekte/neu/", setup_views.project_new, name="project_new"),
    path("projekte/<slug:slug>/", setup_views.project_setup, name="project_setup"),
    path("projekte/<slug:slug>/grunddaten/", setup_views.project_basics, name="project_basics"),
    path(
        "projekte/<slug:slug>/sichtbarkeit/",
        setup_views.project_visibility,
        name="project_visibility",
    ),
    path("projekte/<slug:slug>/vorschau/", setup_views.project_preview, name="project_preview"),
    path("projekte/<slug:slug>/phasen/neu/", setup_views.phase_form, name="phase_new"),
    path("projekte/<slug:slug>/phasen/<int:pk>/", setup_views.phase_form, name="phase_edit"),
    path(
        "projekte/<slug:slug>/phasen/<int:pk>/loeschen/",
        setup_views.phase_delete,
        name="phase_delete",
    ),
    path(
        "projekte/<slug:slug>/phasen/<int:pk>/verschieben/",
        setup_views.phase_move,
        name="phase_move",
    ),
    # Statistics (statistics_views).
    path(
        "projekte/<slug:slug>/statistik/",
        statistics_views.project_statistics,
        name="project_statistics",
    ),
    path(
        "kommunen/<slug:slug>/statistik/",
        statistics_views.municipality_statistics,
        name="municipality_statistics",
    ),
]
