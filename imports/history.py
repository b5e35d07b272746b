"""History of bulk imports, written set by set instead of row by row.

pghistory's row triggers cost about 0.3 ms per row here (each call enters two PL/pgSQL exception blocks and
upserts its context), which alone would cap an import at ~3,000 members a second. During an import those
triggers are skipped (`pgtrigger.ignore`, the per-statement switch pgtrigger provides) and the same events are
inserted with one INSERT … SELECT per block: same event tables, same columns, same labels, and a context
naming the importing user and the job — so the household page shows who imported what, as for any edit.
"""

import contextlib

import pghistory.models
import pghistory.trigger
import pgtrigger
from django.db import connection

from households.models import Household, Member, Review
from movement.models import Support
from units.models import Membership, Unit

TRACKED = (Household, Member, Review, Unit, Membership, Support)
LABELS = ("insert", "update")


def _history_trigger_uris():
    uris = []
    for model, trigger in pgtrigger.registry.registered():
        if model in TRACKED and isinstance(trigger, pghistory.trigger.Event) and trigger.label in LABELS:
            uris.append(f"{model._meta.label}:{trigger.name}")
    return uris


class Recorder:
    """Inserts history events for rows just written, under one context created on first use."""

    def __init__(self, metadata):
        self.metadata = metadata
        self.context_id = None
        self.events = 0

    def record(self, model, label, ids):
        ids = [pk for pk in ids if pk is not None]
        if not ids:
            return
        if self.context_id is None:
            self.context_id = pghistory.models.Context.objects.create(metadata=self.metadata).pk
        event_model = model.pgh_event_models[label]
        source = {f.column for f in model._meta.concrete_fields if not f.generated}
        tracked = [
            f.column
            for f in event_model._meta.concrete_fields
            if not f.name.startswith("pgh_") and not f.generated and f.column in source
        ]
        columns = ", ".join(f'"{c}"' for c in tracked)
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{event_model._meta.db_table}" '
                f"({columns}, pgh_context_id, pgh_created_at, pgh_label, pgh_obj_id) "
                f'SELECT {columns}, %s, NOW(), %s, "{model._meta.pk.column}" '
                f'FROM "{model._meta.db_table}" WHERE "{model._meta.pk.column}" = ANY(%s)',
                [self.context_id, label, ids],
            )
            self.events += cursor.rowcount


@contextlib.contextmanager
def recording(metadata):
    """Skip the per-row history triggers of the imported models and yield a Recorder that writes the events."""
    with pgtrigger.ignore(*_history_trigger_uris()):
        yield Recorder(metadata)
