"""Form helpers shared by the apps."""

from __future__ import annotations

from typing import Any


class FilterFormMixin:
    """For GET filter forms: invalid values are reported and ignored, never an error page."""

    def valid_filters(self) -> dict[str, Any]:
        """The filters that passed validation; the invalid ones are dropped."""
        self.is_valid()  # type: ignore[attr-defined]
        errors = self.errors  # type: ignore[attr-defined]
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if value not in (None, "") and name not in errors
        }
