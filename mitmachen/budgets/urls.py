from django.urls import path

from mitmachen.budgets import assignment_views, correction_views, support_views, views

app_name = "budgets"
urlpatterns = [
    path("buergerhaushalte/<int:pk>/", views.budget_detail, name="detail"),
    path("buergerhaushalte/<int:pk>/neue-idee/", views.idea_create, name="idea_create"),
    path(
        "buergerhaushalte/<int:pk>/idee-erfassen/",
        views.idea_offline_create,
        name="idea_offline_create",
    ),
    path("buergerhaushalte/<int:pk>/regel/", views.result_rule_set, name="rule"),
    path("buergerhaushalte/<int:pk>/ergebnis/", views.budget_results, name="results"),
    path("buergerhaushalte/<int:pk>/ergebnis.xlsx", views.results_xlsx, name="results_xlsx"),
    path(
        "buergerhaushalte/<int:pk>/ergebnis/berechnung/",
        views.results_progress,
        name="results_progress",
    ),
    path(
        "buergerhaushalte/ergebnisse/<int:pk>/neu-berechnen/",
        views.result_restart,
        name="result_restart",
    ),
    path("buergerhaushalte/gruppen/<int:pk>/papier/", views.paper_batches, name="paper_batches"),
    path("buergerhaushalte/papierstapel/<int:pk>/", views.paper_batch, name="paper_batch"),
    path(
        "buergerhaushalte/papierstapel/<int:pk>/bestaetigen/",
        views.paper_batch_confirm,
        name="paper_batch_confirm",
    ),
    path(
        "buergerhaushalte/papierstimmzettel/<int:pk>/loeschen/",
        views.paper_ballot_delete,
        name="paper_ballot_delete",
    ),
    path("buergerhaushalte/ideen/<int:pk>/", views.idea_detail, name="idea"),
    path("buergerhaushalte/ideen/<int:pk>/pruefen/", views.idea_review, name="review"),
    path("buergerhaushalte/gruppen/<int:pk>/stimmzettel/", views.ballot, name="ballot"),
    path(
        "buergerhaushalte/gruppen/<int:pk>/stimmzettel/summe/",
        views.ballot_summary,
        name="ballot_summary",
    ),
    path("buergerhaushalte/gruppen/<int:pk>/pabulib.pb", views.group_pabulib, name="pabulib"),
    path(
        "buergerhaushalte/ideen/<int:pk>/unterstuetzen/",
        support_views.idea_support,
        name="support",
    ),
    path(
        "buergerhaushalte/ideen/<int:pk>/zustaendig/",
        assignment_views.idea_assign,
        name="assign",
    ),
    path(
        "buergerhaushalte/papierstapel/<int:pk>/korrektur/",
        correction_views.paper_batch_correction,
        name="paper_batch_correction",
    ),
    path(
        "buergerhaushalte/gruppen/<int:pk>/auswahl/",
        support_views.group_selection,
        name="selection",
    ),
]
