import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from mitmachen.accounts.models import User
from mitmachen.accounts.services import account_delete
from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.registry import exporters
from mitmachen.notifications.models import Notification
from mitmachen.notifications.services import mark_read, notify, unread_count
from mitmachen.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def send(recipients, **kwargs):
    kwargs.setdefault("kind", "status_changed")
    kwargs.setdefault("title", "Rückmeldung zu Ihrem Vorschlag")
    kwargs.setdefault("url", "/vorschlaege/5/")
    return notify(recipients=recipients, **kwargs)


class TestNotify:
    def test_one_row_per_distinct_active_recipient_without_the_actor(self):
        alice, bob, actor = UserFactory(), UserFactory(), UserFactory()
        inactive = UserFactory(is_active=False)
        created = send(
            [alice, bob, alice, None, actor, inactive, User.objects.get(pk=bob.pk)],
            exclude=actor,
            text="Die Verwaltung hat geantwortet.",
        )
        assert created == 2
        rows = Notification.objects.order_by("recipient_id")
        assert [n.recipient for n in rows] == [alice, bob]
        assert {(n.kind, n.title, n.text, n.url, n.read_at) for n in rows} == {
            (
                "status_changed",
                "Rückmeldung zu Ihrem Vorschlag",
                "Die Verwaltung hat geantwortet.",
                "/vorschlaege/5/",
                None,
            )
        }

    def test_nobody_left_creates_nothing(self):
        actor = UserFactory()
        assert send([actor, None], exclude=actor) == 0
        assert send([]) == 0
        assert not Notification.objects.exists()

    def test_queryset_of_recipients_costs_the_same_for_3_and_30(self):
        counts = []
        for size in (3, 30):
            people = UserFactory.create_batch(size)
            recipients = User.objects.filter(pk__in=[p.pk for p in people])
            with CaptureQueriesContext(connection) as queries:
                assert send(recipients) == size
            counts.append(len(queries))
        assert counts[0] == counts[1]
        inserts = [q for q in queries if q["sql"].startswith("INSERT")]
        assert len(inserts) == 1

    @pytest.mark.parametrize(
        "url", ["https://evil.example/", "//evil.example/", "/\\evil.example", "vorschlaege/5/", ""]
    )
    def test_url_must_be_a_path_on_this_site(self, url):
        with pytest.raises(ValueError):
            send([UserFactory()], url=url)
        assert not Notification.objects.exists()

    def test_unknown_kind_is_refused(self):
        with pytest.raises(ValueError):
            send([UserFactory()], kind="spam")

    def test_empty_title_is_refused(self):
        with pytest.raises(ValueError):
            send([UserFactory()], title="   ")

    def test_long_title_and_text_are_cut(self):
        send([UserFactory()], title="T" * 300, text="x" * 2000)
        n = Notification.objects.get()
        assert len(n.title) == 200 and n.title.endswith("…")
        assert len(n.text) == 1000

    def test_lazy_text_is_stored_in_the_site_language(self):
        with translation.override("en"):
            send([UserFactory()], title=gettext_lazy("Statusänderung"))
        assert Notification.objects.get().title == "Statusänderung"

    def test_model_validation_refuses_other_hosts(self):
        n = NotificationFactory.build(recipient=UserFactory(), url="//evil.example/")
        with pytest.raises(ValidationError) as error:
            n.full_clean()
        assert "url" in error.value.message_dict


