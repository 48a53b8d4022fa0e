"""Comment targets: what people comment on in the modules above comments (debates, the
paragraphs of drafts).

comments is the shared module. Proposals and projects lie below it in the layers
(``[tool.importlinter]`` in pyproject.toml) and are handled directly; a module above it
imports comments, never the other way round. Such a module registers its target once,
in its ``AppConfig.ready()``::

    from mitmachen.comments import targets

    targets.register(targets.CommentTarget(field=targets.DEBATE, path="debatten", ...))

One link stays in the schema: ``Comment`` carries one nullable key per target kind
(``KEYS``: ``Comment.debate``, a foreign key to ``"debates.Debate"``, and
``Comment.paragraph``, to ``"drafts.Paragraph"``, given by name), with the database
constraints on those keys (at most one target; a stance exactly on the top-level
comments of a target that takes stances); the services and selectors take the target
object as ``target=`` (``debate=`` is the older name of the same argument) and find its
registration by its model (``commented_object``), and moderation's counted rows name
the key (``services.CountedRow``). Everything comments *does* with a target comes from its
registration: whether it takes comments now and why not, locking its row before a
comment is stored, hiding its comments with it, keeping its counters in the same
transaction as the comment rows, the stance filter, its comments page, and the words
and links of the comment pages and of the CSV export.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models

from mitmachen.projects.models import Project


class Commentable(Protocol):
    """What comments reads of every target object itself."""

    pk: Any

    # Read-only: a model's fields satisfy them, and so do properties (a draft paragraph
    # reaches its project through its draft).
    @property
    def project_id(self) -> int: ...

    @property
    def project(self) -> Project: ...

    def get_absolute_url(self) -> str: ...


# Comment's keys for registered targets: the key of the debate a comment belongs to.
DEBATE = "debate"
# The key of the draft paragraph (``drafts.Paragraph``) a comment belongs to.
PARAGRAPH = "paragraph"
KEYS = (DEBATE, PARAGRAPH)
# The keys whose comments take a stance on their top-level comments (the database
# constraint ``comment_stance_only_in_debates`` names them; registrations must agree).
STANCE_KEYS = (DEBATE,)

# ``shift_counts(target_id, delta, comments, stances)``: ``comments`` comments of the
# target start (``delta=+1``) or stop (``-1``) counting; ``stances`` holds how many of
# them are top-level comments per stance (``Stance`` value). Called inside the
# transaction that changed the comments, after them (the lock order of
# ``comments.services``), with ``F()`` updates only.
ShiftCounts = Callable[[int, int, int, Mapping[str, int]], None]


@dataclass(frozen=True)
class CommentTarget:
    """How comments treats one kind of target; registered by the module that owns it."""

    # The key on ``Comment`` (one of ``KEYS``: a nullable foreign key). It also names the
    # target's comments page, ``comments:<field>``, at ``/<path>/<pk>/kommentare/``.
    field: str
    path: str
    # Why nobody may comment on the object now, in German; empty when it takes comments.
    refusal: Callable[[Any], str]
    # The columns ``refusal`` reads: before a comment is stored, the object's row is
    # locked and these are read again, so no comment lands after a close has committed.
    state_fields: tuple[str, ...]
    # Its comments are hidden with it: only staff who see hidden content open them.
    hidden: Callable[[Any], bool]
    # Counting: visible comments (replies included), and per stance the visible
    # top-level comments, kept by ``shift_counts`` in the columns ``counter_fields``
    # (read again for an htmx answer that shows them).
    shift_counts: ShiftCounts
    comment_count: Callable[[Any], int]
    counter_fields: tuple[str, ...]
    # Takes stances (``comments.stances``) when set: the count per ``Stance`` value.
    stance_counts: Callable[[Any], Mapping[str, int]] | None
    # Words and links, German (lazy).
    title_field: str  # its title in links, page titles and the CSV export
    foreign_project: Any  # "… gehört nicht zu diesem Beteiligungsprozess."
    gone: Any  # "… gibt es nicht mehr."
    list_view: str  # URL name of the project's list of such targets (takes the project slug)
    list_label: Any  # that list in the breadcrumbs
    heading: Any  # heading of its comments page, before the title
    back_label: Any  # the link from its comments page back to it
    csv_column: str  # CSV export: ``<csv_column>_id`` and ``<csv_column>`` (its title)
    # Drawn out of band after an htmx comment (the counts at the top of its page); the
    # template gets the object as ``target``.
    summary_template: str = ""
    # The phase action that lets residents comment on it; empty: comments' own
    # ("comment"). A draft's paragraphs take comments in phases that allow commenting
    # the text.
    phase_action: str = ""
    # Its title in links and headings when ``title_field`` is no short title (a
    # paragraph: "Absatz 3 von „INSEK 2035+“"); the CSV export keeps ``title_field``.
    title: Callable[[Any], str] | None = None
    # The path from the target's row to its project, for loading both in one query: a
    # debate has ``project``; a paragraph reaches it through its draft
    # (``draft__project``) and offers ``project``/``project_id`` as properties.
    project_path: str = "project"
    # What the owning module shows under a comment (drafts: the administration's weighing
    # of a paragraph's comment). ``comment_notes(user, obj, comments)`` gets the comments
    # of ``obj`` this viewer sees in full (not deleted; hidden ones only for staff) and
    # returns a note per comment id, in a fixed number of queries; ``note_template`` draws
    # one (with ``note`` and ``entry``). Comments show it without knowing what it is.
    comment_notes: Callable[[Any, Any, list[Any]], Mapping[int, Any]] | None = None
    note_template: str = ""
    # Asks, when a resident writes a comment or reply, whether their name may be shown
    # where the owning module lists contributions (drafts: the Abwägungstabelle). The
    # checkbox's label and hint (German, lazy); empty: not asked, ``name_in_report``
    # stays False. The owning module reads ``Comment.name_in_report``.
    name_consent: Any = ""
    name_consent_hint: Any = ""

    @property
    def takes_stances(self) -> bool:
        return self.stance_counts is not None

    @property
    def model(self) -> type[models.Model]:
        """The target's model, as ``Comment``'s key points to it."""
        related = _comment_key(self.field).related_model
        assert isinstance(related, type) and issubclass(related, models.Model)
        return related

    def lock(self, obj: Any) -> None:
        """Lock ``obj``'s row until the transaction ends and read ``state_fields`` again.

        Raises ``PermissionDenied`` (``gone``) when the row no longer exists.
        """
        state = (
            self.model._default_manager.select_for_update(no_key=True)
            .filter(pk=obj.pk)
            .values_list(*self.state_fields)
            .first()
        )
        if state is None:
            raise PermissionDenied(str(self.gone))
        for name, value in zip(self.state_fields, state, strict=True):
            setattr(obj, name, value)


@dataclass(frozen=True)
class Commented:
    """One target object with its registration: what the comment pages show of it."""

    kind: CommentTarget
    obj: Any

    @property
    def title(self) -> str:
        if self.kind.title is not None:
            return self.kind.title(self.obj)
        return str(getattr(self.obj, self.kind.title_field))

    @property
    def refusal(self) -> str:
        return self.kind.refusal(self.obj)


_targets: dict[str, CommentTarget] = {}


def _comment_key(field: str) -> models.ForeignKey[Any, Any]:
    if field not in KEYS:
        raise ValueError(f"Comment has no key {field!r} for a target (targets.KEYS).")
    key = apps.get_model("comments", "Comment")._meta.get_field(field)
    assert isinstance(key, models.ForeignKey) and key.null
    return key


def register(target: CommentTarget) -> CommentTarget:
    """Plug ``target`` in. Called once from its module's ``AppConfig.ready()``."""
    if _targets.get(target.field) is target:
        return target
    if target.field in _targets:
        raise ValueError(f"Comment target {target.field!r} registered twice.")
    _comment_key(target.field)
    if target.takes_stances != (target.field in STANCE_KEYS):
        raise ValueError(f"Comment target {target.field!r}: stances only for STANCE_KEYS.")
    _targets[target.field] = target
    return target


