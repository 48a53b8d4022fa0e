"""Imports store all or nothing, replace the period they bring, and round-trip through
the CSV download."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.climate import importers, services
from mitmachen.climate.models import Value
from mitmachen.climate.tests.factories import IndicatorFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import DistrictFactory, MembershipFactory

pytestmark = pytest.mark.django_db

CSV = {
    "date": "datum",
    "value": "wert",
    "district": "ortsteil",
    "category": "kategorie",
    "note": "hinweis",
}


def _import(indicator, text, user=None, kind="csv", options=None, encoding="utf-8"):
    return services.values_import(
        user=user,
        indicator=indicator,
        kind=kind,
        data=text.encode(encoding),
        options=options or CSV,
    )


def test_a_file_with_one_bad_row_stores_nothing():
    indicator = IndicatorFactory()
    result = _import(indicator, "datum;wert;ortsteil;kategorie;hinweis\n2020;1;;;\n2021;x;;;\n")
    assert not result.ok and [e.line for e in result.errors] == [3]
    assert not Value.objects.exists()


def test_reimport_replaces_the_period_and_is_idempotent():
    indicator = IndicatorFactory()
    text = "datum;wert;ortsteil;kategorie;hinweis\n2020;1;;;\n2021;2;;;vorläufig\n"
    _import(indicator, text)
    again = _import(indicator, text)
    assert again.replaced == 2 and again.created == 2
    assert list(Value.objects.values_list("date__year", "value", "note")) == [
        (2020, 1.0, ""), (2021, 2.0, "vorläufig")
    ]  # fmt: skip
    _import(indicator, "datum;wert;ortsteil;kategorie;hinweis\n2021;2,5;;;\n2022;3;;;\n")
    assert list(Value.objects.values_list("date__year", "value")) == [
        (2020, 1.0), (2021, 2.5), (2022, 3.0)
    ]  # fmt: skip


def test_ortsteile_are_matched_by_name_and_replaced_only_for_the_ones_in_the_file():
    indicator = IndicatorFactory(aggregation="summe", spatial_level="ortsteil")
    a = DistrictFactory(organisation=indicator.organisation, name="Lübnitz")
    b = DistrictFactory(organisation=indicator.organisation, name="Hagelberg")
    _import(
        indicator,
        "datum;wert;ortsteil;kategorie;hinweis\n2020;1;Lübnitz;;\n2020;2;Hagelberg;;\n",
        encoding="latin-1",
    )
    _import(indicator, "datum;wert;ortsteil;kategorie;hinweis\n2020;5;lübnitz;;\n")
    assert dict(Value.objects.values_list("district_id", "value")) == {a.pk: 5.0, b.pk: 2.0}
    unknown = _import(indicator, "datum;wert;ortsteil;kategorie;hinweis\n2021;5;Atlantis;;\n")
    assert not unknown.ok and "Atlantis" in unknown.errors[0].message


def test_dwd_import_of_two_parameters_from_one_file():
    temperature = IndicatorFactory(resolution="tag", aggregation="mittel", unit="°C")
    rain = IndicatorFactory(organisation=temperature.organisation, resolution="tag", unit="mm")
    text = importers.write_dwd_daily(
        1,
        [
            (date(2024, 1, 1) + timedelta(days=i), {"TMK": None if i == 3 else i / 2, "RSK": 1.0})
            for i in range(10)
        ],
    )
    t = _import(temperature, text, kind="dwd", options={"parameter": "TMK"}, encoding="latin-1")
    r = _import(rain, text, kind="dwd", options={"parameter": "RSK"}, encoding="latin-1")
    assert (t.created, t.parsed.missing, r.created) == (9, 1, 10)
    assert not Value.objects.filter(indicator=temperature, date=date(2024, 1, 4)).exists()
    assert _import(temperature, text, kind="dwd", options={"parameter": "TMK"}).replaced == 9


def test_residents_and_moderators_may_not_import():
    indicator = IndicatorFactory()
    moderator = MembershipFactory(organisation=indicator.organisation, role=Role.MODERATOR).user
    manager = MembershipFactory(organisation=indicator.organisation, role=Role.PROJECT_MANAGER).user
    text = "datum;wert;ortsteil;kategorie;hinweis\n2020;1;;;\n"
    for user in (UserFactory(), moderator):
        with pytest.raises(PermissionDenied, match="Administration und die Projektleitungen"):
            _import(indicator, text, user=user)
    assert _import(indicator, text, user=manager).ok


def test_staff_of_another_municipality_may_not_import():
    indicator = IndicatorFactory()
    other = MembershipFactory(role=Role.ADMIN).user
    with pytest.raises(PermissionDenied):
        _import(indicator, "datum;wert;ortsteil;kategorie;hinweis\n2020;1;;;\n", user=other)


series = st.lists(
    st.tuples(
        st.dates(date(1900, 1, 1), date(2100, 12, 31)),
        st.floats(-1e15, 1e15, allow_nan=False, width=64),
        st.sampled_from(["", "Verkehr", "Private Haushalte", "Gewerbe; Industrie"]),
        st.sampled_from(["", "vorläufig", 'mit "Anführungszeichen"']),
    ),
    max_size=40,
    unique_by=lambda row: (row[0], row[2]),
)


class RoundTrip(TestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rows=series.map(lambda rows: [*rows, (date(2000, 1, 1), 1.234, "x", "")]))
    def test_export_csv_then_import_gives_the_same_series(self, rows):
        """Random series: download as CSV, import into another indicator, same values."""
        source = IndicatorFactory(resolution="tag")
        Value.objects.bulk_create(
            Value(indicator=source, date=d, value=v, category=c, note=n) for d, v, c, n in rows
        )
        response = Client().get(
            f"/kommunen/{source.organisation.slug}/klima/{source.slug}/daten.csv"
        )
        data = b"".join(response.streaming_content)
        target = IndicatorFactory(organisation=source.organisation, resolution="tag")
        if not rows:
            assert not services.values_import(
                user=None, indicator=target, kind="csv", data=data, options=CSV
            ).ok
            return
        result = services.values_import(
            user=None, indicator=target, kind="csv", data=data, options=CSV
        )
        assert result.ok, result.errors[:3]

        def of(indicator):
            return sorted(
                Value.objects.filter(indicator=indicator).values_list(
                    "date", "value", "category", "note"
                )
            )

        assert of(target) == of(source) == sorted(rows)


def test_month_summaries_follow_every_import():
    indicator = IndicatorFactory(resolution="tag", aggregation="mittel")
    _import(
        indicator,
        "datum;wert;ortsteil;kategorie;hinweis\n01.01.2024;1;;;\n31.01.2024;3;;;\n01.02.2024;5;;;\n",
    )
    _import(indicator, "datum;wert;ortsteil;kategorie;hinweis\n31.01.2024;4;;;\n")
    from mitmachen.climate.selectors import aggregate_months, monthly

    assert monthly(indicator) == aggregate_months(indicator)
    assert [
        (m.month.month, m.total, m.count, m.first.day, m.last.day) for m in monthly(indicator)
    ] == [
        (1, 5.0, 2, 1, 31),
        (2, 5.0, 1, 1, 1),
    ]


def test_dwd_values_only_go_into_a_daily_indicator():
    yearly = IndicatorFactory(resolution="jahr")
    text = importers.write_dwd_daily(1, [(date(2024, 1, 1), {"TMK": 1.0})])
    with pytest.raises(importers.ImportFileError, match="nur zu einem Indikator mit Tageswerten"):
        _import(yearly, text, kind="dwd", options={"parameter": "TMK"})
