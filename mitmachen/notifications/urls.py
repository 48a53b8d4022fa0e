from django.urls import path

from mitmachen.notifications import views

app_name = "notifications"
urlpatterns = [
    path("benachrichtigungen/", views.notification_list, name="list"),
    path(
        "benachrichtigungen/alle-gelesen/", views.notification_mark_all_read, name="mark_all_read"
    ),
    path("benachrichtigungen/<int:pk>/gelesen/", views.notification_mark_read, name="mark_read"),
    path("benachrichtigungen/<int:pk>/oeffnen/", views.notification_open, name="open"),
]
