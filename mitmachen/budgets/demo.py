"""The Bürgerhaushalt's part of the demo region (called by ``manage.py seed_demo``)."""

from typing import Any


def demo(report: Any) -> None:
    """Filled in below."""
