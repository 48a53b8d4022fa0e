"""Importing measure lists: per-row errors naming row and column, all or nothing, the
export's format re-imports (matched by ID, never doubled), encodings and separators,
limits, permissions and the background import with its status page."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.measures import import_services, imports, services
from mitmachen.measures.imports import ImportFileError, parse
from mitmachen.measures.models import (
    FieldOfAction,
    Goal,
    ImportState,
    Measure,
    MeasureImport,
    ProgressMode,
)
from mitmachen.measures.tests.factories import MeasureFactory, MilestoneFactory, default_status
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
)

HEADER = "Handlungsfeld;Ziel;Titel;Status;Fortschritt (Prozent);Ortsteile;Kosten (Euro)"


def _csv(*lines: str, header: str = HEADER, encoding: str = "utf-8-sig") -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode(encoding)


def _export(client, organisation, kind: str) -> bytes:
    response = client.get(reverse(f"measures:export_{kind}", args=[organisation.slug]))
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _import(user, organisation, data: bytes) -> imports.Parsed:
    pending, parsed = import_services.import_preview(
        user=user, organisation=organisation, file_name="liste.csv", data=data
    )
    assert pending is not None and parsed is not None
    assert parsed.ok, [str(e) for e in parsed.errors]
    result = import_services.import_confirm(user=user, pending=pending)
    assert result is not None and result.ok
    return result


# --- Reading and checking ------------------------------------------------------------------


def test_a_bad_row_names_row_and_column_and_nothing_is_stored(organisation, manager):
    data = _csv(
        "Mobilität;Bus;Rufbus Wiesenburg;in Umsetzung;40;West;",
        "Mobilität;Bus;Haltestellen;geplant;0;;",
        "Mobilität;Bus;Radweg;fertig;10;;",
        "Wohnen;Studie;Wohnbedarf;geplant;120;Nirgendwo;12,5x",
    )
    pending, parsed = import_services.import_preview(
        user=manager, organisation=organisation, file_name="liste.csv", data=data
    )
    assert pending is None
    assert [str(e) for e in parsed.errors] == [
        "Zeile 4, Spalte Status: „fertig“ ist kein bekannter Status.",
        "Zeile 5, Spalte Kosten (Euro): „12.5x“ ist kein Betrag in Euro.",
        "Zeile 5, Spalte Fortschritt (Prozent): „120“ ist kein Fortschritt "
        "(0 bis 100 oder „Meilensteine“).",
        "Zeile 5, Spalte Ortsteile: „Nirgendwo“ ist kein Ortsteil dieser Kommune.",
    ]
    assert not Measure.objects.exists()
    assert not FieldOfAction.objects.exists()
    assert not MeasureImport.objects.exists()


def test_a_valid_list_creates_fields_goals_and_measures(organisation, manager, region):
    parsed = _import(
        manager,
        organisation,
        _csv(
            "Mobilität;Bus;Rufbus Wiesenburg;in Umsetzung;40;West, Ost;12.500,50",
            "mobilität;BUS;Haltestellen;;Meilensteine;;",
            "Wohnen;Studie;Wohnbedarf;umgesetzt;100;ost;",
        ),
    )
    assert (parsed.created, parsed.changed) == (3, 0)
    assert parsed.summary()["new_goals"] == [["Mobilität", "Bus"], ["Wohnen", "Studie"]]
    assert sorted(FieldOfAction.objects.values_list("title", flat=True)) == ["Mobilität", "Wohnen"]
    assert Goal.objects.count() == 2
    bus = Measure.objects.get(title="Rufbus Wiesenburg")
    assert bus.organisation == organisation and bus.progress == 40
    assert bus.cost == Decimal("12500.50") and bus.status.kind == "in_progress"
    assert set(bus.districts.all()) == {region["west"], region["east"]}
    stops = Measure.objects.get(title="Haltestellen")
    assert stops.progress_mode == ProgressMode.MILESTONES and stops.status.kind == "planned"
    assert not stops.published  # a new measure is a draft unless the file says otherwise


def test_latin1_with_commas_and_a_missing_reason(organisation, manager):
    data = _csv(
        "Grün,Bäume,Straßenbäume,verworfen,0,,",
        header=HEADER.replace(";", ","),
        encoding="latin-1",
    )
    _pending, parsed = import_services.import_preview(
        user=manager, organisation=organisation, file_name="l.csv", data=data
    )
    assert [str(e) for e in parsed.errors] == [
        "Zeile 2, Spalte Begründung des Status: Bitte begründen Sie öffentlich, warum die "
        "Maßnahme „verworfen“ ist."
    ]
    data = _csv(
        "Grün,Bäume,Straßenbäume,verworfen,0,Zu teuer",
        header="Handlungsfeld,Ziel,Titel,Status,Fortschritt (Prozent),Begründung des Status",
        encoding="latin-1",
    )
    _import(manager, organisation, data)
    assert Measure.objects.get().title == "Straßenbäume"


def test_unknown_and_repeated_ids(organisation, manager, goal):
    other = MeasureFactory()  # another municipality's measure
    mine = MeasureFactory(goal=goal)
    data = _csv(
        f"{other.pk};F;Z;Fremd",
        f"{mine.pk};F;Z;Eins",
        f"{mine.pk};F;Z;Zwei",
        header="ID;Handlungsfeld;Ziel;Titel",
    )
    parsed = parse(organisation=organisation, data=data)
    assert [str(e) for e in parsed.errors] == [
        f"Zeile 2, Spalte ID: Eine Maßnahme {other.pk} gibt es in dieser Kommune nicht.",
        f"Zeile 4, Spalte ID: Die Maßnahme {mine.pk} steht schon in Zeile 3.",
    ]


def test_whole_file_problems(organisation, monkeypatch):
    with pytest.raises(ImportFileError, match="fehlen die Spalten „Ziel“"):
        parse(organisation=organisation, data=b"Handlungsfeld;Titel\nA;B\n")
    with pytest.raises(ImportFileError, match="keine Maßnahmen"):
        parse(organisation=organisation, data=_csv())
    with pytest.raises(ImportFileError, match="weder eine XLSX"):
        parse(organisation=organisation, data=b"\x00\x01binary")
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    with pytest.raises(ImportFileError, match="mehr als 2 Zeilen"):
        parse(organisation=organisation, data=_csv("A;B;C", "A;B;D", "A;B;E"))
    with pytest.raises(ImportFileError, match="mehr als 2 Zeilen"):
        parse(organisation=organisation, data=_csv("A;B;C", *[";;"] * 5))
    monkeypatch.setattr(imports, "MAX_BYTES", 10)
    with pytest.raises(ImportFileError, match="zu groß"):
        parse(organisation=organisation, data=_csv("A;B;C"))


# --- Round trip -----------------------------------------------------------------------------


COMPARED = [
    "title",
    "description",
    "responsible",
    "latitude",
    "longitude",
    "cost",
    "funding_source",
    "priority",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "status_id",
    "status_reason",
    "progress_mode",
    "progress_manual",
    "progress",
    "weight",
    "published",
    "project_id",
    "goal_id",
]


def _state():
    return {m["id"]: m for m in Measure.objects.values("id", *COMPARED)} | {
        "districts": sorted(
            Measure.districts.through.objects.values_list("measure_id", "district_id")
        )
    }


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_export_reimports_unchanged(client, organisation, manager, goal, project, region, kind):
    done = MeasureFactory(
        goal=goal,
        title="=1+1 Formel",
        description="Zweizeilig\nund „zitiert“; mit Semikolon",
        cost=Decimal("99.90"),
        planned_start=date(2025, 1, 2),
        planned_end=date(2025, 12, 31),
        latitude=52.1,
        longitude=12.5,
        project=project,
        weight=3,
        progress_manual=55,
        progress=55,
        status=default_status("discarded"),
        status_reason="Zu teuer",
    )
    done.districts.add(region["east"])
    stepwise = MeasureFactory(goal=goal, progress_mode=ProgressMode.MILESTONES, published=False)
    MilestoneFactory(measure=stepwise, done=True)
    MilestoneFactory(measure=stepwise, done=False)
    services.measure_refresh_progress(measure=stepwise)
    client.force_login(manager)
    before = _state()
    parsed = _import(manager, organisation, _export(client, organisation, kind))
    assert (parsed.created, parsed.changed, parsed.unchanged) == (0, 0, 2)
    assert _state() == before
    assert Measure.objects.get(pk=done.pk).title == "=1+1 Formel"
    assert Measure.objects.get(pk=stepwise.pk).progress == 50
    # The read-only columns (milestones, origins, area) are named as not read.
    assert parsed.ignored == [
        "Meilensteine erledigt",
        "Meilensteine",
        "Herkunft",
        "Fläche (GeoJSON)",
    ]


def test_a_reimport_updates_by_id_instead_of_doubling(client, organisation, manager, goal):
    measure = MeasureFactory(goal=goal, title="Alt", progress_manual=10, progress=10)
    client.force_login(manager)
    text = _export(client, organisation, "csv").decode("utf-8-sig")
    text = text.replace(",Alt,", ",Neu,").replace(",in Umsetzung,,10,", ",umgesetzt,,100,")
    parsed = _import(manager, organisation, text.encode())
    assert (parsed.created, parsed.changed) == (0, 1)
    measure.refresh_from_db()
    assert (measure.title, measure.status.kind, measure.progress) == ("Neu", "done", 100)
    assert Measure.objects.count() == 1


TEXT = (
    st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=60)
    .map(str.strip)
    .filter(lambda t: t and not t.startswith("'"))
)


class TestRoundTripProperty(TestCase):
    """Whatever staff typed (titles with formulas, quotes, separators, umlauts), the
    exported CSV and XLSX import back to the same measures."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        rows=st.lists(
            st.tuples(
                TEXT,
                TEXT,
                st.integers(0, 100),
                st.none() | st.decimals(min_value=0, max_value=10**9, places=2),
                st.none() | st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)),
            ),
            min_size=1,
            max_size=5,
        ),
        kind=st.sampled_from(["csv", "xlsx"]),
    )
    def test_round_trip(self, rows, kind):
        organisation = OrganisationFactory()
        manager = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
        goal = Goal.objects.create(
            field=FieldOfAction.objects.create(organisation=organisation, title="F"), title="Z"
        )
        for title, description, progress, cost, start in rows:
            MeasureFactory(
                goal=goal,
                title=title,
                description=description,
                progress_manual=progress,
                progress=progress,
                cost=cost,
                planned_start=start,
            )
        self.client.force_login(manager)
        before = _state()
        parsed = _import(manager, organisation, _export(self.client, organisation, kind))
        assert (parsed.created, parsed.changed, parsed.unchanged) == (0, 0, len(rows))
        assert _state() == before


