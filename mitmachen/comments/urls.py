from django.urls import path

from mitmachen.comments import views

app_name = "comments"
urlpatterns = [
    path("vorschlaege/<int:pk>/kommentare/", views.proposal_comments, name="proposal"),
    path("projekte/<slug:slug>/kommentare/", views.project_comments, name="project"),
    path("debatten/<int:pk>/kommentare/", views.debate_comments, name="debate"),
    path("kommentare/<int:pk>/", views.comment_thread, name="thread"),
    path("kommentare/<int:pk>/bearbeiten/", views.comment_edit, name="edit"),
    path("kommentare/<int:pk>/loeschen/", views.comment_delete, name="delete"),
    path("kommentare/<int:pk>/bewerten/", views.comment_rate, name="rate"),
    path(
        "verwaltung/projekte/<slug:slug>/kommentare.csv",
        views.project_comments_csv,
        name="export",
    ),
]
