"""Moderation's addresses. Each declared target kind (``projects.modules.
ModerationTarget``) gets its report page, ``/melden/<slug>/<pk>/``
(``moderation:report_<key>``), its decision page, ``/verwaltung/moderation/
<staff_slug>/<pk>/`` (``moderation:<key>``), and, if it asks for one, its short hide/show
page (``moderation:<key>_moderate``) – one view each, parametrised by the key."""

from django.urls import URLPattern, path

from mitmachen.moderation import views
from mitmachen.projects import modules


def _target_patterns() -> list[URLPattern]:
    patterns = []
    for target in modules.moderation_targets():
        kind = {"key": target.key}
        patterns += [
            path(
                f"melden/{target.slug}/<int:pk>/", views.report, kind, name=f"report_{target.key}"
            ),
            path(
                f"verwaltung/moderation/{target.staff_slug}/<int:pk>/",
                views.decide,
                kind,
                name=target.key,
            ),
        ]
        if target.short_page:
            patterns.append(
                path(target.short_page, views.moderate, kind, name=f"{target.key}_moderate")
            )
    return patterns


app_name = "moderation"
urlpatterns = [
    *_target_patterns(),
    path("verwaltung/moderation/", views.queue, name="queue"),
    path("verwaltung/moderation/sperren/<int:user_pk>/", views.block_user, name="block"),
    path("verwaltung/moderation/sperrungen/", views.blocks, name="blocks"),
    path("verwaltung/moderation/protokoll/", views.log, name="log"),
]
