"""Files of updates leave storage with their rows: when an update is deleted (also in a
cascade – its measure, goal, field of action or municipality deleted), its images and
documents are deleted from storage once the transaction commits (a rollback keeps them)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete

from mitmachen.measures.models import MeasureUpdateDocument, MeasureUpdateImage


def _delete_file(sender: Any, instance: Any, **kwargs: Any) -> None:
    stored = instance.image if isinstance(instance, MeasureUpdateImage) else instance.file
    if stored and stored.name:
        transaction.on_commit(partial(stored.storage.delete, stored.name))


def connect() -> None:
    for model in (MeasureUpdateImage, MeasureUpdateDocument):
        post_delete.connect(
            _delete_file, sender=model, dispatch_uid=f"measures-file-{model.__name__}"
        )
