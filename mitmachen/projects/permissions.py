"""Object permissions for projects (django-rules).

Permissions know the phase: taking part (comment, propose, …) needs a visible,
non-draft project whose current phase allows that action. Staff roles come from
``organisations.Membership`` of the project's organisation.
"""

from __future__ import annotations

from typing import Any

import rules

from mitmachen.core import person_cache
from mitmachen.organisations.models import Membership, Role
from mitmachen.projects.models import Project, Visibility

BLOCKED = "blocked"  # marker in the per-organisation facts: moderation blocked the person


def _facts(user: Any) -> dict[int, set[str]]:
    """The person's staff roles per organisation and, marked ``BLOCKED``, the
    municipalities in which a module's rule keeps them from taking part (moderation's
    blocks, ``ParticipationModule.blocks``): one query for both.

    Cached per request on the user object: a page checks many permissions. getattr and
    setattr reach through request.user's SimpleLazyObject, so the view and
    ``user.has_perm`` (called on the wrapped User) share one cache.
    Across requests they are kept in the person's cached entry (``core.person_cache``),
    renewed when a role changes (``projects.signals``) or a block is set or lifted (the
    global version, which moderation bumps).
    """
    cache: dict[int, set[str]] | None = getattr(user, "_mitmachen_facts", None)
    if cache is None:
        cache = person_cache.remember(user, "facts", lambda: _load_facts(user))
        user._mitmachen_facts = cache
    return cache


def _load_facts(user: Any) -> dict[int, set[str]]:
    from django.db.models import Value

    from mitmachen.projects import modules

    facts = Membership.objects.filter(user=user).order_by().values_list("organisation_id", "role")
    for blocks in modules.block_queries(user):
        blocked = blocks.order_by().values_list("organisation_id", Value(BLOCKED))
        facts = facts.union(blocked, all=True)
    found: dict[int, set[str]] = {}
    for organisation_id, fact in facts:
        found.setdefault(organisation_id, set()).add(str(fact))
    return found


def _managed_projects(user: Any) -> set[int]:
    """The projects ``user`` is assigned to manage, in one query, cached like ``_facts``
    (renewed when ``Project.managers`` changes, ``projects.signals``)."""
    managed: set[int] | None = getattr(user, "_mitmachen_managed", None)
    if managed is None:
        managed = person_cache.remember(
            user, "managed", lambda: set(user.managed_projects.values_list("pk", flat=True))
        )
        user._mitmachen_managed = managed
    return managed


def forget_roles(user: Any) -> None:
    """Drop the per-request caches of ``_facts`` and ``_managed_projects`` (after the
    person's roles changed), and the copy of this request's cached entry."""
    person_cache.forget(user, "facts", "managed")
    for name in ("_mitmachen_facts", "_mitmachen_managed"):
        try:
            delattr(user, name)
        except AttributeError:
            pass


def _roles(user: Any, organisation_id: int) -> set[str]:
    return _facts(user).get(organisation_id, set()) - {BLOCKED}


def staff_roles(user: Any) -> dict[int, set[str]]:
    """The person's staff roles per municipality (``organisations.Role`` values), from the
    same per-request facts every permission reads: modules ask this instead of querying
    ``Membership`` themselves (one query per request for all of them)."""
    if not user.is_authenticated:
        return {}
    roles = {org: facts - {BLOCKED} for org, facts in _facts(user).items()}
    return {org: facts for org, facts in roles.items() if facts}


@rules.predicate
def is_org_staff(user: Any, project: Project | None) -> bool:
    if project is None or not user.is_authenticated:
        return False
    return bool(_roles(user, project.organisation_id))


@rules.predicate
def is_org_admin(user: Any, project: Project | None) -> bool:
    if project is None or not user.is_authenticated:
        return False
    return Role.ADMIN in _roles(user, project.organisation_id)


@rules.predicate
def is_assigned_manager(user: Any, project: Project | None) -> bool:
    if project is None or not user.is_authenticated:
        return False
    if Role.PROJECT_MANAGER not in _roles(user, project.organisation_id):
        return False
    return project.pk in _managed_projects(user)


@rules.predicate
def is_invited_member(user: Any, project: Project | None) -> bool:
    if project is None or not user.is_authenticated:
        return False
    return project.memberships.filter(user=user).exists()


@rules.predicate
def is_public(user: Any, project: Project | None) -> bool:
    return project is not None and project.visibility == Visibility.PUBLIC


@rules.predicate
def is_private(user: Any, project: Project | None) -> bool:
    return project is not None and project.visibility == Visibility.PRIVATE