class TestMail:
    def test_mail_is_queued_only_after_commit(self, mailoutbox, django_capture_on_commit_callbacks):
        alice, bob, actor = UserFactory(), UserFactory(), UserFactory()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            send(
                [alice, bob, actor],
                exclude=actor,
                mail_subject="Rückmeldung zu Ihrem Vorschlag",
                mail_body="Die Verwaltung hat geantwortet.\n\nhttp://example.org/vorschlaege/5/",
            )
        assert mailoutbox == []  # nothing before the commit
        assert len(callbacks) == 2
        for callback in callbacks:
            callback()
        assert sorted(m.to[0] for m in mailoutbox) == sorted([alice.email, bob.email])
        assert all(len(m.to) == 1 for m in mailoutbox)
        assert mailoutbox[0].subject == "Rückmeldung zu Ihrem Vorschlag"
        assert "Die Verwaltung hat geantwortet." in mailoutbox[0].body

    def test_mail_is_sent_when_the_transaction_commits(
        self, mailoutbox, django_capture_on_commit_callbacks
    ):
        alice = UserFactory()
        with django_capture_on_commit_callbacks(execute=True):
            send([alice], mail_subject="Betreff", mail_body="Text")
        assert [m.to for m in mailoutbox] == [[alice.email]]

    def test_rolled_back_event_sends_nothing(self, mailoutbox, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(RuntimeError):
                with transaction.atomic():
                    send([UserFactory()], mail_subject="Betreff", mail_body="Text")
                    raise RuntimeError("the event failed")
        assert callbacks == []
        assert mailoutbox == []
        assert not Notification.objects.exists()

    def test_no_mail_without_subject_and_body(self, mailoutbox, django_capture_on_commit_callbacks):
        person = UserFactory()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            send([person], mail_subject="Nur ein Betreff")
        assert callbacks == []
        assert mailoutbox == []
        assert Notification.objects.count() == 1


class TestMarkRead:
    def test_only_own_notifications_change(self, django_assert_num_queries):
        me, other = UserFactory(), UserFactory()
        mine = NotificationFactory.create_batch(3, recipient=me)
        theirs = NotificationFactory(recipient=other)
        with django_assert_num_queries(1):
            changed = mark_read(user=me, notification_ids=[mine[0].pk, theirs.pk])
        assert changed == 1
        theirs.refresh_from_db()
        assert theirs.read_at is None
        assert unread_count(me) == 2

    def test_all_unread_and_already_read_do_not_count(self):
        me = UserFactory()
        earlier = timezone.now() - timezone.timedelta(days=1)
        read = NotificationFactory(recipient=me, read_at=earlier)
        NotificationFactory.create_batch(2, recipient=me)
        other = NotificationFactory()
        assert mark_read(user=me) == 2
        assert unread_count(me) == 0
        read.refresh_from_db()
        assert read.read_at == earlier  # the first time it was read stays
        assert unread_count(other.recipient) == 1
        assert mark_read(user=me) == 0

    def test_empty_list_changes_nothing(self, django_assert_num_queries):
        me = UserFactory()
        NotificationFactory(recipient=me)
        with django_assert_num_queries(0):
            assert mark_read(user=me, notification_ids=[]) == 0
        assert unread_count(me) == 1


def test_unread_count_costs_no_query_for_anonymous(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert unread_count(AnonymousUser()) == 0


class TestPersonalData:
    def test_export_lists_the_persons_notifications(self, settings):
        settings.SITE_URL = "https://mitmachen.example"
        me = UserFactory()
        NotificationFactory(recipient=me, title="Erste", url="/vorschlaege/1/")
        NotificationFactory(recipient=me, title="Zweite", read_at=timezone.now())
        NotificationFactory(title="Nicht meine")
        # Through the registry behind "Meine Daten" (the whole export is tested in accounts).
        data = exporters()["benachrichtigungen"](me)
        assert [n["titel"] for n in data] == ["Erste", "Zweite"]
        assert data[0]["link"] == "https://mitmachen.example/vorschlaege/1/"
        assert data[0]["art"] == "Statusänderung"
        assert data[0]["gelesen_am"] is None and data[1]["gelesen_am"]

    def test_account_deletion_removes_notifications(self):
        me = UserFactory()
        NotificationFactory.create_batch(2, recipient=me)
        kept = NotificationFactory()
        account_delete(user=me)
        assert list(Notification.objects.all()) == [kept]


def test_without_mail_writes_notifications_but_sends_nothing(
    mailoutbox, django_capture_on_commit_callbacks
):
    from mitmachen.accounts.tests.factories import UserFactory
    from mitmachen.notifications.models import Notification
    from mitmachen.notifications.services import notify, without_mail

    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True), without_mail():
        notify(
            recipients=[person],
            kind="other",
            title="Hallo",
            url="/",
            mail_subject="Hallo",
            mail_body="Text",
        )
    assert Notification.objects.filter(recipient=person).count() == 1
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[person],
            kind="other",
            title="Hallo",
            url="/",
            mail_subject="Hallo",
            mail_body="Text",
        )
    assert len(mailoutbox) == 1


