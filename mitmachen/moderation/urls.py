from django.urls import path

from mitmachen.moderation import views

app_name = "moderation"
urlpatterns = [
    path("melden/vorschlag/<int:pk>/", views.report_proposal, name="report_proposal"),
    path("melden/kommentar/<int:pk>/", views.report_comment, name="report_comment"),
    path("verwaltung/moderation/", views.queue, name="queue"),
    path("verwaltung/moderation/vorschlaege/<int:pk>/", views.decide_proposal, name="proposal"),
    path("verwaltung/moderation/kommentare/<int:pk>/", views.decide_comment, name="comment"),
    path("verwaltung/moderation/sperren/<int:user_pk>/", views.block_user, name="block"),
    path("verwaltung/moderation/sperrungen/", views.blocks, name="blocks"),
    path("verwaltung/moderation/protokoll/", views.log, name="log"),
]
