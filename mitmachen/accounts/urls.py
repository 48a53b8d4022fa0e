from django.urls import path

from mitmachen.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("abonnements/", views.follows, name="follows"),
    path("abonnements/email/", views.follow_mail, name="follow_mail"),
    path("meine-daten/", views.my_data, name="my_data"),
    path("meine-daten/download/", views.my_data_download, name="my_data_download"),
    path("loeschen/", views.delete_account, name="delete"),
]