class TestActorName:
    """Another person's name is filled in when shown, never stored (audit issue 18)."""

    def test_name_is_shown_but_not_stored_and_goes_with_the_account(self, client):
        recipient, actor = UserFactory(), UserFactory(display_name="Renate Rabe")
        send([recipient], kind="new_comment", title="{actor} hat geantwortet", actor=actor)
        note = Notification.objects.get()
        assert "Renate" not in note.title and note.actor == actor
        assert note.display_title == "Renate Rabe hat geantwortet"
        client.force_login(recipient)
        assert "Renate Rabe hat geantwortet" in client.get("/benachrichtigungen/").content.decode()

        account_delete(user=actor)
        note.refresh_from_db()
        assert note.actor is None
        assert note.display_title == "Gelöschtes Konto hat geantwortet"
        page = client.get("/benachrichtigungen/").content.decode()
        assert "Gelöschtes Konto hat geantwortet" in page and "Renate" not in page

    def test_a_title_with_an_actor_needs_the_placeholder(self):
        with pytest.raises(ValueError, match="actor"):
            send([UserFactory()], title="Renate hat geantwortet", actor=UserFactory())
        assert not Notification.objects.exists()

    def test_reply_notification_of_a_deleted_replier_shows_no_name(
        self, project_with_comments, django_capture_on_commit_callbacks
    ):
        from mitmachen.comments.services import comment_create

        project, karl = project_with_comments
        renate = UserFactory(display_name="Renate Rabe")
        with django_capture_on_commit_callbacks(execute=True):
            first = comment_create(author=karl, project=project, text="Erster")
            comment_create(author=renate, project=project, text="Antwort", reply_to=first)
        note = Notification.objects.get(recipient=karl)
        assert note.display_title == "Renate Rabe hat auf Ihren Kommentar geantwortet"
        assert "Renate" not in note.title
        account_delete(user=renate)
        note.refresh_from_db()
        assert note.display_title == "Gelöschtes Konto hat auf Ihren Kommentar geantwortet"
        assert exporters()["benachrichtigungen"](karl)[0]["titel"] == note.display_title

    def test_migration_rewrites_stored_names(self, project_with_comments):
        import importlib

        from django.apps import apps

        from mitmachen.comments.models import Comment

        migration = importlib.import_module(
            "mitmachen.comments.migrations.0004_reply_notifications_without_names"
        )
        project, karl = project_with_comments
        first = Comment.objects.create(project=project, author=karl, text="Erster")
        renate = UserFactory(display_name="Renate Rabe")
        by_renate = Comment.objects.create(project=project, author=renate, text="a", parent=first)
        gone = Comment.objects.create(project=project, author=None, text="b", parent=first)
        old = [
            NotificationFactory(
                recipient=karl,
                kind="new_comment",
                title=f"{name} hat auf Ihren Kommentar geantwortet",
                url=comment.get_absolute_url(),
            )
            for name, comment in [("Renate Rabe", by_renate), ("Otto Weg", gone)]
        ]
        unrelated = NotificationFactory(recipient=karl, title="Rückmeldung der Verwaltung")
        migration.forwards(apps, None)
        for note in [*old, unrelated]:
            note.refresh_from_db()
        assert [n.title for n in old] == ["{actor} hat auf Ihren Kommentar geantwortet"] * 2
        assert [n.display_title for n in old] == [
            "Renate Rabe hat auf Ihren Kommentar geantwortet",
            "Gelöschtes Konto hat auf Ihren Kommentar geantwortet",
        ]
        assert unrelated.display_title == "Rückmeldung der Verwaltung"


@pytest.fixture
def project_with_comments():
    from mitmachen.projects.tests.factories import PhaseFactory

    phase = PhaseFactory(actions=["comment"])
    return phase.project, UserFactory(display_name="Karl Nachbar")


class TestKinds:
    """The kinds come from the apps that send them (notifications.kinds)."""

    def test_the_modules_and_projects_declare_their_kinds_with_german_labels(self):
        from mitmachen.notifications import kinds

        labels = {key: str(label) for key, label in kinds.choices()}
        assert labels["status_changed"] == "Statusänderung"  # proposals
        assert labels["new_comment"] == "Neuer Kommentar"  # comments
        assert labels["debate_closed"] == "Debatte abgeschlossen"  # debates
        assert labels["content_hidden"] == "Beitrag ausgeblendet"  # moderation
        assert labels["phase_started"] == "Neue Phase"  # projects
        assert labels["other"] == "Hinweis"  # notifications itself

    def test_a_kind_nobody_declared_is_refused_and_a_declared_one_shown(self, client):
        from mitmachen.notifications import kinds

        person = UserFactory()
        with pytest.raises(ValueError, match="Unknown notification kind"):
            notify(recipients=[person], kind="pinnwand_voll", title="Voll", url="/")
        kinds.register("pinnwand_voll", "Pinnwand voll")
        try:
            notify(recipients=[person], kind="pinnwand_voll", title="Voll", url="/")
            client.force_login(person)
            assert "Pinnwand voll" in client.get("/benachrichtigungen/").content.decode()
        finally:
            kinds._kinds.pop("pinnwand_voll")
