from django.urls import path

from mitmachen.moderation import views

app_name = "moderation"
urlpatterns = [
    path("melden/vorschlag/<int:pk>/", views.report_proposal, name="report_proposal"),
    path("melden/kommentar/<int:pk>/", views.report_comment, name="report_comment"),
    path("melden/debatte/<int:pk>/", views.report_debate, name="report_debate"),
    path("verwaltung/moderation/", views.queue, name="queue"),
    path("verwaltung/moderation/vorschlaege/<int:pk>/", views.decide_proposal, name="proposal"),
    path("verwaltung/moderation/kommentare/<int:pk>/", views.decide_comment, name="comment"),
    path("verwaltung/moderation/debatten/<int:pk>/", views.decide_debate, name="debate"),
    # The short hide/show page of a debate, where its page links (path of the debates).
    path("debatten/<int:pk>/moderieren/", views.debate_moderate, name="debate_moderate"),
    path("verwaltung/moderation/sperren/<int:user_pk>/", views.block_user, name="block"),
    path("verwaltung/moderation/sperrungen/", views.blocks, name="blocks"),
    path("verwaltung/moderation/protokoll/", views.log, name="log"),
]