# --- Pages, permissions, background -----------------------------------------------------------


def _upload(client, organisation, data: bytes, name="liste.csv"):
    return client.post(
        reverse("measures:import", args=[organisation.slug]),
        {"file": SimpleUploadedFile(name, data)},
    )


def test_upload_preview_confirm(client, organisation, manager):
    client.force_login(manager)
    page = _upload(client, organisation, _csv("Mobilität;Bus;Rufbus;;5;;"))
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "Bereit zum Import – neue Maßnahmen: 1, geänderte: 0, unveränderte: 0." in html
        and "Rufbus" in html
    )
    pending = MeasureImport.objects.get()
    assert not Measure.objects.exists()
    response = client.post(
        reverse("measures:import", args=[organisation.slug]),
        {"pending": pending.pk, "confirm": ""},
    )
    assert response.status_code == 302
    assert Measure.objects.get().title == "Rufbus"
    assert not MeasureImport.objects.exists()
    # A second confirmation of the same preview is refused with a message.
    again = client.post(
        reverse("measures:import", args=[organisation.slug]),
        {"pending": pending.pk, "confirm": ""},
        follow=True,
    )
    assert "Diese Vorschau gibt es nicht mehr" in again.content.decode()
    assert Measure.objects.count() == 1


def test_upload_with_errors_shows_them_and_offers_no_confirmation(client, organisation, manager):
    client.force_login(manager)
    html = _upload(client, organisation, _csv("Mobilität;Bus;Rufbus;fertig;5;;")).content.decode()
    assert "Zeile 2, Spalte Status: „fertig“ ist kein bekannter Status." in html
    assert "<title>Fehler: Maßnahmen importieren" in html
    assert "Es wurde nichts gespeichert." in html
    assert 'name="confirm"' not in html


