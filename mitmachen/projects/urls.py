from django.urls import path

from mitmachen.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("einladung/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/", views.project_detail, name="detail"),
    path("<slug:slug>/folgen/", views.project_follow, name="follow"),
]
