"""Comments knows nothing of debates: a debate is a registered comment target.

The comments package (its tests aside) imports no module of debates, and its templates
name none of debates' templates or pages. What commenting on a debate means comes from
the registration debates makes in its ``AppConfig.ready()``: swap the registration, and
comments follows the new one.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mitmachen.comments import targets
from mitmachen.comments.models import Comment
from mitmachen.comments.permissions import Discussion
from mitmachen.comments.selectors import thread_for
from mitmachen.comments.services import comment_create, comment_delete
from mitmachen.core.permissions import decide
from mitmachen.debates.comment_target import COMMENT_TARGET
from mitmachen.debates.models import Debate
from mitmachen.debates.services import debate_close
from mitmachen.debates.tests.conftest import debate, debating, manager  # noqa: F401

COMMENTS = Path(__file__).resolve().parents[1]
WRITE = "comments.write_comment"


def test_the_comments_package_imports_nothing_from_debates():
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph("mitmachen")
    found = {
        (module, imported)
        for module in graph.find_descendants("mitmachen.comments") | {"mitmachen.comments"}
        if ".tests" not in module
        for imported in graph.find_modules_directly_imported_by(module)
        if imported == "mitmachen.debates" or imported.startswith("mitmachen.debates.")
    }
    assert found == set()
    # The check itself sees imports: debates imports comments.
    assert "mitmachen.comments.targets" in graph.find_modules_directly_imported_by(
        "mitmachen.debates.comment_target"
    )


def test_the_comments_templates_name_no_debates_template_or_page():
    named = re.compile(r"""["']debates[/:]""")
    found = [
        str(path.relative_to(COMMENTS))
        for path in (COMMENTS / "templates").rglob("*.html")
        if named.search(path.read_text())
    ]
    assert found == []


def test_debates_registers_the_debate_target(db):
    assert targets.get("debate") is COMMENT_TARGET and targets.KEYS == ("debate", "paragraph")
    assert COMMENT_TARGET.model is Debate
    assert COMMENT_TARGET.takes_stances
    assert targets.registered()[0] is COMMENT_TARGET
    assert [t.field for t in targets.registered()] == ["debate", "paragraph"]
    assert reverse("comments:debate", args=[7]) == "/debatten/7/kommentare/"
    assert reverse("comments:paragraph", args=[7]) == "/absaetze/7/kommentare/"


def test_a_target_is_registered_once_and_only_for_a_key_of_comment():
    assert targets.register(COMMENT_TARGET) is COMMENT_TARGET  # the same again: nothing happens
    with pytest.raises(ValueError, match="registered twice"):
        targets.register(dataclasses.replace(COMMENT_TARGET))
    for field in ("text", "proposal", "umfrage"):
        with pytest.raises(ValueError, match="no key"):
            targets.register(dataclasses.replace(COMMENT_TARGET, field=field))
    with pytest.raises(LookupError, match=r"Comment\.umfrage"):
        targets.get("umfrage")
    assert [t.field for t in targets.registered()] == ["debate", "paragraph"]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int, int, dict[str, int]]] = []

    def __call__(self, target_id: int, delta: int, comments: int, stances) -> None:
        self.calls.append((target_id, delta, comments, dict(stances)))


@pytest.fixture
def swapped(monkeypatch):
    """Replace debates' registration for ``Comment.debate`` by one made here."""

    def swap(**changes) -> targets.CommentTarget:
        fake = dataclasses.replace(COMMENT_TARGET, **changes)
        monkeypatch.setitem(targets._targets, "debate", fake)
        return fake

    return swap


@pytest.mark.django_db
class TestCommentsFollowTheRegistration:
    def test_whether_the_target_takes_comments(self, swapped, debating, debate, resident):  # noqa: F811
        swapped(refusal=lambda obj: "Nur dienstags.")
        assert not decide(resident, WRITE, Discussion(debating, debate=debate))
        thread = thread_for(user=resident, project=debating, debate=debate)
        assert thread.refusal == "Nur dienstags." and thread.form is None
        with pytest.raises(PermissionDenied, match=r"Nur dienstags\."):
            comment_create(
                author=resident, project=debating, debate=debate, stance="for", text="Ja"
            )
        assert not Comment.objects.exists()

    def test_the_registration_not_the_debate_decides(
        self,
        swapped,
        debating,  # noqa: F811
        debate,  # noqa: F811
        manager,  # noqa: F811
        resident,
    ):
        debate_close(user=manager, debate=debate, conclusion="Entschieden.")
        assert not decide(resident, WRITE, Discussion(debating, debate=debate))
        swapped(refusal=lambda obj: "")
        assert decide(
            resident, WRITE, Discussion(debating, debate=Debate.objects.get(pk=debate.pk))
        )
        comment_create(author=resident, project=debating, debate=debate, stance="for", text="Ja")
        assert Comment.objects.filter(debate=debate).count() == 1

    def test_counting_goes_through_the_registration(
        self,
        swapped,
        debating,  # noqa: F811
        debate,  # noqa: F811
        resident,
    ):
        shift = Recorder()
        swapped(shift_counts=shift)
        top = comment_create(
            author=resident, project=debating, debate=debate, stance="against", text="Nein"
        )
        reply = comment_create(
            author=resident, project=debating, debate=debate, reply_to=top, text="Warum?"
        )
        comment_delete(user=resident, comment=top)
        assert shift.calls == [
            (debate.pk, +1, 1, {"against": 1}),
            (debate.pk, +1, 1, {}),
            (debate.pk, -1, 1, {"against": 1}),
        ]
        assert reply.stance == ""
        # The debate's own counters moved only through its registration: not at all here.
        debate.refresh_from_db()
        assert (debate.comment_count, debate.against_count) == (0, 0)

    def test_stance_counts_and_words_come_from_the_registration(
        self,
        swapped,
        client,
        debating,  # noqa: F811
        debate,  # noqa: F811
    ):
        swapped(
            stance_counts=lambda obj: {"for": 4, "against": 2, "neutral": 1},
            heading="Kommentare zur Testfrage",
            back_label="Zur Testfrage",
        )
        thread = thread_for(user=debate.author, project=debating, debate=debate)
        assert [(f["slug"], f["count"]) for f in thread.stance_filters] == [
            ("", 7),
            ("dafuer", 4),
            ("dagegen", 2),
            ("neutral", 1),
        ]
        page = client.get(f"/debatten/{debate.pk}/kommentare/").content.decode()
        assert "Kommentare zur Testfrage" in page and "Zur Testfrage" in page
        assert "Kommentare zur Debatte" not in page

    def test_a_target_without_stances_takes_none(self, swapped, debating, debate, resident):  # noqa: F811
        swapped(stance_counts=None)
        thread = thread_for(user=resident, project=debating, debate=debate)
        assert thread.stance_filters == [] and "stance" not in thread.form.fields