def get(field: str) -> CommentTarget:
    """The registration for ``Comment.<field>``."""
    try:
        return _targets[field]
    except KeyError:
        raise LookupError(f"No comment target is registered for Comment.{field}.") from None


def registered() -> list[CommentTarget]:
    return list(_targets.values())


def commented(field: str, obj: Any | None) -> Commented | None:
    """``obj`` (the value of ``Comment.<field>``) with its registration; None for None."""
    return None if obj is None else Commented(get(field), obj)


def commented_object(obj: Any | None) -> Commented | None:
    """``obj`` (a row of any registered target's model) with its registration; None for None."""
    if obj is None:
        return None
    for target in _targets.values():
        if isinstance(obj, target.model):
            return Commented(target, obj)
    raise LookupError(f"No comment target is registered for {type(obj).__name__}.")


def key_of(obj: Any | None) -> dict[str, Any]:
    """``Comment``'s key to ``obj`` as keyword arguments (``{"paragraph": obj}``); empty
    for None."""
    target = commented_object(obj)
    return {} if target is None else {target.kind.field: target.obj}


def of_comment(comment: Any) -> Commented | None:
    """The registered target ``comment`` belongs to, if any (loads it unless cached)."""
    for target in _targets.values():
        if getattr(comment, f"{target.field}_id") is not None:
            return Commented(target, getattr(comment, target.field))
    return None


def name_consent_of(comment: Any) -> CommentTarget | None:
    """The registration of ``comment``'s target if it asks for consent to be named
    (without loading the target)."""
    for target in _targets.values():
        if getattr(comment, f"{target.field}_id") is not None:
            return target if target.name_consent else None
    return None
