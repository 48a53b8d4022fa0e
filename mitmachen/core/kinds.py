"""Kinds of rows that modules declare to a lower layer: the one small, typed registry
behind ``projects.contributions`` (``CollectedKind``: rows collected offline) and
``projects.origins`` (``OriginKind``: rows a measure can come from).

A kind is a frozen dataclass that names a model ("app_label.ModelName") and how to read a
row of it; it inherits ``ModelKind`` for what every such declaration answers (the model
class, the rows, the dotted paths to the row's municipality and project). A registry
holds the kinds of one sort, each key and each model once:

```python
@dataclass(frozen=True)
class OriginKind(ModelKind):
    key: str
    model: str
    ...

_registry: KindRegistry[OriginKind] = KindRegistry("Origin kind", "origin")
register = _registry.register  # called by projects.modules.register
```

``each(listener)`` calls the listener for every kind declared, now and later (whatever
the order of ``INSTALLED_APPS``); ``kind_of(row)`` finds a row's kind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet


def attribute(row: Any, path: str) -> Any:
    """The value at the dotted ``path`` from ``row`` ("project.organisation_id"), ``None``
    where a step is missing or the path is empty."""
    value = row
    for step in path.split("."):
        value = getattr(value, step, None)
        if value is None:
            return None
    return value


class ModelKind:
    """What every declared kind of rows answers; mixed into the kind's frozen dataclass,
    which has the fields below. ``project`` may be "" for rows of no project."""

    key: str
    model: str
    organisation: str
    project: str
    select_related: tuple[str, ...]

    @property
    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    def rows(self) -> QuerySet[Any]:
        return self.model_class._default_manager.select_related(*self.select_related)

    def organisation_id(self, row: Any) -> int | None:
        return attribute(row, self.organisation)

    def project_id(self, row: Any) -> int | None:
        return attribute(row, self.project)  # "" (no project): None


class _Kind(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def model_class(self) -> type[Model]: ...


K = TypeVar("K", bound=_Kind)


class KindRegistry(Generic[K]):
    """The kinds of one sort, by key. ``name`` starts the error of a bad declaration
    ("Origin kind"), ``noun`` names a row of no declared kind ("origin")."""

    def __init__(self, name: str, noun: str) -> None:
        self.name = name
        self.noun = noun
        self._kinds: dict[str, K] = {}
        self._listeners: list[Callable[[K], None]] = []

    def register(self, kind: K) -> K:
        """Declare ``kind`` (again: nothing happens). A key that is no identifier, or a key
        or model another kind has, is refused."""
        for other in self._kinds.values():
            if other is kind:
                return kind
            if other.key == kind.key or other.model_class is kind.model_class:
                raise ImproperlyConfigured(f"{self.name} {kind.key!r} collides with {other.key!r}.")
        if not kind.key.isidentifier():
            raise ImproperlyConfigured(f"{self.name} key {kind.key!r} is not allowed.")
        self._kinds[kind.key] = kind
        for listener in self._listeners:
            listener(kind)
        return kind

    def each(self, listener: Callable[[K], None]) -> None:
        """Call ``listener`` for every declared kind, now and when one is declared later."""
        self._listeners.append(listener)
        for kind in list(self._kinds.values()):
            listener(kind)

    def kinds(self) -> list[K]:
        return sorted(self._kinds.values(), key=lambda k: k.key)

    def kind(self, key: str) -> K:
        """The kind declared with ``key`` (``KeyError`` if none is)."""
        return self._kinds[key]

    def kind_of(self, row: Any) -> K:
        """The declared kind of a row (``TypeError`` if its model is none)."""
        for kind in self._kinds.values():
            if isinstance(row, kind.model_class):
                return kind
        raise TypeError(f"Not a declared {self.noun}: {row!r}")
