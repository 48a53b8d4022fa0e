"""The DCAT-AP.de catalogue (JSON-LD) of every published indicator."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mitmachen.climate.catalogue import licence_uri
from mitmachen.climate.models import Value
from mitmachen.climate.services import summaries_refresh
from mitmachen.climate.tests.factories import IndicatorFactory
from mitmachen.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
CATALOGUE = "/klima/katalog.jsonld"


def read(client):
    response = client.get(CATALOGUE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    return json.loads(response.content)


def test_every_published_indicator_is_a_dataset_with_csv_and_json(client):
    town = OrganisationFactory(name="Stadt Nord", website="https://nord.example")
    co2 = IndicatorFactory(
        organisation=town, slug="co2", title="CO₂-Ausstoß", licence="dl-de/by-2-0",
        responsible_body="Klimaschutzmanagement Nord", source="Energiebilanz",
    )  # fmt: skip
    Value.objects.bulk_create(
        [Value(indicator=co2, date=date(2015, 1, 1), value=1),
         Value(indicator=co2, date=date(2024, 1, 1), value=2)]
    )  # fmt: skip
    summaries_refresh(indicator=co2)
    IndicatorFactory(slug="geheim", is_published=False)
    example = IndicatorFactory(slug="demo", title="Erfunden", is_example_data=True, licence="?")
    document = read(client)
    assert document["@type"] == "dcat:Catalog"
    assert document["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    found = {d["dct:identifier"]: d for d in document["dcat:dataset"]}
    page = f"http://testserver/kommunen/{town.slug}/klima/co2/"
    assert set(found) == {
        page,
        f"http://testserver/kommunen/{example.organisation.slug}/klima/demo/",
    }
    dataset = found[page]
    assert dataset["dct:title"] == "CO₂-Ausstoß"
    assert dataset["dct:publisher"] == {
        "@type": "foaf:Organization",
        "foaf:name": "Stadt Nord",
        "foaf:homepage": {"@id": "https://nord.example"},
    }
    assert dataset["dcat:contactPoint"]["vcard:fn"] == "Klimaschutzmanagement Nord"
    assert {"@id": "http://publications.europa.eu/resource/authority/data-theme/ENER"} in dataset[
        "dcat:theme"
    ]
    assert dataset["dct:temporal"]["dcat:startDate"]["@value"] == "2015-01-01"
    assert dataset["dct:temporal"]["dcat:endDate"]["@value"] == "2024-01-01"
    formats = {d["dct:format"]["@id"].rsplit("/", 1)[1]: d for d in dataset["dcat:distribution"]}
    assert set(formats) == {"CSV", "JSON"}
    for distribution in formats.values():
        assert distribution["dct:license"] == {"@id": "http://dcat-ap.de/def/licenses/dl-by-de/2.0"}
        assert distribution["dcatde:licenseAttributionByText"] == "Energiebilanz (Stadt Nord)"
        # The download address answers with the data.
        download = distribution["dcat:downloadURL"]["@id"].removeprefix("http://testserver")
        response = client.get(download)
        assert response.status_code == 200 and b"2024" in b"".join(response.streaming_content)
    # Example data says so; an unknown licence is named in words, without a licence URI.
    invented = found[f"http://testserver/kommunen/{example.organisation.slug}/klima/demo/"]
    assert invented["dct:title"] == "Erfunden (Beispieldaten)"
    assert invented["dct:description"].startswith("Beispieldaten:")
    assert "Beispieldaten" in invented["dcat:keyword"]
    assert all(
        "dct:license" not in d and d["dct:rights"] == "?" for d in invented["dcat:distribution"]
    )
    assert "dct:temporal" not in invented  # no values yet


@pytest.mark.parametrize(
    ("written", "uri"),
    [
        ("CC BY 4.0", "http://dcat-ap.de/def/licenses/cc-by/4.0"),
        ("dl-de/by-2-0", "http://dcat-ap.de/def/licenses/dl-by-de/2.0"),
        ("DL-DE/ZERO-2-0", "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"),
        ("CC0 1.0", "http://dcat-ap.de/def/licenses/cc-zero"),
        ("eigene Lizenz", None),
    ],
)
def test_licences_map_to_the_dcat_ap_de_vocabulary(written, uri):
    assert licence_uri(written) == uri


def test_catalogue_queries_do_not_grow_with_indicators(client):
    counts = []
    for _round in range(2):
        for _i in range(3):
            indicator = IndicatorFactory()
            Value.objects.create(indicator=indicator, date=date(2020, 1, 1), value=1)
            summaries_refresh(indicator=indicator)
        with CaptureQueriesContext(connection) as queries:
            read(client)
        counts.append(len(queries))
    assert counts[0] == counts[1] == 2