@rules.predicate
def is_draft(user: Any, project: Project | None) -> bool:
    return project is not None and project.visibility == Visibility.DRAFT


@rules.predicate
def manages_any_project(user: Any) -> bool:
    """Admin or project manager somewhere: may open the project admin at all."""
    if not user.is_authenticated:
        return False
    return any(roles & {Role.ADMIN, Role.PROJECT_MANAGER} for roles in staff_roles(user).values())


def blocked_organisations(user: Any) -> set[int]:
    """Municipalities in whose projects ``user`` is blocked by moderation (cached per request)."""
    if not user.is_authenticated:
        return set()
    return {org for org, facts in _facts(user).items() if BLOCKED in facts}


@rules.predicate
def is_blocked(user: Any, project: Project | None) -> bool:
    return project is not None and project.organisation_id in blocked_organisations(user)


# Moderation facts. They live here, beside the roles and blocks they are made of, so the
# modules whose contributions are moderated (comments, proposals, debates) ask them
# without importing the moderation app, which sits above them and knows them all.
# ``moderation.permissions`` re-exports them.

MODERATING_ROLES = {Role.ADMIN, Role.MODERATOR}


def moderates(user: Any, organisation_id: int) -> bool:
    """May ``user`` take moderation decisions in this municipality?"""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(_roles(user, organisation_id) & MODERATING_ROLES)


def sees_hidden(user: Any, project: Project) -> bool:
    """Staff of the project's municipality see hidden contributions, marked."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(_roles(user, project.organisation_id))


def is_blocked_in(user: Any, organisation_id: int) -> bool:
    return organisation_id in blocked_organisations(user)


def phase_allows(action: str) -> rules.Predicate:
    @rules.predicate(name=f"phase_allows_{action}")
    def predicate(user: Any, project: Project | None) -> bool:
        return project is not None and project.allows(action)

    return predicate


can_view = rules.is_superuser | is_public | is_org_staff | (is_private & is_invited_member)
can_change = rules.is_superuser | is_org_admin | is_assigned_manager
can_follow = rules.is_authenticated & ~is_draft & can_view

rules.add_perm("projects.view_project", can_view)
rules.add_perm("projects.follow_project", can_follow)
rules.add_perm("projects.change_project", can_change)
rules.add_perm("projects.delete_project", rules.is_superuser | is_org_admin)
rules.add_perm("projects.add_project", rules.is_superuser | manages_any_project)


def add_action_permission(action: str) -> None:
    """Taking part: one permission per phase action a module declares (``projects.modules``),
    e.g. "projects.comment_in_project"."""
    rules.add_perm(
        f"projects.{action}_in_project",
        rules.is_authenticated & ~is_draft & can_view & phase_allows(action) & ~is_blocked,
    )


def viewers(users: Any, project: Project, *, staff_only: bool = False) -> Any:
    """``users`` (a User queryset) narrowed to those who may see ``project``, in SQL.

    The same rule as ``can_view`` (``projects.view_project``) for many people at once:
    superusers and staff of the project's municipality always; everyone for a public
    project; invited members for a private one. ``staff_only`` narrows to the people who
    see contributions hidden by moderation (``sees_hidden``).
    ``test_permissions.test_viewers_agrees_with_can_view`` keeps the two in step.
    """
    from django.db.models import Exists, OuterRef, Q

    staff = Q(is_superuser=True) | Exists(
        Membership.objects.filter(user=OuterRef("pk"), organisation_id=project.organisation_id)
    )
    if staff_only or project.visibility == Visibility.DRAFT:
        return users.filter(staff)
    if project.visibility == Visibility.PUBLIC:
        return users
    invited = Exists(project.memberships.filter(user=OuterRef("pk")))
    return users.filter(staff | invited)


def can_take_part(user: Any, action: str, project: Project) -> bool:
    """May ``user`` do ``action`` in ``project`` now?

    Asks the rules registry directly instead of ``user.has_perm``: Django's
    ModelBackend grants superusers every permission, but the phase rules apply to
    everyone – nobody comments in a closed phase.
    """
    return rules.has_perm(f"projects.{action}_in_project", user, project)


def can_follow_project(user: Any, project: Project) -> bool:
    return rules.has_perm("projects.follow_project", user, project)


def moderated_organisations(user: Any) -> set[int]:
    """Municipalities in which ``user`` moderates (not for superusers: they moderate all)."""
    if not user.is_authenticated:
        return set()
    return {org for org, facts in _facts(user).items() if facts & MODERATING_ROLES}
