import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from mitmachen.organisations.geo import GeometryError
from mitmachen.organisations.models import District
from mitmachen.organisations.services import district_for_point, districts_import
from mitmachen.organisations.tests.factories import DistrictFactory, OrganisationFactory, square

pytestmark = pytest.mark.django_db


def feature(name, geometry, **props):
    return {"type": "Feature", "properties": {"name": name, **props}, "geometry": geometry}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


class TestPointLookup:
    def test_point_inside_finds_its_district(self):
        a = DistrictFactory(geometry=square(12.0, 52.0))
        b = DistrictFactory(geometry=square(12.01, 52.0))
        assert district_for_point(lon=12.005, lat=52.005) == a
        assert district_for_point(lon=12.015, lat=52.005) == b

    def test_point_outside_all_districts(self):
        DistrictFactory(geometry=square(12.0, 52.0))
        assert district_for_point(lon=13.5, lat=52.5) is None

    def test_point_on_shared_border_is_deterministic(self):
        a = DistrictFactory(geometry=square(12.0, 52.0))
        DistrictFactory(geometry=square(12.01, 52.0))
        assert district_for_point(lon=12.01, lat=52.005) == a

    def test_limited_to_organisation(self):
        district = DistrictFactory(geometry=square(12.0, 52.0))
        other = OrganisationFactory()
        assert district_for_point(lon=12.005, lat=52.005, organisation=other) is None
        assert (
            district_for_point(lon=12.005, lat=52.005, organisation=district.organisation)
            == district
        )

    def test_multipolygon(self):
        multi = {
            "type": "MultiPolygon",
            "coordinates": [square(12.0, 52.0)["coordinates"], square(12.5, 52.5)["coordinates"]],
        }
        district = DistrictFactory(geometry=multi)
        assert district_for_point(lon=12.505, lat=52.505) == district
        assert district_for_point(lon=12.3, lat=52.3) is None

    def test_bounding_box_is_stored(self):
        district = DistrictFactory(geometry=square(12.0, 52.0))
        assert (district.min_lon, district.min_lat) == (12.0, 52.0)
        assert district.max_lon == pytest.approx(12.01)


class TestImport:
    def test_creates_and_then_updates(self, organisation):
        data = collection(
            feature("Lübnitz", square(12.0, 52.0)), feature("Groß Briesen", square(12.1, 52.0))
        )
        result = districts_import(organisation=organisation, collection=data)
        assert result.created == ["Lübnitz", "Groß Briesen"]
        assert set(District.objects.values_list("slug", flat=True)) == {"luebnitz", "gross-briesen"}

        again = districts_import(organisation=organisation, collection=data)
        assert again.created == [] and again.updated == [] and again.rejected == []

        data["features"][0]["geometry"] = square(12.0, 52.0, size=0.02)
        changed = districts_import(organisation=organisation, collection=data)
        assert changed.updated == ["Lübnitz"]

    def test_rejects_bad_features_with_reasons_and_keeps_good_ones(self, organisation):
        bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
        data = collection(
            feature("Gut", square(12.0, 52.0)),
            feature("", square(12.2, 52.0)),
            feature("Punkt", {"type": "Point", "coordinates": [12, 52]}),
            feature("Schleife", bowtie),
            feature("Gut", square(12.4, 52.0)),
            feature("Überlappt", square(12.005, 52.005)),
            feature("Weit weg", square(190.0, 52.0)),
            {
                "type": "Feature",
                "properties": {"name": "Kaputt"},
                "geometry": {"type": "Polygon", "coordinates": "x"},
            },
            "kein feature",
        )
        result = districts_import(organisation=organisation, collection=data)
        assert result.created == ["Gut"]
        reasons = dict(result.rejected)
        assert "fehlt" in reasons["#2"]
        assert "Polygon" in reasons["#3 Punkt"]
        assert "ungültig" in reasons["#4 Schleife"]
        assert "Doppelt" in reasons["#5 Gut"]
        assert "Überschneidet" in reasons["#6 Überlappt"]
        assert "WGS84" in reasons["#7 Weit weg"]
        assert "#8 Kaputt" in reasons
        assert "#9" in reasons
        assert District.objects.count() == 1

    def test_not_a_feature_collection(self, organisation):
        with pytest.raises(GeometryError, match="FeatureCollection"):
            districts_import(organisation=organisation, collection={"type": "Feature"})

    def test_dry_run_writes_nothing(self, organisation):
        result = districts_import(
            organisation=organisation,
            collection=collection(feature("Neu", square(12.0, 52.0))),
            dry_run=True,
        )
        assert result.created == ["Neu"]
        assert not District.objects.exists()

    def test_command(self, organisation, tmp_path, capsys):
        path = tmp_path / "ortsteile.geojson"
        path.write_text(
            json.dumps(
                collection(feature("Borne", square(12.0, 52.0)), feature("", square(12.1, 52.0)))
            )
        )
        call_command("import_districts", organisation.slug, str(path), "--demo")
        out, err = capsys.readouterr()
        assert "neu:            Borne" in out
        assert "1 neu, 0 aktualisiert, 1 abgelehnt." in out
        assert "abgelehnt:      #2" in err
        assert District.objects.get().is_demo_boundary

    @pytest.mark.parametrize(
        ("content", "message"),
        [("{kaputt", "kein gültiges JSON"), ('{"type": "Feature"}', "FeatureCollection")],
    )
    def test_command_bad_file(self, organisation, tmp_path, content, message):
        path = tmp_path / "x.geojson"
        path.write_text(content)
        with pytest.raises(CommandError, match=message):
            call_command("import_districts", organisation.slug, str(path))

    def test_command_unknown_organisation_and_missing_file(self, organisation, tmp_path):
        with pytest.raises(CommandError, match="Keine Kommune"):
            call_command("import_districts", "gibt-es-nicht", str(tmp_path / "x"))
        with pytest.raises(CommandError, match="nicht gefunden"):
            call_command("import_districts", organisation.slug, str(tmp_path / "fehlt.geojson"))

    def test_model_validation_of_geometry(self, organisation):
        district = District(
            organisation=organisation, name="X", slug="x", geometry={"type": "Point"}
        )
        with pytest.raises(ValidationError) as info:
            district.full_clean()
        assert "Polygon" in str(info.value)
