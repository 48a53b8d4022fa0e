"""Reusable reads of projects for the views of projects and the modules above it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.cache import cache
from django.db.models import Exists, Model, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from mitmachen.organisations.models import District
from mitmachen.projects.models import Project


def visible_project_or_404(
    user: Any, slug: str, *, prefetch: Sequence[str] = ("phases", "partner_organisations")
) -> Project:
    """The project ``slug`` if ``user`` may see it; Http404 otherwise.

    Unknown and invisible projects look the same from outside. ``prefetch`` names what
    the calling page reads, so each page loads its project in a fixed number of queries.
    """
    project = get_object_or_404(
        Project.objects.select_related("organisation").prefetch_related(*prefetch), slug=slug
    )
    if not user.has_perm("projects.view_project", project):
        raise Http404
    return project


def districts_for(project: Project) -> QuerySet[District]:
    """The project's Ortsteile, or every Ortsteil of its municipalities if it names none.

    One lazy query, so a form field can use it without reading it twice.
    """
    own = Project.districts.through.objects.filter(project_id=project.pk)
    organisations = [o.pk for o in project.all_organisations()]
    return District.objects.filter(
        Q(projects=project) | (Q(organisation__in=organisations) & ~Exists(own))
    ).distinct()


# --- Keys of the anonymous page cache (core.page_cache.anonymous_page) -------------------


def project_id_by_slug(slug: str, **_kwargs: Any) -> int | None:
    """Project id for a slug, remembered for five minutes (forgotten when projects change)."""
    key = f"mm:slug:{slug}"
    project_id = cache.get(key)
    if project_id is None:
        project_id = Project.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if project_id is None:
            return None
        cache.set(key, project_id, 300)
    return int(project_id)


def forget_slug(slug: str) -> None:
    cache.delete(f"mm:slug:{slug}")


def project_id_of(model: type[Model]) -> Callable[..., int | None]:
    """The page-cache key function for pages of one ``model`` row (``pk`` in the URL):
    the row's project id, remembered for an hour (a row never moves to another project)."""
    prefix = f"mm:{model._meta.label_lower}:"

    def project_id(pk: int, **_kwargs: Any) -> int | None:
        found = cache.get(f"{prefix}{pk}")
        if found is None:
            found = (
                model._default_manager.filter(pk=pk).values_list("project_id", flat=True).first()
            )
            if found is None:
                return None
            cache.set(f"{prefix}{pk}", found, 3600)
        return int(found)

    return project_id
