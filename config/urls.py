"""Root URL configuration."""

import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from mitmachen.core.views import set_language
from mitmachen.projects import modules

admin.site.site_header = "Mitmachen – Verwaltung"
admin.site.site_title = "Mitmachen"
admin.site.index_title = "Verwaltung"

urlpatterns = [
    # The language switch (no CSRF token needed; see core.views.set_language).
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("konto/", include("allauth.urls")),
    path("konto/", include("mitmachen.accounts.urls")),
    # The participation modules' pages (each declares its urls in its module.py).
    *modules.urlpatterns(),
    path("verwaltung/", include("mitmachen.dashboard.urls")),
    path("projekte/", include("mitmachen.projects.urls")),
    path("", include("mitmachen.organisations.urls")),
    path("", include("mitmachen.notifications.urls")),
    path("", include("mitmachen.core.urls")),
]

if settings.BENCHMARK:
    from mitmachen.core.bench import ceiling

    urlpatterns.insert(0, path("bench/ceiling/", ceiling))

if settings.DEBUG:
    # Uploads with the same headers the reverse proxy sets in production (core/media.py).
    from mitmachen.core.media import serve_media

    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", serve_media)]

handler404 = "mitmachen.core.views.page_not_found"
handler500 = "mitmachen.core.views.server_error"
