""" "Meine Daten" and "Meine Abonnements" cover followed measures; deleting the account
leaves no trace of the person in the measures' tables."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from mitmachen.accounts.services import account_delete, personal_data_export
from mitmachen.measures import services
from mitmachen.measures.models import MeasureFollow, MeasureUpdate
from mitmachen.measures.tests.factories import MeasureFactory


def _rows_naming(user_pk: int) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table, column in (
            ("measures_measurefollow", "user_id"),
            ("measures_measureupdate", "author_id"),
        ):
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = %s", [user_pk])
            if cursor.fetchone()[0]:
                found.append(table)
    return found


def test_export_lists_followed_measures_and_written_updates(goal, resident, manager):
    measure = MeasureFactory(goal=goal, title="Rufbus MARKER-7")
    services.measure_follow(user=resident, measure=measure)
    services.update_post(user=manager, measure=measure, text="Neu", notify_followers=False)
    data = personal_data_export(user=resident)
    assert data["massnahmen"]["abonniert"][0]["massnahme"] == "Rufbus MARKER-7"
    staff_data = personal_data_export(user=manager)
    assert staff_data["massnahmen"]["neuigkeiten_verfasst"][0]["text"] == "Neu"


def test_my_subscriptions_page_lists_and_ends_the_follow(client, goal, resident):
    measure = MeasureFactory(goal=goal, title="Rufbus")
    services.measure_follow(user=resident, measure=measure)
    client.force_login(resident)
    page = client.get(reverse("accounts:follows")).content.decode()
    assert "Rufbus" in page


def test_deleting_the_account_leaves_no_trace(goal, resident, manager):
    measure = MeasureFactory(goal=goal)
    services.measure_follow(user=resident, measure=measure)
    services.update_post(user=manager, measure=measure, text="Neu", notify_followers=False)
    pks = (resident.pk, manager.pk)
    account_delete(user=resident)
    account_delete(user=manager)
    for pk in pks:
        assert _rows_naming(pk) == []
    assert not MeasureFollow.objects.exists()
    # The update stays public (the municipality's statement), without its author.
    assert MeasureUpdate.objects.get().author is None
