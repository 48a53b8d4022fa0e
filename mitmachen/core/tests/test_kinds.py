"""The registry of declared kinds of rows (``core.kinds``), behind
``projects.contributions`` and ``projects.origins``: checked on a kind of its own, so
that the modules' declarations stay untouched."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from mitmachen.core.kinds import KindRegistry, ModelKind, attribute
from mitmachen.organisations.models import District, Organisation
from mitmachen.projects import contributions, origins


@dataclass(frozen=True)
class Kind(ModelKind):
    key: str
    model: str
    organisation: str = "project.organisation_id"
    project: str = "project_id"
    select_related: tuple[str, ...] = ()


def _registry():
    return KindRegistry[Kind]("Test kind", "test row")


def test_each_key_and_each_model_once():
    registry = _registry()
    town = registry.register(Kind("ort", "organisations.Organisation"))
    assert registry.register(town) is town  # the same declaration again: nothing happens
    with pytest.raises(ImproperlyConfigured, match="Test kind 'ort' collides with 'ort'"):
        registry.register(Kind("ort", "organisations.District"))
    with pytest.raises(ImproperlyConfigured, match="'gemeinde' collides with 'ort'"):
        registry.register(Kind("gemeinde", "organisations.Organisation"))
    with pytest.raises(ImproperlyConfigured, match="Test kind key 'orts-teil' is not allowed"):
        registry.register(Kind("orts-teil", "organisations.District"))
    assert registry.kinds() == [town]


def test_listeners_hear_of_kinds_declared_before_and_after():
    registry = _registry()
    heard = []
    early = registry.register(Kind("ortsteil", "organisations.District"))
    registry.each(heard.append)
    late = registry.register(Kind("gemeinde", "organisations.Organisation"))
    registry.register(late)
    assert heard == [early, late]
    assert registry.kinds() == [late, early]  # by key


def test_a_rows_kind_and_a_kind_by_key():
    registry = _registry()
    district = registry.register(Kind("ortsteil", "organisations.District"))
    assert registry.kind("ortsteil") is district
    with pytest.raises(KeyError):
        registry.kind("gemeinde")
    assert registry.kind_of(District()) is district
    with pytest.raises(TypeError, match="Not a declared test row"):
        registry.kind_of(Organisation())


def test_the_paths_from_a_row():
    row = SimpleNamespace(project=SimpleNamespace(organisation_id=7), project_id=3)
    kind = Kind("ortsteil", "organisations.District")
    assert kind.model_class is District
    assert kind.organisation_id(row) == 7 and kind.project_id(row) == 3
    assert Kind("x", "organisations.District", project="").project_id(row) is None
    assert attribute(SimpleNamespace(project=None), "project.organisation_id") is None


def test_contributions_and_origins_keep_their_registries_apart():
    """Both modules' public functions are their own registry's (a kind of one sort is
    not one of the other)."""
    assert contributions.register.__self__ is not origins.register.__self__
    collected = {k.key for k in contributions.kinds()}
    assert collected and {k.key for k in origins.kinds()} != collected
    for kind in contributions.kinds():
        assert contributions.kind(kind.key) is kind
