from django.urls import path

from mitmachen.organisations import views

app_name = "organisations"
urlpatterns = [
    path("kommunen/", views.organisation_list, name="list"),
    path("kommunen/<slug:slug>/", views.organisation_detail, name="detail"),
    path("kommunen/<slug:slug>/farben.css", views.organisation_theme, name="theme"),
    path(
        "kommunen/<slug:slug>/ortsteile/<slug:district_slug>/",
        views.district_detail,
        name="district",
    ),
    path("kommunen/<slug:slug>/<slug:page>/", views.legal_page, name="legal"),
    path("impressum/", views.legal_page, {"page": "impressum"}, name="imprint"),
    path("datenschutz/", views.legal_page, {"page": "datenschutz"}, name="privacy"),
    path("barrierefreiheit/", views.legal_page, {"page": "barrierefreiheit"}, name="accessibility"),
]
