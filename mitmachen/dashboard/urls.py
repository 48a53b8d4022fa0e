from django.urls import path

from mitmachen.dashboard import (
    invitation_views,
    report_views,
    roles_views,
    setup_views,
    statistics_views,
    views,
)

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
    # Rollen und Zugänge (roles_views).
    path("rollen/", roles_views.roles_index, name="roles"),
    path("rollen/<slug:slug>/", roles_views.staff, name="roles_staff"),
    path("rollen/<slug:slug>/einladen/", roles_views.invite, name="roles_invite"),
    path("rollen/<slug:slug>/protokoll/", roles_views.role_log, name="roles_log"),
    path(
        "rollen/<slug:slug>/personen/<int:user_id>/",
        roles_views.member_change,
        name="roles_member",
    ),
    path(
        "rollen/<slug:slug>/personen/<int:user_id>/entfernen/",
        roles_views.member_remove,
        name="roles_member_remove",
    ),
    path(
        "rollen/<slug:slug>/einladungen/<int:pk>/zurueckziehen/",
        roles_views.invitation_withdraw,
        name="roles_invitation_withdraw",
    ),
    path(
        "projekte/<slug:slug>/projektleitung/",
        roles_views.project_managers,
        name="project_managers",
    ),
    path(
        "projekte/<slug:slug>/projektleitung/<int:user_id>/entfernen/",
        roles_views.project_manager_remove,
        name="project_manager_remove",
    ),
    path("einladung/<str:token>/", roles_views.invitation, name="invitation"),
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
    # The council report (report_views).
    path("projekte/<slug:slug>/bericht/", report_views.report_page, name="council_report"),
    path(
        "projekte/<slug:slug>/bericht/erstellen/",
        report_views.report_start,
        name="council_report_start",
    ),
    path(
        "projekte/<slug:slug>/bericht/<int:pk>/<str:kind>/",
        report_views.report_download,
        name="council_report_download",
    ),
]
