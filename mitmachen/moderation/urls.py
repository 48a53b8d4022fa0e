"""Moderation's addresses. Every declared target kind (``projects.modules.
ModerationTarget``) has its report page at ``/melden/<slug>/<pk>/`` (``moderation:report``)
and its decision page at ``/verwaltung/moderation/<staff_slug>/<pk>/``
(``moderation:decide``): one view each, which finds the kind by the word in the address,
so a kind declared after this file was loaded has its pages too. The kinds declared when
it loads also get names of their own (``moderation:report_<key>``, ``moderation:<key>``,
used by templates), and their short hide/show page if they ask for one
(``moderation:<key>_moderate``, at the path they declare)."""

from django.urls import URLPattern, path

from mitmachen.moderation import views
from mitmachen.projects import modules


def _named_patterns() -> list[URLPattern]:
    patterns = []
    for target in modules.moderation_targets():
        patterns += [
            path(
                f"melden/{target.slug}/<int:pk>/",
                views.report,
                {"slug": target.slug},
                name=f"report_{target.key}",
            ),
            path(
                f"verwaltung/moderation/{target.staff_slug}/<int:pk>/",
                views.decide,
                {"staff_slug": target.staff_slug},
                name=target.key,
            ),
        ]
        if target.short_page:
            patterns.append(
                path(
                    target.short_page,
                    views.moderate,
                    {"key": target.key},
                    name=f"{target.key}_moderate",
                )
            )
    return patterns


app_name = "moderation"
urlpatterns = [
    path("verwaltung/moderation/", views.queue, name="queue"),
    path("verwaltung/moderation/sperren/<int:user_pk>/", views.block_user, name="block"),
    path("verwaltung/moderation/sperrungen/", views.blocks, name="blocks"),
    path("verwaltung/moderation/protokoll/", views.log, name="log"),
    *_named_patterns(),
    path("melden/<slug:slug>/<int:pk>/", views.report, name="report"),
    path("verwaltung/moderation/<slug:staff_slug>/<int:pk>/", views.decide, name="decide"),
]
