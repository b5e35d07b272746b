"""Readable history from django-pghistory events: who, when, what changed, with labels instead of codes."""

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

_ACTIONS = {"insert": _("created"), "update": _("changed"), "delete": _("deleted")}


def _label(model, name):
    try:
        return model._meta.get_field(name.removesuffix("_id")).verbose_name
    except FieldDoesNotExist:
        return name


def _shown(model, name, value):
    """A stored value as a person reads it: the choice label, a list joined by commas, a dash for nothing."""
    if value in (None, "", []):
        return "—"
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def _masked(masks, name, value):
    mask = masks.get(name)
    return value if mask is None else mask(value)


def describe(events, models, *, hidden=frozenset({"id"}), masks=None):
    """Annotate pghistory events in place (actor, subject, action, about, changes) with one user query at most.

    `models` maps an event's pgh_obj_model ("app.Model") to the tracked model class; `masks` maps a field name to
    a function that turns a stored value into what the reader may see (personal data the reader may not read).
    """
    masks = masks or {}
    user_ids = {int(e.pgh_context["user"]) for e in events if e.pgh_context and e.pgh_context.get("user")}
    users = get_user_model().objects.in_bulk(user_ids)
    for event in events:
        uid = event.pgh_context.get("user") if event.pgh_context else None
        event.actor = users.get(int(uid)) if uid else None
        model = models[event.pgh_obj_model]
        event.subject = model._meta.verbose_name
        event.action = _ACTIONS.get(event.pgh_label, event.pgh_label)
        data = event.pgh_data or {}
        event.about = data.get("full_name") or data.get("year") or data.get("code") or ""
        diff = event.pgh_diff if event.pgh_label == "update" and event.pgh_diff else {}
        event.changes = [
            (
                _label(model, name),
                _shown(model, name, _masked(masks, name, before)),
                _shown(model, name, _masked(masks, name, after)),
            )
            for name, (before, after) in diff.items()
            if name not in hidden
        ]
    return events
