from django.urls import path

from mitmachen.comments import targets, views

app_name = "comments"
urlpatterns = [
    path("vorschlaege/<int:pk>/kommentare/", views.proposal_comments, name="proposal"),
    path("projekte/<slug:slug>/kommentare/", views.project_comments, name="project"),
    # The comments page of each registered target (``comments.targets``), e.g.
    # ``comments:debate`` at /debatten/<pk>/kommentare/.
    *(
        path(
            f"{target.path}/<int:pk>/kommentare/",
            views.target_comments,
            {"field": target.field},
            name=target.field,
        )
        for target in targets.registered()
    ),
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
