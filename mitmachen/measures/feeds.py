"""Atom feeds of measure updates (Django's syndication framework): all updates of a
municipality's published measures, and those of one measure. Anonymous view: a feed
reader signs in nowhere, so drafts and measures of non-public projects never appear."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.translation import gettext as _

from mitmachen.core.markdown import render_markdown
from mitmachen.measures.models import Measure, MeasureUpdate
from mitmachen.measures.permissions import may_view
from mitmachen.organisations.models import Organisation

ITEMS = 50
IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}


def _absolute(url: str) -> str:
    return url if "://" in url else f"{settings.SITE_URL}{url}"


class _UpdateFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item: MeasureUpdate) -> str:
        if item.status is not None:
            return f"{item.measure.title}: {item.status.label}"
        return item.measure.title

    def item_description(self, item: MeasureUpdate) -> str:
        """The text, then its images (with their alt text) and links to its documents;
        addresses are absolute, as a feed reader needs them."""
        return render_to_string(
            "measures/feed_item.html",
            {
                "text": render_markdown(item.text),
                "images": [(_absolute(i.image.url), i) for i in item.images.all()],
                "documents": [(_absolute(d.file.url), d) for d in item.documents.all()],
            },
        )

    def item_enclosures(self, item: MeasureUpdate) -> list[Enclosure]:
        """Every image and document as an enclosure (Atom allows several per entry)."""
        enclosures = [
            Enclosure(_absolute(d.file.url), str(d.size), d.mime_type) for d in item.documents.all()
        ]
        for image in item.images.all():
            suffix = PurePosixPath(image.image.name or "").suffix.lower()
            try:
                size = image.image.size
            except OSError:  # gone from storage: no enclosure rather than an error
                continue
            enclosures.insert(
                0, Enclosure(_absolute(image.image.url), str(size), IMAGE_TYPES.get(suffix, ""))
            )
        return enclosures

    def item_link(self, item: MeasureUpdate) -> str:
        return f"{item.measure.get_absolute_url()}#neuigkeit-{item.pk}"

    def item_pubdate(self, item: MeasureUpdate) -> Any:
        return item.created_at


class OrganisationFeed(_UpdateFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Organisation:
        return get_object_or_404(Organisation, slug=slug)

    def title(self, obj: Organisation) -> str:
        return _("Umsetzung in %(name)s: Neuigkeiten") % {"name": obj.display_name}

    def link(self, obj: Organisation) -> str:
        from django.urls import reverse

        return reverse("measures:overview", args=[obj.slug])

    def items(self, obj: Organisation) -> Any:
        visible = Measure.objects.filter(organisation=obj).visible_to(AnonymousUser())
        return (
            MeasureUpdate.objects.filter(measure__in=visible)
            .select_related("measure", "status")
            .prefetch_related("images", "documents")
            .order_by("-created_at", "-pk")[:ITEMS]
        )


class MeasureFeed(_UpdateFeed):
    def get_object(self, request: HttpRequest, pk: int) -> Measure:
        measure = get_object_or_404(Measure.objects.select_related("project"), pk=pk)
        if not may_view(AnonymousUser(), measure):
            raise Http404
        return measure

    def title(self, obj: Measure) -> str:
        return _("Neuigkeiten zur Maßnahme „%(title)s“") % {"title": obj.title}

    def link(self, obj: Measure) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Measure) -> Any:
        return (
            obj.updates.select_related("measure", "status")
            .prefetch_related("images", "documents")
            .order_by("-created_at", "-pk")[:ITEMS]
        )
