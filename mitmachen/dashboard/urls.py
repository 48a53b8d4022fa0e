from django.urls import path

from mitmachen.dashboard import views

app_name = "dashboard"
urlpatterns = [path("", views.my_projects, name="my_projects")]
