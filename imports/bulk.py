"""New records of an import written with PostgreSQL's COPY: the insert half of the apply step, where a resource
adds nothing.

By the time a planned row is inserted every value is parsed, checked and final, foreign keys are ids and no
record is looked up: what django-import-export would still do for it — a tablib row, a model instance, a
`RowResult`, then `bulk_create`'s per-field preparation — costs about 0.1 ms a row (two thirds of the apply
step's time on a 100,000-member roster), for no decision. COPY takes the same values as text. Updates still go
through the resources (`imports.resources`): they are few, and import-export's `bulk_update` is what writes them.

Ids are taken from the table's own sequence beforehand (`nextval` once per row, in one statement), so that the
caller can link members to their new household and record the history of exactly these rows. Unlisted fields get
the model's default (`auto_now_add` fields: now). Like every statement of an import, the COPY runs inside
`history.recording`: the statement that takes the ids passes through Django's cursor, which sets pgtrigger's
per-transaction "ignore" list, so the per-row history triggers skip these rows as they skip bulk_create's, and
the Recorder writes their events set-wise.
"""

import io
import re
import uuid
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

_SPECIAL = re.compile(r"[\\\t\n\r]")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value):
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES) if _SPECIAL.search(value) else value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal, uuid.UUID)):
        return str(value)
    raise TypeError(f"{type(value).__name__} values are not written by COPY here; use a resource")


def _columns(model, names):
    """(column, field name or None, default) of every stored column of `model`, the primary key first."""
    now = timezone.now()
    pk = model._meta.pk
    columns = [(pk.column, None, None)]
    for field in model._meta.concrete_fields:
        if field is pk or field.generated:
            continue
        if field.attname in names:
            columns.append((field.column, field.attname, None))
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            columns.append((field.column, None, now))
        else:
            columns.append((field.column, None, field.get_default()))
    return columns


def reserve_ids(model, count):
    """`count` fresh ids from the table's sequence, in one statement (through Django's cursor: see above)."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def insert_rows(model, rows):
    """Insert `rows` (dicts keyed by field attname; "id" ignored) with COPY; returns their new ids, in order."""
    if not rows:
        return []
    with transaction.atomic():  # the ids' statement and the COPY share pgtrigger's per-transaction setting
        return _copy(model, rows)


def _copy(model, rows):
    ids = reserve_ids(model, len(rows))
    columns = _columns(model, set(rows[0]) - {"id", model._meta.pk.attname})
    # Each column after the key: the row's value (by attname) or a constant, as COPY text.
    cells = [(attname, None if attname else _text(default)) for _column, attname, default in columns[1:]]
    lines = []
    for pk, row in zip(ids, rows, strict=True):
        values = [str(pk)]
        for attname, constant in cells:
            values.append(_text(row[attname]) if attname else constant)
        lines.append("\t".join(values))
    quoted = ", ".join(connection.ops.quote_name(column) for column, _attname, _default in columns)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN"
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.cursor.copy_expert(sql, io.StringIO("\n".join(lines) + "\n"))
    return ids
