from django.urls import path

from mitmachen.debates import views

app_name = "debates"
urlpatterns = [
    path("projekte/<slug:slug>/debatten/", views.debate_list, name="list"),
    path("projekte/<slug:slug>/debatten/neu/", views.debate_create, name="create"),
    path("debatten/<int:pk>/", views.debate_detail, name="detail"),
    path("debatten/<int:pk>/bearbeiten/", views.debate_edit, name="edit"),
    path("debatten/<int:pk>/abschliessen/", views.debate_close, name="close"),
    path("debatten/<int:pk>/wieder-oeffnen/", views.debate_reopen, name="reopen"),
]
