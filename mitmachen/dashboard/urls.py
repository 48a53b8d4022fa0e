from django.urls import path

from mitmachen.dashboard import invitation_views, setup_views, views

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
    # Invitations into a private project (invitation_views).
    path(
        "projekte/<slug:slug>/einladungen/",
        invitation_views.invitations,
        name="project_invitations",
    ),
    path(
        "projekte/<slug:slug>/einladungen/mitglieder/<int:pk>/entfernen/",
        invitation_views.membership_remove,
        name="membership_remove",
    ),
    path(
        "projekte/<slug:slug>/einladungen/offen/<int:pk>/zurueckziehen/",
        invitation_views.invitation_revoke,
        name="invitation_revoke",
    ),
]
