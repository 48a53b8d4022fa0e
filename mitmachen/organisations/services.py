"""Writes and look-ups for organisations and Ortsteile."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape

from mitmachen.core.mail import send_email
from mitmachen.organisations.geo import GeometryError, parse_area
from mitmachen.organisations.models import (
    AccessibilityFeedback,
    District,
    Membership,
    Organisation,
    Role,
)


def district_for_point(
    *, lon: float, lat: float, organisation: Organisation | None = None
) -> District | None:
    """The Ortsteil that contains the point (lon, lat in WGS84), or ``None``.

    The bounding-box columns narrow the candidates in SQL; shapely decides. A point
    exactly on a shared border belongs to the district with the lower id, so the
    answer is deterministic.
    """
    candidates = District.objects.filter(
        min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat
    ).select_related("organisation")
    if organisation is not None:
        candidates = candidates.filter(organisation=organisation)
    point = Point(lon, lat)
    for district in candidates.order_by("pk"):
        if district.geometry is not None and shape(district.geometry).covers(point):
            return district
    return None


@dataclass
class ImportResult:
    """What an import did: names created and updated, and features rejected with a reason."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)


def _feature_label(index: int, feature: Any, name_property: str) -> str:
    name = None
    if isinstance(feature, dict) and isinstance(feature.get("properties"), dict):
        name = feature["properties"].get(name_property)
    return f"#{index + 1} {name}" if name else f"#{index + 1}"


def districts_import(
    *,
    organisation: Organisation,
    collection: Any,
    name_property: str = "name",
    slug_property: str = "slug",
    demo_boundaries: bool | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Create or update Ortsteile of ``organisation`` from a GeoJSON FeatureCollection.

    Features are matched by slug (from ``slug_property`` or derived from the name).
    Invalid features are rejected with a reason; valid ones are written in one
    transaction. With ``dry_run`` nothing is written. Overlaps with other
    Ortsteile of the same organisation are rejected, because a point must belong
    to exactly one Ortsteil.
    """
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise GeometryError(_("Die Datei ist keine GeoJSON-FeatureCollection."))
    features = collection.get("features")
    if not isinstance(features, list):
        raise GeometryError(_("Die FeatureCollection enthält keine Liste „features“."))

    result = ImportResult()
    accepted: list[tuple[str, str, dict[str, Any], bool]] = []
    seen: dict[str, str] = {}
    shapes: list[tuple[str, Any]] = []
    for index, feature in enumerate(features):
        label = _feature_label(index, feature, name_property)
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            result.rejected.append((label, _("Kein GeoJSON-Feature.")))
            continue
        properties = feature.get("properties") or {}
        name = str(properties.get(name_property) or "").strip()
        if not name:
            result.rejected.append((label, _("Die Eigenschaft „%s“ fehlt.") % name_property))
            continue
        if len(name) > 120:
            result.rejected.append((label, _("Der Name ist länger als 120 Zeichen.")))
            continue
        slug = slugify(str(properties.get(slug_property) or "")) or slugify(
            name.replace("ß", "ss")
            .replace("ä", "ae")
            .replace("ö", "oe")
            .replace("ü", "ue")
            .replace("Ä", "Ae")
            .replace("Ö", "Oe")
            .replace("Ü", "Ue")
        )
        if not slug:
            result.rejected.append((label, _("Aus dem Namen lässt sich keine Adresse bilden.")))
            continue
        if slug in seen:
            result.rejected.append(
                (label, _("Doppelt: „%s“ kommt in der Datei schon vor.") % seen[slug])
            )
            continue
        try:
            geometry = parse_area(feature.get("geometry"))
        except GeometryError as error:
            result.rejected.append((label, str(error)))
            continue
        overlap = next((other for other, g in shapes if g.intersection(geometry).area > 1e-9), None)
        if overlap:
            result.rejected.append((label, _("Überschneidet sich mit „%s“.") % overlap))
            continue
        seen[slug] = name
        shapes.append((name, geometry))
        demo = bool(properties.get("demo_boundary")) if demo_boundaries is None else demo_boundaries
        accepted.append((slug, name, feature["geometry"], demo))

    if dry_run:
        existing = set(
            District.objects.filter(organisation=organisation).values_list("slug", flat=True)
        )
        for slug, name, _geometry, _demo in accepted:
            (result.updated if slug in existing else result.created).append(name)
        return result

    with transaction.atomic():
        for slug, name, geojson, demo in accepted:
            district, created = District.objects.get_or_create(
                organisation=organisation,
                slug=slug,
                defaults={"name": name, "geometry": geojson, "is_demo_boundary": demo},
            )
            if created:
                result.created.append(name)
                continue
            changed = (
                district.name != name
                or district.geometry != geojson
                or district.is_demo_boundary != demo
            )
            if changed:
                district.name, district.geometry, district.is_demo_boundary = name, geojson, demo
                district.save()
                result.updated.append(name)
    return result


def accessibility_feedback_submit(
    *, organisation: Organisation, user: Any, name: str, email: str, page_url: str, message: str
) -> AccessibilityFeedback:
    """Store feedback on accessibility and notify the organisation's admins by mail."""
    feedback = AccessibilityFeedback(
        organisation=organisation,
        user=user if getattr(user, "is_authenticated", False) else None,
        name=name.strip(),
        email=email.strip(),
        page_url=page_url.strip(),
        message=message.strip(),
    )
    feedback.full_clean()
    feedback.save()
    recipients = sorted(
        {
            m.user.email
            for m in Membership.objects.filter(
                organisation=organisation, role=Role.ADMIN
            ).select_related("user")
        }
        | ({organisation.contact_email} if organisation.contact_email else set())
    )
    if recipients:
        context = {"feedback": feedback, "organisation": organisation}
        transaction.on_commit(
            lambda: send_email.enqueue(
                subject=_("Rückmeldung zur Barrierefreiheit – %s") % organisation.display_name,
                body=render_to_string("organisations/email/accessibility_feedback.txt", context),
                to=recipients,
            )
        )
    return feedback