def test_upload_limits_are_said_in_german(client, organisation, manager, monkeypatch):
    client.force_login(manager)
    monkeypatch.setattr(imports, "MAX_BYTES", 20)
    html = _upload(client, organisation, _csv("Mobilität;Bus;Rufbus;;5;;")).content.decode()
    assert "Die Datei ist zu groß (höchstens 5 MB)" in html
    assert not MeasureImport.objects.exists()


@pytest.mark.parametrize("who", ["resident", "moderator", "stranger_staff"])
def test_only_the_municipalitys_managers_import(client, organisation, who, request):
    client.force_login(request.getfixturevalue(who))
    response = _upload(client, organisation, _csv("A;B;C;;;;"))
    assert response.status_code == 403
    assert "Nur die Verwaltung der Kommune kann Maßnahmen importieren." in response.content.decode()
    assert not MeasureImport.objects.exists()
    page = client.get(reverse("measures:import", args=[organisation.slug]))
    assert page.status_code == 403


def test_anonymous_is_sent_to_sign_in(client, organisation):
    response = client.get(reverse("measures:import", args=[organisation.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_big_list_is_checked_and_imported_in_the_background(
    client, organisation, manager, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_services, "BACKGROUND_BYTES", 50)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(
            client, organisation, _csv(*[f"F;Z;Maßnahme {n};;{n};;" for n in range(5)])
        )
    job = MeasureImport.objects.get()
    status_url = reverse("measures:import_status", args=[organisation.slug, job.pk])
    assert response["Location"] == status_url
    assert (job.state, job.rows_done, job.rows_total) == (ImportState.PREVIEWED, 5, 5)
    html = client.get(status_url).content.decode()
    assert "Bereit zum Import – neue Maßnahmen: 5," in html and 'name="confirm"' in html
    assert not Measure.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("measures:import", args=[organisation.slug]),
            {"pending": job.pk, "confirm": ""},
        )
    assert response["Location"] == status_url
    assert Measure.objects.count() == 5
    job.refresh_from_db()
    assert (job.state, job.rows_done, job.rows_total) == (ImportState.DONE, 5, 5)
    assert job.message == "Maßnahmen angelegt: 5, geändert: 0." and job.data == b""
    html = client.get(status_url).content.decode()
    assert "Maßnahmen angelegt: 5" in html and 'http-equiv="refresh"' not in html
    # Others do not see it.
    client.force_login(MembershipFactory(organisation=organisation, role=Role.ADMIN).user)
    assert client.get(status_url).status_code == 404


def test_a_big_list_with_errors_shows_them_on_its_status_page(
    client, organisation, manager, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_services, "BACKGROUND_BYTES", 50)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, organisation, _csv("F;Z;Gut;;1;;", "F;Z;Schlecht;fertig;1;;"))
    job = MeasureImport.objects.get()
    assert job.state == ImportState.FAILED and job.data == b""
    html = client.get(
        reverse("measures:import_status", args=[organisation.slug, job.pk])
    ).content.decode()
    assert "Zeile 3, Spalte Status: „fertig“ ist kein bekannter Status." in html
    assert 'name="confirm"' not in html and not Measure.objects.exists()


def test_a_running_import_shows_its_progress_and_reloads(client, organisation, manager):
    job = MeasureImport.objects.create(
        organisation=organisation,
        uploaded_by=manager,
        file_name="gross.xlsx",
        data=b"x",
        state=ImportState.RUNNING,
        rows_total=10000,
        rows_done=2500,
    )
    client.force_login(manager)
    html = client.get(
        reverse("measures:import_status", args=[organisation.slug, job.pk])
    ).content.decode()
    assert "2500 von 10000 Zeilen geprüft: <strong>25 %</strong>" in html
    assert '<meta http-equiv="refresh" content="5">' in html
    assert "Jetzt neu laden" in html


def test_the_background_import_fails_whole_when_a_measure_went_away(organisation, manager, goal):
    measure = MeasureFactory(goal=goal)
    data = _csv(f"{measure.pk};F;Z;Neu", "; F;Z;Auch neu", header="ID;Handlungsfeld;Ziel;Titel")
    job = MeasureImport.objects.create(
        organisation=organisation,
        uploaded_by=manager,
        file_name="l.csv",
        data=data,
        state=ImportState.QUEUED,
        rows_total=2,
    )
    gone = measure.pk
    measure.delete()
    import_services.import_run(import_id=job.pk)
    job.refresh_from_db()
    assert job.state == ImportState.FAILED
    assert f"Zeile 2, Spalte ID: Eine Maßnahme {gone} gibt es" in job.message
    assert not Measure.objects.exists() and job.data == b""


def test_the_background_import_checks_the_permission_again(organisation, goal):
    former = UserFactory()
    job = MeasureImport.objects.create(
        organisation=organisation,
        uploaded_by=former,
        file_name="l.csv",
        data=_csv("F;Z;Neu;;;;"),
        state=ImportState.QUEUED,
        rows_total=1,
    )
    import_services.import_run(import_id=job.pk)
    job.refresh_from_db()
    assert job.state == ImportState.FAILED and not Measure.objects.exists()


def test_import_writes_in_a_fixed_number_of_queries(
    organisation, manager, django_assert_max_num_queries
):
    district = DistrictFactory(organisation=organisation, name="Mitte", slug="mitte")
    lines = [
        f"Feld {n % 3};Ziel {n % 2};Maßnahme {n};geplant;{n % 101};{district.name};"
        for n in range(400)
    ]
    parsed = parse(organisation=organisation, data=_csv(*lines))
    with django_assert_max_num_queries(40):
        import_services.catalogue_import(user=manager, organisation=organisation, parsed=parsed)
    assert Measure.objects.count() == 400


def test_xlsx_upload(client, organisation, manager):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Handlungsfeld", "Ziel", "Titel", "Geplanter Beginn", "Kosten (Euro)"])
    sheet.append(["Mobilität", "Bus", "Rufbus", date(2026, 5, 1), 1200.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _import(manager, organisation, buffer.getvalue())
    bus = Measure.objects.get()
    assert bus.planned_start == date(2026, 5, 1) and bus.cost == Decimal("1200.50")


def test_a_measure_deleted_after_the_check_stops_the_whole_import(organisation, manager, goal):
    from django.core.exceptions import ValidationError

    measure = MeasureFactory(goal=goal)
    data = _csv(f"{measure.pk};F;Z;Neu", ";F;Z;Auch neu", header="ID;Handlungsfeld;Ziel;Titel")
    parsed = parse(organisation=organisation, data=data)
    Measure.objects.filter(pk=measure.pk).delete()
    with pytest.raises(ValidationError, match="inzwischen gelöscht"):
        import_services.catalogue_import(user=manager, organisation=organisation, parsed=parsed)
    assert not Measure.objects.exists() and not FieldOfAction.objects.filter(title="F").exists()
