"""The pages: dashboard, indicator page (chart, table, summary, target), downloads, and
the staff import with preview – with bounded queries whatever the number of values."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.climate.models import PendingImport, Value
from mitmachen.climate.services import summaries_refresh
from mitmachen.climate.tests.factories import IndicatorFactory, TargetFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import DistrictFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def url(indicator, suffix=""):
    return f"/kommunen/{indicator.organisation.slug}/klima/{indicator.slug}/{suffix}"


def daily(indicator, days, start=date(2000, 1, 1), districts=(None,)):
    Value.objects.bulk_create(
        (
            Value(
                indicator=indicator,
                date=start + timedelta(days=i),
                value=(i % 365) / 10,
                district=d,
            )
            for i in range(days)
            for d in districts
        ),
        batch_size=5000,
    )
    summaries_refresh(indicator=indicator)


def refresh(*indicators):
    """Values written directly (not by an import) need their month summaries."""
    for indicator in indicators:
        summaries_refresh(indicator=indicator)


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_yearly_indicator_page_summary_table_and_target_agree(client):
    indicator = IndicatorFactory(unit="t CO₂", direction="weniger")
    for year, sector, value in [
        (2015, "Verkehr", 60),
        (2015, "Wärme", 40),
        (2024, "Verkehr", 50),
        (2024, "Wärme", 39),
    ]:
        Value.objects.create(
            indicator=indicator, date=date(year, 1, 1), value=value, category=sector
        )
    TargetFactory(indicator=indicator, baseline_value=100, target_value=50)  # 2015 → 2030
    refresh(indicator)
    page = text(client.get(url(indicator)))
    # computed here independently: 89 vs 100 → 11 % less; path 2024: 100 - 9/15·50 = 70
    assert "2024: 89 t CO₂, 11 % weniger als 2015." in page
    assert (
        "Nicht auf Kurs: 2024 lag der Wert mit 89 t CO₂ schlechter als der Zielpfad (70 t CO₂)."
        in page
    )
    assert re.search(r"<th scope=\"row\"[^>]*>2015</th> <td[^>]*>100</td>", page)
    assert re.search(r"<th scope=\"row\"[^>]*>Verkehr</th><td[^>]*>50</td>", page)
    assert "<svg" in page and "Zielpfad" in page and "Beispieldaten" not in page


def test_a_target_on_track_says_so(client):
    indicator = IndicatorFactory(unit="kWp", aggregation="summe")
    Value.objects.create(indicator=indicator, date=date(2020, 1, 1), value=100)
    Value.objects.create(indicator=indicator, date=date(2025, 1, 1), value=400)
    refresh(indicator)
    TargetFactory(
        indicator=indicator,
        baseline_year=2020,
        baseline_value=100,
        target_year=2030,
        target_value=500,
    )
    assert (
        "Auf Kurs: 2025 lag der Wert mit 400 kWp auf oder besser als der Zielpfad (300 kWp)."
        in text(client.get(url(indicator)))
    )


def test_a_mean_indicator_compares_in_its_unit(client):
    indicator = IndicatorFactory(unit="°C", aggregation="mittel", resolution="tag")
    daily(indicator, 3)
    Value.objects.create(indicator=indicator, date=date(2001, 6, 1), value=9.0)
    Value.objects.create(indicator=indicator, date=date(2001, 6, 2), value=10.0)
    refresh(indicator)
    # 2000: mean of 0.0, 0.1, 0.2 = 0.1; 2001: 9.5
    assert "2001: im Mittel 9,5 °C, 9,4 °C mehr als 2000." in text(client.get(url(indicator)))


def test_example_data_is_labelled_on_page_and_downloads(client):
    indicator = IndicatorFactory(is_example_data=True)
    Value.objects.create(indicator=indicator, date=date(2020, 1, 1), value=1)
    refresh(indicator)
    assert "Beispieldaten" in text(client.get(url(indicator)))
    assert "Beispieldaten" in text(client.get(f"/kommunen/{indicator.organisation.slug}/klima/"))
    response = client.get(url(indicator, "daten.json"))
    assert "beispieldaten" in response["Content-Disposition"]
    assert json.loads(b"".join(response.streaming_content))["indikator"]["beispieldaten"] is True


def test_downloads_carry_every_value_and_the_licence(client):
    indicator = IndicatorFactory(resolution="tag", licence="dl-de/by-2-0")
    daily(indicator, 5000)
    csv_body = b"".join(client.get(url(indicator, "daten.csv")).streaming_content).decode()
    assert csv_body.count("\n") == 5001 and csv_body.startswith(
        "datum;wert;ortsteil;kategorie;hinweis\n"
    )
    data = json.loads(b"".join(client.get(url(indicator, "daten.json")).streaming_content))
    assert len(data["werte"]) == 5000 and data["indikator"]["lizenz"] == "dl-de/by-2-0"


def test_long_series_chart_is_downsampled_and_says_so(client):
    indicator = IndicatorFactory(resolution="tag", aggregation="mittel", unit="°C")
    daily(indicator, 3000)
    page = text(client.get(url(indicator)))
    assert "Die Grafik zeigt 400 von 3000 Punkten" in page
    points = re.search(r'<polyline points="([^"]+)" fill="none" stroke="#004b76"', page).group(1)
    assert len(points.split()) == 400


def test_unpublished_indicators_only_for_staff(client):
    indicator = IndicatorFactory(is_published=False)
    assert client.get(url(indicator)).status_code == 404
    assert client.get(url(indicator, "daten.csv")).status_code == 404
    staff = MembershipFactory(organisation=indicator.organisation, role=Role.ADMIN).user
    client.force_login(staff)
    assert client.get(url(indicator)).status_code == 200


def test_municipality_page_links_the_dashboard(client):
    indicator = IndicatorFactory()
    page = text(client.get(f"/kommunen/{indicator.organisation.slug}/"))
    assert f"/kommunen/{indicator.organisation.slug}/klima/" in page
    other = IndicatorFactory(is_published=False)
    assert "/klima/" not in text(client.get(f"/kommunen/{other.organisation.slug}/"))


def _queries(client, indicator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(indicator)).status_code == 200
    return len(queries)


def test_indicator_page_queries_do_not_grow_with_values(client, django_assert_max_num_queries):
    """The same queries for 1,000 and 50,000 values (27 Ortsteile): pages read the
    month summaries, and one query of values per date only for series of at most 20,000
    values over at most 4,000 days (else the chart is drawn per month)."""
    small = IndicatorFactory(resolution="tag", aggregation="summe", spatial_level="ortsteil")
    medium = IndicatorFactory(resolution="tag", aggregation="summe", spatial_level="ortsteil")
    large = IndicatorFactory(resolution="tag", aggregation="summe", spatial_level="ortsteil")
    districts = [DistrictFactory(organisation=large.organisation) for _ in range(27)]
    daily(small, 1000)
    daily(medium, 740, districts=districts)  # 19,980 values: still per date
    daily(large, 1852, districts=districts)  # 50,004 values over five years: per month
    TargetFactory(indicator=large, baseline_year=2000, target_year=2010)
    assert _queries(client, small) == _queries(client, medium)
    assert _queries(client, large) <= _queries(client, small)
    # Each with the site footer's query (the project offices; cached in production).
    with django_assert_max_num_queries(7):
        client.get(url(large))
    with django_assert_max_num_queries(6):
        client.get(f"/kommunen/{large.organisation.slug}/klima/")


def test_dashboard_queries_do_not_grow_with_indicators(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = IndicatorFactory()
    TargetFactory(indicator=first)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/kommunen/{first.organisation.slug}/klima/")
        counts.append(len(queries))
        for _ in range(5):
            more = IndicatorFactory(organisation=first.organisation, aggregation="mittel")
            Value.objects.create(indicator=more, date=date(2020, 1, 1), value=1)
            TargetFactory(indicator=more)
            refresh(more)
    assert counts[0] == counts[1]


def _upload(client, indicator, body, **fields):
    data = {
        "kind": "csv",
        "date": "datum",
        "value": "wert",
        "district": "",
        "category": "",
        "note": "",
        "parameter": "TMK",
    }
    data.update(fields)
    data["file"] = SimpleUploadedFile("werte.csv", body)
    return client.post(url(indicator, "import/"), data)


def test_staff_import_previews_then_imports(client):
    indicator = IndicatorFactory()
    staff = MembershipFactory(organisation=indicator.organisation, role=Role.PROJECT_MANAGER).user
    client.force_login(staff)
    response = _upload(client, indicator, "datum;wert\n2020;1,5\n2021;2\n".encode("latin-1"))
    assert "2 Werte vom 01.01.2020 bis 01.01.2021 sind bereit." in text(response)
    assert not Value.objects.exists()
    pending = PendingImport.objects.get()
    response = client.post(url(indicator, "import/"), {"pending": pending.pk, "confirm": ""})
    assert response.status_code == 302 and response["Location"] == url(indicator)
    assert sorted(Value.objects.values_list("value", flat=True)) == [1.5, 2.0]
    assert not PendingImport.objects.exists()


def test_staff_import_with_a_bad_row_lists_it_and_stores_nothing(client):
    indicator = IndicatorFactory()
    client.force_login(MembershipFactory(organisation=indicator.organisation, role=Role.ADMIN).user)
    page = text(_upload(client, indicator, b"datum;wert\n2020;1\n2021;zwei\n"))
    assert "Zeile 3: „zwei“ ist keine Zahl." in page and "Es wurde nichts gespeichert." in page
    assert not Value.objects.exists() and not PendingImport.objects.exists()


@pytest.mark.parametrize(
    ("body", "fields", "message"),
    [
        (b"datum;wert\n2020;1\n", {"value": "menge"}, "„menge“ gibt es in der Datei nicht"),
        (b"datum;wert\n", {}, "keine Werte"),
        (b"PK\x03\x04\x00\x00binary", {}, "keine Textdatei"),
        (b"datum;wert\n20200101;1\n", {"kind": "dwd"}, "keine Tageswerte-Datei"),
        (b"datum;wert\n2020-01-01;1\n2020-01-01;2\n", {}, "Zeile 3: Doppelt"),
        (b"datum;wert\n2020;1\n", {"date": ""}, "Überschrift dieser Spalte"),
    ],
)
def test_bad_files_get_a_german_message_and_no_500(client, body, fields, message):
    indicator = IndicatorFactory(resolution="tag")
    client.force_login(MembershipFactory(organisation=indicator.organisation, role=Role.ADMIN).user)
    response = _upload(client, indicator, body, **fields)
    assert response.status_code == 200 and message in text(response)
    assert not Value.objects.exists()


def test_import_page_is_for_data_staff_only(client):
    indicator = IndicatorFactory()
    assert client.get(url(indicator, "import/")).status_code == 302  # to the login
    client.force_login(UserFactory())
    assert client.get(url(indicator, "import/")).status_code == 403
    client.force_login(
        MembershipFactory(organisation=indicator.organisation, role=Role.MODERATOR).user
    )
    assert client.get(url(indicator, "import/")).status_code == 403
    client.force_login(MembershipFactory(organisation=indicator.organisation, role=Role.ADMIN).user)
    assert client.get(url(indicator, "import/")).status_code == 200


def test_someone_elses_preview_cannot_be_confirmed(client):
    indicator = IndicatorFactory()
    first = MembershipFactory(organisation=indicator.organisation, role=Role.ADMIN).user
    client.force_login(first)
    _upload(client, indicator, b"datum;wert\n2020;1\n")
    client.force_login(MembershipFactory(organisation=indicator.organisation, role=Role.ADMIN).user)
    response = client.post(
        url(indicator, "import/"),
        {"pending": PendingImport.objects.get().pk, "confirm": ""},
        follow=True,
    )
    assert "Diese Vorschau gibt es nicht mehr" in text(response)
    assert not Value.objects.exists()


def test_ortsteil_page_shows_its_latest_figures(client, django_assert_max_num_queries):
    indicator = IndicatorFactory(
        title="Photovoltaik-Leistung", unit="kWp", spatial_level="ortsteil"
    )
    district = DistrictFactory(organisation=indicator.organisation, name="Lübnitz")
    other = DistrictFactory(organisation=indicator.organisation)
    for year, value in [(2023, 500.0), (2024, 761.0)]:
        Value.objects.create(
            indicator=indicator, district=district, date=date(year, 1, 1), value=value
        )
        Value.objects.create(indicator=indicator, district=other, date=date(year, 1, 1), value=9.0)
    hidden = IndicatorFactory(
        organisation=indicator.organisation, title="Geheim", is_published=False
    )
    Value.objects.create(indicator=hidden, district=district, date=date(2024, 1, 1), value=1)
    address = f"/kommunen/{indicator.organisation.slug}/ortsteile/{district.slug}/"
    page = text(client.get(address))
    assert "Photovoltaik-Leistung</a>: 761 kWp (2024)" in page and "Geheim" not in page
    for year in range(2000, 2020):
        Value.objects.create(indicator=hidden, district=district, date=date(year, 1, 1), value=1)
    with django_assert_max_num_queries(7):  # with the footer's and the offices section's
        client.get(address)


def test_a_big_file_is_imported_in_the_background(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    from mitmachen.climate import services

    monkeypatch.setattr(services, "BACKGROUND_BYTES", 10)
    indicator = IndicatorFactory()
    client.force_login(MembershipFactory(organisation=indicator.organisation, role=Role.ADMIN).user)
    _upload(client, indicator, b"datum;wert\n2020;1\n2021;2\n")
    pending = PendingImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(indicator, "import/"), {"pending": pending.pk, "confirm": ""}, follow=True
        )
    assert "wird im Hintergrund importiert" in text(response)
    # The task ran once the confirmation committed; the import page shows its result.
    assert "importiert – 2 Werte importiert, 0 ersetzt." in text(
        client.get(url(indicator, "import/"))
    )
    assert sorted(Value.objects.values_list("value", flat=True)) == [1.0, 2.0]
    pending.refresh_from_db()
    assert pending.state == "fertig" and bytes(pending.data) == b""
    # Run twice (a retried task): nothing happens the second time.
    services.pending_import_run(pending_id=pending.pk)
    assert Value.objects.count() == 2


def test_a_background_import_with_a_bad_row_stores_nothing_and_says_why():
    from mitmachen.climate import services

    indicator = IndicatorFactory()
    staff = MembershipFactory(organisation=indicator.organisation, role=Role.ADMIN).user
    pending = PendingImport.objects.create(
        indicator=indicator, uploaded_by=staff, kind="csv", file_name="x.csv", state="wartet",
        data=b"datum;wert\n2020;1\n2021;zwei\n", options={"date": "datum", "value": "wert"},
    )  # fmt: skip
    services.pending_import_run(pending_id=pending.pk)
    pending.refresh_from_db()
    assert pending.state == "fehler" and "Zeile 3: „zwei“ ist keine Zahl." in pending.message
    assert not Value.objects.exists()
