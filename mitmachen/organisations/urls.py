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
    path(
        "kommunen/<slug:slug>/barrierefreiheit/leichte-sprache/",
        views.easy_language_accessibility,
        name="easy_language_accessibility",
    ),
    path("kommunen/<slug:slug>/gebaerdensprache/", views.sign_language, name="sign_language"),
    path(
        "kommunen/<slug:slug>/gebaerdensprache/untertitel.vtt",
        views.sign_language_captions,
        name="sign_language_captions",
    ),
    path("kommunen/<slug:slug>/<slug:page>/", views.legal_page, name="legal"),
    path("impressum/", views.legal_page, {"page": "impressum"}, name="imprint"),
    path("datenschutz/", views.legal_page, {"page": "datenschutz"}, name="privacy"),
    path("barrierefreiheit/", views.legal_page, {"page": "barrierefreiheit"}, name="accessibility"),
    path("leichte-sprache/", views.easy_language, name="easy_language"),
    path(
        "leichte-sprache/barrierefreiheit/",
        views.easy_language_accessibility,
        name="easy_language_operator_accessibility",
    ),
    path("leichte-sprache/<slug:page>/", views.easy_language, name="easy_language_page"),
    path("gebaerdensprache/", views.sign_language, name="sign_language_operator"),
]
