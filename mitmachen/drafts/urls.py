from django.urls import path

from mitmachen.drafts import table_views, views

app_name = "drafts"
urlpatterns = [
    path("projekte/<slug:slug>/texte/<slug:draft>/", views.draft_detail, name="detail"),
    path(
        "projekte/<slug:slug>/texte/<slug:draft>/importieren/",
        views.draft_import,
        name="import",
    ),
    path(
        "projekte/<slug:slug>/texte/<slug:draft>/neue-fassung/",
        views.version_new,
        name="version_new",
    ),
    path(
        "projekte/<slug:slug>/texte/<slug:draft>/fassungen/",
        views.version_compare,
        name="compare",
    ),
    path(
        "projekte/<slug:slug>/texte/<slug:draft>/was-sich-geaendert-hat/",
        views.changes,
        name="changes",
    ),
    path(
        "projekte/<slug:slug>/texte/<slug:draft>/abwaegung/",
        views.weighing_table,
        name="weighing",
    ),
    path(
        "projekte/<slug:slug>/texte/<slug:draft>/abwaegung/dateien/",
        table_views.files_page,
        name="weighing_files",
    ),
    path(
        "projekte/<slug:slug>/texte/<slug:draft>/abwaegung/dateien/erstellen/",
        table_views.files_start,
        name="weighing_files_start",
    ),
    path(
        "projekte/<slug:slug>/texte/<slug:draft>/abwaegung/dateien/<int:pk>.<str:kind>",
        table_views.files_download,
        name="weighing_files_download",
    ),
    path(
        "projekte/<slug:slug>/texte/<slug:draft>/absatz/<str:key>/",
        views.paragraph_detail,
        name="paragraph",
    ),
    path(
        "projekte/<slug:slug>/texte/<slug:draft>/absatz/<str:key>/bewerten/",
        views.paragraph_vote,
        name="vote",
    ),
    path(
        "projekte/<slug:slug>/texte/<slug:draft>/vorschlaege/<int:pk>/",
        views.suggestion_detail,
        name="suggestion",
    ),
    path(
        "projekte/<slug:slug>/texte/<slug:draft>/vorschlaege/<int:pk>/unterstuetzen/",
        views.suggestion_support,
        name="support",
    ),
    path(
        "projekte/<slug:slug>/texte/<slug:draft>/vorschlaege/<int:pk>/abwaegen/",
        views.suggestion_weigh,
        name="weigh",
    ),
    path(
        "projekte/<slug:slug>/texte/<slug:draft>/kommentare/<int:pk>/abwaegen/",
        views.comment_weigh,
        name="weigh_comment",
    ),
]
