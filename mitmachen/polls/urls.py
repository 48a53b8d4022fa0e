from django.urls import path

from mitmachen.polls import setup_views, views

app_name = "polls"
urlpatterns = [
    path("projekte/<slug:slug>/umfragen/", views.poll_list, name="list"),
    path("umfragen/<int:pk>/", views.poll_detail, name="detail"),
    path("umfragen/<int:pk>/danke/", views.poll_thanks, name="thanks"),
    path("umfragen/<int:pk>/ergebnisse/", views.poll_results, name="results"),
    path(
        "umfragen/<int:pk>/ergebnisse/frage/<int:question_pk>/",
        views.poll_question_texts,
        name="question_texts",
    ),
    path("umfragen/<int:pk>/fragebogen/", views.poll_print, name="print"),
    path("verwaltung/umfragen/<int:pk>/", views.poll_manage, name="manage"),
    path("verwaltung/umfragen/<int:pk>/beenden/", views.poll_close, name="close"),
    path("verwaltung/umfragen/fragen/<int:pk>/verschieben/", views.question_move, name="move"),
    path("verwaltung/umfragen/<int:pk>/stapel/neu/", views.batch_create, name="batch_create"),
    path("verwaltung/umfragen/stapel/<int:pk>/", views.batch_detail, name="batch"),
    path("verwaltung/umfragen/stapel/<int:pk>/pruefen/", views.batch_check, name="batch_check"),
    path(
        "verwaltung/umfragen/boegen/<int:pk>/korrigieren/",
        views.response_correct,
        name="correct",
    ),
    path("verwaltung/umfragen/boegen/<int:pk>/loeschen/", views.response_delete, name="delete"),
    path("verwaltung/umfragen/<int:pk>/freitexte/", views.text_review, name="texts"),
    path("verwaltung/umfragen/<int:pk>/antworten.csv", views.export_csv, name="export_csv"),
    path("verwaltung/umfragen/<int:pk>/antworten.xlsx", views.export_xlsx, name="export_xlsx"),
    # Setting up a project's surveys (setup_views; linked from the dashboard's set-up).
    path("verwaltung/projekte/<slug:slug>/umfragen/neu/", setup_views.poll_new, name="setup_new"),
    path("verwaltung/umfragen/<int:pk>/einrichten/", setup_views.poll_setup, name="setup"),
    path("verwaltung/umfragen/<int:pk>/einstellungen/", setup_views.poll_edit, name="setup_edit"),
    path(
        "verwaltung/umfragen/<int:poll_pk>/fragen/neu/",
        setup_views.question_form,
        name="question_new",
    ),
    path(
        "verwaltung/umfragen/fragen/<int:pk>/bearbeiten/",
        setup_views.question_form,
        name="question_edit",
    ),
    path(
        "verwaltung/umfragen/fragen/<int:pk>/loeschen/",
        setup_views.question_delete,
        name="question_delete",
    ),
    path(
        "verwaltung/umfragen/fragen/<int:pk>/reihenfolge/",
        setup_views.question_move,
        name="question_move",
    ),
]
